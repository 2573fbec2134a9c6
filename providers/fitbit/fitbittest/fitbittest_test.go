package fitbittest

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers/providertest"
)

var t0 = time.Date(2026, 3, 5, 15, 4, 5, 0, time.UTC)

func newFake(t *testing.T, cfg Config) *Server {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return t0 }
	}
	s := New(cfg)
	t.Cleanup(s.Close)
	return s
}

func get(t *testing.T, s *Server, path, token string) (*http.Response, string) {
	t.Helper()
	status, h, b := providertest.Do(t, "GET", s.URL+path, token, "", nil)
	return &http.Response{StatusCode: status, Header: h}, string(b)
}

func errorType(t *testing.T, body string) string {
	t.Helper()
	var e struct {
		Errors []struct{ ErrorType string } `json:"errors"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || len(e.Errors) == 0 {
		t.Fatalf("not a Fitbit error body: %q", body)
	}
	return e.Errors[0].ErrorType
}

func TestStartLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", "example.com:0", "nonsense"} {
		if s, err := Start(Config{}, addr); err == nil {
			s.Close()
			t.Errorf("listened on %s", addr)
		}
	}
}

func TestBearerAndRateHeadersOnEveryResponse(t *testing.T) {
	s := newFake(t, Config{})
	tok := s.Grant().AccessToken
	cases := []struct {
		path, token string
		status      int
		errType     string
	}{
		{"/1/user/-/profile.json", tok, 200, ""},
		{"/1/user/-/profile.json", "", 401, "invalid_client"},
		{"/1/user/-/profile.json", "made-up", 401, "invalid_token"},
		{"/1/user/-/nothing.json", tok, 404, "not_found"},
		{"/1/user/-/activities/steps/date/2026-01-01/2026-03-05.json", tok, 200, ""},
		{"/1/user/-/body/log/weight/date/2026-01-01/2026-03-05.json", tok, 400, "validation"}, // > 31 days
		{"/1.2/user/-/sleep/date/2025-01-01/2026-03-05.json", tok, 400, "validation"},         // > 100 days
		{"/1/user/-/activities/steps/date/2026-03-05/2026-03-01.json", tok, 400, "validation"},
		{"/1/user/-/activities/heart/date/today/1d/2min.json", tok, 400, "validation"},
		{"/1/user/OTHER/profile.json", tok, 403, "insufficient_permissions"},
	}
	for i, c := range cases {
		resp, body := get(t, s, c.path, c.token)
		if resp.StatusCode != c.status {
			t.Fatalf("%s: %d, want %d (%s)", c.path, resp.StatusCode, c.status, body)
		}
		if c.errType != "" && errorType(t, body) != c.errType {
			t.Fatalf("%s: error %s, want %s", c.path, errorType(t, body), c.errType)
		}
		h := resp.Header
		if h.Get("Fitbit-Rate-Limit-Limit") != "150" || h.Get("Fitbit-Rate-Limit-Remaining") != itoa(150-i-1) ||
			h.Get("Fitbit-Rate-Limit-Reset") != "3355" { // 55 min 55 s to 16:00
			t.Fatalf("%s: rate headers %v", c.path, h)
		}
	}
	if got := s.APIRequests(""); got != len(cases) {
		t.Fatalf("logged %d requests", got)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestRateLimitExhausted(t *testing.T) {
	clock := t0
	s := newFake(t, Config{RateLimit: 3, Now: func() time.Time { return clock }})
	tok := s.Grant().AccessToken
	for i := range 3 {
		if resp, _ := get(t, s, "/1/user/-/profile.json", tok); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d", i, resp.StatusCode)
		}
	}
	resp, body := get(t, s, "/1/user/-/profile.json", tok)
	if resp.StatusCode != 429 || errorType(t, body) != "system" || resp.Header.Get("Fitbit-Rate-Limit-Remaining") != "0" {
		t.Fatalf("4th request: %d %s %v", resp.StatusCode, body, resp.Header)
	}
	clock = clock.Add(time.Hour) // a new hour, a new budget
	if resp, _ := get(t, s, "/1/user/-/profile.json", tok); resp.StatusCode != 200 {
		t.Fatalf("after the hour: %d", resp.StatusCode)
	}
}

func TestExpiredVersusRevoked(t *testing.T) {
	s := newFake(t, Config{})
	p := s.Grant()
	s.ExpireTokens()
	_, body := get(t, s, "/1/user/-/profile.json", p.AccessToken)
	if errorType(t, body) != "expired_token" || !strings.Contains(body, "Access token expired: "+p.AccessToken) {
		t.Fatalf("expired: %s", body)
	}
	s.Revoke()
	_, body = get(t, s, "/1/user/-/profile.json", p.AccessToken)
	if errorType(t, body) != "invalid_token" {
		t.Fatalf("revoked: %s", body)
	}
}

func TestTokensRotate(t *testing.T) {
	s := newFake(t, Config{})
	tk := s.Tokens()
	old, _ := tk.AccessToken(context.Background())
	s.ExpireTokens()
	nt, err := tk.ForceRefresh(context.Background())
	if err != nil || nt == old {
		t.Fatalf("refresh: %v", err)
	}
	if resp, _ := get(t, s, "/1/user/-/profile.json", nt); resp.StatusCode != 200 {
		t.Fatalf("new token refused: %d", resp.StatusCode)
	}
	// The spent refresh token is dead (single use).
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt-reused"}, "client_id": {s.ClientID()}}
	resp, err := http.PostForm(s.TokenURL(), form)
	if err != nil || resp.StatusCode != 400 {
		t.Fatalf("bogus refresh: %v %v", err, resp.StatusCode)
	}
	resp.Body.Close()
	if s.OAuth.Counts().Refresh != 2 {
		t.Fatalf("refresh count %d", s.OAuth.Counts().Refresh)
	}
}

// TestLoginThroughFake plays a whole authorization-code + PKCE sign-in
// against the fake's /oauth2 endpoints.
func TestLoginThroughFake(t *testing.T) {
	s := newFake(t, Config{})
	verifier := strings.Repeat("v", 50)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{
		"client_id": {s.ClientID()}, "response_type": {"code"}, "redirect_uri": {DefaultRedirectURI},
		"scope": {"activity heartrate profile"}, "state": {"st"}, "code_challenge_method": {"S256"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])},
	}
	// Approve goes through the fake's handler; it sees the /oauth2 path.
	loc, err := s.OAuth.Approve(context.Background(), s.AuthURL()+"?"+q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(loc)
	if u.Query().Get("state") != "st" || u.Fragment != "_=_" {
		t.Fatalf("redirect %s", loc)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {u.Query().Get("code")},
		"redirect_uri": {DefaultRedirectURI}, "code_verifier": {verifier}, "client_id": {s.ClientID()}}
	resp, err := http.PostForm(s.TokenURL(), form)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("exchange: %v %v", err, resp.StatusCode)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		UserID      string `json:"user_id"`
		ExpiresIn   int    `json:"expires_in"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if tok.UserID != EncodedUserID || tok.ExpiresIn != 28800 {
		t.Fatalf("token answer %+v", tok)
	}
	if r, _ := get(t, s, "/1/user/-/profile.json", tok.AccessToken); r.StatusCode != 200 {
		t.Fatalf("API with the new token: %d", r.StatusCode)
	}
	if s.OAuth.Counts().Exchange != 1 || s.APIRequests("") != 1 {
		t.Fatalf("counts %+v", s.OAuth.Counts())
	}
}

func TestGoneEverywhere(t *testing.T) {
	s := newFake(t, Config{})
	tok := s.Grant().AccessToken
	s.SetGone(true)
	for _, p := range []string{"/1/user/-/profile.json", "/oauth2/authorize", "/1.2/user/-/sleep/date/today.json"} {
		if resp, _ := get(t, s, p, tok); resp.StatusCode != http.StatusGone {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
	}
}

func TestUSUnitsAndWireShapes(t *testing.T) {
	s := newFake(t, Config{})
	tok := s.Grant().AccessToken
	req, _ := http.NewRequest("GET", s.URL+"/1/user/-/body/log/weight/date/2026-03-01/2026-03-05.json", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept-Language", "en_US")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	_, metric := get(t, s, "/1/user/-/body/log/weight/date/2026-03-01/2026-03-05.json", tok)
	var us, kg struct {
		Weight []struct {
			Weight float64
			LogID  json.Number `json:"logId"`
		}
	}
	json.Unmarshal(b, &us)
	json.Unmarshal([]byte(metric), &kg)
	if len(us.Weight) == 0 || us.Weight[0].Weight < kg.Weight[0].Weight*2.2 || us.Weight[0].LogID != kg.Weight[0].LogID {
		t.Fatalf("en_US %s vs metric %s", b, metric)
	}
	// Series values are strings; the devices answer is a bare array.
	_, series := get(t, s, "/1/user/-/activities/steps/date/2026-03-04/2026-03-05.json", tok)
	if !strings.Contains(series, `"value":"`) {
		t.Fatalf("series %s", series)
	}
	_, devs := get(t, s, "/1/user/-/devices.json", tok)
	if !strings.HasPrefix(devs, "[") {
		t.Fatalf("devices %s", devs)
	}
}
