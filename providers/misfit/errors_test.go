package misfit

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
	"github.com/fittui/fittui/providers/misfit/misfittest"
	"github.com/fittui/fittui/providers/providertest"
)

// Every documented error answer maps to the kind that says what to do,
// whichever spelling the body uses, and no message carries a secret.
func TestErrorKinds(t *testing.T) {
	for _, c := range []struct {
		name  string
		fault misfittest.Fault
		kind  providers.ErrorKind
		text  string
	}{
		{"bad gateway", misfittest.FaultBadGateway, providers.KindUnreachable, "HTTP 502: Bad Gateway"},
		{"plain text 503", misfittest.FaultPlainText5xx, providers.KindUnreachable, "HTTP 503: Service Unavailable"},
		{"code 401 in a 400", misfittest.FaultCodeInBody, providers.KindSignIn, "HTTP 400 (code 401): Invalid Access Token"},
		{"code 429 in a 400", misfittest.FaultRateInBody, providers.KindRateLimited, "Rate limit exceeded"},
		{"malformed", misfittest.FaultMalformed, providers.KindBadData, "daily summary"},
		{"wrong types", misfittest.FaultWrongTypes, providers.KindBadData, "daily summary"},
		{"missing", misfittest.FaultMissing, providers.KindBadData, `no "summary" array`},
		{"token echoed", misfittest.FaultEchoToken, providers.KindUnknown, "Invalid parameters for token [redacted]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := setup(t, "office")
			e.p.Profile(ctx(t))
			e.fake.SetFault("/summary", c.fault, -1)
			_, err := e.p.DaySummary(ctx(t), e.today)
			mustKind(t, err, c.kind)
			if !strings.Contains(err.Error(), c.text) {
				t.Errorf("message %q lacks %q", err, c.text)
			}
			providertest.NoSecrets(t, e.fake.Secrets(), err.Error())
		})
	}
}

func TestSignInErrors(t *testing.T) {
	// Revoked: 401 {"code":401,...}; no refresh token: sign in again.
	e := setup(t, "office")
	e.fake.Revoke()
	_, err := e.p.Profile(ctx(t))
	pe := mustKind(t, err, providers.KindSignIn)
	if !strings.Contains(pe.Message, "fittui auth login misfit --account") {
		t.Errorf("message %q", pe.Message)
	}
	providertest.NoSecrets(t, e.fake.Secrets(), err.Error())
	// 403 {"error_code":403,...} for another user's data.
	e = setup(t, "office")
	if _, err := e.p.api.Get(ctx(t), "/move/resource/v1/user/51a0000000000000000000ff/profile", nil); err == nil {
		t.Fatal("other user's profile")
	} else {
		mustKind(t, err, providers.KindSignIn)
		if !strings.Contains(err.Error(), "allow every permission") {
			t.Errorf("403: %v", err)
		}
	}
}

// A 401 on a token the server expired is refreshed once and retried, when
// the server gave a refresh token.
func TestExpiredTokenRefreshedAndRetried(t *testing.T) {
	e := setupWith(t, misfittest.Config{Persona: "office", RefreshTokens: true, AccessTTL: time.Hour}, nil)
	e.fake.OAuth.Advance(2 * time.Hour) // the access token has expired
	prof, err := e.p.Profile(ctx(t))
	if err != nil || prof.DisplayName == "" {
		t.Fatalf("%+v %v", prof, err)
	}
	if n := e.tokens.Refreshes(); n != 1 {
		t.Errorf("%d refreshes (three requests failed at once; one refresh serves them)", n)
	}
	var retried int
	for _, r := range e.fake.Requests() {
		if r.Status == 401 {
			retried++
		}
	}
	if retried == 0 || retried > 3 {
		t.Errorf("%d refused requests", retried)
	}
	// Without a refresh token: one try at refreshing, then sign in again.
	e = setup(t, "office")
	e.fake.OAuth.Advance(11 * 365 * 24 * time.Hour)
	_, err = e.p.Profile(ctx(t))
	mustKind(t, err, providers.KindSignIn)
}

