package providers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// A provider's descriptor is its Registration: every fact fittui outside
// providers/ needs about it (sign-in, rate limit, configuration keys, what
// it serves) is data here, so auth, cache, the configuration, the login
// screen and the commands read the registry instead of switching on
// names. The types below are plain data: auth maps OAuth to
// golang.org/x/oauth2, cache maps RateLimit to its budget.

// DefaultRedirectPort is the loopback port of the redirect URI people
// register for providers that match it exactly (OAuth.RedirectPort):
// http://127.0.0.1:8484/callback.
const DefaultRedirectPort = 8484

// ClientAuth is how an OAuth client with a secret authenticates at the
// token endpoint. There is deliberately no "detect": auto-detection
// retries a refused request the other way and may send a single-use code
// twice.
type ClientAuth int

const (
	// ClientAuthForm sends client_id and client_secret as form
	// parameters.
	ClientAuthForm ClientAuth = iota + 1
	// ClientAuthBasic sends them as HTTP Basic authentication.
	ClientAuthBasic
)

// RevokeStyle says how a provider revokes tokens.
type RevokeStyle int

const (
	// RevokeNone: the provider has no revoke endpoint.
	RevokeNone RevokeStyle = iota
	// RevokeForm: RFC 7009, POST form token=<refresh or access token>.
	RevokeForm
	// RevokeDeleteBearer: DELETE the revoke URL with the access token as
	// Bearer ("disconnect the app").
	RevokeDeleteBearer
)

// OAuth is how a provider signs people in: OAuth 2.0 authorization code
// with PKCE, through fittui's own loopback redirect.
type OAuth struct {
	// Title is what people call the service they sign in to, for
	// messages ("To sign in to Fitbit ...").
	Title string

	AuthURL  string
	TokenURL string
	// RevokeURL is empty when Revoke is RevokeNone.
	RevokeURL string
	Revoke    RevokeStyle
	// RevokeClientAuth: the revoke request carries the client's
	// credentials; otherwise the token alone.
	RevokeClientAuth bool
	// When endpoints are configured (a compatible server, a fake), the
	// revoke URL follows them so a token only ever goes back to the
	// server that issued it. RevokeBesideToken names the revoke URL's
	// last path element next to the configured token URL ("revoke":
	// .../token -> .../revoke); RevokeUnderAPI is a path under the
	// configured API URL. A provider that revokes sets one of them.
	RevokeBesideToken string
	RevokeUnderAPI    string
	// RevokeHint tells a person where to remove fittui's access by hand
	// (revoking failed, or the provider cannot revoke).
	RevokeHint string

	// Scopes fittui asks for: read-only and minimal.
	Scopes []string
	// ScopeSeparator joins Scopes in the authorize request.
	ScopeSeparator string

	// ClientAuth is how a client with a secret authenticates.
	ClientAuth ClientAuth
	// PublicClient: a PKCE client without a secret is allowed; it sends
	// client_id in the form.
	PublicClient bool

	// RedirectPort is the loopback port of the registered redirect URI
	// for providers that match it exactly, port included (usually
	// DefaultRedirectPort); 0: any free port works.
	RedirectPort int

	// AuthParams are extra authorize parameters.
	AuthParams map[string]string

	// ClientHelp tells a person how to get a client id (and secret).
	ClientHelp string
}

// FixedPort reports whether the redirect URI must use RedirectPort.
func (o *OAuth) FixedPort() bool { return o.RedirectPort != 0 }

// clone returns a deep copy, so callers cannot change the registry.
func (o *OAuth) clone() *OAuth {
	if o == nil {
		return nil
	}
	c := *o
	c.Scopes = slices.Clone(o.Scopes)
	if o.AuthParams != nil {
		c.AuthParams = make(map[string]string, len(o.AuthParams))
		for k, v := range o.AuthParams {
			c.AuthParams[k] = v
		}
	}
	return &c
}

// ResetClock says how a rate-limit reset header writes its time.
type ResetClock int

const (
	// ResetSecondsUntil: the number of seconds until the window resets.
	ResetSecondsUntil ResetClock = iota + 1
	// ResetUnixSeconds: the reset time as seconds since the Unix epoch.
	ResetUnixSeconds
)

// RateHeaders names the response headers that report a rate limit. An
// empty name means the provider does not send that header.
type RateHeaders struct {
	Limit     string // the window's size
	Remaining string // requests left in the window
	Reset     string // when the window resets, written as ResetAs says
	ResetAs   ResetClock
	// TrustRetryAfter: on a 429 a Retry-After header wins over Reset.
	// Otherwise Retry-After is ignored when Reset is named (Fitbit's is
	// reported not to match its reset).
	TrustRetryAfter bool
}

