// Package fitbittest is a fake Fitbit Web API for tests and for pointing
// the real fittui binary at: the documented wire formats (reference §1.7)
// of every endpoint the fitbit provider uses, filled with the demo
// provider's deterministic data (so the demo provider is the oracle),
// OAuth 2.0 with PKCE and single-use rotating refresh tokens (through
// auth/oauthtest), Bearer checks answering 401 expired_token or
// invalid_token in Fitbit's errors[] shape, the Fitbit-Rate-Limit-*
// headers on every response with a per-hour budget and 429, the 410 Gone
// mode of the shut-down API, and knobs that break things on purpose.
//
// Paths match api.fitbit.com; the OAuth endpoints live under /oauth2/ on
// the same server (authorize, token, revoke).
package fitbittest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
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
	DefaultClientID    = "23FAKE"
	DefaultRedirectURI = "http://127.0.0.1:8484/callback"
	DefaultRateLimit   = 150
	DefaultAccessTTL   = 8 * time.Hour
	EncodedUserID      = "FAKE42"
)

// Config describes the fake.
type Config struct {
	// Persona is the demo persona whose data is served; "": "office".
	Persona string
	// Now is the fake's clock (data, "today", rate-limit windows); nil:
	// time.Now.
	Now func() time.Time
	// ClientID; "": DefaultClientID. ClientSecret; "": a public ("Client"
	// type) app that sends client_id in the form; else Basic auth.
	ClientID, ClientSecret string
	// RedirectURIs registered; nil: DefaultRedirectURI.
	RedirectURIs []string
	// RateLimit is the per-hour request budget; 0: DefaultRateLimit.
	RateLimit int
	// AccessTTL of access tokens; 0: DefaultAccessTTL (8 h, as Fitbit).
	AccessTTL time.Duration
}

// Fault is a way to break a response.
type Fault int

const (
	FaultNone Fault = iota
	// FaultMalformed cuts the JSON body in half.
	FaultMalformed
	// FaultWrongTypes turns every number (and numeric string) into true.
	FaultWrongTypes
	// FaultMissing answers {} (or [] for arrays): every field missing.
	FaultMissing
	// FaultHuge answers a valid 9 MiB JSON body.
	FaultHuge
	// FaultStall never answers; the request hangs until the client gives
	// up or the server closes.
	FaultStall
	// FaultServerError answers 500 with a Fitbit error body.
	FaultServerError
	// FaultSleepPending answers {"meta":{"state":"pending",...}}.
	FaultSleepPending
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
	AcceptLanguage      string
	OAuth               bool // under /oauth2/
}