func TestRateLimited(t *testing.T) {
	for _, lower := range []bool{false, true} {
		e := setup(t, "office")
		e.fake.SetLowerCaseRateHeaders(lower)
		// The rate headers, read by the descriptor's names, go to
		// Env.OnRate (the shared budget listens there).
		var observed []providers.RateReading
		listening := true
		p, err := New(providers.AccountSpec{Name: "me", Provider: Name}, providers.Env{Now: e.clock.Now, Tokens: e.tokens, APIURL: e.fake.URL,
			OnRate: func(rd providers.RateReading) {
				if listening {
					observed = append(observed, rd)
				}
			}})
		if err != nil {
			t.Fatal(err)
		}
		e.p = p
		if _, err := e.p.User(ctx(t)); err != nil {
			t.Fatal(err)
		}
		reset := t0.Truncate(time.Hour).Add(time.Hour)
		if len(observed) != 1 || observed[0].Limit != 150 || observed[0].Remaining != 149 || !observed[0].Reset.Equal(reset) {
			t.Fatalf("lower %v: observed %+v", lower, observed)
		}
		// The budget runs out: 429 until the epoch reset, and no request
		// goes out before then.
		e.fake.SetRateLimit(150, 150)
		listening = false
		_, err = e.p.Profile(ctx(t))
		pe := mustKind(t, err, providers.KindRateLimited)
		if !pe.RetryAt.Equal(reset) || !strings.Contains(err.Error(), "Rate limit exceeded") {
			t.Errorf("retry at %v, want %v: %v", pe.RetryAt, reset, err)
		}
		n := e.fake.APIRequests("")
		_, err = e.p.DaySummary(ctx(t), e.today)
		mustKind(t, err, providers.KindRateLimited)
		if e.fake.APIRequests("") != n {
			t.Error("asked again while rate limited")
		}
		// After the reset the provider asks again.
		e.clock.Advance(time.Hour)
		if _, err := e.p.Profile(ctx(t)); err != nil {
			t.Fatalf("after reset: %v", err)
		}
	}
}

func TestRateHeaderParsing(t *testing.T) {
	e := setup(t, "office")
	now := t0
	for _, c := range []struct {
		h         http.Header
		limit     int
		remaining int
		reset     time.Time
		known     bool
	}{
		{http.Header{"X-Ratelimit-Limit": {"150"}, "X-Ratelimit-Remaining": {"148"}, "X-Ratelimit-Reset": {strconv.FormatInt(now.Add(20*time.Minute).Unix(), 10)}},
			150, 148, now.Add(20 * time.Minute), true},
		// A reset in the past or far away is clamped; garbage means the default wait.
		{http.Header{"X-Ratelimit-Remaining": {"3"}, "X-Ratelimit-Reset": {"12"}}, -1, 3, now.Add(httpapi.MinBackoff), true},
		{http.Header{"X-Ratelimit-Limit": {"150"}, "X-Ratelimit-Reset": {"soon"}}, 150, -1, now.Add(httpapi.DefaultBackoff), true},
		{http.Header{"X-Ratelimit-Limit": {"150"}, "X-Ratelimit-Remaining": {"1"}, "X-Ratelimit-Reset": {strconv.FormatInt(now.Add(48*time.Hour).Unix(), 10)}},
			150, 1, now.Add(httpapi.MaxBackoff), true},
		{http.Header{"X-Ratelimit-Limit": {"x"}}, 0, 0, time.Time{}, false},
	} {
		// The one rate-header reader, with Misfit's descriptor.
		rl, known := httpapi.ReadRate(c.h, registration.Rate.Headers, now)
		if known != c.known || c.known && (rl.Limit != c.limit || rl.Remaining != c.remaining || !rl.Reset.Equal(c.reset)) {
			t.Errorf("%v: %+v", c.h, rl)
		}
	}
	// No headers at all: nothing known, nothing observed.
	var observed int
	p, err := New(providers.AccountSpec{Name: "me", Provider: Name}, providers.Env{Now: e.clock.Now, Tokens: e.tokens, APIURL: e.fake.URL,
		OnRate: func(providers.RateReading) { observed++ }})
	if err != nil {
		t.Fatal(err)
	}
	e.fake.SetOmitRateHeaders(true)
	p.User(ctx(t))
	if observed != 0 {
		t.Error("headers invented")
	}
}

