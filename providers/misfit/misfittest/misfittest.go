// Package misfittest is a fake Misfit Cloud API for tests and for pointing
// the real fittui binary at: the documented wire formats (reference §2)
// of the resource endpoints (profile, device, goals, summary, sessions,
// sleeps; ranges and single objects), filled with the demo provider's
// deterministic data (so the demo provider is the oracle), OAuth 2.0
// through auth/oauthtest (comma-separated scopes, no scope in the token
// answer, long-lived tokens and no refresh tokens unless asked for), the
// access token accepted in all three ways clients sent it (Authorization:
// Bearer, an access_token query parameter, an access_token header), both
// spellings of Misfit's error bodies and its plain-text 404s, the
// X-RateLimit-* headers (reset as Unix epoch seconds) with a per-hour
// budget and 429, the 31-day range limit (400), and knobs that break
// things on purpose.
//
// Paths match api.misfitwearables.com: OAuth under /auth/ (authorize at
// /auth/dialog/authorize, token at /auth/tokens/exchange), resources
// under /move/resource/v1/user/{me|userId}/.
package misfittest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
)

// Defaults of Config.
const (
	DefaultClientID     = "misfit-fake-app"
	DefaultClientSecret = "misfit-fake-secret"
	DefaultRedirectURI  = "http://127.0.0.1:8484/callback"
	DefaultRateLimit    = 150
	// DefaultAccessTTL: Misfit's tokens are long-lived (no client ever
	// refreshed one).
	DefaultAccessTTL = 10 * 365 * 24 * time.Hour
	// UserID is the served person's Misfit id.
	UserID = "51a4189acf12e53f80000042"
	// MaxRangeDays is the longest start_date..end_date range answered.
	MaxRangeDays = 31
)

// Paths.
const (
	AuthPath     = "/auth/dialog/authorize"
	TokenPath    = "/auth/tokens/exchange"
	ResourceRoot = "/move/resource/v1/user/"
)

// Config describes the fake.
type Config struct {
	// Persona is the demo persona whose data is served; "": "office".
	Persona string
	// Now is the fake's clock (data, "today", rate-limit windows); nil:
	// time.Now.
	Now func() time.Time
	// ClientID and ClientSecret of the one app; "": the defaults. Misfit
	// apps always have a secret, sent in the form.
	ClientID, ClientSecret string
	// RedirectURIs registered; nil: DefaultRedirectURI.
	RedirectURIs []string
	// RateLimit is the per-hour request budget; 0: DefaultRateLimit.
	RateLimit int
	// AccessTTL of access tokens; 0: DefaultAccessTTL.
	AccessTTL time.Duration
	// RefreshTokens makes the token endpoint issue (non-rotating) refresh
	// tokens, as a compatible server might; Misfit's never did.
	RefreshTokens bool
}

// Fault is a way to break a response.
type Fault int

const (
	FaultNone Fault = iota
	// FaultMalformed cuts the JSON body in half.
	FaultMalformed
	// FaultWrongTypes turns every number (and numeric string) into true.
	FaultWrongTypes
	// FaultMissing answers {}: every field missing.
	FaultMissing
	// FaultStall never answers; the request hangs until the client gives
	// up or the server closes.
	FaultStall
	// FaultBadGateway answers 502 {"error_code":502,"error_message":"Bad Gateway"}.
	FaultBadGateway
	// FaultPlainText5xx answers 503 with a plain-text body.
	FaultPlainText5xx
	// FaultCodeInBody answers HTTP 400 whose body says
	// {"code":401,"message":"Invalid Access Token"}: the body's code wins.
	FaultCodeInBody
	// FaultRateInBody answers HTTP 400 whose body says
	// {"error_code":429,"error_message":"Rate limit exceeded"}.
	FaultRateInBody
	// FaultEchoToken answers 400 with a message that repeats the access
	// token, as careless servers do.
	FaultEchoToken
)

type faultRule struct {
	path  string // substring of the path; "": every API path
	fault Fault
	left  int // answers left; <0: until cleared
}

// Request is one logged request.
type Request struct {
	Method, Path, Query string
	Status              int
	// TokenVia says how the access token came: "bearer", "query",
	// "header" or "" (none).
	TokenVia string
	OAuth    bool // under /auth/
}

// Server is a running fake. Close it when done.
type Server struct {
	// URL is the base URL: API paths and /auth/* hang off it.
	URL string
	// OAuth is the underlying OAuth server (counts, Deny, Secrets, ...).
	OAuth *oauthtest.Server

	cfg  Config
	prov *demo.Provider
	loc  *time.Location
	srv  *httptest.Server
	stop chan struct{}

	mu          sync.Mutex
	noDevice    bool
	omitRate    bool
	lowerRate   bool
	resetHeader string
	limit       int
	window      time.Time
	used        int
	faults      []faultRule
	log         []Request
}

