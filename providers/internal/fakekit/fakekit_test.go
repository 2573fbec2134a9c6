package fakekit

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
)

// start serves api behind a core with OAuth under /oauth/.
func start(t *testing.T, api http.HandlerFunc, gate func(http.ResponseWriter, *http.Request) bool) *Server {
	t.Helper()
	s, err := Start(Config{Name: "fake Test", OAuth: oauthtest.Config{ClientID: "cid", ClientSecret: "sec"},
		OAuthPaths: map[string]string{"/oauth/token": "/token"}, OAuthPrefix: "/oauth/", Gate: gate, API: api})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func do(t *testing.T, method, u, body string, h http.Header) (*http.Response, string, error) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	for k, v := range h {
		req.Header[k] = v
	}
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b), nil
}

func TestStartLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", "example.com:0", "nonsense"} {
		if s, err := Start(Config{Name: "fake Test", Addr: addr, API: http.NotFoundHandler()}); err == nil {
			s.Close()
			t.Errorf("listened on %s", addr)
		}
	}
}

// The log holds every request with its status, body, how the token came
// and its headers without credentials; OAuth paths go to the OAuth
// server; the gate sees requests first.
func TestServerLogAndRouting(t *testing.T) {
	var gone bool
	var mu sync.Mutex
	s := start(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusTeapot)
		w.Write(b)
	}, func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		if gone {
			w.WriteHeader(http.StatusGone)
		}
		return gone
	})
	resp, body, err := do(t, "POST", s.URL+"/api/x?b=2&a=1", "hello", http.Header{"Authorization": {"Bearer tok"}, "Accept-Language": {"en_US"}})
	if err != nil || resp.StatusCode != http.StatusTeapot || body != "hello" {
		t.Fatalf("API: %v %v %q", err, resp, body)
	}
	do(t, "GET", s.URL+"/api/y?access_token=qtok", "", nil)
	do(t, "GET", s.URL+"/api/z", "", http.Header{"access_token": {"htok"}})
	resp, _, _ = do(t, "POST", s.URL+"/oauth/token", url.Values{"grant_type": {"refresh_token"}}.Encode(),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
	if resp.StatusCode != http.StatusUnauthorized || s.OAuth.Counts().Token != 1 {
		t.Fatalf("token endpoint: %d %+v", resp.StatusCode, s.OAuth.Counts())
	}
	if resp, _, _ = do(t, "GET", s.URL+"/oauth/nowhere", "", nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown OAuth path: %d", resp.StatusCode)
	}
	mu.Lock()
	gone = true
	mu.Unlock()
	if resp, _, _ = do(t, "POST", s.URL+"/oauth/token", "", nil); resp.StatusCode != http.StatusGone || s.OAuth.Counts().Token != 1 {
		t.Fatalf("gate: %d", resp.StatusCode)
	}

	log := s.Requests()
	if len(log) != 6 {
		t.Fatalf("%d logged: %+v", len(log), log)
	}
	first := log[0]
	if first.Method != "POST" || first.Path != "/api/x" || first.Values().Get("a") != "1" || first.Body != "hello" ||
		first.Status != http.StatusTeapot || first.OAuth || first.TokenVia != "bearer" ||
		first.Header.Get("Accept-Language") != "en_US" || first.Header.Get("Authorization") != "" ||
		first.Key() != "POST /api/x?a=1&b=2 hello" {
		t.Errorf("first request %+v (key %q)", first, first.Key())
	}
	if log[1].TokenVia != "query" || log[2].TokenVia != "header" || log[2].Header.Get("access_token") != "" {
		t.Errorf("token vias %q %q, header %v", log[1].TokenVia, log[2].TokenVia, log[2].Header)
	}
	if !log[3].OAuth || !log[4].OAuth || log[4].Status != http.StatusNotFound || log[5].Status != http.StatusGone {
		t.Errorf("OAuth entries %+v", log[3:])
	}
	if s.APIRequests("") != 3 || s.APIRequests("/api/y") != 1 || len(s.APILog()) != 3 {
		t.Errorf("API requests %d", s.APIRequests(""))
	}
	if s.MaxInFlight() != 1 {
		t.Errorf("in flight %d", s.MaxInFlight())
	}
	s.ResetLog()
	if len(s.Requests()) != 0 || s.MaxInFlight() != 0 {
		t.Error("ResetLog kept something")
	}
}