// Any reports whether any header is named.
func (h RateHeaders) Any() bool { return h.Limit != "" || h.Remaining != "" || h.Reset != "" }

// RateLimit is a provider's request allowance per user and how its
// answers report it. The zero value: no documented limit (a 429 is still
// honoured).
type RateLimit struct {
	Requests int           // per window; 0: no documented limit
	Window   time.Duration // windows start at multiples of Window (top of the hour, of the minute)
	// Headers report the limit on answers (and the wait on a 429).
	Headers RateHeaders
	// Doc says where the limit is documented and how it is reported,
	// for people.
	Doc string
}

// RateReading is what one answer's rate-limit headers said.
type RateReading struct {
	Limit     int       // the window's size; -1: not sent
	Remaining int       // requests left in the window; -1: not sent
	Reset     time.Time // when the window resets; zero: not sent
}

// Setting keys of a [provider.NAME] table (FITTUI_<NAME>_<KEY> overrides
// each). These are the keys the configuration knows how to hold.
const (
	SettingClientID     = "client_id"
	SettingClientSecret = "client_secret"
	SettingAuthURL      = "auth_url"
	SettingTokenURL     = "token_url"
	SettingAPIURL       = "api_url"
	SettingRedirectURL  = "redirect_url"
)

// SettingKeys lists every setting key, in the order messages list them.
func SettingKeys() []string {
	return []string{SettingClientID, SettingClientSecret, SettingAuthURL, SettingTokenURL, SettingAPIURL, SettingRedirectURL}
}

// Setting is one key a provider reads from its [provider.NAME] table.
type Setting struct {
	Key     string // one of SettingKeys
	Meaning string
}

// OAuthSettings are the settings of a provider that signs in with OAuth:
// its client and, to point fittui at a compatible server or a fake, its
// endpoints.
func OAuthSettings() []Setting {
	return []Setting{
		{SettingClientID, "the OAuth client id of your app"},
		{SettingClientSecret, "the OAuth client secret, where the app has one"},
		{SettingAuthURL, "the authorize endpoint (default: the provider's)"},
		{SettingTokenURL, "the token endpoint (default: the provider's)"},
		{SettingAPIURL, "the API's base URL (default: the provider's)"},
		{SettingRedirectURL, "the loopback redirect URI registered with the app"},
	}
}

// Option is one key of an account's [account.options] table that the
// provider reads.
type Option struct {
	Key     string
	Meaning string
	// Values are the accepted values; nil: free text.
	Values []string
	// Default is what an account without the option gets ("": none).
	Default string
}

// Metric names a kind of data a provider can serve.
type Metric string

const (
	MetricSteps            Metric = "steps"
	MetricHeartRate        Metric = "heart_rate"
	MetricRestingHeartRate Metric = "resting_heart_rate"
	MetricDistance         Metric = "distance"
	MetricCalories         Metric = "calories"
	MetricActiveMinutes    Metric = "active_minutes"
	MetricFloors           Metric = "floors"
	MetricSleep            Metric = "sleep"
	MetricWeight           Metric = "weight"
)

// Metrics lists every metric, in the order tables show them.
func Metrics() []Metric {
	return []Metric{MetricSteps, MetricHeartRate, MetricRestingHeartRate, MetricDistance, MetricCalories,
		MetricActiveMinutes, MetricFloors, MetricSleep, MetricWeight}
}

// Day is the resolution of one value a day.
const Day = 24 * time.Hour

// Serving says that a provider serves a metric, and how finely.
type Serving struct {
	Metric Metric
	// Finest is the shortest interval fittui gets the metric at from
	// this provider: time.Minute for per-minute data, Day for one value
	// a day. Zero when AsRecorded.
	Finest time.Duration
	// AsRecorded: every reading or event as the device recorded it, at
	// irregular times (heart-rate readings, weigh-ins, sleeps).
	AsRecorded bool
	// Note adds what a person should know ("stages: deep, light, rem,
	// wake").
	Note string
}

// Daily serves each of metrics as one value a day.
func Daily(metrics ...Metric) []Serving {
	out := make([]Serving, len(metrics))
	for i, m := range metrics {
		out[i] = Serving{Metric: m, Finest: Day}
	}
	return out
}