// New starts a fake on a free loopback port.
func New(cfg Config) *Server {
	s, err := Start(cfg, "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	return s
}

// Start starts a fake listening on addr, which must be a loopback
// address (the fake has no real security).
func Start(cfg Config, addr string) (*Server, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("address %q: the fake listens on loopback only (127.0.0.1 or ::1)", addr)
	}
	if cfg.Persona == "" {
		cfg.Persona = "office"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ClientID == "" {
		cfg.ClientID = DefaultClientID
	}
	if cfg.ClientSecret == "" {
		cfg.ClientSecret = DefaultClientSecret
	}
	if cfg.RedirectURIs == nil {
		cfg.RedirectURIs = []string{DefaultRedirectURI}
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = DefaultRateLimit
	}
	if cfg.AccessTTL == 0 {
		cfg.AccessTTL = DefaultAccessTTL
	}
	prov, err := demo.New(providers.AccountSpec{Name: "misfit-fake", Provider: demo.Name,
		Options: map[string]string{"persona": cfg.Persona}}, providers.Env{Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	prof, _ := prov.Profile(context.Background())
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:  cfg,
		prov: prov,
		loc:  prof.Location,
		stop: make(chan struct{}),
		OAuth: oauthtest.New(oauthtest.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, ClientAuth: oauthtest.ClientAuthParams,
			RedirectURIs: cfg.RedirectURIs, ScopeSeparator: ",", OmitScope: true,
			NoRefreshTokens: !cfg.RefreshTokens, AccessTTL: cfg.AccessTTL,
		}),
		limit: cfg.RateLimit,
	}
	s.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: s}}
	s.srv.Start()
	s.URL = s.srv.URL
	return s, nil
}

// Close stops the server, releasing stalled requests.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	s.mu.Unlock()
	s.srv.Close()
	s.OAuth.Close()
}

// Endpoints for clients.
func (s *Server) AuthURL() string  { return s.URL + AuthPath }
func (s *Server) TokenURL() string { return s.URL + TokenPath }
func (s *Server) ClientID() string { return s.cfg.ClientID }

// ClientSecret is the app's secret.
func (s *Server) ClientSecret() string { return s.cfg.ClientSecret }

// Location is the served account's time zone (the demo persona's).
func (s *Server) Location() *time.Location { return s.loc }

// Demo is the oracle: the demo provider whose data is served.
func (s *Server) Demo() *demo.Provider { return s.prov }

// Grant issues a token (and a refresh token with Config.RefreshTokens) as
// if someone had signed in.
func (s *Server) Grant() oauthtest.Pair {
	return s.OAuth.Grant("public", "tracking", "session", "sleeps")
}

// Tokens grants a pair and returns a token source holding it that
// refreshes through the fake's token endpoint.
func (s *Server) Tokens() *oauthtest.TokenSource {
	return oauthtest.NewTokenSource(s.OAuth, s.TokenURL(), s.Grant(), "misfit", "test")
}

// Revoke ends every grant, as a person removing the app: access tokens
// answer 401.
func (s *Server) Revoke() {
	s.OAuth.RevokeAll()
}

// SetNoDevice makes GET .../device answer {} (no device linked).
func (s *Server) SetNoDevice(on bool) { s.set(func() { s.noDevice = on }) }

// SetRateLimit sets the per-hour budget and, with used >= 0, how much of
// the current hour's budget is spent.
func (s *Server) SetRateLimit(limit, used int) {
	s.set(func() {
		s.limit = limit
		if used >= 0 {
			s.window = s.cfg.Now().Truncate(time.Hour)
			s.used = used
		}
	})
}

// SetResetHeader sends v as X-RateLimit-Reset instead of the epoch second
// the window ends ("": back to normal).
func (s *Server) SetResetHeader(v string) { s.set(func() { s.resetHeader = v }) }

// SetOmitRateHeaders leaves the X-RateLimit-* headers out.
func (s *Server) SetOmitRateHeaders(on bool) { s.set(func() { s.omitRate = on }) }

// SetLowerCaseRateHeaders sends x-ratelimit-* in lower case, as
// python-misfit's mocks do.
func (s *Server) SetLowerCaseRateHeaders(on bool) { s.set(func() { s.lowerRate = on }) }

// SetFault breaks the next n answers (n < 0: all until cleared) of API
// paths containing path ("": every API path) with f. Later rules win.
func (s *Server) SetFault(path string, f Fault, n int) {
	s.set(func() { s.faults = append(s.faults, faultRule{path: path, fault: f, left: n}) })
}

// ClearFaults removes every fault rule.
func (s *Server) ClearFaults() { s.set(func() { s.faults = nil }) }

func (s *Server) set(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// Requests returns the log of requests so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// APIRequests counts logged requests outside /auth/ whose path contains
// sub ("": all).
func (s *Server) APIRequests(sub string) int {
	n := 0
	for _, r := range s.Requests() {
		if !r.OAuth && strings.Contains(r.Path, sub) {
			n++
		}
	}
	return n
}

// ResetLog empties the request log.
func (s *Server) ResetLog() { s.set(func() { s.log = nil }) }

// recorder captures the status for the log.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// ServeHTTP routes OAuth and API requests.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	oauth := strings.HasPrefix(r.URL.Path, "/auth/")
	rec := &recorder{ResponseWriter: w}
	_, via := token(r)
	defer func() {
		s.mu.Lock()
		s.log = append(s.log, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Status: rec.status, TokenVia: via, OAuth: oauth})
		s.mu.Unlock()
	}()
	if oauth {
		s.serveOAuth(rec, r)
		return
	}
	s.serveAPI(rec, r)
}

