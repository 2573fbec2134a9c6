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
// under /move/resource/v1/user/{me|userId}/. The server, log, faults,
// rate window and data sharing are package fakekit's; this package holds
// Misfit's routes, encoders and errors.
package misfittest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/providers/internal/fakekit"
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

// Request is one logged request; TokenVia says how the access token came
// ("bearer", "query", "header" or "").
type Request = fakekit.Request

// Server is a running fake. Close it when done. URL is the base URL: API
// paths and /auth/* hang off it; OAuth is the underlying OAuth server
// (counts, Deny, Secrets, ...).
type Server struct {
	*fakekit.Server

	cfg  Config
	rate *fakekit.Rate

	mu            sync.Mutex
	noDevice      bool
	wrappedDevice bool
	stray         map[string]bool // sleep ids whose details run past their end
}

// New starts a fake on a free loopback port.
func New(cfg Config) *Server { return fakekit.Must(Start(cfg, "127.0.0.1:0")) }

// Start starts a fake listening on addr, which must be a loopback
// address (the fake has no real security).
func Start(cfg Config, addr string) (*Server, error) {
	cfg.ClientID, cfg.ClientSecret = cmp.Or(cfg.ClientID, DefaultClientID), cmp.Or(cfg.ClientSecret, DefaultClientSecret)
	cfg.RateLimit, cfg.AccessTTL = cmp.Or(cfg.RateLimit, DefaultRateLimit), cmp.Or(cfg.AccessTTL, DefaultAccessTTL)
	if cfg.RedirectURIs == nil {
		cfg.RedirectURIs = []string{DefaultRedirectURI}
	}
	s := &Server{cfg: cfg, rate: fakekit.NewRate(fakekit.RateConfig{
		Limit: cfg.RateLimit, Window: time.Hour, Now: cfg.Now,
		Headers: fakekit.RateHeaders{Limit: "X-RateLimit-Limit", Remaining: "X-RateLimit-Remaining",
			Reset: "X-RateLimit-Reset", ResetEpoch: true},
	})}
	var err error
	s.Server, err = fakekit.Start(fakekit.Config{
		Name: "fake Misfit", Addr: addr, Persona: cfg.Persona, Account: "misfit-fake", Now: cfg.Now,
		EnvPrefix: "FITTUI_MISFIT_",
		OAuth: oauthtest.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, ClientAuth: oauthtest.ClientAuthParams,
			RedirectURIs: cfg.RedirectURIs, ScopeSeparator: ",", OmitScope: true,
			NoRefreshTokens: !cfg.RefreshTokens, AccessTTL: cfg.AccessTTL,
		},
		Scopes:      []string{"public", "tracking", "session", "sleeps"},
		OAuthPaths:  map[string]string{AuthPath: "/authorize", TokenPath: "/token"},
		OAuthPrefix: "/auth/",
		NotFound:    cannot,
		API:         http.HandlerFunc(s.serveAPI),
	})
	return s, err
}

// Notes are the standalone command's last lines.
func (s *Server) Notes() []string { return []string{"Misfit has no revoke endpoint"} }

// Tokens grants a pair and returns a token source holding it that
// refreshes through the fake's token endpoint.
func (s *Server) Tokens() *oauthtest.TokenSource { return s.Server.Tokens("misfit") }

// Revoke ends every grant, as a person removing the app: access tokens
// answer 401.
func (s *Server) Revoke() { s.OAuth.RevokeAll() }

// SetNoDevice makes GET .../device answer {} (no device linked).
func (s *Server) SetNoDevice(on bool) {
	s.mu.Lock()
	s.noDevice = on
	s.mu.Unlock()
}

// SetWrappedDevice answers GET .../device as {"device": {...}} instead of
// the bare object, as some servers did.
func (s *Server) SetWrappedDevice(on bool) {
	s.mu.Lock()
	s.wrappedDevice = on
	s.mu.Unlock()
}

// SetStraySleepDetail gives the sleep with id (see SleepID) a
// sleepDetails entry half an hour after the sleep's end: details outside
// their own sleep, as seen in the wild.
func (s *Server) SetStraySleepDetail(id string) {
	s.mu.Lock()
	if s.stray == nil {
		s.stray = map[string]bool{}
	}
	s.stray[id] = true
	s.mu.Unlock()
}