// Resolution writes Finest for people: "as recorded", "1 s", "1 min",
// "15 min", "1 h", "daily".
func (s Serving) Resolution() string {
	switch {
	case s.AsRecorded:
		return "as recorded"
	case s.Finest == Day:
		return "daily"
	case s.Finest%time.Hour == 0:
		return fmt.Sprintf("%d h", s.Finest/time.Hour)
	case s.Finest%time.Minute == 0:
		return fmt.Sprintf("%d min", s.Finest/time.Minute)
	}
	return fmt.Sprintf("%d s", s.Finest/time.Second)
}

// Importer adds files a person has (an account export) to an offline
// account: `fittui import`. The command's texts are the importer's.
type Importer struct {
	Short, Long, Example string
	// DefaultAccount is the account an import goes to without --account.
	DefaultAccount string
	// Import reads req.Paths into req.Account. The result may carry
	// warnings even when err is set.
	Import func(ctx context.Context, req ImportRequest) (ImportResult, error)
}

// ImportRequest is one import.
type ImportRequest struct {
	Paths   []string
	Account string
	// TimeZone is the IANA zone the person says the data was recorded in
	// (`--time-zone`); "": the importer finds it or assumes one.
	TimeZone string
	Now      func() time.Time
	// OnProgress, if set, hears the bytes read of the bytes to read.
	OnProgress func(done, total int64)
}

// ImportResult is what an import did.
type ImportResult struct {
	// Warnings are problems that did not stop the import (a damaged file
	// left out), one sentence each.
	Warnings []string
	// Summary is the report to print.
	Summary string
}

// nameRE is a registry name; one that takes settings has no dash, since
// it is spelled in FITTUI_<NAME>_* variables.
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// Check reports what is missing from or inconsistent in r. Register
// panics on a failing registration; the built-in providers' descriptors
// are also checked for completeness by the registry's contract test.
func (r Registration) Check() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !nameRE.MatchString(r.Name) {
		bad("name %q: use lower-case letters, digits and dashes", r.Name)
	}
	if r.Title == "" {
		bad("no title")
	}
	if r.New == nil && r.OAuth == nil {
		bad("neither a data provider (New) nor a sign-in (OAuth)")
	}
	if o := r.OAuth; o != nil {
		errs = append(errs, o.check()...)
		if !hasSetting(r.Settings, SettingClientID) {
			bad("signs in but takes no %s setting", SettingClientID)
		}
		if !o.PublicClient && !hasSetting(r.Settings, SettingClientSecret) {
			bad("needs a client secret but takes no %s setting", SettingClientSecret)
		}
	}
	for i, s := range r.Settings {
		switch {
		case !slices.Contains(SettingKeys(), s.Key):
			bad("setting %q: not one the configuration holds (%s)", s.Key, strings.Join(SettingKeys(), ", "))
		case s.Meaning == "":
			bad("setting %q has no meaning", s.Key)
		case slices.ContainsFunc(r.Settings[:i], func(o Setting) bool { return o.Key == s.Key }):
			bad("setting %q twice", s.Key)
		}
	}
	if len(r.Settings) > 0 && strings.Contains(r.Name, "-") {
		bad("takes settings, so its name must be letters and digits for FITTUI_<NAME>_*")
	}
	for i, o := range r.Options {
		switch {
		case o.Key == "" || o.Meaning == "":
			bad("option %q: key and meaning needed", o.Key)
		case slices.ContainsFunc(r.Options[:i], func(p Option) bool { return p.Key == o.Key }):
			bad("option %q twice", o.Key)
		case o.Default != "" && o.Values != nil && !slices.Contains(o.Values, o.Default):
			bad("option %q: default %q is not one of its values", o.Key, o.Default)
		}
	}
	errs = append(errs, r.Rate.check()...)
	for i, s := range r.Serves {
		switch {
		case !slices.Contains(Metrics(), s.Metric):
			bad("serves unknown metric %q", s.Metric)
		case s.AsRecorded == (s.Finest != 0):
			bad("%s: say either Finest or AsRecorded", s.Metric)
		case s.Finest < 0 || s.Finest > Day:
			bad("%s: finest resolution %v out of range", s.Metric, s.Finest)
		case slices.ContainsFunc(r.Serves[:i], func(o Serving) bool { return o.Metric == s.Metric }):
			bad("serves %s twice", s.Metric)
		}
	}
	if im := r.Import; im != nil && (im.Import == nil || im.Short == "" || im.Long == "" || im.DefaultAccount == "") {
		bad("importer without its function, help or default account")
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("provider %q: %w", r.Name, err)
	}
	return nil
}