func (s *Server) serveOAuth(w http.ResponseWriter, r *http.Request) {
	var path string
	switch r.URL.Path {
	case AuthPath:
		path = "/authorize"
	case TokenPath:
		path = "/token"
	default:
		cannot(w, r)
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = path
	s.OAuth.Config.Handler.ServeHTTP(w, r2)
}

// token finds the access token in the three places clients put it.
func token(r *http.Request) (tok, via string) {
	if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && t != "" {
		return t, "bearer"
	}
	if t := r.URL.Query().Get("access_token"); t != "" {
		return t, "query"
	}
	if t := r.Header.Get("access_token"); t != "" {
		return t, "header"
	}
	return "", ""
}

// writeJSON answers v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// The documented error bodies (reference §2.5), both spellings.
func invalidParams(w http.ResponseWriter) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"error_message": "Invalid parameters"})
}

func invalidToken(w http.ResponseWriter) {
	writeJSON(w, http.StatusUnauthorized, map[string]any{"code": 401, "message": "Invalid Access Token"})
}

func forbidden(w http.ResponseWriter) {
	writeJSON(w, http.StatusForbidden, map[string]any{"error_code": 403, "error_message": "Forbidden"})
}

func rateLimited(w http.ResponseWriter, status int) {
	writeJSON(w, status, map[string]any{"error_code": 429, "error_message": "Rate limit exceeded"})
}

// cannot is the plain-text 404 of an unknown path.
func cannot(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprintf(w, "Cannot GET %s", r.URL.Path)
}

// rateHeaders counts the request and sets the headers; it reports whether
// the budget allows the request.
func (s *Server) rateHeaders(w http.ResponseWriter) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	if win := now.Truncate(time.Hour); !win.Equal(s.window) {
		s.window, s.used = win, 0
	}
	s.used++
	ok := s.used <= s.limit
	if !s.omitRate {
		reset := s.resetHeader
		if reset == "" {
			reset = strconv.FormatInt(s.window.Add(time.Hour).Unix(), 10)
		}
		vals := map[string]string{
			"X-RateLimit-Limit":     strconv.Itoa(s.limit),
			"X-RateLimit-Remaining": strconv.Itoa(max(0, s.limit-s.used)),
			"X-RateLimit-Reset":     reset,
		}
		for k, v := range vals {
			if s.lowerRate {
				w.Header()[strings.ToLower(k)] = []string{v} // sent as written
			} else {
				w.Header().Set(k, v)
			}
		}
	}
	return ok
}

func (s *Server) fault(path string) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.faults) - 1; i >= 0; i-- {
		f := &s.faults[i]
		if f.left == 0 || !strings.Contains(path, f.path) {
			continue
		}
		if f.left > 0 {
			f.left--
		}
		return f.fault
	}
	return FaultNone
}

func (s *Server) serveAPI(w *recorder, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, ResourceRoot) {
		cannot(w, r)
		return
	}
	if !s.rateHeaders(w) {
		rateLimited(w, http.StatusTooManyRequests)
		return
	}
	tok, _ := token(r)
	if tok == "" || !s.OAuth.ValidAccessToken(tok) {
		invalidToken(w)
		return
	}
	if r.Method != http.MethodGet {
		cannot(w, r)
		return
	}
	f := s.fault(r.URL.Path)
	switch f {
	case FaultStall:
		select {
		case <-r.Context().Done():
		case <-s.stop:
		}
		return
	case FaultBadGateway:
		writeJSON(w, http.StatusBadGateway, map[string]any{"error_code": 502, "error_message": "Bad Gateway"})
		return
	case FaultPlainText5xx:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("Service Unavailable"))
		return
	case FaultCodeInBody:
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": 401, "message": "Invalid Access Token"})
		return
	case FaultRateInBody:
		rateLimited(w, http.StatusBadRequest)
		return
	case FaultEchoToken:
		writeJSON(w, http.StatusBadRequest, map[string]any{"error_message": "Invalid parameters for token " + tok})
		return
	}
	body, ok := s.route(w, r)
	if !ok {
		return // route wrote the error
	}
	raw, err := json.Marshal(body)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error_code": 500, "error_message": "fake: " + err.Error()})
		return
	}
	switch f {
	case FaultMalformed:
		raw = raw[:len(raw)/2]
	case FaultWrongTypes:
		raw = wrongTypes(raw)
	case FaultMissing:
		raw = []byte(`{}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(raw)
}

// wrongTypes replaces every number and numeric string with true.
func wrongTypes(raw []byte) []byte {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return raw
	}
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case json.Number:
			return true
		case string:
			if _, err := strconv.ParseFloat(x, 64); err == nil {
				return true
			}
			return x
		case []any:
			for i := range x {
				x[i] = walk(x[i])
			}
		case map[string]any:
			for k := range x {
				x[k] = walk(x[k])
			}
		}
		return v
	}
	out, _ := json.Marshal(walk(v))
	return out
}