// Faults: the newest matching rule wins, each counts its answers; a held
// answer waits for its signal; stall and drop leave the client without an
// answer; a status answers the given body; Spoil changes a good body.
func TestFaults(t *testing.T) {
	var s *Server
	entered := make(chan string, 64) // a signal when the handler has the request
	s = start(t, func(w http.ResponseWriter, r *http.Request) {
		entered <- r.URL.Path
		f, _ := s.TakeFault(r.URL.Path)
		if s.Answer(w, r, f) {
			return
		}
		w.Write(f.SpoilBody([]byte(`{"n":12,"s":"34","t":"x"}`)))
	}, nil)
	get := func(path string) (int, string, error) {
		resp, body, err := do(t, "GET", s.URL+path, "", nil)
		if err != nil {
			return 0, "", err
		}
		return resp.StatusCode, body, nil
	}
	s.AddFault(Fault{Path: "/a", Times: 2, Status: 503, Header: http.Header{"Retry-After": {"7"}}, Body: "busy"})
	s.AddFault(Fault{Path: "/a/b", Spoil: WrongTypes})
	if c, b, _ := get("/a/b"); c != 200 || b != `{"n":true,"s":true,"t":"x"}` {
		t.Errorf("newest rule: %d %s", c, b)
	}
	for range 2 {
		if c, b, _ := get("/a/b"); c != 503 || b != "busy" {
			t.Errorf("status rule: %d %s", c, b)
		}
	}
	if c, b, _ := get("/a/b"); c != 200 || b != `{"n":12,"s":"34","t":"x"}` {
		t.Errorf("rules used up: %d %s", c, b)
	}
	s.AddFault(Fault{Spoil: WrongNumbers, Times: -1})
	for range 3 {
		if _, b, _ := get("/c"); b != `{"n":true,"s":"34","t":"x"}` {
			t.Errorf("until cleared: %s", b)
		}
	}
	s.ClearFaults()
	if _, b, _ := get("/c"); b != `{"n":12,"s":"34","t":"x"}` {
		t.Errorf("cleared: %s", b)
	}
	for _, tc := range []struct {
		spoil func([]byte) []byte
		want  string
	}{{Truncate, `{"n":12,"s":`}, {Missing, `{}`}} {
		s.AddFault(Fault{Spoil: tc.spoil})
		if _, b, _ := get("/d"); b != tc.want {
			t.Errorf("spoiled %q, want %q", b, tc.want)
		}
	}
	if got := Missing([]byte(`[1]`)); string(got) != `[{}]` {
		t.Errorf("Missing of an array: %s", got)
	}
	if got := Huge(100)(nil); len(got) != 110 || string(got[:8]) != `{"pad":"` {
		t.Errorf("Huge: %d bytes", len(got))
	}

	release := make(chan struct{})
	s.AddFault(Fault{Path: "/held", Wait: release})
	done := make(chan string, 1)
	go func() { _, b, _ := get("/held"); done <- b }()
	waitFor := func(path string) {
		for p := <-entered; p != path; p = <-entered {
		}
	}
	waitFor("/held")
	select {
	case b := <-done:
		t.Fatalf("answered before the release: %s", b)
	default:
	}
	close(release)
	if b := <-done; b != `{"n":12,"s":"34","t":"x"}` {
		t.Errorf("held answer %s", b)
	}

	// Every time: a client may retry an idempotent request once on a
	// connection closed without an answer.
	s.AddFault(Fault{Path: "/drop", Drop: true, Times: -1})
	if _, _, err := get("/drop"); err == nil {
		t.Error("a dropped connection answered")
	}
	s.AddFault(Fault{Path: "/stall", Stall: true})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		waitFor("/stall")
		cancel() // the client gives up
	}()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/stall", nil)
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.Canceled) {
		t.Errorf("stall: %v", err)
	}
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// An hour aligned to the clock, with seconds left (Fitbit) or the end as
// epoch seconds (Misfit), overrides, omission and lower-case names.
func TestRateAligned(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 5, 15, 4, 5, 0, time.UTC)}
	names := RateHeaders{Limit: "X-Limit", Remaining: "X-Remaining", Reset: "X-Reset"}
	r := NewRate(RateConfig{Limit: 2, Window: time.Hour, Now: clk.now, Headers: names})
	h := http.Header{}
	if ok, _ := r.Take(h); !ok || h.Get("X-Limit") != "2" || h.Get("X-Remaining") != "1" || h.Get("X-Reset") != "3355" {
		t.Fatalf("first: %v", h)
	}
	r.Take(h)
	if ok, wait := r.Take(h); ok || wait != 3355*time.Second || h.Get("X-Remaining") != "0" {
		t.Fatalf("over the limit: %v %v %v", ok, wait, h)
	}
	clk.add(time.Hour)
	if ok, _ := r.Take(h); !ok || h.Get("X-Remaining") != "1" {
		t.Fatalf("the next hour: %v", h)
	}
	r.Set(150, 149)
	if ok, _ := r.Take(h); !ok || h.Get("X-Limit") != "150" || h.Get("X-Remaining") != "0" {
		t.Fatalf("Set: %v", h)
	}
	r.SetResetHeader("soon")
	r.Take(h)
	if h.Get("X-Reset") != "soon" {
		t.Fatalf("override: %v", h)
	}
	r.SetResetHeader("")
	r.SetLowerCaseHeaders(true)
	h = http.Header{}
	r.Take(h)
	//lint:ignore SA1008 the fake sends the name in lower case on purpose
	if h["x-limit"] == nil || h["X-Limit"] != nil {
		t.Fatalf("lower case: %v", h)
	}
	r.SetOmitHeaders(true)
	h = http.Header{}
	r.Take(h)
	if len(h) != 0 {
		t.Fatalf("omitted: %v", h)
	}
	e := NewRate(RateConfig{Limit: 5, Window: time.Hour, Now: clk.now, Headers: RateHeaders{Reset: "Reset", ResetEpoch: true}})
	h = http.Header{}
	e.Take(h)
	if want := clk.now().Truncate(time.Hour).Add(time.Hour).Unix(); h.Get("Reset") != strconv.FormatInt(want, 10) {
		t.Fatalf("epoch reset %v, want %d", h, want)
	}
}

