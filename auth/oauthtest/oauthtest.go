// Package oauthtest is a strict fake OAuth 2.0 authorization server for
// tests: authorization code with PKCE S256, exact redirect URIs,
// single-use codes that expire, refresh tokens that rotate (single use) or
// not, revocation, injected failures, and request counts. Provider fakes
// reuse it for their sign-in endpoints (RequireBearer guards their API).
//
// The server is strict on purpose: anything a real provider might refuse
// (a code sent twice, a redirect URI that differs by one character, a
// missing verifier, client credentials sent the wrong way) is refused, so
// a client that passes here does not depend on a lenient server.
package oauthtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// ClientAuth is how the token endpoint wants the client to authenticate.
type ClientAuth int

const (
	// ClientAuthAny accepts a Basic header or form parameters (not both).
	ClientAuthAny ClientAuth = iota
	// ClientAuthHeader wants Authorization: Basic (Fitbit server apps).
	ClientAuthHeader
	// ClientAuthParams wants client_id and client_secret in the form
	// (Google).
	ClientAuthParams
)

// Config describes the fake's single client and behaviour.
type Config struct {
	ClientID string
	// ClientSecret; empty: a public client that sends client_id in the
	// form and no secret.
	ClientSecret string
	ClientAuth   ClientAuth
	// RedirectURIs are the registered redirect URIs, matched exactly on
	// authorize and token requests.
	RedirectURIs []string
	// LoopbackAnyPort also allows http://127.0.0.1:PORT/PATH and
	// http://localhost:PORT/PATH for any port (Google desktop clients).
	LoopbackAnyPort bool

	// Scopes granted; nil: everything asked for.
	Scopes []string
	// ScopeSeparator in requests and responses; "": space.
	ScopeSeparator string
	// OmitScope leaves scope out of token responses (Misfit).
	OmitScope bool
	// UserID, when set, is sent as user_id (Fitbit).
	UserID string
	// RefreshExpiresIn, when set, is sent as refresh_token_expires_in.
	RefreshExpiresIn time.Duration

	// RotateRefresh: every refresh returns a new refresh token and the old
	// one dies (Fitbit). Otherwise refresh answers carry no refresh token
	// and the old one stays valid (Google).
	RotateRefresh bool
	// NoRefreshTokens: the exchange issues no refresh token (Misfit).
	NoRefreshTokens bool

	// AccessTTL is the access token lifetime; 0: 1 hour.
	AccessTTL time.Duration
	// CodeTTL is the authorization code lifetime; 0: 10 minutes.
	CodeTTL time.Duration

	// FitbitErrors answers errors in Fitbit's shape,
	// {"errors":[{"errorType":...,"message":...}]}, whose message echoes
	// the refused refresh token like the real one does.
	FitbitErrors bool
	// FitbitFragment appends #_=_ to redirects, as Fitbit does.
	FitbitFragment bool
	// RevokeClientAuth: the revoke endpoint requires client
	// authentication (Fitbit); otherwise it takes the token alone
	// (Google).
	RevokeClientAuth bool
}

// Counts are the requests the server has answered, failures included.
type Counts struct {
	Authorize int
	Token     int // all token requests
	Exchange  int // grant_type=authorization_code
	Refresh   int // grant_type=refresh_token
	Revoke    int
	API       int // requests through RequireBearer
}

type codeInfo struct {
	clientID, redirect, challenge string
	scopes                        []string
	expires                       time.Time
	used                          bool
}

type tokenInfo struct {
	family  int
	refresh bool
	expires time.Time // access tokens
	dead    bool
}

// Server is a running fake. Close it when done.
type Server struct {
	*httptest.Server
	cfg Config

	mu            sync.Mutex
	offset        time.Duration
	deny          bool
	failN         int
	failCode      int
	hold          chan struct{} // non-nil: token requests wait for it to close
	holdAnswer    bool          // the wait is after the request was carried out
	arrived       chan struct{}
	arrivedClosed bool
	codes         map[string]*codeInfo
	tokens        map[string]*tokenInfo
	families      int
	scopes        map[int][]string
	counts        Counts
	secrets       map[string]bool
	lastAuth      url.Values
	expireNew     bool
}