// SetRateLimit sets the per-hour budget and, with used >= 0, how much of
// the current hour's budget is spent.
func (s *Server) SetRateLimit(limit, used int) { s.rate.Set(limit, used) }

// SetResetHeader sends v as X-RateLimit-Reset instead of the epoch second
// the window ends ("": back to normal).
func (s *Server) SetResetHeader(v string) { s.rate.SetResetHeader(v) }

// SetOmitRateHeaders leaves the X-RateLimit-* headers out.
func (s *Server) SetOmitRateHeaders(on bool) { s.rate.SetOmitHeaders(on) }

// SetLowerCaseRateHeaders sends x-ratelimit-* in lower case, as
// python-misfit's mocks do.
func (s *Server) SetLowerCaseRateHeaders(on bool) { s.rate.SetLowerCaseHeaders(on) }

// SetFault breaks the next n answers (n < 0: all until cleared) of API
// paths containing path ("": every API path) with f. Later rules win.
func (s *Server) SetFault(path string, f Fault, n int) { s.Break(path, int(f), n, breaks[f]) }

// breaks says how the core breaks an answer for each Fault (serveAPI
// answers FaultEchoToken, which needs the request's token).
var breaks = map[Fault]fakekit.Fault{
	FaultBadGateway:   errorAnswer(http.StatusBadGateway, map[string]any{"error_code": 502, "error_message": "Bad Gateway"}),
	FaultPlainText5xx: {Status: http.StatusServiceUnavailable, Body: "Service Unavailable", Header: http.Header{"Content-Type": {"text/plain"}}},
	FaultCodeInBody:   errorAnswer(http.StatusBadRequest, map[string]any{"code": 401, "message": "Invalid Access Token"}),
	FaultRateInBody:   errorAnswer(http.StatusBadRequest, map[string]any{"error_code": 429, "error_message": "Rate limit exceeded"}),
	FaultStall:        {Stall: true},
	FaultMalformed:    {Spoil: fakekit.Truncate},
	FaultWrongTypes:   {Spoil: fakekit.WrongTypes},
	FaultMissing:      {Spoil: func([]byte) []byte { return []byte(`{}`) }},
}

// errorAnswer answers status with v as Misfit's JSON.
func errorAnswer(status int, v any) fakekit.Fault {
	b, _ := json.Marshal(v)
	return fakekit.Fault{Status: status, Body: string(b) + "\n", Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}}
}

// Command is the standalone fakemisfit command.
func Command() fakekit.Command {
	return fakekit.Command{
		Name: "fakemisfit",
		Defaults: fakekit.Flags{Persona: "office", ClientID: DefaultClientID, ClientSecret: DefaultClientSecret,
			RedirectURI: DefaultRedirectURI, RateLimit: DefaultRateLimit},
		Start: func(f fakekit.Flags) (fakekit.Fake, error) {
			return Start(Config{Persona: f.Persona, ClientID: f.ClientID, ClientSecret: f.ClientSecret,
				RedirectURIs: []string{f.RedirectURI}, RateLimit: f.RateLimit}, f.Addr)
		},
	}
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

// cannot is the plain-text 404 of an unknown path.
func cannot(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprintf(w, "Cannot GET %s", r.URL.Path)
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, ResourceRoot) {
		cannot(w, r)
		return
	}
	if ok, _ := s.rate.Take(w.Header()); !ok {
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error_code": 429, "error_message": "Rate limit exceeded"})
		return
	}
	tok, _ := fakekit.AccessToken(r)
	if tok == "" || !s.OAuth.ValidAccessToken(tok) {
		invalidToken(w)
		return
	}
	if r.Method != http.MethodGet {
		cannot(w, r)
		return
	}
	f, _ := s.TakeFault(r.URL.Path)
	if Fault(f.Kind) == FaultEchoToken {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error_message": "Invalid parameters for token " + tok})
		return
	}
	if s.Answer(w, r, f) {
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
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(f.SpoilBody(raw))
}