// A sliding window counts the last Window of requests and says when the
// oldest leaves it; a negative limit is unlimited and sends no headers.
func TestRateSliding(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 5, 15, 4, 5, 0, time.UTC)}
	r := NewRate(RateConfig{Limit: 2, Window: time.Minute, Sliding: true, Now: clk.now})
	r.Take(nil)
	clk.add(20 * time.Second)
	r.Take(nil)
	if ok, wait := r.Take(nil); ok || wait != 40*time.Second {
		t.Fatalf("full: %v %v", ok, wait)
	}
	clk.add(40 * time.Second)
	if ok, _ := r.Take(nil); !ok {
		t.Fatal("the oldest left the window")
	}
	r.Set(-1, 0)
	h := http.Header{}
	for range 10 {
		if ok, _ := r.Take(h); !ok {
			t.Fatal("unlimited refused")
		}
	}
	if len(h) != 0 {
		t.Fatalf("headers without names: %v", h)
	}
}

// A settled day is made once per process, shared by fakes on different
// clocks, and agrees with the demo; today follows the clock.
func TestPersonaSharesSettledDays(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 5, 15, 4, 5, 0, time.UTC)}
	a, err := NewPersona("runner", "a", clk.now)
	if err != nil {
		t.Fatal(err)
	}
	later := func() time.Time { return clk.now().Add(48 * time.Hour) }
	b, _ := NewPersona("runner", "b", later)
	ctx := context.Background()
	day := a.Today().AddDays(-3)
	ma, mb := a.Minutes(ctx, day), b.Minutes(ctx, day)
	if len(ma.Steps) == 0 || &ma.Steps[0] != &mb.Steps[0] || &ma.HeartSum[0] != &mb.HeartSum[0] {
		t.Fatal("a settled day was made twice")
	}
	want, _ := a.Demo.DaySummary(ctx, day)
	if a.Summary(ctx, day) != want || b.Summary(ctx, day) != want {
		t.Fatalf("summary %+v, demo %+v", a.Summary(ctx, day), want)
	}
	if _, err := NewPersona("nobody", "x", nil); err == nil {
		t.Error("unknown persona accepted")
	}
	today := a.Today()
	before := a.Summary(ctx, today)
	clk.add(time.Hour)
	after := a.Summary(ctx, today)
	dm, _ := a.Demo.DaySummary(ctx, today)
	if after == before || after != dm || len(a.Minutes(ctx, today).Steps) != 16*60+4 {
		t.Fatalf("today did not follow the clock: %+v then %+v (%d minutes)", before, after, len(a.Minutes(ctx, today).Steps))
	}
	if a.Name() != "runner" || a.Loc.String() != "Europe/London" || !a.Now().Equal(clk.now()) ||
		a.Profile(ctx).DisplayName == "" || len(a.Sleep(ctx, day, day)) == 0 || len(a.Daily(ctx, day, day)) != 1 ||
		len(a.Intraday(ctx, day).HeartRate.Samples) != 86400 {
		t.Error("persona accessors")
	}
}

// Break names the fault with the fake's own kind; n = 0 breaks nothing.
func TestBreak(t *testing.T) {
	s := start(t, func(w http.ResponseWriter, r *http.Request) {}, nil)
	s.Break("/x", 7, 0, Fault{Stall: true})
	if _, ok := s.TakeFault("/x"); ok {
		t.Fatal("n = 0 broke something")
	}
	s.Break("/x", 7, 2, Fault{Stall: true})
	for range 2 {
		if f, ok := s.TakeFault("/x/y"); !ok || f.Kind != 7 || !f.Stall || f.Path != "/x" {
			t.Fatalf("%+v %v", f, ok)
		}
	}
	if _, ok := s.TakeFault("/x"); ok {
		t.Fatal("broke more than n answers")
	}
}
