package misfit

import (
	"testing"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/memo"
	"github.com/fittui/fittui/providers/misfit/misfittest"
	"github.com/fittui/fittui/providers/providertest"
)

// t0 is the tests' "now" (providertest.T0).
var t0 = providertest.T0

type env struct {
	p      *Provider
	fake   *misfittest.Server
	tokens *oauthtest.TokenSource
	clock  *providertest.Clock
	loc    *time.Location // the persona's real zone
	today  providers.Date
}

func setup(t testing.TB, persona string) *env {
	t.Helper()
	return setupWith(t, misfittest.Config{Persona: persona}, nil)
}

// setupWith starts a fake with cfg (its clock set to t0 unless cfg.Now is
// set) and a provider for it with the account options opts.
func setupWith(t testing.TB, cfg misfittest.Config, opts map[string]string) *env {
	t.Helper()
	clk := providertest.NewClock(t0)
	if cfg.Now == nil {
		cfg.Now = clk.Now
	} else {
		clk.Set(cfg.Now())
	}
	fake := misfittest.New(cfg)
	t.Cleanup(fake.Close)
	tokens := fake.Tokens()
	p, err := New(providers.AccountSpec{Name: "me", Provider: Name, Options: opts},
		providers.Env{Now: clk.Now, Tokens: tokens, APIURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	loc := fake.Location()
	return &env{p: p, fake: fake, tokens: tokens, clock: clk, loc: loc, today: providers.DateOf(clk.Now().In(loc))}
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