func hasSetting(list []Setting, key string) bool {
	return slices.ContainsFunc(list, func(s Setting) bool { return s.Key == key })
}

func (o *OAuth) check() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if o.Title == "" || o.ClientHelp == "" {
		bad("sign-in without a title or client help")
	}
	for what, u := range map[string]string{"auth URL": o.AuthURL, "token URL": o.TokenURL} {
		if !absoluteHTTPS(u) {
			bad("%s %q is not an absolute https URL", what, u)
		}
	}
	switch o.Revoke {
	case RevokeNone:
		if o.RevokeURL != "" || o.RevokeBesideToken != "" || o.RevokeUnderAPI != "" {
			bad("revokes nothing but names a revoke URL")
		}
	case RevokeForm, RevokeDeleteBearer:
		if !absoluteHTTPS(o.RevokeURL) {
			bad("revoke URL %q is not an absolute https URL", o.RevokeURL)
		}
		if (o.RevokeBesideToken == "") == (o.RevokeUnderAPI == "") {
			bad("revokes: say how the revoke URL follows configured endpoints (RevokeBesideToken or RevokeUnderAPI)")
		}
	default:
		bad("unknown revoke style %d", o.Revoke)
	}
	if o.RevokeHint == "" {
		bad("no hint on revoking by hand")
	}
	if len(o.Scopes) == 0 || o.ScopeSeparator == "" {
		bad("no scopes or scope separator")
	}
	for _, s := range o.Scopes {
		if strings.Contains(strings.ToLower(s), "write") {
			bad("asks for a write scope %s", s)
		}
	}
	if o.ClientAuth != ClientAuthForm && o.ClientAuth != ClientAuthBasic {
		bad("client authentication %d is not explicit", o.ClientAuth)
	}
	if o.RedirectPort < 0 || o.RedirectPort > 65535 {
		bad("redirect port %d", o.RedirectPort)
	}
	return errs
}

func (l RateLimit) check() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	switch {
	case l.Requests < 0 || l.Window < 0:
		bad("negative rate limit")
	case l.Requests > 0 && l.Window <= 0:
		bad("a limit of %d requests without a window", l.Requests)
	case l.Requests > 0 && l.Doc == "":
		bad("a rate limit without saying where it is documented")
	}
	h := l.Headers
	switch {
	case h.Remaining != "" && h.Reset == "":
		// Without the reset a count cannot be placed in a window.
		bad("rate headers name the remaining count but not the reset")
	case h.Limit != "" && h.Remaining == "":
		bad("rate headers name the limit but not the remaining count")
	case h.Reset != "" && h.ResetAs != ResetSecondsUntil && h.ResetAs != ResetUnixSeconds:
		bad("rate reset header %s without its clock", h.Reset)
	case h.Remaining != "" && l.Requests == 0:
		bad("rate headers report a limit that is not documented")
	}
	return errs
}

func absoluteHTTPS(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// CheckIntraday reports where a day's Intraday answer disagrees with what
// r says it serves: a series coarser or finer than the descriptor's
// finest resolution, or samples of a metric it does not serve. A series
// at daily resolution is a fallback (no intraday access) and agrees. The
// providers' tests hold each descriptor to its provider with it.
func (r Registration) CheckIntraday(in Intraday) error {
	var errs []error
	for _, c := range []struct {
		m Metric
		s Series
	}{{MetricSteps, in.Steps}, {MetricHeartRate, in.HeartRate}} {
		i := slices.IndexFunc(r.Serves, func(s Serving) bool { return s.Metric == c.m })
		switch {
		case i < 0:
			if len(c.s.Samples) > 0 {
				errs = append(errs, fmt.Errorf("%s: %d samples of a metric the descriptor does not serve", c.m, len(c.s.Samples)))
			}
		case len(c.s.Samples) == 0 || c.s.Resolution == Day:
		case r.Serves[i].AsRecorded && c.s.Resolution != 0:
			errs = append(errs, fmt.Errorf("%s: served at %v, the descriptor says as recorded", c.m, c.s.Resolution))
		case !r.Serves[i].AsRecorded && c.s.Resolution != r.Serves[i].Finest:
			errs = append(errs, fmt.Errorf("%s: served at %v, the descriptor says %v", c.m, c.s.Resolution, r.Serves[i].Finest))
		}
	}
	return errors.Join(errs...)
}
