// Package auth signs people in to cloud fitness providers with OAuth 2.0
// (authorization code + PKCE, loopback callback or pasted redirect URL) and
// keeps their tokens fresh across processes.
//
// A login is driven step by step so a UI never blocks: Start binds the
// callback port and returns the URL to show; Wait (run it in a goroutine or
// a tea.Cmd) returns the grant; SubmitPaste feeds a redirect URL pasted by
// the person; Close abandons the attempt. Source turns a stored token into
// an oauth2.TokenSource that refreshes under a cross-process lock.
package auth

import (
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// DefaultLoginTimeout is how long a login waits for the browser: the
// lifetime of an authorization code at Fitbit and Jawbone.
const DefaultLoginTimeout = 10 * time.Minute

// DefaultFixedPort is the loopback port for providers that need the exact
// redirect URI registered (Fitbit, Misfit, Jawbone): register
// http://127.0.0.1:8484/callback with the app, or pick another port with
// --port / FITTUI_<PROVIDER>_REDIRECT_URL and register that instead.
const DefaultFixedPort = 8484

// CallbackPath is the default path of the loopback redirect URI.
const CallbackPath = "/callback"

// RevokeStyle says how a provider revokes tokens.
type RevokeStyle int

const (
	// RevokeNone: the provider has no revoke endpoint.
	RevokeNone RevokeStyle = iota
	// RevokeForm: RFC 7009, POST form token=<refresh or access token>.
	RevokeForm
	// RevokeDeleteBearer: DELETE the revoke URL with the access token as
	// Bearer (Jawbone's "disconnect the app").
	RevokeDeleteBearer
)

// Spec is what fittui knows about one provider's OAuth 2.0 server.
type Spec struct {
	Name  string // registry name: googlehealth, fitbit, misfit, jawbone
	Title string // for people

	AuthURL   string
	TokenURL  string
	RevokeURL string // empty when RevokeStyle is RevokeNone
	Revoke    RevokeStyle
	// RevokeClientAuth: the revoke request carries client credentials
	// (Fitbit); Google's revoke takes the token alone.
	RevokeClientAuth bool

	// Scopes fittui asks for: read-only and minimal.
	Scopes []string
	// ScopeSeparator joins Scopes in the authorize request (Misfit wants
	// commas, everyone else spaces).
	ScopeSeparator string

	// AuthStyle is how the client authenticates at the token endpoint
	// when it has a secret. Never AuthStyleAutoDetect: auto-detection
	// retries a failed request the other way and may send a single-use
	// code twice.
	AuthStyle oauth2.AuthStyle
	// PublicClient: a PKCE client without a secret is allowed; it sends
	// client_id in the form (AuthStyleInParams).
	PublicClient bool

	// FixedPort: the redirect URI must match the registered one exactly,
	// port included. Otherwise any free loopback port works (Google
	// desktop clients).
	FixedPort bool

	// AuthParams are extra authorize parameters.
	AuthParams map[string]string

	// ClientHelp tells a person how to get a client id.
	ClientHelp string
}

var specs = map[string]Spec{
	"googlehealth": {
		Name:      "googlehealth",
		Title:     "Google Health",
		AuthURL:   "https://accounts.google.com/o/oauth2/v2/auth",
		TokenURL:  "https://oauth2.googleapis.com/token",
		RevokeURL: "https://oauth2.googleapis.com/revoke",
		Revoke:    RevokeForm,
		Scopes: []string{
			"https://www.googleapis.com/auth/googlehealth.activity_and_fitness.readonly",
			"https://www.googleapis.com/auth/googlehealth.health_metrics_and_measurements.readonly",
			"https://www.googleapis.com/auth/googlehealth.sleep.readonly",
			"https://www.googleapis.com/auth/googlehealth.profile.readonly",
			"https://www.googleapis.com/auth/googlehealth.settings.readonly",
		},
		ScopeSeparator: " ",
		// Google accepts the secret only as form parameters.
		AuthStyle: oauth2.AuthStyleInParams,
		// Desktop clients get a secret and the token endpoint wants it
		// (it is not confidential for installed apps).
		PublicClient: false,
		FixedPort:    false,
		AuthParams: map[string]string{
			"access_type": "offline", // a refresh token
			"prompt":      "consent", // a refresh token again on re-consent
		},
		ClientHelp: "create an OAuth client of type \"Desktop app\" in the Google Cloud console (Google Auth Platform > Clients) for a project with the Google Health API enabled, then set FITTUI_GOOGLEHEALTH_CLIENT_ID and FITTUI_GOOGLEHEALTH_CLIENT_SECRET",
	},
	"fitbit": {
		Name:             "fitbit",
		Title:            "Fitbit",
		AuthURL:          "https://www.fitbit.com/oauth2/authorize",
		TokenURL:         "https://api.fitbit.com/oauth2/token",
		RevokeURL:        "https://api.fitbit.com/oauth2/revoke",
		Revoke:           RevokeForm,
		RevokeClientAuth: true,
		Scopes:           []string{"activity", "heartrate", "sleep", "weight", "profile", "settings"},
		ScopeSeparator:   " ",
		// Server and Personal apps: Basic client_id:client_secret.
		AuthStyle: oauth2.AuthStyleInHeader,
		// "Client" apps have no secret and send client_id in the form.
		PublicClient: true,
		FixedPort:    true,
		ClientHelp:   fmt.Sprintf("register an app at https://dev.fitbit.com/apps/new (OAuth 2.0 application type \"Personal\" or \"Client\") with the redirect URL http://127.0.0.1:%d/callback, then set FITTUI_FITBIT_CLIENT_ID (and FITTUI_FITBIT_CLIENT_SECRET for Personal/Server apps)", DefaultFixedPort),
	},
	"misfit": {
		Name:     "misfit",
		Title:    "Misfit",
		AuthURL:  "https://api.misfitwearables.com/auth/dialog/authorize",
		TokenURL: "https://api.misfitwearables.com/auth/tokens/exchange",
		Revoke:   RevokeNone,
		// Activity, sessions, sleep and the public profile.
		Scopes:         []string{"public", "tracking", "session", "sleeps"},
		ScopeSeparator: ",",
		AuthStyle:      oauth2.AuthStyleInParams,
		PublicClient:   false,
		// The redirect must match the app's domain; assume exact.
		FixedPort:  true,
		ClientHelp: "Misfit's cloud is shut down; point FITTUI_MISFIT_AUTH_URL and FITTUI_MISFIT_TOKEN_URL at a compatible server and set FITTUI_MISFIT_CLIENT_ID and FITTUI_MISFIT_CLIENT_SECRET",
	},
	"jawbone": {
		Name:      "jawbone",
		Title:     "Jawbone UP",
		AuthURL:   "https://jawbone.com/auth/oauth2/auth",
		TokenURL:  "https://jawbone.com/auth/oauth2/token",
		RevokeURL: "https://jawbone.com/nudge/api/v.1.1/users/@me/PartnerAppMembership",
		Revoke:    RevokeDeleteBearer,
		// Profile, moves (activity), sleep, body (weight), heart rate.
		Scopes:         []string{"basic_read", "move_read", "sleep_read", "weight_read", "heartrate_read"},
		ScopeSeparator: " ",
		AuthStyle:      oauth2.AuthStyleInParams,
		PublicClient:   false,
		// Jawbone matches a registered prefix; a fixed port is the one
		// choice that works whatever prefix was registered.
		FixedPort:  true,
		ClientHelp: "Jawbone UP is shut down; point FITTUI_JAWBONE_AUTH_URL and FITTUI_JAWBONE_TOKEN_URL at a compatible server and set FITTUI_JAWBONE_CLIENT_ID and FITTUI_JAWBONE_CLIENT_SECRET",
	},
}

// Lookup returns the provider's spec; the second result is false for a
// provider that does not sign in with OAuth.
func Lookup(provider string) (Spec, bool) {
	s, ok := specs[provider]
	if ok { // copies: callers must not change the table
		s.Scopes = append([]string(nil), s.Scopes...)
		params := make(map[string]string, len(s.AuthParams))
		for k, v := range s.AuthParams {
			params[k] = v
		}
		s.AuthParams = params
	}
	return s, ok
}

// Providers lists the OAuth providers, sorted by name.
func Providers() []string {
	out := make([]string, 0, len(specs))
	for name := range specs {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// EnvPrefix is the prefix of the provider's settings in the environment,
// e.g. FITTUI_FITBIT_ (used in messages that say what to set).
func EnvPrefix(provider string) string {
	return "FITTUI_" + strings.ToUpper(provider) + "_"
}

// Config is one provider's client settings for a login or a token source.
// Empty fields take the provider's defaults.
type Config struct {
	Provider     string // registry name, required
	ClientID     string // required
	ClientSecret string // optional where Spec.PublicClient
	AuthURL      string
	TokenURL     string
	RevokeURL    string
	// RedirectURL is the loopback redirect URI, e.g.
	// http://127.0.0.1:8484/callback; host 127.0.0.1 or localhost, scheme
	// http. Empty: http://127.0.0.1:PORT/callback.
	RedirectURL string
	// Port overrides the redirect's port (--port). 0: the port in
	// RedirectURL, else DefaultFixedPort for fixed-port providers, else
	// any free port.
	Port int
	// Scopes replaces the provider's default scopes.
	Scopes []string

	// HTTPClient talks to the provider; nil: http.DefaultClient.
	HTTPClient *http.Client
	// Logger receives debug steps (--debug); never secrets. nil: silent.
	Logger *slog.Logger
	// LoginTimeout bounds a login; 0: DefaultLoginTimeout.
	LoginTimeout time.Duration
	// Now is the clock for token freshness; nil: time.Now.
	Now func() time.Time
}

// ConfigError is a missing or malformed setting; it names what to set.
type ConfigError struct {
	Provider string
	Message  string
}

func (e *ConfigError) Error() string { return e.Provider + ": " + e.Message }

// resolved is a Config with defaults applied and checked.
type resolved struct {
	Config
	spec   Spec
	scopes []string
	log    *slog.Logger
}

func resolve(c Config) (*resolved, error) {
	spec, ok := specs[c.Provider]
	if !ok {
		return nil, &ConfigError{Provider: c.Provider, Message: fmt.Sprintf("not an OAuth provider (known: %s)", strings.Join(Providers(), ", "))}
	}
	r := &resolved{Config: c, spec: spec}
	env := EnvPrefix(c.Provider)
	if c.ClientID == "" {
		return nil, &ConfigError{Provider: c.Provider, Message: fmt.Sprintf("no client id: set %sCLIENT_ID (%s)", env, spec.ClientHelp)}
	}
	if c.ClientSecret == "" && !spec.PublicClient {
		return nil, &ConfigError{Provider: c.Provider, Message: fmt.Sprintf("no client secret: set %sCLIENT_SECRET (%s)", env, spec.ClientHelp)}
	}
	if r.AuthURL == "" {
		r.AuthURL = spec.AuthURL
	}
	if r.TokenURL == "" {
		r.TokenURL = spec.TokenURL
	}
	if r.RevokeURL == "" {
		r.RevokeURL = spec.RevokeURL
	}
	r.scopes = spec.Scopes
	if len(c.Scopes) > 0 {
		r.scopes = c.Scopes
	}
	if r.HTTPClient == nil {
		r.HTTPClient = http.DefaultClient
	}
	if r.LoginTimeout <= 0 {
		r.LoginTimeout = DefaultLoginTimeout
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	r.log = c.Logger
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	r.log = r.log.With("provider", c.Provider)
	return r, nil
}

// authStyle is the explicit style for this client.
func (r *resolved) authStyle() oauth2.AuthStyle {
	if r.ClientSecret == "" {
		return oauth2.AuthStyleInParams // public client: client_id in the form
	}
	return r.spec.AuthStyle
}

func (r *resolved) oauth2Config(redirect string) *oauth2.Config {
	scope := strings.Join(r.scopes, r.spec.ScopeSeparator)
	return &oauth2.Config{
		ClientID:     r.ClientID,
		ClientSecret: r.ClientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:   r.AuthURL,
			TokenURL:  r.TokenURL,
			AuthStyle: r.authStyle(),
		},
		RedirectURL: redirect,
		Scopes:      []string{scope},
	}
}

// grantedScopes reads the token response's scope field; providers that
// leave it out (Misfit) granted what was asked.
func (r *resolved) grantedScopes(tok *oauth2.Token) []string {
	s, _ := tok.Extra("scope").(string)
	if strings.TrimSpace(s) == "" {
		return append([]string(nil), r.scopes...)
	}
	return strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || c == ',' })
}
