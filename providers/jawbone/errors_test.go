package jawbone

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/jawbone/jawbonetest"
	"github.com/fittui/fittui/providers/providertest"
)

func TestErrorKinds(t *testing.T) {
	cases := []struct {
		fault jawbonetest.Fault
		kind  providers.ErrorKind
		text  string
	}{
		{jawbonetest.FaultServerError, providers.KindUnreachable, "HTTP 500 server_error"},
		{jawbonetest.FaultMalformed, providers.KindBadData, "moves"},
		{jawbonetest.FaultNoData, providers.KindBadData, `no "data"`},
		{jawbonetest.FaultWrongTypes, providers.KindBadData, "moves"},
		{jawbonetest.FaultMetaError, providers.KindSignIn, "fittui auth login jawbone --account me"},
		{jawbonetest.FaultForeignNext, providers.KindBadData, "another server"},
		{jawbonetest.FaultRateLimited, providers.KindRateLimited, "rate limited"},
	}
	for _, c := range cases {
		e := setup(t, "office")
		if _, err := e.p.Profile(ctx(t)); err != nil {
			t.Fatal(err)
		}
		e.fake.SetFault("/moves", c.fault, -1)
		_, err := e.p.DaySummary(ctx(t), e.today.AddDays(-3))
		pe := mustKind(t, err, c.kind)
		if !strings.Contains(err.Error(), c.text) {
			t.Errorf("fault %d: %v", c.fault, err)
		}
		providertest.NoSecrets(t, e.fake.Secrets(), err.Error())
		if c.kind == providers.KindRateLimited {
			if d := pe.RetryAt.Sub(e.clock.Now()); d != 120*time.Second {
				t.Errorf("retry in %v, want 2m (Retry-After)", d)
			}
			// Until then nothing is sent: the call for today asks nothing.
			// (A page of the first call's block may still arrive: it was
			// on its way before the 429.)
			e.fake.ClearFaults()
			e.fresh()
			_, err := e.p.DaySummary(ctx(t), e.today)
			mustKind(t, err, providers.KindRateLimited)
			for _, r := range e.fake.APILog() {
				if r.Values().Get("date") == DateInt(e.today) {
					t.Errorf("a request while blocked: %+v", r)
				}
			}
			e.clock.Advance(121 * time.Second)
			if _, err := e.p.DaySummary(ctx(t), e.today); err != nil {
				t.Errorf("after the wait: %v", err)
			}
		}
	}
}

// A repeated links.next ends the walk (with what came) instead of looping.
func TestRepeatedNextLinkEnds(t *testing.T) {
	e := setupAt(t, "office", t0, 3)
	if _, err := e.p.Profile(ctx(t)); err != nil {
		t.Fatal(err)
	}
	e.fake.SetFault("/heartrates", jawbonetest.FaultRepeatNext, -1)
	e.fake.ResetLog()
	if _, err := e.p.RestingHeartRates(ctx(t), e.today.AddDays(-5), e.today.AddDays(-1)); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.APIRequests("/heartrates"); n != 2 {
		t.Fatalf("%d requests, want the first page and one repeat", n)
	}
}

func TestExpiredTokenRefreshesOnce(t *testing.T) {
	e := setup(t, "office")
	if _, err := e.p.Profile(ctx(t)); err != nil {
		t.Fatal(err)
	}
	e.fake.ExpireTokens()
	e.fresh()
	got, err := e.p.DaySummary(ctx(t), e.today)
	if err != nil {
		t.Fatal(err)
	}
	if got.Steps == 0 || e.tokens.Refreshes() != 1 {
		t.Fatalf("steps %d, %d refreshes", got.Steps, e.tokens.Refreshes())
	}
	if c := e.fake.OAuth.Counts(); c.Refresh != 1 {
		t.Fatalf("OAuth counts %+v", c)
	}
}

