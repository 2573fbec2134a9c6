// Package fakekit is what the provider fakes (fitbittest, googlehealthtest,
// misfittest, jawbonetest) share, so that each holds only its routes, its
// wire encoders and its data:
//
//   - Server: a loopback HTTP server with a request log, fault rules, an
//     optional rate window and the OAuth endpoints of auth/oauthtest
//     (PKCE, exact redirect URIs, rotating single-use refresh tokens)
//     mapped onto the provider's own paths;
//   - Rate: a request budget per window (clock-aligned or sliding) that
//     reports itself in the provider's own headers, or in none;
//   - Fault: per-route failures (a status and body, a held or dropped
//     connection, a stall, a spoiled body) consumed in order;
//   - Persona: a demo persona's data on the fake's clock, each settled
//     day made once per process and shared by every fake of the persona;
//   - Command and Run: the standalone main every fake's command runs.
//
// It is test and development infrastructure: nothing in fittui's binary
// imports it.
package fakekit

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/providers/demo"
)

// Config describes a fake's server.
type Config struct {
	// Name is the fake's name in errors ("fake Fitbit").
	Name string
	// Addr is where to listen; "": a free loopback port. Only loopback
	// addresses are accepted: the fake has no real security.
	Addr string
	// Persona is the demo persona whose data is served ("": "office"),
	// on clock Now (nil: time.Now); Account names its demo account in
	// errors.
	Persona, Account string
	Now              func() time.Time
	// EnvPrefix starts the names of the FITTUI_* settings that point
	// fittui at the fake ("FITTUI_FITBIT_"); APIPath is the API's root
	// under the server's URL ("" for the URL itself).
	EnvPrefix, APIPath string
	// OAuth configures the fake's OAuth server; Scopes are what Grant
	// grants.
	OAuth  oauthtest.Config
	Scopes []string
	// OAuthPaths maps the fake's OAuth paths to oauthtest's ("/authorize",
	// "/token", "/revoke"), e.g. "/oauth2/token": "/token".
	OAuthPaths map[string]string
	// OAuthPrefix marks the other OAuth paths (logged as OAuth; answered by
	// NotFound), e.g. "/oauth2/".
	OAuthPrefix string
	// Gate, when set, sees every request first and may answer it (true),
	// e.g. a shut-down API's 410 on every path.
	Gate func(w http.ResponseWriter, r *http.Request) bool
	// AfterOAuth, when set, is told the oauthtest path and status of each
	// OAuth request it answered.
	AfterOAuth func(path string, status int)
	// NotFound answers unknown OAuth paths; nil: http.NotFound.
	NotFound http.HandlerFunc
	// API serves every other request.
	API http.Handler
}

// Server is a running fake's core. Close it when done.
type Server struct {
	// URL is the server's root ("http://127.0.0.1:PORT").
	URL string
	// OAuth is the underlying OAuth server (grants, counts, secrets, knobs).
	OAuth *oauthtest.Server
	// Data is the served persona's data.
	Data *Persona

	cfg    Config
	srv    *httptest.Server
	stop   chan struct{}
	once   sync.Once
	faults faults

	mu          sync.Mutex
	log         []Request
	inFlight    int
	maxInFlight int
}

// Start starts a fake's core.
func Start(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if err := CheckLoopback(cfg.Name, cfg.Addr); err != nil {
		return nil, err
	}
	if cfg.NotFound == nil {
		cfg.NotFound = http.NotFound
	}
	data, err := NewPersona(cmp.Or(cfg.Persona, "office"), cfg.Account, cfg.Now)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Name, err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Name, err)
	}
	s := &Server{cfg: cfg, Data: data, stop: make(chan struct{}), OAuth: oauthtest.New(cfg.OAuth)}
	s.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}}
	s.srv.Start()
	s.URL = s.srv.URL
	return s, nil
}

// CheckLoopback refuses an address that is not on loopback.
func CheckLoopback(name, addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s: address %q: %w", name, addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s: address %q is not a loopback address; the fake listens on 127.0.0.1 or ::1 only", name, addr)
	}
	return nil
}

// Must returns s, panicking on err: for the New of each fake, which
// tests call on a free port where failing to listen is a broken machine.
func Must[S any](s S, err error) S {
	if err != nil {
		panic(err)
	}
	return s
}

// Close stops the server, releasing stalled and held requests first.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.stop)
		s.srv.Close()
		s.OAuth.Close()
	})
}

// Stopped is closed when the server is closing.
func (s *Server) Stopped() <-chan struct{} { return s.stop }

