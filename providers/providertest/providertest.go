// Package providertest is the contract every fittui provider keeps, as a
// test suite in the spirit of testing/fstest.TestFS: a provider's tests
// call Run with a Harness, and Run checks what every provider must do
// whatever its API looks like:
//
//   - it is registered under its name with its title, and providers.Open
//     builds it (Kind says the name; the account's profile and a day
//     with data read back);
//   - it refuses API URLs that are not http(s);
//   - without tokens every method is a KindSignIn *providers.Error that
//     says which `fittui auth login` to run, before any request;
//   - whatever its fake answers (malformed JSON, wrong types, missing
//     fields, server errors, HTML, a dropped connection, error bodies
//     that repeat the token), every error is a typed *providers.Error
//     naming the provider, never a panic or an "internal error", and no
//     message holds a token, code or secret;
//   - a stalled or unreachable server is KindUnreachable;
//   - a cancelled context and a range that ends before it starts are
//     errors, and concurrent calls are safe;
//   - a provider that reads heart rate alone (providers.HeartRateReader)
//     gives Intraday's heart rate and note, day by day.
//
// Offline providers (demo, imported archives) run the parts that apply.
// The package also holds the small helpers the providers' own tests share
// (Clock, Ctx, MustKind, NoSecrets, Zone).
package providertest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	_ "time/tzdata" // Zone works on machines without zone files

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/fakekit"
)

// Harness describes a provider to Run.
type Harness struct {
	// Name and Title are the provider's registration.
	Name, Title string
	// Options are the account's options (e.g. an archive's root).
	Options map[string]string
	// Start returns a fresh account with data; Run calls it once per
	// check. t.Cleanup stops whatever it started.
	Start func(t *testing.T) Account
	// BadAPIURLs are values of Env.APIURL the provider must refuse
	// (network providers).
	BadAPIURLs []string
	// Timeout, when set, sets a provider's per-request timeout, so Run
	// can check that a stalled server is KindUnreachable in time.
	Timeout func(p providers.Provider, d time.Duration)
	// BaseURL, when set, says where a provider sends its requests, so Run
	// can check that without an API URL it talks to DefaultAPIURL.
	BaseURL       func(p providers.Provider) string
	DefaultAPIURL string
}

// Account is one account Run may use.
type Account struct {
	// Env opens the account: the clock, and for network providers the
	// fake's API URL and signed-in tokens.
	Env providers.Env
	// Day is a date with data.
	Day providers.Date
	// Fake is the provider's fake server; nil for offline providers.
	Fake Fake
}

// Fake is what Run needs of a provider's fake (package fakekit's Server
// has it all).
type Fake interface {
	// APIRequests counts the API requests answered whose path contains
	// sub ("": all).
	APIRequests(sub string) int
	// Secrets lists the tokens, codes and secrets issued or seen.
	Secrets() []string
	// AddFault breaks answers.
	AddFault(f fakekit.Fault)
	// Close stops the fake.
	Close()
}

// Run checks h's provider against the contract.
func Run(t *testing.T, h Harness) {
	t.Run("registration", func(t *testing.T) { registration(t, h) })
	t.Run("ranges, cancel and concurrency", func(t *testing.T) { edges(t, h) })
	if h.Start(t).Fake == nil {
		return // offline: no tokens, no server
	}
	t.Run("bad API URLs", func(t *testing.T) {
		for _, u := range h.BadAPIURLs {
			if _, err := providers.Open(spec(h), providers.Env{APIURL: u}); err == nil {
				t.Errorf("API URL %q accepted", u)
			}
		}
	})
	t.Run("no tokens means sign in", func(t *testing.T) { noTokens(t, h) })
	for _, b := range breakages {
		t.Run("typed errors, no secrets: "+b.name, func(t *testing.T) { broken(t, h, b) })
	}
	if h.BaseURL != nil {
		t.Run("default API URL", func(t *testing.T) {
			if got := h.BaseURL(open(t, h, providers.Env{})); got != h.DefaultAPIURL {
				t.Errorf("without an API URL the provider talks to %q, want %q", got, h.DefaultAPIURL)
			}
		})
	}
	if h.Timeout != nil {
		t.Run("stalled server", func(t *testing.T) { stalled(t, h) })
	}
	t.Run("unreachable", func(t *testing.T) {
		acc := h.Start(t)
		acc.Fake.Close()
		p := open(t, h, acc.Env)
		for _, c := range calls(acc.Day) {
			_, err := c.do(Ctx(t), p)
			if pe := typed(t, h, c.name, err); pe != nil && pe.Kind != providers.KindUnreachable {
				t.Errorf("%s with the server gone: %v, want %v", c.name, pe.Kind, providers.KindUnreachable)
			}
		}
	})
}

