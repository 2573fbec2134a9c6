// Package config reads fittui's configuration file and the FITTUI_*
// environment. It is the only place that knows their names. The file is
// read, never written.
//
// Example ($XDG_CONFIG_HOME/fittui/config.toml):
//
//	theme = "default"   # default | high-contrast | mono
//	refresh = "1m"      # how often the dashboard refreshes; at least 1s
//	units = "metric"    # metric | imperial: what the panes and text show
//
//	[[account]]
//	name = "me"
//	provider = "NAME"   # a registered provider
//	units = "imperial"  # this account's, over the top-level units
//	[account.options]   # what the provider's descriptor lists
//	persona = "runner"
//	[account.goals]     # over the provider's goals (or where it has none)
//	steps = 8000        # also distance_km, calories, active_minutes,
//	sleep_minutes = 450 # floors
//
//	[provider.NAME]     # settings of a provider that takes them
//	client_id = "ABC123"
//
// What each provider accepts (its [provider.NAME] keys and account
// options) comes from the providers registry.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/adrg/xdg"

	"github.com/fittui/fittui/cache/safefile"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/textfmt"
)

// EnvConfig names the environment variable that overrides the file's path.
const EnvConfig = "FITTUI_CONFIG"

// Defaults used when the file does not say.
const (
	DefaultTheme   = "default"
	DefaultRefresh = time.Minute
	// MinRefresh is the shortest refresh interval allowed.
	MinRefresh = time.Second
)

// Config is the loaded configuration.
type Config struct {
	// Path is the file the configuration was read from (or would have been,
	// when Found is false).
	Path string
	// Found reports whether the file exists; when it does not, every value
	// is a default.
	Found bool

	Theme   string
	Refresh time.Duration
	// CacheSize caps the cache's size in bytes (cache_size = "256MB");
	// 0: the cache's default.
	CacheSize int64
	// Units are what the panes and the text output show (km or mi, kg or
	// lb) for accounts that do not say; JSON and exports stay metric.
	Units    textfmt.Units
	Accounts []Account

	providers map[string]ProviderSettings // from the file
	getenv    func(string) string
}

// Account is one [[account]] entry.
type Account struct {
	Name     string
	Provider string
	Options  map[string]string
	// Goals are the [account.goals] table: each one set wins over the
	// provider's; zero is not set.
	Goals providers.Goals
	// Units is the account's units, else the file's (see Config.Units).
	Units textfmt.Units
	// Line is where the entry starts in the file (0 when unknown).
	Line int
}

// Spec returns the account as the providers package describes it.
func (a Account) Spec() providers.AccountSpec {
	return providers.AccountSpec{Name: a.Name, Provider: a.Provider, Options: a.Options}
}

// ProviderSettings are a provider's OAuth client and endpoints. An empty
// field means "use the provider's default".
type ProviderSettings struct {
	ClientID     string
	ClientSecret string
	AuthURL      string
	TokenURL     string
	APIURL       string
	RedirectURL  string
}

// settingKeys are the keys a [provider.NAME] table may hold, in the order
// of the fields of ProviderSettings; which of them a provider takes is its
// descriptor's Settings. The environment variable for each is
// FITTUI_<PROVIDER>_<KEY in upper case>.
var settingKeys = providers.SettingKeys()

func (s *ProviderSettings) field(key string) *string {
	switch key {
	case providers.SettingClientID:
		return &s.ClientID
	case providers.SettingClientSecret:
		return &s.ClientSecret
	case providers.SettingAuthURL:
		return &s.AuthURL
	case providers.SettingTokenURL:
		return &s.TokenURL
	case providers.SettingAPIURL:
		return &s.APIURL
	case providers.SettingRedirectURL:
		return &s.RedirectURL
	}
	return nil
}

