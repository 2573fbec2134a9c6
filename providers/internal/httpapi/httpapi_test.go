package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/providertest"
)

// fakeTokens hands out "tok-N" and counts calls.
type fakeTokens struct {
	mu       sync.Mutex
	n        int
	gets     int
	refreshs int
	err      error
}

func (f *fakeTokens) AccessToken(context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	if f.err != nil {
		return "", f.err
	}
	return fmt.Sprintf("tok-%d", f.n), nil
}

func (f *fakeTokens) ForceRefresh(context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refreshs++
	f.n++
	return fmt.Sprintf("tok-%d", f.n), nil
}

var t0 = time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)

func newClient(t *testing.T, h http.HandlerFunc) (*Client, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &Client{Provider: "test", Account: "me", BaseURL: srv.URL, HTTP: srv.Client(),
		Now: func() time.Time { return t0 }}, srv
}

var kindOf = providertest.MustKind

func TestURLJoin(t *testing.T) {
	c := &Client{Provider: "p", BaseURL: "http://h:1/api/"}
	got, err := c.URL("/1/user/-/profile.json", url.Values{"a": {"1 2"}})
	if err != nil || got != "http://h:1/api/1/user/-/profile.json?a=1+2" {
		t.Fatalf("URL = %q, %v", got, err)
	}
	c.BaseURL = "http://h:1"
	if got, _ := c.URL("x/y.json", nil); got != "http://h:1/x/y.json" {
		t.Fatalf("URL = %q", got)
	}
	for _, bad := range []string{"", "h:1", "ftp://h/", "/relative", "http://"} {
		c.BaseURL = bad
		if _, err := c.URL("x", nil); err == nil {
			t.Errorf("base %q accepted", bad)
		}
	}
}

func TestHeadersAndJSON(t *testing.T) {
	tokens := &fakeTokens{}
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-0" || r.Header.Get("Accept-Language") != "fr_FR" ||
			r.Header.Get("Accept") != "application/json" || r.URL.Path != "/v/x.json" || r.URL.Query().Get("q") != "1" {
			http.Error(w, "bad request "+fmt.Sprint(r.Header, r.URL), 400)
			return
		}
		fmt.Fprint(w, `{"n": 3, "s": "x", "extra": true}`)
	})
	c.Tokens = tokens
	c.Header = http.Header{"Accept-Language": {"fr_FR"}}
	var v struct {
		N int
		S string
	}
	if err := c.GetJSON(context.Background(), "v/x.json", url.Values{"q": {"1"}}, "thing", &v); err != nil {
		t.Fatal(err)
	}
	if v.N != 3 || v.S != "x" {
		t.Fatalf("decoded %+v", v)
	}
}

func TestDecodeErrors(t *testing.T) {
	type T struct {
		N int `json:"n"`
	}
	for _, tc := range []struct{ body, want string }{
		{``, "empty response"},
		{`{"n": 1`, "truncated JSON"},
		{`{"n": }`, "malformed JSON at byte"},
		{`{"n": "12"}`, "field n is a JSON string, expected int"},
		{`[1]`, "top level"},
		{`<html>`, "malformed JSON"},
	} {
		var v T
		err := Decode("p", []byte(tc.body), "Widget list", &v)
		pe := kindOf(t, err, providers.KindBadData)
		if !strings.Contains(err.Error(), tc.want) || !strings.Contains(pe.Message, "Widget list") {
			t.Errorf("body %q: %v, want %q and the name", tc.body, err, tc.want)
		}
	}
}

func TestTimeoutStalledServer(t *testing.T) {
	release := make(chan struct{})
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c.Timeout = 50 * time.Millisecond
	_, err := c.Get(context.Background(), "x", nil)
	kindOf(t, err, providers.KindUnreachable)
	if !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Fatalf("err = %v", err)
	}
}

