package googlehealth

import (
	"context"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
	"github.com/fittui/fittui/providers/googlehealth/googlehealthtest"
	"github.com/fittui/fittui/providers/providertest"
)

// fixture is a fake Google Health account and a provider signed in to it,
// both on the same pinned clock, plus the demo oracle for the persona.
type fixture struct {
	fake   *googlehealthtest.Server
	tokens *googlehealthtest.TokenSource
	p      *Provider
	demo   *demo.Provider
	now    time.Time
	loc    *time.Location
	today  providers.Date
}

// pinned is mid-afternoon on a Friday in November, after the US and EU
// clock changes (1 November and 25 October 2026).
var pinned = time.Date(2026, 11, 20, 19, 37, 20, 0, time.UTC)

func newFixture(t testing.TB, persona string, cfg ...googlehealthtest.Config) *fixture {
	t.Helper()
	c := googlehealthtest.Config{}
	if len(cfg) > 0 {
		c = cfg[0]
	}
	f := &fixture{now: pinned}
	c.Persona = persona
	c.Now = func() time.Time { return f.now }
	f.fake = googlehealthtest.New(c)
	t.Cleanup(f.fake.Close)
	f.tokens = f.fake.TokenSource("me")
	p, err := New(providers.AccountSpec{Name: "me", Provider: Name}, providers.Env{
		Now: func() time.Time { return f.now }, Tokens: f.tokens, APIURL: f.fake.URL,
	})
	if err != nil {
		t.Fatal(err)
	}
	f.p = p
	d, err := demo.New(providers.AccountSpec{Name: persona, Provider: demo.Name, Options: map[string]string{"persona": persona}},
		providers.Env{Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	f.demo = d
	prof, _ := d.Profile(context.Background())
	f.loc = prof.Location
	f.today = providers.DateOf(f.now.In(f.loc))
	return f
}

// fresh forgets kept answers so the next call asks the fake again.
func (f *fixture) fresh() { f.p.memo.Forget() }

func ctx(t testing.TB) context.Context { return providertest.Ctx(t) }

var kindIs = providertest.MustKind

func sameOffset(a, b time.Time) bool {
	_, oa := a.Zone()
	_, ob := b.Zone()
	return oa == ob
}