// settingsOf returns the keys provider takes in a [provider.NAME] table,
// from the registry; nil for a provider that takes none (or is unknown).
func settingsOf(provider string) []string {
	r, ok := providers.Lookup(provider)
	if !ok {
		return nil
	}
	var keys []string
	for _, st := range r.Settings {
		keys = append(keys, st.Key)
	}
	return keys
}

// OAuthProviders lists the provider names that accept client settings
// (a [provider.NAME] table and FITTUI_<NAME>_* variables), in the
// registry's list order.
func OAuthProviders() []string {
	var out []string
	for _, r := range providers.Listed() {
		if len(r.Settings) > 0 {
			out = append(out, r.Name)
		}
	}
	return out
}

// EnvName returns the environment variable that overrides setting key
// (e.g. "client_id") of provider: FITTUI_<PROVIDER>_CLIENT_ID.
func EnvName(provider, key string) string {
	return "FITTUI_" + strings.ToUpper(provider) + "_" + strings.ToUpper(key)
}

// Provider returns the settings for provider name: the file's
// [provider.NAME] table with the FITTUI_<NAME>_* environment on top.
func (c *Config) Provider(name string) ProviderSettings {
	s := c.providers[name]
	getenv := c.getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, k := range settingsOf(name) {
		if f := s.field(k); f != nil {
			if v := getenv(EnvName(name, k)); v != "" {
				*f = v
			}
		}
	}
	return s
}

// DefaultPath is where the file lives unless --config or FITTUI_CONFIG say
// otherwise: $XDG_CONFIG_HOME/fittui/config.toml.
func DefaultPath() string {
	return filepath.Join(xdg.ConfigHome, "fittui", "config.toml")
}

// maxFileBytes bounds the configuration file; a real one is a few KiB.
const maxFileBytes = 1 << 20

// Load reads the configuration. flagPath (from --config) wins over
// FITTUI_CONFIG, which wins over DefaultPath. A missing file at the default
// path gives the defaults; a missing file named explicitly is an error.
// getenv reads the environment (nil means os.Getenv). Problems with the
// file are returned as an *Error.
func Load(flagPath string, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	path, explicit := flagPath, true
	if path == "" {
		path = getenv(EnvConfig)
	}
	if path == "" {
		path, explicit = DefaultPath(), false
	}
	c := &Config{Path: path, Theme: DefaultTheme, Refresh: DefaultRefresh, Units: textfmt.Metric, getenv: getenv}
	// Links are followed (a file kept in a dotfiles repository and linked
	// here is normal) but what they reach must be a regular file: a named
	// pipe would block, /dev/zero would never end.
	data, err := safefile.ReadFile(path, safefile.Follow, maxFileBytes)
	var nr *safefile.NotRegularError
	var tl *safefile.TooLargeError
	switch {
	case errors.As(err, &nr):
		return nil, &Error{Path: path, Problems: []Problem{{Msg: "cannot read: it is " + nr.Kind + ", not a regular file; point --config or " + EnvConfig + " at a regular file"}}}
	case errors.As(err, &tl):
		return nil, &Error{Path: path, Problems: []Problem{{Msg: "cannot read: it is larger than " + safefile.Size(tl.Limit) + ", too large for a configuration file"}}}
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		return c, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, &Error{Path: path, Problems: []Problem{{Msg: "no such file"}}}
	case err != nil:
		return nil, &Error{Path: path, Problems: []Problem{{Msg: "cannot read: " + unwrapPath(err)}}}
	}
	c.Found = true
	if err := c.parse(string(data)); err != nil {
		return nil, err
	}
	return c, nil
}

// unwrapPath drops the path from an *fs.PathError, which Error already names.
func unwrapPath(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// ParseRefresh parses a refresh interval: a Go duration of at least 1s. Its
// error starts with the quoted input, so callers prefix what it was.
func ParseRefresh(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q: not a duration (examples: 30s, 1m, 5m)", s)
	}
	if d < MinRefresh {
		return 0, fmt.Errorf("%q: too short: the minimum is 1s", s)
	}
	return d, nil
}