// Server is a running fake. Close it when done.
type Server struct {
	// URL is the base URL: API paths and /oauth2/* hang off it.
	URL string
	// OAuth is the underlying OAuth server (counts, Advance, Deny, ...).
	OAuth *oauthtest.Server

	cfg  Config
	prov *demo.Provider
	loc  *time.Location
	srv  *httptest.Server
	stop chan struct{}

	mu              sync.Mutex
	known           map[string]bool // access tokens issued
	expired         map[string]bool // expired early by ExpireTokens
	revoked         map[string]bool // killed by Revoke or /oauth2/revoke
	expireNew       bool
	gone            bool
	intradayDenied  bool
	omitIntraday    bool
	omitRateHeaders bool
	resetOverride   string
	limit           int
	window          time.Time
	used            int
	faults          []faultRule
	log             []Request
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
	if cfg.RedirectURIs == nil {
		cfg.RedirectURIs = []string{DefaultRedirectURI}
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = DefaultRateLimit
	}
	if cfg.AccessTTL == 0 {
		cfg.AccessTTL = DefaultAccessTTL
	}
	prov, err := demo.New(providers.AccountSpec{Name: "fitbit-fake", Provider: demo.Name,
		Options: map[string]string{"persona": cfg.Persona}}, providers.Env{Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	prof, _ := prov.Profile(context.Background())
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	auth := oauthtest.ClientAuthHeader
	s := &Server{
		cfg:  cfg,
		prov: prov,
		loc:  prof.Location,
		stop: make(chan struct{}),
		OAuth: oauthtest.New(oauthtest.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, ClientAuth: auth,
			RedirectURIs: cfg.RedirectURIs, UserID: EncodedUserID,
			RotateRefresh: true, AccessTTL: cfg.AccessTTL,
			FitbitErrors: true, FitbitFragment: true, RevokeClientAuth: true,
		}),
		known:   map[string]bool{},
		expired: map[string]bool{},
		revoked: map[string]bool{},
		limit:   cfg.RateLimit,
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
func (s *Server) AuthURL() string   { return s.URL + "/oauth2/authorize" }
func (s *Server) TokenURL() string  { return s.URL + "/oauth2/token" }
func (s *Server) RevokeURL() string { return s.URL + "/oauth2/revoke" }
func (s *Server) ClientID() string  { return s.cfg.ClientID }

// Location is the served account's time zone.
func (s *Server) Location() *time.Location { return s.loc }

// Demo is the oracle: the demo provider whose data is served.
func (s *Server) Demo() *demo.Provider { return s.prov }

// Grant issues a token pair as if someone had signed in.
func (s *Server) Grant() oauthtest.Pair {
	p := s.OAuth.Grant("activity", "heartrate", "sleep", "weight", "profile", "settings")
	s.issued(p.AccessToken)
	return p
}

// ExpireTokens makes every access token issued so far answer 401
// expired_token (as if it expired early); refreshing gives a good one.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.known {
		s.expired[t] = true
	}
}

// SetExpireNew makes every access token issued from now on answer 401
// expired_token at once (a server that keeps saying "expired").
func (s *Server) SetExpireNew(on bool) { s.set(func() { s.expireNew = on }) }

// issued records a new access token.
func (s *Server) issued(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known[tok] = true
	if s.expireNew {
		s.expired[tok] = true
	}
}

// Revoke ends every grant, as a person removing the app: access tokens
// answer 401 invalid_token and refresh tokens invalid_grant.
func (s *Server) Revoke() {
	s.OAuth.RevokeAll()
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.known {
		s.revoked[t] = true
	}
}

// SetGone switches the 410 mode: every path, OAuth included, answers
// 410 Gone as the API does since 2026-11-02.
func (s *Server) SetGone(on bool) { s.set(func() { s.gone = on }) }

// SetIntradayForbidden makes intraday paths answer 403, as for apps
// without intraday access.
func (s *Server) SetIntradayForbidden(on bool) { s.set(func() { s.intradayDenied = on }) }

// SetOmitIntraday leaves the "-intraday" block out of intraday answers
// (older servers' way of refusing).
func (s *Server) SetOmitIntraday(on bool) { s.set(func() { s.omitIntraday = on }) }

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

// SetResetHeader sends v as Fitbit-Rate-Limit-Reset instead of the real
// seconds to the top of the hour ("": back to normal).
func (s *Server) SetResetHeader(v string) { s.set(func() { s.resetOverride = v }) }

// SetOmitRateHeaders leaves the Fitbit-Rate-Limit-* headers out.
func (s *Server) SetOmitRateHeaders(on bool) { s.set(func() { s.omitRateHeaders = on }) }

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

// APIRequests counts logged requests outside /oauth2/ whose path
// contains sub ("": all).
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

// recorder captures status and body to log and read token answers.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
	keep   bool
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
	if r.keep {
		r.body.Write(b)
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// ServeHTTP routes OAuth and API requests.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	oauth := strings.HasPrefix(r.URL.Path, "/oauth2/")
	rec := &recorder{ResponseWriter: w, keep: oauth && r.URL.Path == "/oauth2/token"}
	defer func() {
		s.mu.Lock()
		s.log = append(s.log, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Status: rec.status, AcceptLanguage: r.Header.Get("Accept-Language"), OAuth: oauth})
		s.mu.Unlock()
	}()
	s.mu.Lock()
	gone := s.gone
	s.mu.Unlock()
	if gone {
		writeErrors(rec, http.StatusGone, "request", "", "The Fitbit Web API has been turned off.")
		return
	}
	if oauth {
		s.serveOAuth(rec, r)
		return
	}
	s.serveAPI(rec, r)
}

func (s *Server) serveOAuth(rec *recorder, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/oauth2")
	if r.URL.Path == "/oauth2/revoke" && r.Method == http.MethodPost {
		defer func() {
			if rec.status == http.StatusOK {
				s.mu.Lock()
				for t := range s.known {
					s.revoked[t] = true
				}
				s.mu.Unlock()
			}
		}()
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = path
	s.OAuth.Config.Handler.ServeHTTP(rec, r2)
	if rec.keep && rec.status == http.StatusOK {
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if json.Unmarshal(rec.body.Bytes(), &tok) == nil && tok.AccessToken != "" {
			s.issued(tok.AccessToken)
		}
	}
}

// writeErrors answers Fitbit's error shape.
func writeErrors(w http.ResponseWriter, status int, typ, field, msg string) {
	e := map[string]string{"errorType": typ, "message": msg}
	if field != "" {
		e["fieldName"] = field
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []any{e}, "success": false})
}