// New starts a fake on a free loopback port.
func New(cfg Config) *Server {
	if cfg.AccessTTL == 0 {
		cfg.AccessTTL = time.Hour
	}
	if cfg.CodeTTL == 0 {
		cfg.CodeTTL = 10 * time.Minute
	}
	if cfg.ScopeSeparator == "" {
		cfg.ScopeSeparator = " "
	}
	s := &Server{
		cfg:     cfg,
		codes:   map[string]*codeInfo{},
		tokens:  map[string]*tokenInfo{},
		scopes:  map[int][]string{},
		secrets: map[string]bool{},
	}
	if cfg.ClientSecret != "" {
		s.secrets[cfg.ClientSecret] = true
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", s.authorize)
	mux.HandleFunc("/token", s.token)
	mux.HandleFunc("/revoke", s.revoke)
	s.Server = httptest.NewServer(mux)
	return s
}

// AuthURL, TokenURL and RevokeURL are the fake's endpoints.
func (s *Server) AuthURL() string   { return s.URL + "/authorize" }
func (s *Server) TokenURL() string  { return s.URL + "/token" }
func (s *Server) RevokeURL() string { return s.URL + "/revoke" }

func (s *Server) now() time.Time { return time.Now().Add(s.offset) }

// Advance moves the fake's clock (code and access-token expiry) forward.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	s.offset += d
	s.mu.Unlock()
}

// Deny makes the consent screen refuse (error=access_denied) until
// called with false.
func (s *Server) Deny(deny bool) {
	s.mu.Lock()
	s.deny = deny
	s.mu.Unlock()
}

// FailNext makes the next n token requests fail with status (e.g. 500)
// before they are looked at, so no code or refresh token is spent.
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	s.failN, s.failCode = n, status
	s.mu.Unlock()
}

// HoldToken makes token requests wait until release is called. arrived
// is closed when the first held request comes in. Use it to keep a
// refresh in flight while something else happens.
func (s *Server) HoldToken() (arrived <-chan struct{}, release func()) {
	return s.holdTokens(false)
}

// HoldAnswer is HoldToken, except that each token request is carried out
// first (a refresh token rotated and spent, a code used) and only its
// answer waits: arrived is closed when the first one has been carried
// out. A client that goes away meanwhile never learns the new tokens, as
// with a real provider.
func (s *Server) HoldAnswer() (arrived <-chan struct{}, release func()) {
	return s.holdTokens(true)
}

func (s *Server) holdTokens(after bool) (arrived <-chan struct{}, release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold = make(chan struct{})
	s.holdAnswer = after
	s.arrived = make(chan struct{})
	s.arrivedClosed = false
	hold := s.hold
	var once sync.Once
	return s.arrived, func() {
		once.Do(func() {
			s.mu.Lock()
			if s.hold == hold {
				s.hold = nil
			}
			s.mu.Unlock()
			close(hold)
		})
	}
}

// Counts returns the request counts so far.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts
}

// LastAuthorize is the query of the last authorize request.
func (s *Server) LastAuthorize() url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastAuth
}

// Secrets lists every secret value the server issued or received: client
// secret, codes, states, PKCE challenges and verifiers, access and refresh
// tokens. Tests scan logs and errors for them.
func (s *Server) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.secrets))
	for k := range s.secrets {
		out = append(out, k)
	}
	return out
}

// Pair is an issued token pair.
type Pair struct {
	AccessToken  string
	RefreshToken string
	Expiry       time.Time
}

// Grant issues a token pair as if someone had signed in, for tests that
// start from a stored token.
func (s *Server) Grant(scopes ...string) Pair {
	s.mu.Lock()
	defer s.mu.Unlock()
	fam := s.newFamily(scopes)
	at, rt, exp := s.issue(fam, !s.cfg.NoRefreshTokens)
	return Pair{AccessToken: at, RefreshToken: rt, Expiry: exp}
}

// RevokeAll kills every token, as a person removing the app's access.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		t.dead = true
	}
}

// ValidAccessToken reports whether tok is a live access token.
func (s *Server) ValidAccessToken(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tok]
	return ok && !t.refresh && !t.dead && s.now().Before(t.expires)
}