func spec(h Harness) providers.AccountSpec {
	return providers.AccountSpec{Name: "contract", Provider: h.Name, Options: h.Options}
}

func open(t *testing.T, h Harness, env providers.Env) providers.Provider {
	t.Helper()
	p, err := providers.Open(spec(h), env)
	if err != nil {
		t.Fatalf("providers.Open: %v", err)
	}
	return p
}

func registration(t *testing.T, h Harness) {
	r, ok := providers.Lookup(h.Name)
	if !ok || r.Name != h.Name || r.Title != h.Title || r.Description == "" || r.New == nil {
		t.Fatalf("registration of %q: %+v, %v", h.Name, r, ok)
	}
	listed := false
	for _, x := range providers.Registered() {
		listed = listed || x.Name == h.Name
	}
	if !listed {
		t.Errorf("%q missing from Registered()", h.Name)
	}
	acc := h.Start(t)
	p := open(t, h, acc.Env)
	if p.Kind() != h.Name {
		t.Errorf("Kind() = %q, want %q", p.Kind(), h.Name)
	}
	prof, err := p.Profile(Ctx(t))
	if err != nil || prof.Location == nil {
		t.Fatalf("Profile: %+v, %v", prof, err)
	}
	if sum, err := p.DaySummary(Ctx(t), acc.Day); err != nil || sum.Date != acc.Day {
		t.Fatalf("DaySummary(%s): %+v, %v", acc.Day, sum, err)
	}
	heartAlone(t, p, acc.Day)
}

// heartAlone: a provider's heart rate alone (providers.HeartRateReader)
// is Intraday's, day by day, from the day before acc.Day to the day
// after (empty), and a range that ends before it starts is an error.
func heartAlone(t *testing.T, p providers.Provider, day providers.Date) {
	h, ok := p.(providers.HeartRateReader)
	if !ok {
		return
	}
	from, to := day.AddDays(-1), day.AddDays(1)
	got, err := h.HeartRate(Ctx(t), from, to)
	if err != nil || len(got) != 3 {
		t.Fatalf("HeartRate(%s..%s): %d days, %v", from, to, len(got), err)
	}
	for i, hd := range got {
		d := from.AddDays(i)
		in, err := p.Intraday(Ctx(t), d)
		if err != nil {
			t.Fatalf("Intraday(%s): %v", d, err)
		}
		if hd.Date != d || hd.Note != in.Note || !SameSeries(hd.HeartRate, in.HeartRate) {
			t.Errorf("HeartRate's %s (%d samples at %v, note %q) is not Intraday's (%d at %v, note %q)", d,
				len(hd.HeartRate.Samples), hd.HeartRate.Resolution, hd.Note, len(in.HeartRate.Samples), in.HeartRate.Resolution, in.Note)
		}
	}
	if len(got[1].HeartRate.Samples) == 0 && got[1].Note == "" {
		t.Errorf("HeartRate(%s): no samples and no note saying why", day)
	}
	if _, err := h.HeartRate(Ctx(t), day, day.AddDays(-1)); err == nil {
		t.Error("HeartRate of a range that ends before it starts")
	}
}

// SameSeries reports whether a and b hold the same samples (instants,
// values, lowest and highest) at the same resolution.
func SameSeries(a, b providers.Series) bool {
	if a.Resolution != b.Resolution || len(a.Samples) != len(b.Samples) || len(a.Min) != len(b.Min) || len(a.Max) != len(b.Max) {
		return false
	}
	for i := range a.Samples {
		if !a.Samples[i].Time.Equal(b.Samples[i].Time) || a.Samples[i].Value != b.Samples[i].Value {
			return false
		}
	}
	for i := range a.Min {
		if a.Min[i] != b.Min[i] || a.Max[i] != b.Max[i] {
			return false
		}
	}
	return true
}

// call is one method of the interface.
type call struct {
	name string
	do   func(context.Context, providers.Provider) (any, error)
}

