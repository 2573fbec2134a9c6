package oauthtest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	redirect = "http://127.0.0.1:8484/callback"
	verifier = "verifier-verifier-verifier-verifier-verifier-1234"
)

func authURL(s *Server, redirectURI, challenge string) string {
	v := url.Values{
		"client_id":             {"cid"},
		"redirect_uri":          {redirectURI},
		"response_type":         {"code"},
		"scope":                 {"activity sleep"},
		"state":                 {"st4te"},
		"code_challenge":        {challenge},
		"code_challenge_method": {"S256"},
	}
	return s.AuthURL() + "?" + v.Encode()
}

type answer struct {
	Status int
	Body   map[string]any
}

func post(t *testing.T, s *Server, form url.Values, basic bool) answer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.TokenURL(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth("cid", "sec")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	data, _ := io.ReadAll(resp.Body)
	json.Unmarshal(data, &body)
	return answer{resp.StatusCode, body}
}

func codeFrom(t *testing.T, s *Server, redirectURI string) string {
	t.Helper()
	loc, err := s.Approve(context.Background(), authURL(s, redirectURI, challenge(verifier)))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(loc)
	if got := u.Query().Get("state"); got != "st4te" {
		t.Fatalf("state not echoed: %q", got)
	}
	return u.Query().Get("code")
}

func exchangeForm(code, redirectURI, v string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}, "code_verifier": {v}}
}

func TestAuthorizeChecksClientRedirectAndPKCE(t *testing.T) {
	s := New(Config{ClientID: "cid", ClientSecret: "sec", RedirectURIs: []string{redirect}})
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Approve(ctx, authURL(s, "http://127.0.0.1:8485/callback", challenge(verifier))); err == nil {
		t.Fatal("unregistered redirect URI accepted")
	}
	if _, err := s.Approve(ctx, authURL(s, redirect, "short")); err == nil {
		t.Fatal("bad challenge accepted")
	}
	if _, err := s.Approve(ctx, strings.Replace(authURL(s, redirect, challenge(verifier)), "S256", "plain", 1)); err == nil {
		t.Fatal("plain PKCE accepted")
	}
	loc, err := s.Approve(ctx, authURL(s, redirect, challenge(verifier)))
	if err != nil || !strings.HasPrefix(loc, redirect+"?") {
		t.Fatalf("approve: %q %v", loc, err)
	}
	s.Deny(true)
	loc, _ = s.Approve(ctx, authURL(s, redirect, challenge(verifier)))
	if u, _ := url.Parse(loc); u.Query().Get("error") != "access_denied" || u.Query().Get("code") != "" {
		t.Fatalf("denied redirect: %q", loc)
	}
	loop := New(Config{ClientID: "cid", LoopbackAnyPort: true})
	defer loop.Close()
	if _, err := loop.Approve(ctx, authURL(loop, "http://127.0.0.1:40000/callback", challenge(verifier))); err != nil {
		t.Fatalf("any-port loopback refused: %v", err)
	}
	if _, err := loop.Approve(ctx, authURL(loop, "http://evil.example:40000/callback", challenge(verifier))); err == nil {
		t.Fatal("non-loopback accepted with LoopbackAnyPort")
	}
}

