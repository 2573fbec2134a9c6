// Package jawbonetest is a fake Jawbone UP API (v.1.1) for tests and for
// pointing the real fittui binary at: the documented wire formats
// (reference §3) of every endpoint the jawbone provider uses, filled with
// the demo provider's deterministic data (so the demo provider is the
// oracle); the {"meta","data"} envelope with error bodies carrying
// meta.code, error_type and error_detail; collections paged through
// relative links.next with a small page size; OAuth 2.0 through
// auth/oauthtest (client credentials in the form, refresh tokens that
// rotate); and DELETE /users/@me/PartnerAppMembership, which really
// disconnects: the grant dies and later calls with its tokens get 401.
//
// The data sets Jawbone's time-zone traps on purpose (see data.go): moves
// whose tzs list zones by IANA name on some days and by UTC offset in
// seconds (with one entry per change) on others, hourly_totals keyed by
// local hour, sleeps whose details.tz is a name or "GMT-0500", body events
// whose details.tz is a name, a "GMT±hhmm" string or null, and some days
// without km or without any distance.
//
// Paths: OAuth under /auth/oauth2/ (auth, token), the API under
// /nudge/api/v.1.1/, as on jawbone.com.
package jawbonetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
)

// Defaults of Config, and the served account's fixed values.
const (
	DefaultClientID     = "jawbone-fake-client"
	DefaultClientSecret = "jawbone-fake-secret"
	DefaultRedirectURI  = "http://127.0.0.1:8484/callback"
	// DefaultPageSize is small so that every listing is paged.
	DefaultPageSize = 5
	// DefaultAccessTTL is Jawbone's access-token lifetime (a year).
	DefaultAccessTTL = 365 * 24 * time.Hour
	// HistoryDays is how far back the account has data.
	HistoryDays = 400
	// UserXID is the account's xid (in meta and links.next).
	UserXID = "FAKEj4wb0neXid42"
	// APIPath is the API root under the server's URL.
	APIPath = "/nudge/api/v.1.1"
)

// Scopes are the scopes Grant asks for (fittui's auth spec's).
var Scopes = []string{"basic_read", "move_read", "sleep_read", "weight_read", "heartrate_read"}

// Config describes the fake.
type Config struct {
	// Persona is the demo persona whose data is served; "": "office".
	Persona string
	// Now is the fake's data clock; nil: time.Now.
	Now func() time.Time
	// ClientID and ClientSecret; "": the defaults. Jawbone clients always
	// have a secret, sent in the form.
	ClientID, ClientSecret string
	// RedirectURIs registered; nil: DefaultRedirectURI.
	RedirectURIs []string
	// PageSize is the largest page; 0: DefaultPageSize.
	PageSize int
	// AccessTTL of access tokens; 0: DefaultAccessTTL.
	AccessTTL time.Duration
}

// Fault is a way to break a response.
type Fault int

const (
	FaultNone Fault = iota
	// FaultMalformed cuts the JSON body in half.
	FaultMalformed
	// FaultNoData answers an envelope without "data".
	FaultNoData
	// FaultStall never answers until the client gives up or the server
	// closes.
	FaultStall
	// FaultServerError answers 500 with an error envelope.
	FaultServerError
	// FaultRateLimited answers 429 with Retry-After: 120.
	FaultRateLimited
	// FaultMetaError answers HTTP 200 whose meta says 401.
	FaultMetaError
	// FaultRepeatNext makes links.next point at the page just served.
	FaultRepeatNext
	// FaultForeignNext makes links.next an absolute URL on another host.
	FaultForeignNext
	// FaultWrongTypes turns every number into true.
	FaultWrongTypes
)

type faultRule struct {
	path  string
	fault Fault
	left  int
}

// Request is one logged request.
type Request struct {
	Method, Path, Query string
	Status              int
	OAuth               bool
}

// Server is a running fake. Close it when done.
type Server struct {
	// URL is the server's root; the API is under URL+APIPath.
	URL string
	// OAuth is the underlying OAuth server (counts, secrets, ...).
	OAuth *oauthtest.Server

	cfg  Config
	prov *demo.Provider
	loc  *time.Location
	srv  *httptest.Server
	stop chan struct{}

	mu          sync.Mutex
	expired     map[string]bool
	disconnects int
	faults      []faultRule
	log         []Request
	docs        map[string][]doc // past days' items by resource and day
}

// New starts a fake on a free loopback port.
func New(cfg Config) *Server {
	s, err := Start(cfg, "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	return s
}

// Start starts a fake listening on addr, which must be a loopback address
// (the fake has no real security).
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
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	if cfg.AccessTTL == 0 {
		cfg.AccessTTL = DefaultAccessTTL
	}
	prov, err := demo.New(providers.AccountSpec{Name: "jawbone-fake", Provider: demo.Name,
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
			RedirectURIs: cfg.RedirectURIs, RotateRefresh: true, AccessTTL: cfg.AccessTTL,
		}),
		expired: map[string]bool{},
		docs:    map[string][]doc{},
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
func (s *Server) AuthURL() string      { return s.URL + "/auth/oauth2/auth" }
func (s *Server) TokenURL() string     { return s.URL + "/auth/oauth2/token" }
func (s *Server) APIURL() string       { return s.URL + APIPath }
func (s *Server) RevokeURL() string    { return s.APIURL() + "/users/@me/PartnerAppMembership" }
func (s *Server) ClientID() string     { return s.cfg.ClientID }
func (s *Server) ClientSecret() string { return s.cfg.ClientSecret }

// Location is the served account's time zone.
func (s *Server) Location() *time.Location { return s.loc }

// Demo is the oracle: the demo provider whose data is served.
func (s *Server) Demo() *demo.Provider { return s.prov }

// Grant issues a token pair as if someone had signed in.
func (s *Server) Grant() oauthtest.Pair { return s.OAuth.Grant(Scopes...) }

// Tokens is a providers.TokenSource for tests: it refreshes through the
// fake's token endpoint, spending the rotating refresh token each time.
type Tokens = oauthtest.TokenSource

// Tokens grants a pair and returns a token source holding it.
func (s *Server) Tokens() *Tokens {
	return oauthtest.NewTokenSource(s.OAuth, s.TokenURL(), s.Grant(), "jawbone", "test")
}

// ExpireTokens makes every access token valid now answer 401 (as if it
// expired early); a refresh gives a good one.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sec := range s.OAuth.Secrets() {
		if strings.HasPrefix(sec, "at-") && s.OAuth.ValidAccessToken(sec) {
			s.expired[sec] = true
		}
	}
}