func calls(day providers.Date) []call {
	return append([]call{
		{"Profile", func(c context.Context, p providers.Provider) (any, error) { return p.Profile(c) }},
		{"DaySummary", func(c context.Context, p providers.Provider) (any, error) { return p.DaySummary(c, day) }},
		{"Intraday", func(c context.Context, p providers.Provider) (any, error) { return p.Intraday(c, day) }},
		{"DailySeries", func(c context.Context, p providers.Provider) (any, error) {
			return p.DailySeries(c, day.AddDays(-2), day)
		}},
		{"Sleep", func(c context.Context, p providers.Provider) (any, error) { return p.Sleep(c, day.AddDays(-2), day) }},
	}, call{"HeartRate", func(c context.Context, p providers.Provider) (any, error) {
		h, ok := p.(providers.HeartRateReader)
		if !ok {
			return nil, nil // not one: nothing to check
		}
		return h.HeartRate(c, day.AddDays(-1), day)
	}})
}

// typed fails unless err is nil or a *providers.Error naming the
// provider with a message for a person, without an internal error (a
// recovered panic). (A refusal the provider cannot classify, a 400, is
// KindUnknown: still typed, still explained.)
func typed(t *testing.T, h Harness, what string, err error) *providers.Error {
	t.Helper()
	if err == nil {
		return nil
	}
	pe, ok := providers.AsError(err)
	switch {
	case !ok:
		t.Errorf("%s: %v (%T) is not a *providers.Error", what, err, err)
	case pe.Provider != h.Name || pe.Message == "":
		t.Errorf("%s: provider %q, message %q: %v", what, pe.Provider, pe.Message, err)
	case strings.Contains(err.Error(), "internal error"):
		t.Errorf("%s: a panic was recovered: %v", what, err)
	}
	return pe
}

func noTokens(t *testing.T, h Harness) {
	acc := h.Start(t)
	env := acc.Env
	env.Tokens = nil
	p := open(t, h, env)
	signIn := 0
	for _, c := range calls(acc.Day) {
		_, err := c.do(Ctx(t), p)
		if err == nil {
			continue // answered without asking the provider (checked below)
		}
		pe := MustKind(t, err, providers.KindSignIn)
		if pe.Provider != h.Name || !strings.Contains(pe.Message, "fittui auth login "+h.Name) {
			t.Errorf("%s without tokens: %v", c.name, err)
		}
		signIn++
	}
	if signIn == 0 {
		t.Error("no method asked to sign in")
	}
	if n := acc.Fake.APIRequests(""); n != 0 {
		t.Errorf("%d requests without a token", n)
	}
}

// breakage is a way the fake answers every API request badly.
type breakage struct {
	name string
	// fault for every API path; echo puts the fake's secrets in the body.
	fault fakekit.Fault
	echo  bool
	// fails: some call must fail (otherwise a provider may read the
	// answer as "no data"; and a method may answer without asking).
	fails bool
}

var breakages = []breakage{
	{name: "malformed JSON", fault: fakekit.Fault{Spoil: fakekit.Truncate}, fails: true},
	{name: "wrong types", fault: fakekit.Fault{Spoil: fakekit.WrongTypes}},
	{name: "missing fields", fault: fakekit.Fault{Spoil: fakekit.Missing}},
	{name: "server error", fault: fakekit.Fault{Status: 500, Body: `{}`}, fails: true},
	{name: "HTML from a proxy", fault: fakekit.Fault{Status: 502, Body: "<!DOCTYPE html><html><body>Bad Gateway</body></html>"}, fails: true},
	{name: "dropped connection", fault: fakekit.Fault{Drop: true}, fails: true},
	{name: "400 repeating the token", fault: fakekit.Fault{Status: 400}, echo: true, fails: true},
	{name: "401 repeating the token", fault: fakekit.Fault{Status: 401}, echo: true, fails: true},
}

func broken(t *testing.T, h Harness, b breakage) {
	acc := h.Start(t)
	p := open(t, h, acc.Env)
	f := b.fault
	f.Times = -1
	if b.echo {
		// What careless servers do: the token, in JSON and as text.
		secrets := strings.Join(acc.Fake.Secrets(), " ")
		f.Body = `{"error":"invalid_token","message":"bad token ` + secrets + `","errors":[{"errorType":"invalid_token","message":"` +
			secrets + `"}],"meta":{"code":401,"error_detail":"` + secrets + `"}}`
	}
	acc.Fake.AddFault(f)
	failed := 0
	for _, c := range calls(acc.Day) {
		_, err := c.do(Ctx(t), p)
		typed(t, h, c.name, err)
		if err != nil {
			failed++
			NoSecrets(t, acc.Fake.Secrets(), err.Error())
		}
	}
	if b.fails && failed == 0 || acc.Fake.APIRequests("") == 0 {
		t.Errorf("%d calls failed after %d requests: the check proved nothing", failed, acc.Fake.APIRequests(""))
	}
}