func TestExchangeIsStrict(t *testing.T) {
	s := New(Config{ClientID: "cid", ClientSecret: "sec", ClientAuth: ClientAuthHeader, RedirectURIs: []string{redirect}, RotateRefresh: true})
	defer s.Close()

	// Wrong verifier: refused, and the code is spent.
	code := codeFrom(t, s, redirect)
	if a := post(t, s, exchangeForm(code, redirect, verifier+"x"), true); a.Status != 400 || a.Body["error"] != "invalid_grant" {
		t.Fatalf("wrong verifier: %+v", a)
	}
	if a := post(t, s, exchangeForm(code, redirect, verifier), true); a.Status != 400 {
		t.Fatalf("spent code reused: %+v", a)
	}
	// Redirect URI must match the authorize request's.
	code = codeFrom(t, s, redirect)
	if a := post(t, s, exchangeForm(code, redirect+"/", verifier), true); a.Status != 400 {
		t.Fatalf("different redirect accepted: %+v", a)
	}
	// Client auth the wrong way (form instead of header).
	code = codeFrom(t, s, redirect)
	f := exchangeForm(code, redirect, verifier)
	f.Set("client_id", "cid")
	f.Set("client_secret", "sec")
	if a := post(t, s, f, false); a.Status != 401 {
		t.Fatalf("form auth accepted by a header-only server: %+v", a)
	}
	// Expired code.
	code = codeFrom(t, s, redirect)
	s.Advance(11 * time.Minute)
	if a := post(t, s, exchangeForm(code, redirect, verifier), true); a.Status != 400 {
		t.Fatalf("expired code accepted: %+v", a)
	}
	// The good path, once.
	code = codeFrom(t, s, redirect)
	a := post(t, s, exchangeForm(code, redirect, verifier), true)
	if a.Status != 200 || a.Body["access_token"] == nil || a.Body["refresh_token"] == nil || a.Body["scope"] != "activity sleep" {
		t.Fatalf("exchange: %+v", a)
	}
	if a2 := post(t, s, exchangeForm(code, redirect, verifier), true); a2.Status != 400 {
		t.Fatalf("code used twice: %+v", a2)
	}
	if c := s.Counts(); c.Exchange != 7 || c.Authorize != 5 {
		t.Fatalf("counts %+v", c)
	}
}

func TestRefreshRotationAndFailures(t *testing.T) {
	s := New(Config{ClientID: "cid", ClientSecret: "sec", RotateRefresh: true, FitbitErrors: true})
	defer s.Close()
	p := s.Grant("activity")
	ref := func(rt string) answer {
		return post(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, true)
	}
	s.FailNext(2, 500)
	if a := ref(p.RefreshToken); a.Status != 500 {
		t.Fatalf("injected failure: %+v", a)
	}
	if a := ref(p.RefreshToken); a.Status != 500 {
		t.Fatalf("injected failure 2: %+v", a)
	}
	a := ref(p.RefreshToken) // failures spent nothing
	if a.Status != 200 {
		t.Fatalf("refresh after failures: %+v", a)
	}
	newRT := a.Body["refresh_token"].(string)
	if newRT == p.RefreshToken {
		t.Fatal("refresh token not rotated")
	}
	old := ref(p.RefreshToken)
	errs, _ := old.Body["errors"].([]any)
	if old.Status != 400 || len(errs) != 1 || errs[0].(map[string]any)["errorType"] != "invalid_grant" {
		t.Fatalf("old refresh token: %+v", old)
	}
	if !s.ValidAccessToken(a.Body["access_token"].(string)) {
		t.Fatal("new access token not valid")
	}

	// Non-rotating server: no refresh_token in the answer, old one lives.
	g := New(Config{ClientID: "cid", ClientSecret: "sec", ClientAuth: ClientAuthParams})
	defer g.Close()
	gp := g.Grant("x")
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {gp.RefreshToken}, "client_id": {"cid"}, "client_secret": {"sec"}}
	for i := 0; i < 2; i++ {
		a := post(t, g, form, false)
		if a.Status != 200 || a.Body["refresh_token"] != nil {
			t.Fatalf("google-style refresh %d: %+v", i, a)
		}
	}
	g.RevokeAll()
	if a := post(t, g, form, false); a.Status != 400 || a.Body["error"] != "invalid_grant" {
		t.Fatalf("after RevokeAll: %+v", a)
	}
}

func TestHoldToken(t *testing.T) {
	s := New(Config{ClientID: "cid", ClientSecret: "sec"})
	defer s.Close()
	p := s.Grant("x")
	arrived, release := s.HoldToken()
	done := make(chan answer)
	go func() {
		done <- post(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {p.RefreshToken}}, true)
	}()
	<-arrived
	select {
	case <-done:
		t.Fatal("held request answered")
	default:
	}
	release()
	if a := <-done; a.Status != 200 {
		t.Fatalf("released request: %+v", a)
	}
}