// TokenState is what the server knows of an access token.
type TokenState int

const (
	// TokenUnknown: never issued here.
	TokenUnknown TokenState = iota
	// TokenLive: issued, not expired, not revoked.
	TokenLive
	// TokenExpired: issued, past its expiry (or expired early).
	TokenExpired
	// TokenRevoked: its grant was revoked.
	TokenRevoked
)

// AccessTokenState says whether tok is a live access token and, if not,
// why: provider fakes answer "expired" and "invalid" differently.
func (s *Server) AccessTokenState(tok string) TokenState {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tok]
	switch {
	case !ok || t.refresh:
		return TokenUnknown
	case t.dead:
		return TokenRevoked
	case !s.now().Before(t.expires):
		return TokenExpired
	}
	return TokenLive
}

// ExpireAccessTokens makes every access token issued so far expire now,
// as if early; refresh tokens keep working.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, t := range s.tokens {
		if !t.refresh && now.Before(t.expires) {
			t.expires = now
		}
	}
}

// ExpireNew makes every access token issued from now on expired at once
// (a server that keeps saying "expired"), until called with false.
func (s *Server) ExpireNew(on bool) {
	s.mu.Lock()
	s.expireNew = on
	s.mu.Unlock()
}

// RequireBearer guards a provider fake's API: requests need a live access
// token as Authorization: Bearer, else 401.
func (s *Server) RequireBearer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.counts.API++
		s.mu.Unlock()
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || !s.ValidAccessToken(tok) {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func random() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) newFamily(scopes []string) int {
	s.families++
	s.scopes[s.families] = scopes
	return s.families
}

// issue makes an access token (and a refresh token if withRefresh) in
// family fam. s.mu held.
func (s *Server) issue(fam int, withRefresh bool) (at, rt string, exp time.Time) {
	at = "at-" + random()
	exp = s.now().Add(s.cfg.AccessTTL)
	if s.expireNew {
		exp = s.now()
	}
	s.tokens[at] = &tokenInfo{family: fam, expires: exp}
	s.secrets[at] = true
	if withRefresh {
		rt = "rt-" + random()
		s.tokens[rt] = &tokenInfo{family: fam, refresh: true}
		s.secrets[rt] = true
	}
	return at, rt, exp
}