// After the app is disconnected (or access revoked) the token and its
// refresh token are dead: the refresh fails and the person must sign in.
func TestDisconnectedMeansSignIn(t *testing.T) {
	e := setup(t, "office")
	tok, _ := e.tokens.AccessToken(ctx(t))
	req, _ := http.NewRequest(http.MethodDelete, e.fake.RevokeURL(), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || e.fake.Disconnects() != 1 {
		t.Fatalf("disconnect: %d, %d", resp.StatusCode, e.fake.Disconnects())
	}
	_, err = e.p.Profile(ctx(t))
	mustKind(t, err, providers.KindSignIn)
	providertest.NoSecrets(t, e.fake.Secrets(), err.Error())
	// Profile's two requests each try one refresh at most.
	if n := e.tokens.Refreshes(); n < 1 || n > 2 {
		t.Fatalf("%d refreshes", n)
	}
}

// A stalled server times out as KindUnreachable: the contract suite
// (TestContract).

func TestAPIErrorMapping(t *testing.T) {
	p, _ := New(providers.AccountSpec{Name: "me"}, providers.Env{Now: func() time.Time { return t0 }})
	body := func(status int, typ string) []byte {
		b, _ := json.Marshal(map[string]any{"meta": map[string]any{"code": status, "error_type": typ,
			"error_detail": "token at-SECRET is bad", "message": "x"}, "data": map[string]any{}})
		return b
	}
	h := http.Header{}
	for _, c := range []struct {
		status int
		kind   providers.ErrorKind
	}{
		{401, providers.KindSignIn}, {403, providers.KindSignIn}, {410, providers.KindGone},
		{502, providers.KindUnreachable}, {408, providers.KindUnreachable}, {404, providers.KindUnknown},
		{429, providers.KindRateLimited},
	} {
		err := p.apiErr(parseError(c.status, body(c.status, "some_error")), h, "GET /users/@me")
		if providers.KindOf(err) != c.kind || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%d: %v", c.status, err)
		}
	}
	// X-RateLimit-Reset (epoch) when there is no Retry-After.
	h.Set("X-RateLimit-Reset", strconv.FormatInt(t0.Unix()+100, 10))
	pe, _ := providers.AsError(p.apiErr(parseError(429, nil), h, "GET /x"))
	if !pe.RetryAt.Equal(t0.Add(100 * time.Second)) {
		t.Errorf("retry at %v", pe.RetryAt)
	}
	// An error_type that is not a word is not repeated.
	if e := parseError(400, body(400, "<script>")); e.Type != "" || e.Error() != "HTTP 400" {
		t.Errorf("%q", e.Error())
	}
}

func TestFollowLinks(t *testing.T) {
	for _, c := range []struct{ base, next, path, query, err string }{
		{"https://jawbone.com/nudge/api/v.1.1", "/nudge/api/v.1.1/users/X/sleeps?page_token=1384390680&limit=10", "/users/X/sleeps", "limit=10&page_token=1384390680", ""},
		{"http://127.0.0.1:9/proxy/nudge/api/v.1.1", "/nudge/api/v.1.1/users/X/moves?page_token=1", "/users/X/moves", "page_token=1", ""},
		{"http://127.0.0.1:9/nudge/api/v.1.1", "users/@me/moves?page_token=2", "/users/@me/moves", "page_token=2", ""},
		{"https://jawbone.com/nudge/api/v.1.1", "https://jawbone.com/nudge/api/v.1.1/users/X/moves?page_token=3", "/users/X/moves", "page_token=3", ""},
		{"https://jawbone.com/nudge/api/v.1.1", "https://evil.example/nudge/api/v.1.1/users/X/moves", "", "", "another server"},
		{"https://jawbone.com/nudge/api/v.1.1", "//evil.example/nudge/api/v.1.1/users/X/moves", "", "", "another server"},
		{"https://jawbone.com/nudge/api/v.1.1", "/nudge/api/v.1.0/users/X/moves", "", "", "outside the API"},
		{"https://jawbone.com/nudge/api/v.1.1", "/nudge/api/v.1.1/../../../etc", "", "", "outside the API"},
	} {
		p, err := New(providers.AccountSpec{Name: "me"}, providers.Env{APIURL: c.base})
		if err != nil {
			t.Fatal(err)
		}
		path, q, err := p.follow(c.next, "moves")
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: %v", c.next, err)
			}
			continue
		}
		if err != nil || path != c.path || q.Encode() != c.query {
			t.Errorf("%s: %q %q %v", c.next, path, q.Encode(), err)
		}
	}
}
