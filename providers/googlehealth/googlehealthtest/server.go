// Package googlehealthtest is a fake Google Health API (v4) for tests and
// end-to-end runs: the documented wire formats of every method fittui
// calls (dataPoints list with filters and pagination, rollUp, dailyRollUp,
// profile, settings, identity, pairedDevices), int64 values as strings,
// omitted zero values, newest-first ordering, UTC times with the device's
// offsets, Google's error body, OAuth with PKCE through auth/oauthtest,
// Bearer checks, the 300-requests-per-user-per-minute limit, and knobs
// for the failures a client must survive.
//
// Its data is the demo provider's, converted to Google's JSON, so a test's
// oracle is providers/demo with the same persona and clock. The server,
// log, faults, rate window and data sharing are package fakekit's; this
// package holds Google's routes, filters, encoders and errors.
package googlehealthtest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/fakekit"
)

// Defaults for Config fields left zero.
const (
	DefaultClientID     = "fake-client.apps.googleusercontent.com"
	DefaultClientSecret = "fake-client-secret"
	DefaultPersona      = "office"
	// DefaultRateLimit is Google's per-user limit per minute.
	DefaultRateLimit = 300
	// DefaultMaxPageSize is where list pages are capped: Google documents
	// 10000, people observe about 5000.
	DefaultMaxPageSize = 5000
	// DefaultHistoryDays is how far back the account has data.
	DefaultHistoryDays = 2 * 365
)

// Scopes are the read-only scopes fittui asks for; Grant gives all of them
// by default.
var Scopes = []string{
	"https://www.googleapis.com/auth/googlehealth.activity_and_fitness.readonly",
	"https://www.googleapis.com/auth/googlehealth.health_metrics_and_measurements.readonly",
	"https://www.googleapis.com/auth/googlehealth.sleep.readonly",
	"https://www.googleapis.com/auth/googlehealth.profile.readonly",
	"https://www.googleapis.com/auth/googlehealth.settings.readonly",
}

// Config sets up a fake.
type Config struct {
	// Persona is the demo persona whose data the account holds
	// ("runner", "office", "nightshift"); "": DefaultPersona (the one with
	// a scale).
	Persona string
	// Now is the data clock: today's data stops at Now. nil: time.Now.
	Now func() time.Time
	// ClientID and ClientSecret of the single OAuth client; "": defaults.
	ClientID, ClientSecret string
	// RotateRefresh makes refresh tokens single use (Google's do not
	// rotate; Fitbit's did).
	RotateRefresh bool
	// AccessTTL is the access-token lifetime; 0: 1 hour.
	AccessTTL time.Duration
	// RateLimit is requests per user per minute; 0: DefaultRateLimit;
	// negative: unlimited.
	RateLimit int
	// MaxPageSize caps list and rollUp pages; 0: DefaultMaxPageSize.
	MaxPageSize int
	// HistoryDays is how many days before today hold data; 0:
	// DefaultHistoryDays.
	HistoryDays int
	// Addr is where to listen ("127.0.0.1:0" when empty); loopback only.
	Addr string
}

// Request is one request the fake answered; Key identifies it for
// duplicate checks (method, path, query and body).
type Request = fakekit.Request

// Server is a running fake. Its URL is the API root (what
// FITTUI_GOOGLEHEALTH_API_URL takes); the OAuth endpoints are under the
// same root: /authorize, /token, /revoke.
type Server struct {
	*fakekit.Server

	cfg  Config
	data *dataset
	rate *fakekit.Rate

	mu           sync.Mutex
	notLinked    bool
	deniedScopes map[string]bool
	noRetryAfter bool
	emptyPages   bool
}

// New starts a fake; Close it when done. It panics when it cannot listen
// (tests) and refuses non-loopback addresses.
func New(cfg Config) *Server { return fakekit.Must(Start(cfg)) }

