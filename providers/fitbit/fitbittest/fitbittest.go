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
// the same server (authorize, token, revoke). The server, log, faults,
// rate window and data sharing are package fakekit's; this package holds
// Fitbit's routes, encoders and errors.
package fitbittest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/fakekit"
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

// Request is one logged request.
type Request = fakekit.Request

// Server is a running fake. Close it when done. URL is the base URL: API
// paths and /oauth2/* hang off it; OAuth is the underlying OAuth server
// (counts, Advance, Deny, ...).
type Server struct {
	*fakekit.Server

	cfg  Config
	rate *fakekit.Rate

	mu             sync.Mutex
	gone           bool
	intradayDenied bool
	secondsDenied  bool
	omitIntraday   bool
	secondsMemo    map[providers.Date]*secondsDay
}

// New starts a fake on a free loopback port.
func New(cfg Config) *Server { return fakekit.Must(Start(cfg, "127.0.0.1:0")) }

// Start starts a fake listening on addr, which must be a loopback
// address (the fake has no real security).
func Start(cfg Config, addr string) (*Server, error) {
	cfg.ClientID, cfg.RateLimit, cfg.AccessTTL = cmp.Or(cfg.ClientID, DefaultClientID),
		cmp.Or(cfg.RateLimit, DefaultRateLimit), cmp.Or(cfg.AccessTTL, DefaultAccessTTL)
	if cfg.RedirectURIs == nil {
		cfg.RedirectURIs = []string{DefaultRedirectURI}
	}
	s := &Server{cfg: cfg, rate: fakekit.NewRate(fakekit.RateConfig{
		Limit: cfg.RateLimit, Window: time.Hour, Now: cfg.Now,
		Headers: fakekit.RateHeaders{Limit: "Fitbit-Rate-Limit-Limit", Remaining: "Fitbit-Rate-Limit-Remaining",
			Reset: "Fitbit-Rate-Limit-Reset"},
	})}
	var err error
	s.Server, err = fakekit.Start(fakekit.Config{
		Name: "fake Fitbit", Addr: addr, Persona: cfg.Persona, Account: "fitbit-fake", Now: cfg.Now,
		EnvPrefix: "FITTUI_FITBIT_",
		OAuth: oauthtest.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, ClientAuth: oauthtest.ClientAuthHeader,
			RedirectURIs: cfg.RedirectURIs, UserID: EncodedUserID,
			RotateRefresh: true, AccessTTL: cfg.AccessTTL,
			FitbitErrors: true, FitbitFragment: true, RevokeClientAuth: true,
		},
		Scopes:      []string{"activity", "heartrate", "sleep", "weight", "profile", "settings"},
		OAuthPaths:  map[string]string{"/oauth2/authorize": "/authorize", "/oauth2/token": "/token", "/oauth2/revoke": "/revoke"},
		OAuthPrefix: "/oauth2/",
		Gate:        s.gate,
		AfterOAuth: func(path string, status int) {
			if path == "/revoke" && status == http.StatusOK {
				s.OAuth.RevokeAll() // Fitbit's revoke ends every grant of the app
			}
		},
		API: http.HandlerFunc(s.serveAPI),
	})
	return s, err
}

// Notes are the standalone command's last lines.
func (s *Server) Notes() []string { return []string{"revoke: " + s.RevokeURL()} }

// ExpireTokens makes every access token issued so far answer 401
// expired_token (as if it expired early); refreshing gives a good one.
func (s *Server) ExpireTokens() { s.OAuth.ExpireAccessTokens() }

// SetExpireNew makes every access token issued from now on answer 401
// expired_token at once (a server that keeps saying "expired").
func (s *Server) SetExpireNew(on bool) { s.OAuth.ExpireNew(on) }

// Revoke ends every grant, as a person removing the app: access tokens
// answer 401 invalid_token and refresh tokens invalid_grant.
func (s *Server) Revoke() { s.OAuth.RevokeAll() }

// SetGone switches the 410 mode: every path, OAuth included, answers
// 410 Gone as the API does since 2026-11-02.
func (s *Server) SetGone(on bool) { s.set(func() { s.gone = on }) }

// SetIntradayForbidden makes intraday paths answer 403, as for apps
// without intraday access.
func (s *Server) SetIntradayForbidden(on bool) { s.set(func() { s.intradayDenied = on }) }

// SetSecondsForbidden makes heart-rate intraday at 1sec detail answer
// 403 while 1min still answers: a server or app allowed minute data only.
func (s *Server) SetSecondsForbidden(on bool) { s.set(func() { s.secondsDenied = on }) }

// SetOmitIntraday leaves the "-intraday" block out of intraday answers
// (older servers' way of refusing).
func (s *Server) SetOmitIntraday(on bool) { s.set(func() { s.omitIntraday = on }) }

