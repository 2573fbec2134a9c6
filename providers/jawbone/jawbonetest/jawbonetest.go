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
// /nudge/api/v.1.1/, as on jawbone.com. The server, log, faults and data
// sharing are package fakekit's; this package holds Jawbone's routes,
// encoders and errors.
package jawbonetest

import (
	"cmp"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/providers/internal/fakekit"
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

// Request is one logged request.
type Request = fakekit.Request

// Server is a running fake. Close it when done. URL is the server's root
// (the API is under URL+APIPath); OAuth is the underlying OAuth server
// (counts, secrets, ...).
type Server struct {
	*fakekit.Server

	cfg Config

	mu          sync.Mutex
	disconnects int
	noTicks     map[string]bool  // sleep xids whose ticks answer 404
	docs        map[string][]doc // today's items by resource, for one clock reading
}

// New starts a fake on a free loopback port.
func New(cfg Config) *Server { return fakekit.Must(Start(cfg, "127.0.0.1:0")) }

// Start starts a fake listening on addr, which must be a loopback address
// (the fake has no real security).
func Start(cfg Config, addr string) (*Server, error) {
	cfg.ClientID, cfg.ClientSecret = cmp.Or(cfg.ClientID, DefaultClientID), cmp.Or(cfg.ClientSecret, DefaultClientSecret)
	cfg.PageSize, cfg.AccessTTL = cmp.Or(max(cfg.PageSize, 0), DefaultPageSize), cmp.Or(cfg.AccessTTL, DefaultAccessTTL)
	if cfg.RedirectURIs == nil {
		cfg.RedirectURIs = []string{DefaultRedirectURI}
	}
	s := &Server{cfg: cfg, docs: map[string][]doc{}}
	var err error
	s.Server, err = fakekit.Start(fakekit.Config{
		Name: "fake Jawbone", Addr: addr, Persona: cfg.Persona, Account: "jawbone-fake", Now: cfg.Now,
		EnvPrefix: "FITTUI_JAWBONE_", APIPath: APIPath,
		OAuth: oauthtest.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, ClientAuth: oauthtest.ClientAuthParams,
			RedirectURIs: cfg.RedirectURIs, RotateRefresh: true, AccessTTL: cfg.AccessTTL,
		},
		Scopes:      Scopes,
		OAuthPaths:  map[string]string{"/auth/oauth2/auth": "/authorize", "/auth/oauth2/token": "/token"},
		OAuthPrefix: "/auth/oauth2/",
		API:         http.HandlerFunc(s.serve),
	})
	return s, err
}

// RevokeURL is where fittui disconnects the app (DELETE).
func (s *Server) RevokeURL() string { return s.APIURL() + "/users/@me/PartnerAppMembership" }

// Notes are the standalone command's last lines.
func (s *Server) Notes() []string {
	return []string{"disconnect (fittui auth logout): DELETE " + s.RevokeURL()}
}

// Tokens is a providers.TokenSource for tests: it refreshes through the
// fake's token endpoint, spending the rotating refresh token each time.
type Tokens = oauthtest.TokenSource

// Tokens grants a pair and returns a token source holding it.
func (s *Server) Tokens() *Tokens { return s.Server.Tokens("jawbone") }

// ExpireTokens makes every access token valid now answer 401 (as if it
// expired early); a refresh gives a good one.
func (s *Server) ExpireTokens() { s.OAuth.ExpireAccessTokens() }

// Revoke ends every grant, as a person removing the app on the website.
func (s *Server) Revoke() { s.OAuth.RevokeAll() }

// SetMissingTicks makes GET sleeps/{xid}/ticks answer 404 for the sleep
// xid (see SleepXID), as Jawbone did for sleeps whose phases it no longer
// had (manual logs, old nights); the sleep itself is still listed.
func (s *Server) SetMissingTicks(xid string) {
	s.mu.Lock()
	if s.noTicks == nil {
		s.noTicks = map[string]bool{}
	}
	s.noTicks[xid] = true
	s.mu.Unlock()
}

// Disconnects counts the successful DELETE PartnerAppMembership calls.
func (s *Server) Disconnects() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.disconnects
}

// SetFault breaks the next n answers (n < 0: all until cleared) of API
// paths containing path ("": every API path) with f. Later rules win.
func (s *Server) SetFault(path string, f Fault, n int) { s.Break(path, int(f), n, breaks[f]) }

// breaks says how the core breaks an answer for the Faults it can; the
// others shape the envelope (serveAPI and route act on them).
var breaks = map[Fault]fakekit.Fault{
	FaultWrongTypes: {Spoil: fakekit.WrongNumbers},
	FaultMalformed:  {Spoil: fakekit.Truncate},
	FaultStall:      {Stall: true},
}

// Command is the standalone fakejawbone command.
func Command() fakekit.Command {
	var page *int
	return fakekit.Command{
		Name: "fakejawbone",
		Defaults: fakekit.Flags{Persona: "office", ClientID: DefaultClientID, ClientSecret: DefaultClientSecret,
			RedirectURI: DefaultRedirectURI},
		RateHelp: "unused: Jawbone documented no rate limit",
		Own: func(fs *flag.FlagSet) {
			page = fs.Int("page-size", DefaultPageSize, "largest page of a collection (small, so paging is exercised)")
		},
		Start: func(f fakekit.Flags) (fakekit.Fake, error) {
			return Start(Config{Persona: f.Persona, ClientID: f.ClientID, ClientSecret: f.ClientSecret,
				RedirectURIs: []string{f.RedirectURI}, PageSize: *page}, f.Addr)
		},
	}
}

// serve answers everything outside OAuth.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, APIPath+"/")
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "No such endpoint.", s.now())
		return
	}
	s.serveAPI(w, r, rest)
}

func (s *Server) now() time.Time { return s.Data.Now() }

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

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, rest string) {
	tok := fakekit.BearerToken(r)
	if tok == "" || s.OAuth.AccessTokenState(tok) != oauthtest.TokenLive {
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
	f, _ := s.TakeFault(r.URL.Path)
	if s.Answer(w, r, f) {
		return
	}
	switch Fault(f.Kind) {
	case FaultServerError:
		writeError(w, http.StatusInternalServerError, "server_error", "An unexpected error occurred.", s.now())
		return
	case FaultRateLimited:
		w.Header().Set("Retry-After", "120")
		writeError(w, http.StatusTooManyRequests, "rate_limit_exceeded", "Too many requests.", s.now())
		return
	}
	data, status := s.route(w, r, rest, Fault(f.Kind))
	if status != http.StatusOK {
		return // route wrote the error
	}
	body := map[string]any{
		"meta": map[string]any{"user_xid": UserXID, "message": "OK", "code": 200, "time": s.now().Unix()},
		"data": data,
	}
	switch Fault(f.Kind) {
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
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(f.SpoilBody(raw))
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
