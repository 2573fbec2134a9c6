package providers

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func goodOAuth() Registration {
	return Registration{
		Name: "acme", Title: "Acme", Description: "test",
		New: func(AccountSpec, Env) (Provider, error) { return nil, nil },
		OAuth: &OAuth{
			Title: "Acme", AuthURL: "https://acme.example/auth", TokenURL: "https://acme.example/token",
			RevokeURL: "https://acme.example/revoke", Revoke: RevokeForm, RevokeBesideToken: "revoke",
			RevokeHint: "remove it in Acme's settings", Scopes: []string{"read"}, ScopeSeparator: " ",
			ClientAuth: ClientAuthBasic, ClientHelp: "register an app",
		},
		Rate: RateLimit{Requests: 100, Window: time.Hour, Doc: "100 an hour",
			Headers: RateHeaders{Limit: "X-L", Remaining: "X-R", Reset: "X-Reset", ResetAs: ResetSecondsUntil}},
		Settings: OAuthSettings(),
		Serves:   []Serving{{Metric: MetricSteps, Finest: time.Minute}, {Metric: MetricSleep, AsRecorded: true}},
	}
}

// registerForTest registers r until the test ends, so the registry's
// contract test sees the built-in providers only.
func registerForTest(t *testing.T, r Registration) {
	t.Helper()
	Register(r)
	t.Cleanup(func() {
		regMu.Lock()
		delete(registry, r.Name)
		regMu.Unlock()
	})
}

func TestCheckFindsWhatIsMissing(t *testing.T) {
	if err := goodOAuth().Check(); err != nil {
		t.Fatalf("a complete descriptor: %v", err)
	}
	for _, tc := range []struct {
		name   string
		change func(r *Registration)
		want   string
	}{
		{"no title", func(r *Registration) { r.Title = "" }, "no title"},
		{"bad name", func(r *Registration) { r.Name = "Acme Corp" }, "lower-case"},
		{"nothing to do", func(r *Registration) { r.New, r.OAuth = nil, nil }, "neither"},
		{"no endpoints", func(r *Registration) { r.OAuth.TokenURL = "" }, "token URL"},
		{"http endpoint", func(r *Registration) { r.OAuth.AuthURL = "http://acme.example/auth" }, "auth URL"},
		{"no scopes", func(r *Registration) { r.OAuth.Scopes = nil }, "no scopes"},
		{"write scope", func(r *Registration) { r.OAuth.Scopes = []string{"activity.write"} }, "write scope"},
		{"auto client auth", func(r *Registration) { r.OAuth.ClientAuth = 0 }, "not explicit"},
		{"revoke URL without style", func(r *Registration) { r.OAuth.Revoke = RevokeNone }, "revokes nothing"},
		{"revoke without follow rule", func(r *Registration) { r.OAuth.RevokeBesideToken = "" }, "follows configured endpoints"},
		{"no revoke hint", func(r *Registration) { r.OAuth.RevokeHint = "" }, "revoking by hand"},
		{"no client id setting", func(r *Registration) { r.Settings = r.Settings[1:] }, "client_id"},
		{"no secret setting", func(r *Registration) { r.Settings = r.Settings[:1] }, "client_secret"},
		{"unknown setting", func(r *Registration) { r.Settings = append(r.Settings, Setting{"region", "x"}) }, `"region"`},
		{"limit without window", func(r *Registration) { r.Rate.Window = 0 }, "without a window"},
		{"limit undocumented", func(r *Registration) { r.Rate.Doc = "" }, "documented"},
		{"remaining without reset", func(r *Registration) { r.Rate.Headers.Reset = "" }, "not the reset"},
		{"reset without clock", func(r *Registration) { r.Rate.Headers.ResetAs = 0 }, "clock"},
		{"headers of no limit", func(r *Registration) { r.Rate.Requests, r.Rate.Window = 0, 0 }, "not documented"},
		{"unknown metric", func(r *Registration) { r.Serves = append(r.Serves, Serving{Metric: "spo2", Finest: time.Minute}) }, "spo2"},
		{"resolution unsaid", func(r *Registration) { r.Serves[0].Finest = 0 }, "Finest or AsRecorded"},
		{"metric twice", func(r *Registration) { r.Serves = append(r.Serves, r.Serves[0]) }, "twice"},
		{"bad option default", func(r *Registration) {
			r.Options = []Option{{Key: "unit", Meaning: "u", Values: []string{"mi", "km"}, Default: "m"}}
		}, "default"},
		{"half an importer", func(r *Registration) { r.Import = &Importer{Short: "x"} }, "importer"},
	} {
		r := goodOAuth()
		tc.change(&r)
		err := r.Check()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error about %q", tc.name, err, tc.want)
		}
	}
}