const visit = " Visit https://dev.fitbit.com/docs/oauth2 for more information on the Fitbit Web API authorization process."

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
	if !s.omitRateHeaders {
		h := w.Header()
		h.Set("Fitbit-Rate-Limit-Limit", strconv.Itoa(s.limit))
		h.Set("Fitbit-Rate-Limit-Remaining", strconv.Itoa(max(0, s.limit-s.used)))
		reset := s.resetOverride
		if reset == "" {
			reset = strconv.Itoa(int(math.Ceil(s.window.Add(time.Hour).Sub(now).Seconds())))
		}
		h.Set("Fitbit-Rate-Limit-Reset", reset)
	}
	return ok
}

// tokenState says whether the request's Bearer token is good, and if not
// which Fitbit error applies.
func (s *Server) tokenState(r *http.Request) (ok bool, errType, msg string) {
	tok, has := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !has || tok == "" {
		return false, "invalid_client", "Authorization header required." + visit
	}
	valid := s.OAuth.ValidAccessToken(tok)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.revoked[tok] || !s.known[tok]:
		return false, "invalid_token", "Access token invalid: " + tok + "." + visit
	case s.expired[tok] || !valid:
		return false, "expired_token", "Access token expired: " + tok + "." + visit
	}
	return true, "", ""
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
	if !s.rateHeaders(w) {
		w.Header().Set("Retry-After", "5") // inaccurate on purpose, as reported of the real one
		writeErrors(w, http.StatusTooManyRequests, "system", "n/a", "Too Many Requests")
		return
	}
	if ok, typ, msg := s.tokenState(r); !ok {
		writeErrors(w, http.StatusUnauthorized, typ, "", msg)
		return
	}
	if r.Method != http.MethodGet {
		writeErrors(w, http.StatusMethodNotAllowed, "request", "", "Only GET is supported by this fake.")
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
	case FaultServerError:
		writeErrors(w, http.StatusInternalServerError, "system", "", "An unexpected error occurred.")
		return
	}
	body, status := s.route(w, r)
	if status != http.StatusOK {
		return // route wrote the error
	}
	if f == FaultSleepPending && strings.Contains(r.URL.Path, "/sleep/") {
		body = map[string]any{"meta": map[string]any{"retryDuration": 3000, "state": "pending"}}
	}
	raw, err := json.Marshal(body)
	if err != nil {
		writeErrors(w, http.StatusInternalServerError, "system", "", "fake: "+err.Error())
		return
	}
	if r.Header.Get("Accept-Language") == "en_US" {
		raw = toUSUnits(raw)
	}
	switch f {
	case FaultMalformed:
		raw = raw[:len(raw)/2]
	case FaultWrongTypes:
		raw = wrongTypes(raw)
	case FaultMissing:
		if raw[0] == '[' {
			raw = []byte(`[{}]`)
		} else {
			raw = []byte(`{}`)
		}
	case FaultHuge:
		raw = append(append([]byte(`{"pad":"`), bytes.Repeat([]byte("x"), 9<<20)...), `"}`...)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
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

// toUSUnits converts kilometres to miles and kilograms to pounds, as
// Fitbit does for Accept-Language: en_US.
func toUSUnits(raw []byte) []byte {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber() // keep big ids exact
	if d.Decode(&v) != nil {
		return raw
	}
	var walk func(key string, v any) any
	walk = func(key string, v any) any {
		switch x := v.(type) {
		case json.Number:
			f, err := x.Float64()
			if err != nil {
				return v
			}
			switch key {
			case "distance":
				return math.Round(f/1.609344*100) / 100
			case "weight":
				return math.Round(f*2.20462*10) / 10
			}
		case []any:
			for i := range x {
				x[i] = walk(key, x[i])
			}
		case map[string]any:
			for k := range x {
				x[k] = walk(k, x[k])
			}
		}
		return v
	}
	out, _ := json.Marshal(walk("", v))
	return out
}

// badRequest answers a Fitbit validation error.
func badRequest(w http.ResponseWriter, field, msg string) (any, int) {
	writeErrors(w, http.StatusBadRequest, "validation", field, msg)
	return nil, http.StatusBadRequest
}
