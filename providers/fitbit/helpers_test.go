package fitbit

import (
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/providers/internal/memo"
	"github.com/fittui/fittui/providers/providertest"
)

// t0 is the tests' "now" (providertest.T0).
var t0 = providertest.T0

type env struct {
	p      *Provider
	fake   *fitbittest.Server
	tokens *fitbittest.Tokens
	clock  *providertest.Clock
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

// The suite's helpers: ctx bounds a test call (t may be nil: the timer
// then just runs out).
var ctx, mustKind = providertest.Ctx, providertest.MustKind

// account is e as the contract suite (providertest) takes it.
func (e *env) account() providertest.Account {
	return providertest.Account{Env: providers.Env{Now: e.clock.Now, Tokens: e.tokens, APIURL: e.fake.APIURL()},
		Day: e.today, Fake: e.fake}
}