func (s *Server) redirectAllowed(uri string) bool {
	for _, r := range s.cfg.RedirectURIs {
		if uri == r {
			return true
		}
	}
	if !s.cfg.LoopbackAnyPort {
		return false
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || u.RawQuery != "" || u.Fragment != "" || u.Port() == "" {
		return false
	}
	h := u.Hostname()
	return h == "127.0.0.1" || h == "localhost"
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.Authorize++
	q := r.URL.Query()
	s.lastAuth = q
	for _, k := range []string{"state", "code_challenge"} {
		if v := q.Get(k); v != "" {
			s.secrets[v] = true
		}
	}
	// Problems with the client or redirect URI are shown to the person,
	// never redirected (RFC 6749 §4.1.2.1).
	bad := func(msg string) { http.Error(w, "invalid_request - "+msg, http.StatusBadRequest) }
	switch {
	case r.Method != http.MethodGet:
		bad("authorize wants GET")
		return
	case q.Get("client_id") != s.cfg.ClientID:
		bad("unknown client_id")
		return
	case !s.redirectAllowed(q.Get("redirect_uri")):
		bad("Invalid redirect_uri parameter value")
		return
	case q.Get("response_type") != "code":
		bad("response_type must be code")
		return
	case q.Get("code_challenge_method") != "S256":
		bad("Unsupported code_challenge_method (S256 required)")
		return
	case len(q.Get("code_challenge")) != 43:
		bad("The code_challenge parameter length must be 43 (S256)")
		return
	case q.Get("state") == "":
		bad("state is required")
		return
	case q.Get("scope") == "":
		bad("scope is required")
		return
	}
	back, _ := url.Parse(q.Get("redirect_uri"))
	v := url.Values{"state": {q.Get("state")}}
	if s.deny {
		v.Set("error", "access_denied")
		v.Set("error_description", "The user denied the request")
	} else {
		code := "code-" + random()
		s.secrets[code] = true
		s.codes[code] = &codeInfo{
			clientID:  q.Get("client_id"),
			redirect:  q.Get("redirect_uri"),
			challenge: q.Get("code_challenge"),
			scopes:    strings.Split(q.Get("scope"), s.cfg.ScopeSeparator),
			expires:   s.now().Add(s.cfg.CodeTTL),
		}
		v.Set("code", code)
	}
	back.RawQuery = v.Encode()
	loc := back.String()
	if s.cfg.FitbitFragment {
		loc += "#_=_"
	}
	http.Redirect(w, r, loc, http.StatusFound)
}

// oauthError answers a token or revoke error. detail may name a token
// (Fitbit's real messages do); clients must never repeat it.
func (s *Server) oauthError(w http.ResponseWriter, status int, code, detail string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if s.cfg.FitbitErrors {
		json.NewEncoder(w).Encode(map[string]any{
			"errors":  []map[string]string{{"errorType": code, "message": detail}},
			"success": false,
		})
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": detail})
}

// clientOK checks client authentication; s.mu held.
func (s *Server) clientOK(r *http.Request, mode ClientAuth) bool {
	user, pass, hasBasic := r.BasicAuth()
	formID, formSecret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if s.cfg.ClientSecret == "" { // public client
		return !hasBasic && formID == s.cfg.ClientID && formSecret == ""
	}
	if hasBasic {
		u, err1 := url.QueryUnescape(user)
		p, err2 := url.QueryUnescape(pass)
		basicOK := err1 == nil && err2 == nil && u == s.cfg.ClientID && p == s.cfg.ClientSecret
		// One method only (RFC 6749 §2.3).
		return basicOK && formSecret == "" && mode != ClientAuthParams
	}
	return mode != ClientAuthHeader && formID == s.cfg.ClientID && formSecret == s.cfg.ClientSecret
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	hold, after := s.hold, s.holdAnswer
	if hold != nil && after {
		s.mu.Unlock()
		rec := httptest.NewRecorder()
		s.answerToken(rec, r)
		s.mu.Lock()
		if !s.arrivedClosed {
			close(s.arrived)
			s.arrivedClosed = true
		}
		s.mu.Unlock()
		select {
		case <-hold:
		case <-r.Context().Done():
			return // the answer is lost; what it carried out stays done
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		return
	}
	if hold != nil && !s.arrivedClosed {
		close(s.arrived)
		s.arrivedClosed = true
	}
	s.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
	}
	s.answerToken(w, r)
}

// answerToken carries out a token request and writes its answer.
func (s *Server) answerToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.Token++
	if r.Method != http.MethodPost {
		s.oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "POST required")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.oauthError(w, http.StatusBadRequest, "invalid_request", "bad form")
		return
	}
	grant := r.PostForm.Get("grant_type")
	switch grant {
	case "authorization_code":
		s.counts.Exchange++
	case "refresh_token":
		s.counts.Refresh++
	}
	if s.failN > 0 {
		s.failN--
		s.oauthError(w, s.failCode, "server_error", "injected failure")
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		s.oauthError(w, http.StatusBadRequest, "invalid_request", "form body required")
		return
	}
	if !s.clientOK(r, s.cfg.ClientAuth) {
		s.oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	switch grant {
	case "authorization_code":
		s.exchange(w, r)
	case "refresh_token":
		s.refresh(w, r)
	default:
		s.oauthError(w, http.StatusBadRequest, "unsupported_grant_type", grant)
	}
}

func (s *Server) exchange(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	code := f.Get("code")
	verifier := f.Get("code_verifier")
	if verifier != "" {
		s.secrets[verifier] = true
	}
	c, ok := s.codes[code]
	switch {
	case !ok:
		s.oauthError(w, http.StatusBadRequest, "invalid_grant", "unknown authorization code")
		return
	case c.used:
		s.oauthError(w, http.StatusBadRequest, "invalid_grant", "authorization code already used")
		return
	}
	c.used = true // single use, even when the rest is wrong
	switch {
	case s.now().After(c.expires):
		s.oauthError(w, http.StatusBadRequest, "invalid_grant", "authorization code expired")
	case f.Get("redirect_uri") != c.redirect:
		s.oauthError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorization request")
	case verifier == "":
		s.oauthError(w, http.StatusBadRequest, "invalid_request", "code_verifier required")
	case challenge(verifier) != c.challenge:
		s.oauthError(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match the challenge")
	default:
		scopes := c.scopes
		if s.cfg.Scopes != nil {
			scopes = s.cfg.Scopes
		}
		fam := s.newFamily(scopes)
		at, rt, _ := s.issue(fam, !s.cfg.NoRefreshTokens)
		s.writeToken(w, fam, at, rt)
	}
}

func (s *Server) refresh(w http.ResponseWriter, r *http.Request) {
	rt := r.PostForm.Get("refresh_token")
	t, ok := s.tokens[rt]
	if !ok || !t.refresh || t.dead {
		s.oauthError(w, http.StatusBadRequest, "invalid_grant", "Refresh token invalid: "+rt)
		return
	}
	newRT := ""
	if s.cfg.RotateRefresh {
		t.dead = true
		at, nrt, _ := s.issue(t.family, true)
		newRT = nrt
		s.writeToken(w, t.family, at, newRT)
		return
	}
	at, _, _ := s.issue(t.family, false)
	s.writeToken(w, t.family, at, "")
}

func (s *Server) writeToken(w http.ResponseWriter, fam int, at, rt string) {
	body := map[string]any{
		"access_token": at,
		"token_type":   "Bearer",
		"expires_in":   int(s.cfg.AccessTTL / time.Second),
	}
	if rt != "" {
		body["refresh_token"] = rt
	}
	if !s.cfg.OmitScope {
		body["scope"] = strings.Join(s.scopes[fam], s.cfg.ScopeSeparator)
	}
	if s.cfg.UserID != "" {
		body["user_id"] = s.cfg.UserID
	}
	if s.cfg.RefreshExpiresIn > 0 {
		body["refresh_token_expires_in"] = int(s.cfg.RefreshExpiresIn / time.Second)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(body)
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.Revoke++
	if r.Method != http.MethodPost {
		s.oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "POST required")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.oauthError(w, http.StatusBadRequest, "invalid_request", "bad form")
		return
	}
	if s.cfg.RevokeClientAuth && !s.clientOK(r, s.cfg.ClientAuth) {
		s.oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	t, ok := s.tokens[r.PostForm.Get("token")]
	if !ok {
		s.oauthError(w, http.StatusBadRequest, "invalid_token", "unknown token")
		return
	}
	// Revoking either token ends the whole grant.
	for _, o := range s.tokens {
		if o.family == t.family {
			o.dead = true
		}
	}
	w.WriteHeader(http.StatusOK)
	w.Write([]byte("{}"))
}

func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Approve plays the consent screen: it GETs authURL (the fake's authorize
// URL with a client's parameters) and returns the redirect URL the
// browser would go to, without following it: what a person would paste.
func (s *Server) Approve(ctx context.Context, authURL string) (string, error) {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return "", fmt.Errorf("authorize answered %s, not a redirect", resp.Status)
	}
	return resp.Header.Get("Location"), nil
}

// CallbackResult is what the browser got from the loopback callback.
type CallbackResult struct {
	Status int
	Body   string
}

// Browse plays the whole browser: consent (see Deny), then the redirect
// to the client's loopback callback, whose answer it returns.
func (s *Server) Browse(ctx context.Context, authURL string) (CallbackResult, error) {
	loc, err := s.Approve(ctx, authURL)
	if err != nil {
		return CallbackResult{}, err
	}
	return Visit(ctx, loc)
}

// Visit GETs a URL as a browser would (the fragment stays local) and
// returns the answer, without following redirects.
func Visit(ctx context.Context, rawURL string) (CallbackResult, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return CallbackResult{}, err
	}
	u.Fragment = ""
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return CallbackResult{}, err
	}
	c := &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{DialContext: (&net.Dialer{}).DialContext, DisableKeepAlives: true},
	}
	resp, err := c.Do(req)
	if err != nil {
		return CallbackResult{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return CallbackResult{Status: resp.StatusCode, Body: string(body)}, err
}