// Start starts a fake and returns an error instead of panicking.
func Start(cfg Config) (*Server, error) {
	cfg.Persona, cfg.ClientID, cfg.ClientSecret = cmp.Or(cfg.Persona, DefaultPersona), cmp.Or(cfg.ClientID, DefaultClientID),
		cmp.Or(cfg.ClientSecret, DefaultClientSecret)
	cfg.RateLimit, cfg.MaxPageSize, cfg.HistoryDays = cmp.Or(cfg.RateLimit, DefaultRateLimit),
		cmp.Or(max(cfg.MaxPageSize, 0), DefaultMaxPageSize), cmp.Or(max(cfg.HistoryDays, 0), DefaultHistoryDays)
	// The per-minute limit runs on real time, like Google's: the data
	// clock of a test may stand still.
	s := &Server{cfg: cfg, deniedScopes: map[string]bool{},
		rate: fakekit.NewRate(fakekit.RateConfig{Limit: cfg.RateLimit, Window: time.Minute, Sliding: true})}
	var err error
	s.Server, err = fakekit.Start(fakekit.Config{
		Name: "fake Google Health", Addr: cfg.Addr, Persona: cfg.Persona, Account: cfg.Persona, Now: cfg.Now,
		EnvPrefix: "FITTUI_GOOGLEHEALTH_",
		OAuth: oauthtest.Config{
			ClientID:        cfg.ClientID,
			ClientSecret:    cfg.ClientSecret,
			ClientAuth:      oauthtest.ClientAuthParams,
			LoopbackAnyPort: true,
			RotateRefresh:   cfg.RotateRefresh,
			AccessTTL:       cfg.AccessTTL,
		},
		Scopes:     Scopes,
		OAuthPaths: map[string]string{"/authorize": "/authorize", "/token": "/token", "/revoke": "/revoke"},
		API:        http.HandlerFunc(s.serve),
	})
	if err != nil {
		return nil, err
	}
	s.data = newDataset(s.Data, cfg.HistoryDays)
	return s, nil
}

// Persona is the demo persona behind the account.
func (s *Server) Persona() string { return s.cfg.Persona }

// Command is the standalone fakegooglehealth command.
func Command() fakekit.Command {
	var empty, notLinked *bool
	return fakekit.Command{
		Name: "fakegooglehealth",
		Defaults: fakekit.Flags{Persona: DefaultPersona, ClientID: DefaultClientID, ClientSecret: DefaultClientSecret,
			RateLimit: DefaultRateLimit},
		RateHelp: "requests per minute before 429 (negative: unlimited)",
		Own: func(fs *flag.FlagSet) {
			empty = fs.Bool("empty-pages", false, "put empty pages with a nextPageToken between pages")
			notLinked = fs.Bool("not-linked", false, "answer every API request with ACCOUNT_NOT_LINKED")
		},
		Start: func(f fakekit.Flags) (fakekit.Fake, error) {
			s, err := Start(Config{Addr: f.Addr, Persona: f.Persona, ClientID: f.ClientID, ClientSecret: f.ClientSecret,
				RateLimit: f.RateLimit})
			if err != nil {
				return nil, err
			}
			s.SetEmptyPages(*empty)
			s.SetAccountNotLinked(*notLinked)
			return s, nil
		},
	}
}

// Grant issues a token pair as if the person had signed in (all Scopes
// when none are given).
func (s *Server) Grant(scopes ...string) oauthtest.Pair {
	if len(scopes) == 0 {
		scopes = Scopes
	}
	return s.OAuth.Grant(scopes...)
}

// Knobs.

// SetAccountNotLinked makes every API request fail with 400
// FAILED_PRECONDITION / ACCOUNT_NOT_LINKED, as for a Google account
// without Fitbit data.
func (s *Server) SetAccountNotLinked(on bool) {
	s.mu.Lock()
	s.notLinked = on
	s.mu.Unlock()
}

// ExpireAccessTokens makes every access token issued so far expire (the
// API answers 401) while refresh tokens keep working.
func (s *Server) ExpireAccessTokens() {
	ttl := s.cfg.AccessTTL
	if ttl == 0 {
		ttl = time.Hour
	}
	s.OAuth.Advance(ttl + time.Minute)
}

// Revoke kills every token, as a person removing fittui's access.
func (s *Server) Revoke() { s.OAuth.RevokeAll() }

// DenyScope makes requests that need scope fail with 403
// PERMISSION_DENIED / ACCESS_TOKEN_SCOPE_INSUFFICIENT, as when the person
// unticked it on the consent screen.
func (s *Server) DenyScope(scope string) {
	s.mu.Lock()
	s.deniedScopes[scope] = true
	s.mu.Unlock()
}

// SetRateLimit sets the requests allowed per minute (negative: unlimited)
// and forgets the requests counted so far.
func (s *Server) SetRateLimit(perMinute int) { s.rate.Set(perMinute, 0) }