// TestHoldAnswer: the request is carried out (the rotated refresh token
// is spent) before its answer is held.
func TestHoldAnswer(t *testing.T) {
	s := New(Config{ClientID: "cid", ClientSecret: "sec", RotateRefresh: true})
	defer s.Close()
	p := s.Grant("x")
	arrived, release := s.HoldAnswer()
	done := make(chan answer)
	go func() {
		done <- post(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {p.RefreshToken}}, true)
	}()
	<-arrived
	select {
	case <-done:
		t.Fatal("held answer sent")
	default:
	}
	if c := s.Counts(); c.Refresh != 1 {
		t.Fatalf("refresh not carried out before the hold: %+v", c)
	}
	release()
	a := <-done
	if a.Status != 200 || a.Body["refresh_token"] == p.RefreshToken || a.Body["refresh_token"] == nil {
		t.Fatalf("released answer: %+v", a)
	}
	// The old refresh token was spent while the answer waited.
	if again := post(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {p.RefreshToken}}, true); again.Status != 400 {
		t.Fatalf("spent token accepted: %+v", again)
	}
}

func TestRequireBearerAndRevoke(t *testing.T) {
	s := New(Config{ClientID: "cid", ClientSecret: "sec", RevokeClientAuth: true})
	defer s.Close()
	api := httptest.NewServer(s.RequireBearer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })))
	defer api.Close()
	p := s.Grant("x")
	get := func(tok string) int {
		req, _ := http.NewRequest(http.MethodGet, api.URL, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if get(p.AccessToken) != 200 || get("nope") != 401 {
		t.Fatal("bearer check wrong")
	}
	rv := func(basic bool) int {
		req, _ := http.NewRequest(http.MethodPost, s.RevokeURL(), strings.NewReader(url.Values{"token": {p.RefreshToken}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if basic {
			req.SetBasicAuth("cid", "sec")
		}
		resp, _ := http.DefaultClient.Do(req)
		resp.Body.Close()
		return resp.StatusCode
	}
	if rv(false) != 401 {
		t.Fatal("revoke without client auth accepted")
	}
	if rv(true) != 200 {
		t.Fatal("revoke refused")
	}
	if get(p.AccessToken) != 401 {
		t.Fatal("access token lives after revoking the refresh token")
	}
	s.Advance(2 * time.Hour)
	q := s.Grant("x")
	if get(q.AccessToken) != 200 {
		t.Fatal("fresh token refused")
	}
	s.Advance(2 * time.Hour)
	if get(q.AccessToken) != 401 {
		t.Fatal("expired access token accepted")
	}
}

// AccessTokenState tells unknown, live, expired and revoked tokens apart;
// ExpireAccessTokens and ExpireNew expire access tokens early while
// refresh tokens keep working.
func TestAccessTokenStateAndEarlyExpiry(t *testing.T) {
	s := New(Config{ClientID: "cid", ClientSecret: "sec", RotateRefresh: true})
	defer s.Close()
	p := s.Grant("x")
	if s.AccessTokenState("nope") != TokenUnknown || s.AccessTokenState(p.RefreshToken) != TokenUnknown ||
		s.AccessTokenState(p.AccessToken) != TokenLive {
		t.Fatal("states of a fresh grant")
	}
	s.ExpireAccessTokens()
	if s.AccessTokenState(p.AccessToken) != TokenExpired || s.ValidAccessToken(p.AccessToken) {
		t.Fatal("ExpireAccessTokens left the token live")
	}
	a := post(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {p.RefreshToken}}, true)
	at, _ := a.Body["access_token"].(string)
	if a.Status != 200 || s.AccessTokenState(at) != TokenLive {
		t.Fatalf("refresh after early expiry: %+v", a)
	}
	s.ExpireNew(true)
	rt, _ := a.Body["refresh_token"].(string)
	b := post(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, true)
	if at2, _ := b.Body["access_token"].(string); b.Status != 200 || s.AccessTokenState(at2) != TokenExpired {
		t.Fatalf("ExpireNew: %+v", b)
	}
	s.ExpireNew(false)
	if q := s.Grant("x"); s.AccessTokenState(q.AccessToken) != TokenLive {
		t.Fatal("ExpireNew(false) still expires new tokens")
	}
	s.RevokeAll()
	if s.AccessTokenState(at) != TokenRevoked {
		t.Fatal("a revoked token is not TokenRevoked")
	}
}