// BaseURL is URL, for the standalone runner.
func (s *Server) BaseURL() string { return s.URL }

// APIURL is the API's root: what fittui's API URL setting takes.
func (s *Server) APIURL() string { return s.URL + s.cfg.APIPath }

// AuthURL, TokenURL and RevokeURL are the OAuth endpoints on the fake's
// own paths ("" where it has none).
func (s *Server) AuthURL() string   { return s.oauthURL("/authorize") }
func (s *Server) TokenURL() string  { return s.oauthURL("/token") }
func (s *Server) RevokeURL() string { return s.oauthURL("/revoke") }

func (s *Server) oauthURL(to string) string {
	for from, t := range s.cfg.OAuthPaths {
		if t == to {
			return s.URL + from
		}
	}
	return ""
}

// ClientID and ClientSecret are the one OAuth client's.
func (s *Server) ClientID() string     { return s.cfg.OAuth.ClientID }
func (s *Server) ClientSecret() string { return s.cfg.OAuth.ClientSecret }

// Location is the served account's time zone.
func (s *Server) Location() *time.Location { return s.Data.Loc }

// Demo is the oracle: the demo provider whose data is served.
func (s *Server) Demo() *demo.Provider { return s.Data.Demo }

// Env lists the FITTUI_* settings that point fittui at the fake, as
// KEY=value: client id (and secret, if any), OAuth and API URLs, and the
// registered redirect URI where there is one.
func (s *Server) Env() []string {
	p := s.cfg.EnvPrefix
	env := []string{p + "CLIENT_ID=" + s.ClientID()}
	if s.ClientSecret() != "" {
		env = append(env, p+"CLIENT_SECRET="+s.ClientSecret())
	}
	env = append(env, p+"AUTH_URL="+s.AuthURL(), p+"TOKEN_URL="+s.TokenURL(), p+"API_URL="+s.APIURL())
	if r := s.cfg.OAuth.RedirectURIs; len(r) > 0 {
		env = append(env, p+"REDIRECT_URL="+r[0])
	}
	return env
}

// Grant issues a token pair for Config.Scopes as if someone had signed in.
func (s *Server) Grant() oauthtest.Pair { return s.OAuth.Grant(s.cfg.Scopes...) }

// Tokens grants a pair and returns a token source holding it that
// refreshes through the fake's token endpoint (spending single-use
// refresh tokens as fittui's stored tokens do); provider names the
// errors it returns.
func (s *Server) Tokens(provider string) *oauthtest.TokenSource {
	return oauthtest.NewTokenSource(s.OAuth, s.TokenURL(), s.Grant(), provider, "test")
}

// ServeHTTP logs the request, lets Gate see it, routes the OAuth paths to
// the OAuth server and the rest to the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w}
	oauthPath, isOAuth := s.cfg.OAuthPaths[r.URL.Path]
	isOAuth = isOAuth || s.cfg.OAuthPrefix != "" && strings.HasPrefix(r.URL.Path, s.cfg.OAuthPrefix)
	entry := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, OAuth: isOAuth, Header: clean(r.Header)}
	_, entry.TokenVia = AccessToken(r)
	if !isOAuth {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "cannot read the request body", http.StatusBadRequest)
			return
		}
		entry.Body = string(body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.mu.Lock()
		s.inFlight++
		s.maxInFlight = max(s.maxInFlight, s.inFlight)
		s.mu.Unlock()
	}
	defer func() {
		entry.Status = rec.status
		s.mu.Lock()
		if !isOAuth {
			s.inFlight--
		}
		s.log = append(s.log, entry)
		s.mu.Unlock()
	}()
	if s.cfg.Gate != nil && s.cfg.Gate(rec, r) {
		return
	}
	switch {
	case isOAuth && oauthPath == "":
		s.cfg.NotFound(rec, r)
	case isOAuth:
		r2 := r.Clone(r.Context())
		r2.URL.Path = oauthPath
		s.OAuth.Config.Handler.ServeHTTP(rec, r2)
		if s.cfg.AfterOAuth != nil {
			s.cfg.AfterOAuth(oauthPath, rec.status)
		}
	default:
		s.cfg.API.ServeHTTP(rec, r)
	}
}

// AccessToken finds the access token in the three places clients put it:
// an Authorization: Bearer header ("bearer"), an access_token query
// parameter ("query") or an access_token header ("header").
func AccessToken(r *http.Request) (tok, via string) {
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

// BearerToken is the request's Authorization: Bearer token, or "".
func BearerToken(r *http.Request) string {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return tok
}

// recorder captures the status for the log and passes flushes and
// hijacks through.
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

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