// SetRetryAfter chooses whether 429 answers carry a Retry-After header
// (they do by default; Google does not document it).
func (s *Server) SetRetryAfter(on bool) {
	s.mu.Lock()
	s.noRetryAfter = !on
	s.mu.Unlock()
}

// SetEmptyPages makes paginated answers start with an empty page and put
// an empty page between any two pages, each with a nextPageToken, as
// Google sometimes does.
func (s *Server) SetEmptyPages(on bool) {
	s.mu.Lock()
	s.emptyPages = on
	s.mu.Unlock()
}

// FaultKind is a way to answer badly.
type FaultKind int

const (
	// FaultStatus answers Code with Google's error body (Status, Reason,
	// Message).
	FaultStatus FaultKind = iota + 1
	// FaultMalformedJSON answers 200 with the real body cut in half.
	FaultMalformedJSON
	// FaultWrongTypes answers 200 with integers turned into objects and
	// numbers into booleans.
	FaultWrongTypes
	// FaultMissingFields answers 200 without times, intervals and dates.
	FaultMissingFields
	// FaultHugeBody answers 200 with HugeBytes of valid-looking JSON.
	FaultHugeBody
	// FaultStall never answers; the request hangs until the client gives
	// up or the fake closes.
	FaultStall
	// FaultHTML answers Code with an HTML page, as a proxy would.
	FaultHTML
)

// HugeBytes is the size of a FaultHugeBody answer: over the client's
// default 8 MiB cap.
const HugeBytes = 12 << 20

// Fault is an injected failure for requests whose path contains Path
// ("" matches all), Times times (negative: until cleared).
type Fault struct {
	Kind  FaultKind
	Path  string
	Times int

	Code    int // FaultStatus, FaultHTML
	Status  string
	Reason  string
	Message string
	// RetryAfter is sent on FaultStatus answers when non-empty.
	RetryAfter string
}

// Inject adds a fault; the newest matching fault wins.
func (s *Server) Inject(f Fault) {
	k := fakekit.Fault{Path: f.Path, Times: f.Times, Kind: int(f.Kind)}
	switch f.Kind {
	case FaultStatus:
		k.Status, k.Header, k.Body = f.Code, jsonHeader(), errorBody(f.Code, f.Status, f.Reason, f.Message)
		if f.RetryAfter != "" {
			k.Header.Set("Retry-After", f.RetryAfter)
		}
	case FaultHTML:
		k.Status, k.Header = f.Code, http.Header{"Content-Type": {"text/html; charset=UTF-8"}}
		k.Body = "<!DOCTYPE html><html><body><h1>Bad Gateway</h1></body></html>"
	case FaultStall:
		k.Stall = true
	}
	s.AddFault(k) // the body faults need the route's answer: serve acts on them
}

// ClearFaults removes every injected fault and knob failure (not-linked,
// denied scopes).
func (s *Server) ClearFaults() {
	s.Server.ClearFaults()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notLinked = false
	s.deniedScopes = map[string]bool{}
}

// Requests returns the API requests answered so far, oldest first (the
// OAuth endpoints' are not counted).
func (s *Server) Requests() []Request { return s.APILog() }

// Count is the number of API requests answered so far.
func (s *Server) Count() int { return len(s.APILog()) }

// ResetRequests forgets the request log and the in-flight peak.
func (s *Server) ResetRequests() { s.ResetLog() }

// serve is the entry to every request outside OAuth: auth, rate limit,
// faults, then the route.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/v4/") {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "", "The requested URL was not found on this server.")
		return
	}
	body, _ := io.ReadAll(r.Body) // the core has read it once already
	tok := fakekit.BearerToken(r)
	if tok == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/"`)
		writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "CREDENTIALS_MISSING",
			"Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
		return
	}
	if !s.OAuth.ValidAccessToken(tok) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/", error="invalid_token"`)
		writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "ACCESS_TOKEN_EXPIRED",
			"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
		return
	}
	if ok, wait := s.rate.Take(w.Header()); !ok {
		s.mu.Lock()
		noRA := s.noRetryAfter
		s.mu.Unlock()
		if !noRA {
			w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds()+0.999)))
		}
		writeError(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", "RATE_LIMIT_EXCEEDED",
			"Quota exceeded for quota metric 'Requests per user' and limit 'Requests per minute per user' of service 'health.googleapis.com'.")
		return
	}
	if f, ok := s.TakeFault(r.URL.Path); ok && (s.Answer(w, r, f) || s.spoil(w, r, body, f)) {
		return
	}
	s.mu.Lock()
	notLinked := s.notLinked
	s.mu.Unlock()
	if notLinked {
		writeError(w, http.StatusBadRequest, "FAILED_PRECONDITION", "ACCOUNT_NOT_LINKED",
			"The Google account is not linked to a Google Health (Fitbit) account.")
		return
	}
	s.route(w, r, body)
}