// stalled: a server that never answers is KindUnreachable, "no answer
// within" the timeout, for every call that asks it (Profile always does).
func stalled(t *testing.T, h Harness) {
	acc := h.Start(t)
	p := open(t, h, acc.Env)
	h.Timeout(p, 100*time.Millisecond)
	acc.Fake.AddFault(fakekit.Fault{Stall: true, Times: -1})
	for _, c := range calls(acc.Day) {
		_, err := c.do(Ctx(t), p)
		if err == nil && c.name == "Profile" {
			t.Error("Profile answered from a stalled server")
		}
		if err != nil {
			pe := MustKind(t, err, providers.KindUnreachable)
			if !strings.Contains(pe.Error(), "no answer within 100ms") {
				t.Errorf("%s: %v", c.name, err)
			}
		}
	}
}

func edges(t *testing.T, h Harness) {
	acc := h.Start(t)
	p := open(t, h, acc.Env)
	if _, err := p.DailySeries(Ctx(t), acc.Day, acc.Day.AddDays(-1)); err == nil {
		t.Error("DailySeries of a range that ends before it starts")
	}
	if _, err := p.Sleep(Ctx(t), acc.Day, acc.Day.AddDays(-1)); err == nil {
		t.Error("Sleep of a range that ends before it starts")
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range calls(acc.Day) {
		if _, err := c.do(cancelled, p); err == nil {
			t.Errorf("%s with a cancelled context succeeded", c.name)
		} else if _, ok := providers.AsError(err); !ok && !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v", c.name, err)
		}
	}
	// Concurrent calls (run with -race) agree with one another.
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 3 {
		for _, c := range calls(acc.Day) {
			wg.Go(func() {
				if _, err := c.do(Ctx(t), p); err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent call: %v", err)
	}
}

// T0 is the providers' tests' "now": 10:04 in New York, 15:04 in London,
// 00:04 the next day in Tokyo (the demo personas' zones).
var T0 = time.Date(2026, 3, 5, 15, 4, 5, 0, time.UTC)

// Clock is a clock tests move by hand, shared by a fake and a client.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Set sets the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Ctx bounds a test's call (60 s); t may be nil (the timer then just runs
// out).
func Ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	if t != nil {
		t.Cleanup(cancel)
	} else {
		_ = cancel
	}
	return c
}

// MustKind fails unless err is a *providers.Error of kind want.
func MustKind(t testing.TB, err error, want providers.ErrorKind) *providers.Error {
	t.Helper()
	pe, ok := providers.AsError(err)
	if !ok {
		t.Fatalf("error %v (%T) is not a *providers.Error", err, err)
	}
	if pe.Kind != want {
		t.Fatalf("kind %v, want %v: %v", pe.Kind, want, err)
	}
	return pe
}

// Do sends method url with body ("": none) and token as a Bearer
// token ("": none), after set (nil: nothing) has changed the request as a
// test needs, failing t if it cannot be sent. It returns the answer's
// status, headers and body: what the fakes' and decoders' tests read.
func Do(t testing.TB, method, url, token, body string, set func(*http.Request)) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if set != nil {
		set(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// Zone is the IANA time zone name, from the tz database built into every
// test binary that imports this package; a name it lacks is a broken test
// and panics.
func Zone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// NoSecrets fails if text contains any of secrets.
func NoSecrets(t testing.TB, secrets []string, text string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Fatalf("secret leaked into %q", text)
		}
	}
}

// DailyCore is vs without the totals only some daily series hold
// (distance, calories, active minutes, floors: the demo's has them), for
// comparing a provider that serves the core fields (steps, resting heart
// rate, sleep, weight) with the demo data its fake serves.
func DailyCore(vs []providers.DailyValues) []providers.DailyValues {
	out := make([]providers.DailyValues, len(vs))
	for i, v := range vs {
		v.DistanceKm, v.Calories, v.ActiveMinutes, v.Floors = 0, 0, 0, 0
		out[i] = v
	}
	return out
}
