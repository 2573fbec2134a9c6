package jawbone

import (
	"context"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/jawbone/jawbonetest"
	"github.com/fittui/fittui/providers/providertest"
)

// t0 is the tests' "now" (providertest.T0).
var t0 = providertest.T0

var personas = []string{"runner", "office", "nightshift"}

type env struct {
	p      *Provider
	fake   *jawbonetest.Server
	tokens *jawbonetest.Tokens
	clock  *providertest.Clock
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

// account is e as the contract suite (providertest) takes it.
func (e *env) account() providertest.Account {
	return providertest.Account{Env: providers.Env{Now: e.clock.Now, Tokens: e.tokens, APIURL: e.fake.APIURL()},
		Day: e.today, Fake: e.fake}
}