func TestRegisterRefusesABadDescriptor(t *testing.T) {
	r := goodOAuth()
	r.Name = "acmebroken"
	r.OAuth.Scopes = nil
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "no scopes") {
			t.Fatalf("panic %v", p)
		}
		if _, ok := Lookup("acmebroken"); ok {
			t.Fatal("registered anyway")
		}
	}()
	Register(r)
}

func TestRegistryHandsOutCopies(t *testing.T) {
	r := goodOAuth()
	r.Name = "acmecopies"
	r.Order = 7
	registerForTest(t, r)
	r.OAuth.Scopes[0] = "changed" // the caller's slice is not the registry's
	got, _ := Lookup("acmecopies")
	got.OAuth.Scopes[0] = "changed too"
	got.Serves[0].Metric = MetricWeight
	again, _ := Lookup("acmecopies")
	if again.OAuth.Scopes[0] != "read" || again.Serves[0].Metric != MetricSteps {
		t.Fatalf("registry changed through a copy: %+v", again)
	}
	if !strings.Contains(strings.Join(SignIns(), ","), "acmecopies") {
		t.Fatal("not among the sign-ins")
	}
	listed := Listed()
	for i := 1; i < len(listed); i++ {
		if a, b := listed[i-1], listed[i]; a.Order > b.Order || a.Order == b.Order && a.Name > b.Name {
			t.Fatalf("list order: %s (%d) before %s (%d)", a.Name, a.Order, b.Name, b.Order)
		}
	}
}

func TestOpenWithoutDataProvider(t *testing.T) {
	r := goodOAuth()
	r.Name = "acmesigninonly"
	r.New = nil
	registerForTest(t, r)
	_, err := Open(AccountSpec{Name: "me", Provider: "acmesigninonly"}, Env{})
	if err == nil || !strings.Contains(err.Error(), "cannot read Acme data yet") {
		t.Fatalf("%v", err)
	}
}

func TestServingResolution(t *testing.T) {
	for _, tc := range []struct {
		s    Serving
		want string
	}{
		{Serving{AsRecorded: true}, "as recorded"},
		{Serving{Finest: time.Second}, "1 s"},
		{Serving{Finest: time.Minute}, "1 min"},
		{Serving{Finest: 15 * time.Minute}, "15 min"},
		{Serving{Finest: time.Hour}, "1 h"},
		{Serving{Finest: Day}, "daily"},
	} {
		if got := tc.s.Resolution(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.s, got, tc.want)
		}
	}
}

func TestBudgetSpentMessage(t *testing.T) {
	until := time.Date(2026, 3, 5, 16, 0, 0, 0, time.UTC)
	e := ErrBudgetSpent("acme", until)
	if e.Kind != KindRateLimited || !e.RetryAt.Equal(until) || !strings.Contains(e.Error(), "request budget spent until 16:00") {
		t.Fatalf("%+v %v", e, e)
	}
}

func TestCheckIntraday(t *testing.T) {
	r := goodOAuth() // steps per minute, no heart rate
	samples := []Sample{{Time: time.Unix(0, 0), Value: 1}}
	for _, tc := range []struct {
		name string
		in   Intraday
		ok   bool
	}{
		{"as declared", Intraday{Steps: Series{Resolution: time.Minute, Samples: samples}}, true},
		{"daily fallback", Intraday{Steps: Series{Resolution: Day, Samples: samples}}, true},
		{"empty", Intraday{Steps: Series{Resolution: time.Second}}, true},
		{"coarser", Intraday{Steps: Series{Resolution: 15 * time.Minute, Samples: samples}}, false},
		{"irregular", Intraday{Steps: Series{Samples: samples}}, false},
		{"undeclared metric", Intraday{HeartRate: Series{Resolution: time.Minute, Samples: samples}}, false},
	} {
		if err := r.CheckIntraday(tc.in); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	r.Serves = []Serving{{Metric: MetricHeartRate, AsRecorded: true}}
	if err := r.CheckIntraday(Intraday{HeartRate: Series{Resolution: time.Second, Samples: samples}}); err == nil {
		t.Error("a regular series passed for readings as recorded")
	}
}

// A package's New that fails gives the registry no typed nil: Open's
// callers test the Provider against nil.
func TestFactoryOfFailedNew(t *testing.T) {
	type acme struct{ Provider }
	failing := func(AccountSpec, Env) (*acme, error) { return nil, errors.New("no") }
	if p, err := FactoryOf(failing)(AccountSpec{}, Env{}); p != nil || err == nil {
		t.Fatalf("%v %v", p, err)
	}
	ok := func(AccountSpec, Env) (*acme, error) { return &acme{}, nil }
	if p, err := FactoryOf(ok)(AccountSpec{}, Env{}); p == nil || err != nil {
		t.Fatalf("%v %v", p, err)
	}
}