func TestRangeTooLongIsRefused(t *testing.T) {
	// The fake enforces the documented limit with the documented body;
	// the provider never sends such a request (see the split test).
	e := setup(t, "office")
	tok, _ := e.tokens.AccessToken(ctx(t))
	req, _ := http.NewRequest("GET", e.fake.URL+"/move/resource/v1/user/me/activity/summary?detail=true&start_date=2026-01-01&end_date=2026-02-01", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("32 days: %d", resp.StatusCode)
	}
	_, err = e.p.api.Get(ctx(t), resourceRoot+pathSummary, rangeQuery(providers.Date{Year: 2026, Month: 1, Day: 1}, providers.Date{Year: 2026, Month: 2, Day: 1}))
	pe := mustKind(t, err, providers.KindUnknown)
	if !strings.Contains(err.Error(), "HTTP 400: Invalid parameters") || !strings.Contains(pe.Message, "Misfit refused GET") {
		t.Errorf("400: %v", err)
	}
	// A plain-text 404.
	_, err = e.p.api.Get(ctx(t), "/move/resource/v1/user/me/nothing", nil)
	if !strings.Contains(err.Error(), "Cannot GET /move/resource/v1/user/me/nothing") {
		t.Errorf("404: %v", err)
	}
}

// The caller giving up is the caller's error, not the provider's. (The
// server stalling: the contract suite, TestContract.)
func TestCallerGivesUpOnAStalledServer(t *testing.T) {
	e := setup(t, "office")
	e.fake.SetFault("", misfittest.FaultStall, -1)
	c, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := e.p.DailySeries(c, e.today.AddDays(-60), e.today)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestUnreachable(t *testing.T) {
	e := setup(t, "office")
	e.fake.Close()
	_, err := e.p.Profile(ctx(t))
	mustKind(t, err, providers.KindUnreachable)
}

func TestAPIErrorParsing(t *testing.T) {
	for _, c := range []struct {
		status    int
		body      string
		effective int
		text      string
	}{
		{400, `{"error_message": "Invalid parameters"}`, 400, "HTTP 400: Invalid parameters"},
		{401, `{"code": 401, "message": "Invalid Access Token"}`, 401, "HTTP 401: Invalid Access Token"},
		{403, `{"error_code": 403, "error_message": "Forbidden"}`, 403, "HTTP 403: Forbidden"},
		{404, `Cannot GET /move/resource/v1/user/me/profile/404/`, 404, "HTTP 404: Cannot GET /move/resource/v1/user/me/profile/404/"},
		{400, `{"error_code": "429", "error_message": "Rate limit exceeded"}`, 429, "HTTP 400 (code 429): Rate limit exceeded"},
		{500, `{"code": 7, "message": "odd"}`, 500, "HTTP 500: odd"},
		{502, `<html><body>Bad Gateway</body></html>`, 502, "HTTP 502"},
		{400, `{"message": "bad token at-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA here"}`, 400, "HTTP 400: bad token [redacted] here"},
		{400, strings.Repeat("x ", 100), 400, "..."},
	} {
		ae := parseAPIError(c.status, []byte(c.body))
		if ae.Effective() != c.effective || !strings.Contains(ae.Error(), c.text) || strings.Contains(ae.Error(), "AAAAAAAAAAAAAAAA") || len(ae.Message) > 120 {
			t.Errorf("%d %s: %q (effective %d)", c.status, c.body, ae, ae.Effective())
		}
	}
}
