package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// Header sets in the two styles providers use (a descriptor's names).
var (
	secondsUntil = providers.RateHeaders{Limit: "Acme-Rate-Limit", Remaining: "Acme-Rate-Remaining",
		Reset: "Acme-Rate-Reset", ResetAs: providers.ResetSecondsUntil}
	unixReset = providers.RateHeaders{Limit: "X-RateLimit-Limit", Remaining: "X-RateLimit-Remaining",
		Reset: "X-RateLimit-Reset", ResetAs: providers.ResetUnixSeconds}
)

func TestReadRate(t *testing.T) {
	epoch := func(d time.Duration) string { return strconv.FormatInt(t0.Add(d).Unix(), 10) }
	for _, tc := range []struct {
		name      string
		hs        providers.RateHeaders
		h         http.Header
		ok        bool
		limit     int
		remaining int
		reset     time.Time
	}{
		{"seconds until", secondsUntil, http.Header{"Acme-Rate-Limit": {"150"}, "Acme-Rate-Remaining": {"149"}, "Acme-Rate-Reset": {"3355"}},
			true, 150, 149, t0.Add(3355 * time.Second)},
		{"epoch", unixReset, http.Header{"X-Ratelimit-Limit": {"150"}, "X-Ratelimit-Remaining": {"148"}, "X-Ratelimit-Reset": {epoch(20 * time.Minute)}},
			true, 150, 148, t0.Add(20 * time.Minute)},
		// The seconds-until style does not read an epoch (and vice versa):
		// an epoch as seconds is clamped to the longest wait.
		{"epoch read as seconds", secondsUntil, http.Header{"Acme-Rate-Remaining": {"3"}, "Acme-Rate-Reset": {epoch(time.Minute)}},
			true, -1, 3, t0.Add(MaxBackoff)},
		{"reset in the past", unixReset, http.Header{"X-Ratelimit-Remaining": {"3"}, "X-Ratelimit-Reset": {"12"}}, true, -1, 3, t0.Add(MinBackoff)},
		{"garbage reset", unixReset, http.Header{"X-Ratelimit-Limit": {"150"}, "X-Ratelimit-Reset": {"soon"}}, true, 150, -1, t0.Add(DefaultBackoff)},
		{"no reset sent", secondsUntil, http.Header{"Acme-Rate-Remaining": {"7"}}, true, -1, 7, time.Time{}},
		{"negative count", unixReset, http.Header{"X-Ratelimit-Remaining": {"-4"}}, true, -1, -1, time.Time{}},
		{"garbage counts", unixReset, http.Header{"X-Ratelimit-Limit": {"x"}, "X-Ratelimit-Reset": {epoch(time.Minute)}}, false, 0, 0, time.Time{}},
		{"other provider's headers", secondsUntil, http.Header{"X-Ratelimit-Limit": {"150"}, "X-Ratelimit-Remaining": {"1"}}, false, 0, 0, time.Time{}},
		{"no headers named", providers.RateHeaders{}, http.Header{"X-Ratelimit-Remaining": {"1"}}, false, 0, 0, time.Time{}},
	} {
		rd, ok := ReadRate(tc.h, tc.hs, t0)
		if ok != tc.ok || ok && (rd.Limit != tc.limit || rd.Remaining != tc.remaining || !rd.Reset.Equal(tc.reset)) {
			t.Errorf("%s: %+v %v", tc.name, rd, ok)
		}
	}
}

func TestRetryAtFollowsTheDescriptor(t *testing.T) {
	h := http.Header{"Retry-After": {"30"}, "Acme-Rate-Reset": {"600"}, "X-Ratelimit-Reset": {strconv.FormatInt(t0.Add(5*time.Minute).Unix(), 10)}}
	trusting := unixReset
	trusting.TrustRetryAfter = true
	for _, tc := range []struct {
		name string
		hs   providers.RateHeaders
		h    http.Header
		want time.Duration
	}{
		{"reset trusted over Retry-After", secondsUntil, h, 10 * time.Minute},
		{"epoch reset", unixReset, h, 5 * time.Minute},
		{"Retry-After trusted", trusting, h, 30 * time.Second},
		{"trusted but absent: the reset", trusting, http.Header{"X-Ratelimit-Reset": h["X-Ratelimit-Reset"]}, 5 * time.Minute},
		{"no reset header named: Retry-After", providers.RateHeaders{}, h, 30 * time.Second},
		{"reset named but missing: the default", secondsUntil, http.Header{"Retry-After": {"30"}}, DefaultBackoff},
		{"nothing at all", providers.RateHeaders{}, http.Header{}, DefaultBackoff},
	} {
		if got := RetryAt(tc.h, tc.hs, t0).Sub(t0); got != tc.want {
			t.Errorf("%s: wait %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestClientReadsRateHeaders(t *testing.T) {
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Acme-Rate-Limit", "150")
		w.Header().Set("Acme-Rate-Remaining", "12")
		w.Header().Set("Acme-Rate-Reset", "60")
		if r.URL.Path == "/limited" {
			w.Header().Set("Retry-After", "5") // not trusted: the reset wins
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write([]byte(`{}`))
	})
	c.Rate = secondsUntil
	var seen []providers.RateReading
	c.OnRate = func(rd providers.RateReading) { seen = append(seen, rd) }
	if _, err := c.Get(context.Background(), "/ok", nil); err != nil {
		t.Fatal(err)
	}
	_, err := c.Get(context.Background(), "/limited", nil)
	pe := kindOf(t, err, providers.KindRateLimited)
	if !pe.RetryAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("429 wait until %v, want the reset header's %v", pe.RetryAt, t0.Add(time.Minute))
	}
	// Every answer that carries the headers is heard, the 429 too.
	if len(seen) != 2 || seen[0].Limit != 150 || seen[0].Remaining != 12 || !seen[0].Reset.Equal(t0.Add(time.Minute)) {
		t.Fatalf("readings %+v", seen)
	}
}

// refusing is a transport like the shared budget's when it is spent.
type refusing struct{ until time.Time }

func (r *refusing) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, &providers.BudgetSpentError{Until: r.until}
}

func TestSpentBudgetIsRateLimited(t *testing.T) {
	var hits atomic.Int32
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
	until := t0.Add(42 * time.Minute)
	c.HTTP = &http.Client{Transport: &refusing{until: until}}
	c.Tokens = &fakeTokens{}
	_, err := c.Get(context.Background(), "/x", nil)
	pe := kindOf(t, err, providers.KindRateLimited)
	if !pe.RetryAt.Equal(until) || pe.Provider != "test" || pe.Message != "request budget spent until 10:42" {
		t.Fatalf("%+v", pe)
	}
	var spent *providers.BudgetSpentError
	if errors.As(err, &spent) || hits.Load() != 0 {
		t.Fatalf("the refusal leaked (%v) or a request was sent (%d)", err, hits.Load())
	}
}
