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

	"github.com/fittui/fittui/providers"
)

// DefaultLoginTimeout is how long a login waits for the browser: the
// lifetime of an authorization code at the providers that say (ten
// minutes).
const DefaultLoginTimeout = 10 * time.Minute

// DefaultFixedPort is the loopback port for providers that need the exact
// redirect URI registered (their descriptor's OAuth.RedirectPort): register
// http://127.0.0.1:8484/callback with the app, or pick another port with
// --port / FITTUI_<PROVIDER>_REDIRECT_URL and register that instead.
const DefaultFixedPort = providers.DefaultRedirectPort

// CallbackPath is the default path of the loopback redirect URI.
const CallbackPath = "/callback"

// RevokeStyle says how a provider revokes tokens (the descriptor's).
type RevokeStyle = providers.RevokeStyle

const (
	// RevokeNone: the provider has no revoke endpoint.
	RevokeNone = providers.RevokeNone
	// RevokeForm: RFC 7009, POST form token=<refresh or access token>.
	RevokeForm = providers.RevokeForm
	// RevokeDeleteBearer: DELETE the revoke URL with the access token as
	// Bearer ("disconnect the app").
	RevokeDeleteBearer = providers.RevokeDeleteBearer
)

// Spec is what fittui knows about one provider's OAuth 2.0 server: the
// provider's descriptor (providers.Registration.OAuth) in oauth2's terms.
type Spec struct {
	Name  string // registry name
	Title string // for people

	AuthURL   string
	TokenURL  string
	RevokeURL string // empty when RevokeStyle is RevokeNone
	Revoke    RevokeStyle
	// RevokeClientAuth: the revoke request carries client credentials;
	// otherwise it takes the token alone.
	RevokeClientAuth bool

	// Scopes fittui asks for: read-only and minimal.
	Scopes []string
	// ScopeSeparator joins Scopes in the authorize request.
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
	// port included: RedirectPort unless configured otherwise. Otherwise
	// any free loopback port works.
	FixedPort    bool
	RedirectPort int

	// AuthParams are extra authorize parameters.
	AuthParams map[string]string

	// ClientHelp tells a person how to get a client id.
	ClientHelp string
}

// authStyles maps the descriptor's client authentication to oauth2's.
var authStyles = map[providers.ClientAuth]oauth2.AuthStyle{
	providers.ClientAuthForm:  oauth2.AuthStyleInParams,
	providers.ClientAuthBasic: oauth2.AuthStyleInHeader,
}

// Lookup returns the provider's spec from the providers registry; the
// second result is false for a provider that does not sign in with OAuth
// (or is not registered). The spec is a copy.
func Lookup(provider string) (Spec, bool) {
	r, ok := providers.Lookup(provider)
	if !ok || r.OAuth == nil {
		return Spec{}, false
	}
	o := r.OAuth // Lookup's copy: ours to keep
	return Spec{
		Name:             r.Name,
		Title:            o.Title,
		AuthURL:          o.AuthURL,
		TokenURL:         o.TokenURL,
		RevokeURL:        o.RevokeURL,
		Revoke:           o.Revoke,
		RevokeClientAuth: o.RevokeClientAuth,
		Scopes:           o.Scopes,
		ScopeSeparator:   o.ScopeSeparator,
		AuthStyle:        authStyles[o.ClientAuth], // Check refuses any other
		PublicClient:     o.PublicClient,
		FixedPort:        o.FixedPort(),
		RedirectPort:     o.RedirectPort,
		AuthParams:       o.AuthParams,
		ClientHelp:       o.ClientHelp,
	}, true
}

// Providers lists the OAuth providers, sorted by name.
func Providers() []string {
	out := providers.SignIns()
	sort.Strings(out)
	return out
}

// EnvPrefix is the prefix of the provider's settings in the environment,
// FITTUI_<NAME>_ (used in messages that say what to set).
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
	spec, ok := Lookup(c.Provider)
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
// leave it out granted what was asked.
func (r *resolved) grantedScopes(tok *oauth2.Token) []string {
	s, _ := tok.Extra("scope").(string)
	if strings.TrimSpace(s) == "" {
		return append([]string(nil), r.scopes...)
	}
	return strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || c == ',' })
}