func TestTimeoutStalledBody(t *testing.T) {
	release := make(chan struct{})
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"a":`))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c.Timeout = 50 * time.Millisecond
	_, err := c.Get(context.Background(), "x", nil)
	kindOf(t, err, providers.KindUnreachable)
}

func TestCallerCancelIsNotUnreachable(t *testing.T) {
	release, arrived := make(chan struct{}), make(chan struct{}, 1)
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }() // cancelled while the server holds the request
	_, err := c.Get(ctx, "x", nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if _, ok := providers.AsError(err); ok {
		t.Fatalf("caller's cancel reported as a provider error: %v", err)
	}
}

func TestBodyCap(t *testing.T) {
	size := 100
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", size)))
	})
	c.MaxBody = 100
	if r, err := c.Get(context.Background(), "x", nil); err != nil || len(r.Body) != 100 {
		t.Fatalf("body at the cap: %v", err)
	}
	size = 101
	_, err := c.Get(context.Background(), "x", nil)
	kindOf(t, err, providers.KindBadData)
	if !strings.Contains(err.Error(), "response too large") {
		t.Fatalf("err = %v", err)
	}
}

func TestDefaultCapIs8MiB(t *testing.T) {
	c := &Client{}
	if c.maxBody() != 8<<20 || c.timeout() != 30*time.Second {
		t.Fatal("defaults changed")
	}
}

func TestStatusMapping(t *testing.T) {
	status := 0
	header := http.Header{}
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
	})
	cases := []struct {
		status int
		kind   providers.ErrorKind
	}{
		{500, providers.KindUnreachable}, {502, providers.KindUnreachable}, {503, providers.KindUnreachable},
		{408, providers.KindUnreachable}, {401, providers.KindSignIn}, {410, providers.KindGone},
		{404, providers.KindUnknown}, {400, providers.KindUnknown}, {429, providers.KindRateLimited},
	}
	for _, tc := range cases {
		status = tc.status
		_, err := c.Get(context.Background(), "x", nil)
		kindOf(t, err, tc.kind)
	}
	status = 429
	for _, tc := range []struct {
		v    string
		want time.Duration
	}{
		{"120", 120 * time.Second}, {"", DefaultBackoff}, {"soon", DefaultBackoff},
		{"99999999", MaxBackoff}, {"-5", DefaultBackoff}, {"0", MinBackoff},
		{t0.Add(5 * time.Minute).Format(http.TimeFormat), 5 * time.Minute},
	} {
		header.Set("Retry-After", tc.v)
		_, err := c.Get(context.Background(), "x", nil)
		pe := kindOf(t, err, providers.KindRateLimited)
		if got := pe.RetryAt.Sub(t0); got != tc.want {
			t.Errorf("Retry-After %q: wait %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	c := &Client{Provider: "p", BaseURL: base}
	_, err := c.Get(context.Background(), "x", nil)
	kindOf(t, err, providers.KindUnreachable)
}

func TestExpiredRefreshRetryOnce(t *testing.T) {
	tokens := &fakeTokens{}
	var hits atomic.Int32
	valid := "tok-1"
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != "Bearer "+valid {
			w.WriteHeader(401)
			fmt.Fprint(w, "expired")
			return
		}
		fmt.Fprint(w, "{}")
	})
	c.Tokens = tokens
	var observed []int
	c.Observe = func(r *Response) { observed = append(observed, r.Status) }
	c.Expired = func(r *Response) bool { return string(r.Body) == "expired" }
	r, err := c.Get(context.Background(), "x", nil)
	if err != nil || r.Attempt != 2 {
		t.Fatalf("after refresh: %v, %+v", err, r)
	}
	if hits.Load() != 2 || tokens.refreshs != 1 || fmt.Sprint(observed) != "[401 200]" {
		t.Fatalf("hits %d refreshes %d observed %v", hits.Load(), tokens.refreshs, observed)
	}

	// Still 401 after the refresh: no third attempt, sign in.
	valid = "never"
	hits.Store(0)
	_, err = c.Get(context.Background(), "x", nil)
	kindOf(t, err, providers.KindSignIn)
	if hits.Load() != 2 || tokens.refreshs != 2 {
		t.Fatalf("hits %d refreshes %d", hits.Load(), tokens.refreshs)
	}
	if strings.Contains(err.Error(), "tok-") {
		t.Fatalf("token in error: %v", err)
	}

	// A 401 that Expired rejects is not retried.
	c.Expired = func(*Response) bool { return false }
	hits.Store(0)
	_, err = c.Get(context.Background(), "x", nil)
	kindOf(t, err, providers.KindSignIn)
	if hits.Load() != 1 || tokens.refreshs != 2 {
		t.Fatalf("hits %d refreshes %d", hits.Load(), tokens.refreshs)
	}
}

func TestTokenSourceErrorPassesThrough(t *testing.T) {
	var hits atomic.Int32
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
	c.Tokens = &fakeTokens{err: providers.ErrSignIn("test", "me", errors.New("refresh token revoked"))}
	_, err := c.Get(context.Background(), "x", nil)
	kindOf(t, err, providers.KindSignIn)
	c.Tokens = &fakeTokens{err: errors.New("dial tcp: no route")}
	_, err = c.Get(context.Background(), "x", nil)
	kindOf(t, err, providers.KindUnreachable)
	if hits.Load() != 0 {
		t.Fatal("request sent without a token")
	}
}

func TestCheckHook(t *testing.T) {
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(403)
		fmt.Fprint(w, `special`)
	})
	sentinel := errors.New("special")
	c.Check = func(r *Response) error {
		if string(r.Body) == "special" {
			return &providers.Error{Kind: providers.KindBadData, Provider: "test", Err: sentinel}
		}
		return nil
	}
	_, err := c.Get(context.Background(), "x", nil)
	if !errors.Is(err, sentinel) {
		t.Fatalf("err = %v", err)
	}
	c.Check = func(*Response) error { return nil } // falls back
	_, err = c.Get(context.Background(), "x", nil)
	kindOf(t, err, providers.KindUnknown)
	if !strings.Contains(err.Error(), "HTTP 403") {
		t.Fatalf("err = %v", err)
	}
}

func TestResetParsers(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want time.Duration
	}{
		{"1800", 30 * time.Minute}, {"", DefaultBackoff}, {"abc", DefaultBackoff}, {"NaN", DefaultBackoff},
		{"Inf", DefaultBackoff}, {"1e300", MaxBackoff}, {"-1", DefaultBackoff}, {"0", MinBackoff}, {" 90 ", 90 * time.Second},
	} {
		if got := ResetIn(tc.v, t0).Sub(t0); got != tc.want {
			t.Errorf("ResetIn(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
	epoch := func(d time.Duration) string { return fmt.Sprint(t0.Add(d).Unix()) }
	for _, tc := range []struct {
		v    string
		want time.Duration
	}{
		{epoch(10 * time.Minute), 10 * time.Minute}, {epoch(-time.Hour), MinBackoff}, {epoch(48 * time.Hour), MaxBackoff},
		{"x", DefaultBackoff}, {"", DefaultBackoff}, {"1e20", DefaultBackoff},
	} {
		if got := ResetAt(tc.v, t0).Sub(t0); got != tc.want {
			t.Errorf("ResetAt(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestGroupLimitAndFirstError(t *testing.T) {
	g, _ := NewGroup(context.Background(), 3)
	var cur, peak atomic.Int32
	entered, release := make(chan struct{}, 20), make(chan struct{})
	for range 20 {
		g.Go(func(ctx context.Context) error {
			n := cur.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			entered <- struct{}{}
			<-release // hold the slot until three are in
			cur.Add(-1)
			return nil
		})
	}
	for range 3 {
		<-entered
	}
	close(release)
	if err := g.Wait(); err != nil || peak.Load() != 3 {
		t.Fatalf("err %v, peak %d (want 3)", err, peak.Load())
	}

	g, gctx := NewGroup(context.Background(), 2)
	boom := errors.New("boom")
	var ran atomic.Int32
	g.Go(func(ctx context.Context) error {
		<-ctx.Done() // cancelled by the failure below
		return ctx.Err()
	})
	g.Go(func(ctx context.Context) error { return boom })
	<-gctx.Done()
	for range 10 {
		g.Go(func(ctx context.Context) error { ran.Add(1); return nil })
	}
	if err := g.Wait(); err != boom {
		t.Fatalf("Wait = %v, want boom", err)
	}
	if ran.Load() != 0 {
		t.Fatalf("%d tasks ran after the group failed", ran.Load())
	}
}

func TestGroupNested(t *testing.T) {
	g, _ := NewGroup(context.Background(), 1)
	var n atomic.Int32
	g.Go(func(ctx context.Context) error {
		g.Go(func(ctx context.Context) error { n.Add(1); return nil }) // must not deadlock
		n.Add(1)
		return nil
	})
	if err := g.Wait(); err != nil || n.Load() != 2 {
		t.Fatalf("err %v n %d", err, n.Load())
	}
}

func TestMaxInFlight(t *testing.T) {
	var cur, peak atomic.Int32
	entered, release := make(chan struct{}, 12), make(chan struct{})
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		entered <- struct{}{}
		<-release // hold the request until two are in
		cur.Add(-1)
	})
	c.MaxInFlight = 2
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() {
			if _, err := c.Get(context.Background(), "x", nil); err != nil {
				t.Error(err)
			}
		})
	}
	for range 2 {
		<-entered
	}
	close(release)
	wg.Wait()
	if peak.Load() != 2 {
		t.Fatalf("peak in flight %d, want 2", peak.Load())
	}
}

// TestConcurrentExpiryRefreshesOnce: requests that all find the token
// expired share one refresh (single-use refresh tokens would otherwise be
// spent several times).
func TestConcurrentExpiryRefreshesOnce(t *testing.T) {
	tokens := &fakeTokens{}
	gate := make(chan struct{})
	var arrived atomic.Int32
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "Bearer tok-0" {
			if arrived.Add(1) == 8 {
				close(gate)
			}
			<-gate // every request holds the old token before any refresh
			w.WriteHeader(401)
			fmt.Fprint(w, "expired")
			return
		}
		fmt.Fprint(w, "{}")
	})
	c.Tokens = tokens
	c.Expired = func(r *Response) bool { return string(r.Body) == "expired" }
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.Get(context.Background(), "x", nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if tokens.refreshs != 1 {
		t.Fatalf("%d refreshes, want 1", tokens.refreshs)
	}
}