// spoil answers the body faults (Google's kinds, or any fault's Spoil);
// false means "answer normally after all".
func (s *Server) spoil(w http.ResponseWriter, r *http.Request, body []byte, f fakekit.Fault) bool {
	kind := FaultKind(f.Kind)
	if f.Spoil != nil {
		kind = FaultMalformedJSON // answered through the recorder below
	}
	switch kind {
	case FaultHugeBody:
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		io.WriteString(w, `{"dataPoints":[`)
		chunk := []byte(`{"steps":{"count":"1","interval":{"startTime":"2026-01-01T00:00:00Z","endTime":"2026-01-01T00:01:00Z"}}},`)
		for n := 0; n < HugeBytes; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return true
			}
		}
		io.WriteString(w, `{}]}`)
	case FaultMalformedJSON, FaultWrongTypes, FaultMissingFields:
		rec := httptest.NewRecorder()
		s.route(rec, r, body)
		out := rec.Body.Bytes()
		switch {
		case rec.Code != http.StatusOK:
		case f.Spoil != nil:
			out = f.Spoil(out)
		default:
			out = corrupt(out, kind)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(out)
	default:
		return false
	}
	return true
}

// corrupt spoils a good JSON answer the way kind says.
func corrupt(body []byte, kind FaultKind) []byte {
	if kind == FaultMalformedJSON {
		return body[:len(body)/2]
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return body
	}
	v = walk(v, kind)
	out, _ := json.Marshal(v)
	return out
}

// dropped are the fields FaultMissingFields leaves out: without them no
// point can be placed in time.
var dropped = map[string]bool{
	"startTime": true, "endTime": true, "physicalTime": true, "interval": true,
	"sampleTime": true, "date": true, "civilStartTime": true, "timeZone": true, "utcOffset": true,
}

func walk(v any, kind FaultKind) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if kind == FaultMissingFields && dropped[k] {
				delete(x, k)
				continue
			}
			if k == "name" || k == "nextPageToken" || k == "@type" {
				continue
			}
			x[k] = walk(e, kind)
		}
		return x
	case []any:
		for i := range x {
			x[i] = walk(x[i], kind)
		}
		return x
	case string:
		if kind == FaultWrongTypes && isInteger(x) {
			return map[string]any{"value": x}
		}
	case float64:
		if kind == FaultWrongTypes {
			return true
		}
	}
	return v
}

func isInteger(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c >= '0' && c <= '9' || i == 0 && c == '-') {
			return false
		}
	}
	return true
}

// errorBody is Google's error body (google.rpc.Status with an ErrorInfo
// detail when reason is set).
func errorBody(code int, status, reason, message string, metadata ...map[string]string) string {
	e := map[string]any{"code": code, "message": message, "status": status}
	if reason != "" {
		info := map[string]any{
			"@type":  "type.googleapis.com/google.rpc.ErrorInfo",
			"reason": reason,
			"domain": "health.googleapis.com",
		}
		if len(metadata) > 0 && len(metadata[0]) > 0 {
			info["metadata"] = metadata[0]
		}
		e["details"] = []any{info}
	}
	b, _ := encode(map[string]any{"error": e})
	return string(b)
}

// writeError answers Google's error body.
func writeError(w http.ResponseWriter, code int, status, reason, message string, metadata ...map[string]string) {
	for k, v := range jsonHeader() {
		w.Header()[k] = v
	}
	w.WriteHeader(code)
	io.WriteString(w, errorBody(code, status, reason, message, metadata...))
}

func jsonHeader() http.Header {
	return http.Header{"Content-Type": {"application/json; charset=UTF-8"}}
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return buf.Bytes(), err
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := encode(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	w.Write(b)
}

// invalid answers 400 INVALID_ARGUMENT.
func invalid(w http.ResponseWriter, reason, format string, args ...any) {
	writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", reason, fmt.Sprintf(format, args...))
}

// providersDate is a shorthand used across the fake.
type providersDate = providers.Date
