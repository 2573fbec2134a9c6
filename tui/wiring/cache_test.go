package wiring

import (
	"context"
	"testing"
	"time"

	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
)

// TestOpenCachesAndBudgetsNetworkAccounts: with a Cache, a Fitbit account
// opens as a *cache.Cached whose requests are counted in the account's
// shared budget, corrected by Fitbit's own rate-limit headers; a second
// ask is served from disk; a demo account is never cached.
func TestOpenCachesAndBudgetsNetworkAccounts(t *testing.T) {
	fake := fitbittest.New(fitbittest.Config{ClientSecret: "s3cret"})
	defer fake.Close()
	cfg := loadConfig(t, "[[account]]\nname = \"fb\"\nprovider = \"fitbit\"\n[[account]]\nname = \"walks\"\nprovider = \"demo\"\n",
		map[string]string{
			"FITTUI_FITBIT_CLIENT_ID": fake.ClientID(), "FITTUI_FITBIT_CLIENT_SECRET": "s3cret",
			"FITTUI_FITBIT_TOKEN_URL": fake.TokenURL(), "FITTUI_FITBIT_API_URL": fake.URL,
		})
	s := newSetup(t, cfg)
	s.Now = nil // the fake lives in real time
	st, err := cache.Open(cache.Options{Root: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	s.Cache = st
	pair := fake.Grant()
	save(t, s, tokenstore.Record{Provider: "fitbit", Account: "fb",
		Token: tokenstore.Token{AccessToken: pair.AccessToken, RefreshToken: pair.RefreshToken, Expiry: time.Now().Add(time.Hour)}})
	// Someone else's app already spent 40 of this hour's requests.
	fake.SetRateLimit(150, 40)

	list, err := s.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.Open(list[0])
	if err != nil {
		t.Fatal(err)
	}
	c, p := o.Cache, o.Provider
	if c == nil || p != providers.Provider(c) || o.Source != cache.Source(c) || c.Budget() == nil || c.Kind() != "fitbit" {
		t.Fatalf("opened %+v", o)
	}
	if o.Scheduler != nil {
		t.Error("a scheduler without Setup.Refresh (the commands ask once)")
	}
	ctx := context.Background()
	prof, err := p.Profile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	day := providers.DateOf(time.Now().In(prof.Location))
	if _, err := p.DaySummary(ctx, day); err != nil {
		t.Fatal(err)
	}
	sent := fake.APIRequests("")
	if sent == 0 {
		t.Fatal("no request reached the fake")
	}
	bs, err := c.Budget().State()
	if err != nil {
		t.Fatal(err)
	}
	// Our own count is what we sent; the headers say 40 more are gone.
	if bs.Used != 40+sent {
		t.Errorf("budget used %d, want %d (40 spent elsewhere + %d sent)", bs.Used, 40+sent, sent)
	}
	if _, err := p.DaySummary(ctx, day); err != nil {
		t.Fatal(err)
	}
	if n := fake.APIRequests(""); n != sent {
		t.Errorf("the second ask sent %d requests; want it served from the cache", n-sent)
	}
	if info, _ := st.Info(); len(info) != 1 || info[0].Account != "fb" {
		t.Errorf("cache info %+v", info)
	}

	d, err := s.Open(list[1])
	if err != nil {
		t.Fatal(err)
	}
	if _, cached := d.Provider.(*cache.Cached); cached || d.Cache != nil || d.Scheduler != nil || d.Source == nil {
		t.Errorf("the demo account is cached: %+v", d)
	}

	// The dashboard's accounts come with the scheduler of their budget.
	s.Refresh = 5 * time.Minute
	o, err = s.Open(list[0])
	if err != nil {
		t.Fatal(err)
	}
	if o.Scheduler == nil || o.Scheduler.Interval() < 5*time.Minute {
		t.Fatalf("scheduler %+v", o.Scheduler)
	}
	if d, err := s.Open(list[1]); err != nil || d.Scheduler != nil {
		t.Errorf("the demo account has a scheduler: %+v %v", d, err)
	}
}