// Revoke ends every grant, as a person removing the app on the website.
func (s *Server) Revoke() { s.OAuth.RevokeAll() }

// Disconnects counts the successful DELETE PartnerAppMembership calls.
func (s *Server) Disconnects() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.disconnects
}

// SetFault breaks the next n answers (n < 0: all until cleared) of API
// paths containing path ("": every API path) with f. Later rules win.
func (s *Server) SetFault(path string, f Fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, faultRule{path: path, fault: f, left: n})
}

// ClearFaults removes every fault rule.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Requests returns the log of requests so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// APIRequests counts logged API requests whose path contains sub ("": all).
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
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

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
	oauth := strings.HasPrefix(r.URL.Path, "/auth/oauth2/")
	rec := &recorder{ResponseWriter: w}
	defer func() {
		s.mu.Lock()
		s.log = append(s.log, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Status: rec.status, OAuth: oauth})
		s.mu.Unlock()
	}()
	if oauth {
		r2 := r.Clone(r.Context())
		switch r.URL.Path {
		case "/auth/oauth2/auth":
			r2.URL.Path = "/authorize"
		case "/auth/oauth2/token":
			r2.URL.Path = "/token"
		default:
			http.NotFound(rec, r)
			return
		}
		s.OAuth.Config.Handler.ServeHTTP(rec, r2)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, APIPath+"/")
	if !ok {
		writeError(rec, http.StatusNotFound, "not_found", "No such endpoint.", s.now())
		return
	}
	s.serveAPI(rec, r, rest)
}

func (s *Server) now() time.Time { return s.cfg.Now() }

// writeError answers Jawbone's error envelope.
func writeError(w http.ResponseWriter, status int, typ, detail string, now time.Time) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"meta": map[string]any{"code": status, "message": http.StatusText(status), "error_type": typ,
			"error_detail": detail, "time": now.Unix()},
		"data": map[string]any{},
	})
}

// bearer returns the request's access token if it is good.
func (s *Server) bearer(r *http.Request) (string, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" || !s.OAuth.ValidAccessToken(tok) {
		return tok, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return tok, !s.expired[tok]
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

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, rest string) {
	tok, ok := s.bearer(r)
	if !ok {
		writeError(w, http.StatusUnauthorized, "authentication_error", "You must be logged in to perform that action", s.now())
		return
	}
	if r.Method == http.MethodDelete && (rest == "users/@me/PartnerAppMembership" || rest == "users/"+UserXID+"/PartnerAppMembership") {
		s.disconnect(w, tok)
		return
	}
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Only GET and the disconnect are supported by this fake.", s.now())
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
		writeError(w, http.StatusInternalServerError, "server_error", "An unexpected error occurred.", s.now())
		return
	case FaultRateLimited:
		w.Header().Set("Retry-After", "120")
		writeError(w, http.StatusTooManyRequests, "rate_limit_exceeded", "Too many requests.", s.now())
		return
	}
	data, status := s.route(w, r, rest, f)
	if status != http.StatusOK {
		return // route wrote the error
	}
	body := map[string]any{
		"meta": map[string]any{"user_xid": UserXID, "message": "OK", "code": 200, "time": s.now().Unix()},
		"data": data,
	}
	switch f {
	case FaultNoData:
		delete(body, "data")
	case FaultMetaError:
		body["meta"] = map[string]any{"code": 401, "message": "Unauthorized", "error_type": "authentication_error",
			"error_detail": "You must be logged in to perform that action", "time": s.now().Unix()}
	}
	raw, err := json.Marshal(body)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "server_error", "fake: "+err.Error(), s.now())
		return
	}
	switch f {
	case FaultMalformed:
		raw = raw[:len(raw)/2]
	case FaultWrongTypes:
		raw = wrongTypes(raw)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(raw)
}

// disconnect ends the grant of tok, as Jawbone's "disconnect the app":
// the access token and its refresh token die.
func (s *Server) disconnect(w http.ResponseWriter, tok string) {
	form := url.Values{"token": {tok}}
	req := httptest.NewRequest(http.MethodPost, "/revoke", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.OAuth.Config.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		writeError(w, http.StatusInternalServerError, "server_error", "could not disconnect", s.now())
		return
	}
	s.mu.Lock()
	s.disconnects++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"meta": map[string]any{"user_xid": UserXID, "message": "OK", "code": 200, "time": s.now().Unix()},
		"data": map[string]any{},
	})
}

// wrongTypes replaces every number with true.
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
