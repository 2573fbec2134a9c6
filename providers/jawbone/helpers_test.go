package jawbone

import (
	"context"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/jawbone/jawbonetest"
	"github.com/fittui/fittui/providers/providertest"
)

// t0 is the tests' "now": 10:04 in New York, 15:04 in London, 00:04 the
// next day in Tokyo.
var t0 = time.Date(2026, 3, 5, 15, 4, 5, 0, time.UTC)

var personas = []string{"runner", "office", "nightshift"}

// testClock is a clock tests move by hand, shared by fake and client.
type testClock = providertest.Clock

type env struct {
	p      *Provider
	fake   *jawbonetest.Server
	tokens *jawbonetest.Tokens
	clock  *testClock
	loc    *time.Location
	today  providers.Date
}

func setup(t testing.TB, persona string) *env {
	t.Helper()
	return setupAt(t, persona, t0, 0)
}

func setupAt(t testing.TB, persona string, now time.Time, pageSize int) *env {
	t.Helper()
	clk := providertest.NewClock(now)
	fake := jawbonetest.New(jawbonetest.Config{Persona: persona, Now: clk.Now, PageSize: pageSize})
	t.Cleanup(fake.Close)
	tokens := fake.Tokens()
	p, err := New(providers.AccountSpec{Name: "me", Provider: Name},
		providers.Env{Now: clk.Now, Tokens: tokens, APIURL: fake.APIURL()})
	if err != nil {
		t.Fatal(err)
	}
	loc := fake.Location()
	return &env{p: p, fake: fake, tokens: tokens, clock: clk, loc: loc, today: providers.DateOf(now.In(loc))}
}

// fresh forgets shared answers so the next calls ask again.
func (e *env) fresh() {
	e.p.lists.Forget()
	e.p.profiles.Forget()
	e.p.ticks.Forget()
}

func ctx(t testing.TB) context.Context { return providertest.Ctx(t) }

var mustKind = providertest.MustKind

// noSecrets fails if text contains any token, code or secret the fake
// issued or saw.
func noSecrets(t *testing.T, fake *jawbonetest.Server, text string) {
	providertest.NoSecrets(t, fake.Secrets(), text)
}