// SetRateLimit sets the per-hour budget and, with used >= 0, how much of
// the current hour's budget is spent.
func (s *Server) SetRateLimit(limit, used int) { s.rate.Set(limit, used) }

// SetResetHeader sends v as Fitbit-Rate-Limit-Reset instead of the real
// seconds to the top of the hour ("": back to normal).
func (s *Server) SetResetHeader(v string) { s.rate.SetResetHeader(v) }

// SetOmitRateHeaders leaves the Fitbit-Rate-Limit-* headers out.
func (s *Server) SetOmitRateHeaders(on bool) { s.rate.SetOmitHeaders(on) }

// SetFault breaks the next n answers (n < 0: all until cleared) of API
// paths containing path ("": every API path) with f. Later rules win.
func (s *Server) SetFault(path string, f Fault, n int) { s.Break(path, int(f), n, breaks[f]) }

// breaks says how the core breaks an answer for each Fault (serveAPI
// answers FaultSleepPending itself).
var breaks = map[Fault]fakekit.Fault{
	FaultStall:       {Stall: true},
	FaultServerError: {Status: http.StatusInternalServerError, Header: jsonHeader(), Body: errorsBody("system", "", "An unexpected error occurred.")},
	FaultMalformed:   {Spoil: fakekit.Truncate},
	FaultWrongTypes:  {Spoil: fakekit.WrongTypes},
	FaultMissing:     {Spoil: fakekit.Missing},
	FaultHuge:        {Spoil: fakekit.Huge(9 << 20)},
}

func (s *Server) set(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// Command is the standalone fakefitbit command.
func Command() fakekit.Command {
	var gone, noIntraday *bool
	return fakekit.Command{
		Name: "fakefitbit",
		Defaults: fakekit.Flags{Persona: "office", ClientID: DefaultClientID, RedirectURI: DefaultRedirectURI,
			RateLimit: DefaultRateLimit},
		SecretHelp: `client secret (empty: a public "Client" app without one)`,
		Own: func(fs *flag.FlagSet) {
			gone = fs.Bool("gone", false, "answer 410 Gone everywhere, as the API does since 2026-11-02")
			noIntraday = fs.Bool("no-intraday", false, "answer 403 on intraday requests")
		},
		Start: func(f fakekit.Flags) (fakekit.Fake, error) {
			s, err := Start(Config{Persona: f.Persona, ClientID: f.ClientID, ClientSecret: f.ClientSecret,
				RedirectURIs: []string{f.RedirectURI}, RateLimit: f.RateLimit}, f.Addr)
			if err != nil {
				return nil, err
			}
			s.SetGone(*gone)
			s.SetIntradayForbidden(*noIntraday)
			return s, nil
		},
	}
}

// gate answers 410 everywhere in the gone mode.
func (s *Server) gate(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	gone := s.gone
	s.mu.Unlock()
	if gone {
		writeErrors(w, http.StatusGone, "request", "", "The Fitbit Web API has been turned off.")
	}
	return gone
}

func jsonHeader() http.Header {
	return http.Header{"Content-Type": {"application/json;charset=UTF-8"}}
}

// errorsBody is Fitbit's error shape.
func errorsBody(typ, field, msg string) string {
	e := map[string]string{"errorType": typ, "message": msg}
	if field != "" {
		e["fieldName"] = field
	}
	b, _ := json.Marshal(map[string]any{"errors": []any{e}, "success": false})
	return string(b) + "\n"
}

// writeErrors answers Fitbit's error shape.
func writeErrors(w http.ResponseWriter, status int, typ, field, msg string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	w.Write([]byte(errorsBody(typ, field, msg)))
}

const visit = " Visit https://dev.fitbit.com/docs/oauth2 for more information on the Fitbit Web API authorization process."

// tokenState says whether the request's Bearer token is good, and if not
// which Fitbit error applies.
func (s *Server) tokenState(r *http.Request) (ok bool, errType, msg string) {
	tok := fakekit.BearerToken(r)
	if tok == "" {
		return false, "invalid_client", "Authorization header required." + visit
	}
	switch s.OAuth.AccessTokenState(tok) {
	case oauthtest.TokenUnknown, oauthtest.TokenRevoked:
		return false, "invalid_token", "Access token invalid: " + tok + "." + visit
	case oauthtest.TokenExpired:
		return false, "expired_token", "Access token expired: " + tok + "." + visit
	}
	return true, "", ""
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if ok, _ := s.rate.Take(w.Header()); !ok {
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
	f, _ := s.TakeFault(r.URL.Path)
	if s.Answer(w, r, f) {
		return
	}
	body, status := s.route(w, r)
	if status != http.StatusOK {
		return // route wrote the error
	}
	if Fault(f.Kind) == FaultSleepPending && strings.Contains(r.URL.Path, "/sleep/") {
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
	raw = f.SpoilBody(raw)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	w.Write(raw)
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
