package fitbit

import (
	"context"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/providers/internal/memo"
	"github.com/fittui/fittui/providers/providertest"
)

// t0 is the tests' "now": 10:04 in New York, 15:04 in London, 00:04 the
// next day in Tokyo.
var t0 = time.Date(2026, 3, 5, 15, 4, 5, 0, time.UTC)

// testClock is a clock tests move by hand, shared by fake and client.
type testClock = providertest.Clock

type env struct {
	p      *Provider
	fake   *fitbittest.Server
	tokens *fitbittest.Tokens
	clock  *testClock
	loc    *time.Location
	today  providers.Date
}

func setup(t testing.TB, persona string) *env {
	t.Helper()
	return setupAt(t, persona, t0)
}

func setupAt(t testing.TB, persona string, now time.Time) *env {
	t.Helper()
	clk := providertest.NewClock(now)
	fake := fitbittest.New(fitbittest.Config{Persona: persona, Now: clk.Now})
	t.Cleanup(fake.Close)
	tokens := fake.Tokens()
	p, err := New(providers.AccountSpec{Name: "me", Provider: Name},
		providers.Env{Now: clk.Now, Tokens: tokens, APIURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	loc := fake.Location()
	return &env{p: p, fake: fake, tokens: tokens, clock: clk, loc: loc, today: providers.DateOf(now.In(loc))}
}

// fresh moves the clock past the memo so the next calls ask again.
func (e *env) fresh() { e.clock.Advance(memo.TTL + time.Second) }

// ctx bounds a test call; t may be nil (the timer then just runs out).
func ctx(t testing.TB) context.Context { return providertest.Ctx(t) }

var mustKind = providertest.MustKind

// noSecrets fails if text contains any token, code or secret the fake
// issued or saw.
func noSecrets(t *testing.T, fake *fitbittest.Server, text string) {
	providertest.NoSecrets(t, fake.Secrets(), text)
}
