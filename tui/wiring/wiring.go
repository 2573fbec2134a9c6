// Package wiring wires accounts to their providers and tokens, for every
// front end alike: the command line (`fittui auth ...`, `today`, the
// dashboard's start-up) and the TUI's login screen. It knows how a
// provider's client settings in the configuration become an auth.Config,
// which accounts exist (the configured ones, those with a token in the
// store, and those a provider keeps itself), and how an account is opened
// (Opened): its provider with a token source, behind the cache and the
// request budget, with the scheduler that paces the dashboard's refreshes
// and the Source the dashboard asks. What it knows about each provider it
// reads from the providers registry (builtin.go lists the providers
// compiled in).
//
// Endpoints: every setting left empty takes the provider's real endpoint.
// The revoke endpoint has no setting of its own; it follows the others so
// a token is only ever sent back to the server that issued it, as the
// provider's descriptor says: next to a configured token URL
// (OAuth.RevokeBesideToken: …/token -> …/revoke) or under a configured API
// URL (OAuth.RevokeUnderAPI).
package wiring

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/config"
	"github.com/fittui/fittui/tui/textfmt"
)

// ReadmeSection is the README section that explains, per provider, how to
// get a client id; messages about missing client settings point to it.
const ReadmeSection = "“Signing in” in the README"

// Setup is what opening accounts needs from the program. Fill the exported
// fields, then use the methods; it is safe for concurrent use.
type Setup struct {
	// Config is the loaded configuration (client settings, accounts).
	Config *config.Config
	// TokenDir is the token store's folder; "" means tokenstore.DefaultDir().
	TokenDir string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// HTTPClient talks to token endpoints and provider APIs; nil means
	// http.DefaultClient.
	HTTPClient *http.Client
	// Logger receives debug steps (--debug); never secrets. nil: silent.
	Logger *slog.Logger
	// Cache keeps the answers of network providers (see Open); nil: none,
	// every call goes to the provider.
	Cache *cache.Store
	// Budgets keeps the accounts' request budgets when there is no Cache
	// (a state folder, or memory: see cache.OpenBudgets); nil: the
	// Cache's. Without either, requests are not counted.
	Budgets *cache.Budgets
	// Refresh is the dashboard's refresh interval: with it, every account
	// with a request budget opens with a Scheduler that paces refreshes
	// at it (stretched when the budget runs low). 0: no scheduler, for
	// the commands that ask once.
	Refresh time.Duration
	// OnWarning receives trouble that does not stop anything: a token
	// folder that was open to others and has been narrowed to 0700
	// (*tokenstore.PermWarning), a
	// refreshed token that could not be saved (*auth.SaveWarning). nil:
	// logged only.
	OnWarning func(error)

	once  sync.Once
	st    *tokenstore.Store
	stErr error
}

func (s *Setup) log() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

func (s *Setup) warn(err error) {
	s.log().Warn(err.Error())
	if s.OnWarning != nil {
		s.OnWarning(err)
	}
}

func (s *Setup) tokenDir() string {
	if s.TokenDir != "" {
		return s.TokenDir
	}
	return tokenstore.DefaultDir()
}

// Tokens opens the token store once, creating its folder (0700) if needed.
func (s *Setup) Tokens() (*tokenstore.Store, error) {
	s.once.Do(func() {
		st, warn, err := tokenstore.Open(s.tokenDir())
		if err != nil {
			s.stErr = err
			return
		}
		if warn != nil {
			s.warn(warn)
		}
		s.log().Debug("token store opened", "dir", st.Dir())
		s.st = st
	})
	return s.st, s.stErr
}

// tokens lists the token store without creating its folder: a person who
// never signed in gets no empty folder from merely listing.
func (s *Setup) tokens() ([]tokenstore.Entry, error) {
	if _, err := os.Stat(s.tokenDir()); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	st, err := s.Tokens()
	if err != nil {
		return nil, err
	}
	return st.List()
}

// IsOAuth reports whether provider signs in with OAuth (has client settings
// and tokens), as its descriptor says.
func IsOAuth(provider string) bool {
	_, ok := auth.Lookup(provider)
	return ok
}

// SettingsError is a missing client setting: it names the environment
// variable and the configuration key to set, and where to learn how to get
// a value.
type SettingsError struct {
	Provider   string
	Key        string // client_id or client_secret
	ConfigPath string
	Help       string // how to get one (auth.Spec.ClientHelp)
}

func (e *SettingsError) Error() string {
	what := "client id"
	if e.Key == "client_secret" {
		what = "client secret"
	}
	return fmt.Sprintf("%s: no %s is set: set %s in the environment, or %s = \"...\" under [provider.%s] in %s. To get one: %s. See %s.",
		e.Provider, what, config.EnvName(e.Provider, e.Key), e.Key, e.Provider, e.ConfigPath, e.Help, ReadmeSection)
}

// AuthConfig builds the auth.Config of provider from the configuration
// (file, then FITTUI_<PROVIDER>_* on top), with this Setup's HTTP client,
// logger and clock. A missing client id (or a secret the provider needs)
// is a *SettingsError. Callers may set Port, LoginTimeout, Scopes after.
func (s *Setup) AuthConfig(provider string) (auth.Config, error) {
	spec, ok := auth.Lookup(provider)
	if !ok {
		return auth.Config{}, fmt.Errorf("%q does not sign in with OAuth (those that do: %s)", provider, strings.Join(providers.SignIns(), ", "))
	}
	var set config.ProviderSettings
	path := config.DefaultPath()
	if s.Config != nil {
		set = s.Config.Provider(provider)
		path = s.Config.Path
	}
	if set.ClientID == "" {
		return auth.Config{}, &SettingsError{Provider: provider, Key: "client_id", ConfigPath: path, Help: spec.ClientHelp}
	}
	if set.ClientSecret == "" && !spec.PublicClient {
		return auth.Config{}, &SettingsError{Provider: provider, Key: "client_secret", ConfigPath: path, Help: spec.ClientHelp}
	}
	return auth.Config{
		Provider:     provider,
		ClientID:     set.ClientID,
		ClientSecret: set.ClientSecret,
		AuthURL:      set.AuthURL,
		TokenURL:     set.TokenURL,
		RevokeURL:    revokeURL(spec, set),
		RedirectURL:  set.RedirectURL,
		HTTPClient:   s.HTTPClient,
		Logger:       s.Logger,
		Now:          s.Now,
	}, nil
}

// revokeURL follows the configured endpoints (see the package comment);
// "" means the provider's default.
func revokeURL(spec auth.Spec, set config.ProviderSettings) string {
	if spec.Revoke == auth.RevokeNone {
		return ""
	}
	reg, _ := providers.Lookup(spec.Name)
	o := reg.OAuth
	if o == nil {
		return ""
	}
	switch {
	case o.RevokeUnderAPI != "" && set.APIURL != "":
		return strings.TrimRight(set.APIURL, "/") + "/" + strings.TrimLeft(o.RevokeUnderAPI, "/")
	case o.RevokeBesideToken != "" && set.TokenURL != "":
		base := strings.TrimRight(set.TokenURL, "/")
		if i := strings.LastIndex(base, "/"); i >= 0 && strings.Contains(base[:i], "://") {
			return base[:i] + "/" + o.RevokeBesideToken
		}
	}
	return ""
}

// APIURL is the configured API base URL of provider; "" means the
// provider's real one.
func (s *Setup) APIURL(provider string) string {
	if s.Config == nil {
		return ""
	}
	return s.Config.Provider(provider).APIURL
}

// Account is one account fittui knows of: configured, signed in, or
// both. Its config.Account is the entry of the configuration file (Line
// 0 when the account is only in the token store; Provider "" only for a
// damaged token file of an unconfigured account); Spec is how providers
// see it.
type Account struct {
	config.Account
	// Configured: the account is in the configuration file.
	Configured bool
	// Token is the account's token file as the store lists it (never a
	// token); nil when none is stored.
	Token *tokenstore.Entry
}

// AccountOf is the account spec describes, with no configuration entry
// or token of its own (demo accounts, a new sign-in).
func AccountOf(spec providers.AccountSpec) Account {
	return Account{Account: config.Account{Name: spec.Name, Provider: spec.Provider, Options: spec.Options}}
}

// Accounts lists the configured accounts, in the file's order, then the
// accounts that only have a token in the store, by name (they get the
// provider's default options), then imported archives (see withImported).
// It never creates the token folder.
func (s *Setup) Accounts() ([]Account, error) {
	entries, err := s.tokens()
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*tokenstore.Entry, len(entries))
	for i := range entries {
		byName[entries[i].Account] = &entries[i]
	}
	var out []Account
	seen := map[string]bool{}
	if s.Config != nil {
		for _, c := range s.Config.Accounts {
			out = append(out, Account{Account: c, Configured: true, Token: byName[c.Name]})
			seen[c.Name] = true
		}
	}
	var extra []Account
	for i := range entries {
		e := &entries[i]
		if !seen[e.Account] {
			acc := AccountOf(providers.AccountSpec{Name: e.Account, Provider: e.Provider})
			acc.Token = e
			extra = append(extra, acc)
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i].Name < extra[j].Name })
	return s.withImported(append(out, extra...))
}

// NotBuiltError: the account's provider is one fittui knows (it has client
// settings and can sign in) but this build has no data provider for it yet.
type NotBuiltError struct {
	Account  string
	Provider string
}

func (e *NotBuiltError) Error() string {
	return fmt.Sprintf("account %q: the %s provider is not available in this build of fittui yet, so its data cannot be shown; a later version will add it", e.Account, e.Provider)
}

// Opened is an account ready to be asked.
type Opened struct {
	Spec providers.AccountSpec
	// Provider answers the commands (with a cache, it is Cache).
	Provider providers.Provider
	// Source gives the same answers with their provenance (when fetched,
	// from disk or the network, stale because of which failure): what the
	// dashboard asks.
	Source cache.Source
	// Cache keeps the account's answers on disk and holds its request
	// budget; nil for providers that need neither (demo, imported
	// archives) or without a cache store and budgets. Without a store it
	// keeps nothing (Cache.Keeps).
	Cache *cache.Cached
	// Scheduler paces the dashboard's refreshes within the account's
	// request budget; nil without a budget or without Setup.Refresh.
	Scheduler *cache.Scheduler
	// Goals are the configuration's [account.goals], over the provider's;
	// Units are how the dashboard shows the account's numbers (Dressed).
	Goals providers.Goals
	Units textfmt.Units
}

// Dressed is o with acc's goals and units from the configuration: the
// account's own units, else the file's, else metric.
func Dressed(o Opened, acc Account, cfg *config.Config) Opened {
	o.Goals, o.Units = acc.Goals, acc.Units
	if o.Units == "" && cfg != nil {
		o.Units = cfg.Units
	}
	if o.Units == "" {
		o.Units = textfmt.Metric
	}
	return o
}

// Uncached is an account whose provider p keeps nothing on disk: every
// answer is p's own, fetched now by the clock now (nil: time.Now).
func Uncached(spec providers.AccountSpec, p providers.Provider, now func() time.Time) Opened {
	return Opened{Spec: spec, Provider: p, Source: cache.Direct(p, now)}
}

// Open builds the provider of acc. OAuth providers get a persisting token
// source (an account without a token opens fine and answers "sign in
// again" on first use) and the configured API URL; with a Cache (or
// Budgets) they come wrapped in a *cache.Cached that serves fresh
// answers from disk (none without a Cache) and spends the account's
// request budget (shared by every fittui process, counted at the HTTP
// transport, corrected by the provider's rate-limit headers), and with
// Refresh set, with the Scheduler of that budget.
// Providers that do not sign in (no network: made-up data, imported
// archives) are never cached: they already answer from memory or disk.
// Errors: *NotBuiltError, *SettingsError, a *providers.Error of KindSignIn
// for a damaged token file or a token of another provider, or the
// provider's own error for a bad account (unknown provider, bad option).
func (s *Setup) Open(acc Account) (Opened, error) {
	if acc.Provider == "" {
		if acc.Token != nil && acc.Token.Err != nil {
			return Opened{}, &providers.Error{Kind: providers.KindSignIn, Message: acc.Token.Err.Error()}
		}
		return Opened{}, fmt.Errorf("account %q has no provider", acc.Name)
	}
	env := providers.Env{Now: s.Now, HTTPClient: s.HTTPClient}
	var budget *cache.Budget
	if IsOAuth(acc.Provider) {
		if reg, _ := providers.Lookup(acc.Provider); reg.New == nil {
			return Opened{}, &NotBuiltError{Account: acc.Name, Provider: acc.Provider}
		}
		if t := acc.Token; t != nil && t.Err == nil && t.Provider != acc.Provider {
			return Opened{}, providers.ErrSignIn(acc.Provider, acc.Name,
				fmt.Errorf("the stored token is for %s, not %s", t.Provider, acc.Provider))
		}
		src, err := s.Source(acc.Name, acc.Provider)
		if err != nil {
			return Opened{}, err
		}
		env.Tokens = src
		env.APIURL = s.APIURL(acc.Provider)
		if bs := s.budgets(); bs != nil {
			budget = bs.Budget(acc.Name, cache.LimitFor(acc.Provider), s.Now)
			env.HTTPClient = budgeted(s.HTTPClient, budget)
			// Other apps of the person spend the same allowance: what the
			// provider's headers say is left wins over our own count.
			env.OnRate = func(r providers.RateReading) { budget.Observe(r.Remaining, r.Reset) }
		}
	}
	p, err := providers.Open(acc.Spec(), env)
	if err != nil {
		return Opened{}, err
	}
	s.log().Debug("account opened", "account", acc.Name, "provider", acc.Provider, "configured", acc.Configured, "token", acc.Token != nil)
	s.noteUnreadOptions(acc)
	if budget == nil {
		return Dressed(Uncached(acc.Spec(), p, s.Now), acc, s.Config), nil
	}
	c := cache.Wrap(p, acc.Name, s.Cache, cache.DefaultPolicy(), s.Now)
	c.UseBudget(budget)
	o := Opened{Spec: acc.Spec(), Provider: c, Source: c, Cache: c}
	if s.Refresh > 0 {
		o.Scheduler = cache.NewScheduler(c, budget, cache.SchedulerOptions{Interval: s.Refresh})
	}
	return Dressed(o, acc, s.Config), nil
}

// budgets is where request budgets are kept: Budgets, else the Cache's
// folder; nil without either.
func (s *Setup) budgets() *cache.Budgets {
	switch {
	case s.Budgets != nil:
		return s.Budgets
	case s.Cache != nil:
		return s.Cache.Budgets()
	}
	return nil
}

// noteUnreadOptions logs (--debug) the account options its provider's
// descriptor does not list: a typo there changes nothing, and the file is
// not refused for it (options were always free-form).
func (s *Setup) noteUnreadOptions(acc Account) {
	reg, ok := providers.Lookup(acc.Provider)
	if !ok {
		return
	}
	for k := range acc.Options {
		if !slices.ContainsFunc(reg.Options, func(o providers.Option) bool { return o.Key == k }) {
			known := make([]string, len(reg.Options))
			for i, o := range reg.Options {
				known[i] = o.Key
			}
			s.log().Warn("account option not read by its provider", "account", acc.Name, "provider", acc.Provider,
				"option", k, "known", strings.Join(known, ", "))
		}
	}
}

// budgeted is base with every request counted against (and refused past)
// the account's budget. Token refreshes do not go through it: they use the
// Setup's own client and are not part of a provider's per-user limit.
func budgeted(base *http.Client, b *cache.Budget) *http.Client {
	c := &http.Client{}
	if base != nil {
		*c = *base
	}
	c.Transport = b.Transport(c.Transport)
	return c
}

// Source returns the persisting token source of account at provider.
func (s *Setup) Source(account, provider string) (*auth.Source, error) {
	cfg, err := s.AuthConfig(provider)
	if err != nil {
		return nil, err
	}
	st, err := s.Tokens()
	if err != nil {
		return nil, err
	}
	return auth.NewSource(cfg, st, account, auth.SourceOptions{OnWarning: s.warn})
}

// ConflictError: a sign-in would reuse the name of an account of another
// provider.
type ConflictError struct {
	Account  string
	Provider string // the sign-in's
	Existing string // the account's provider
	Where    string // "in the configuration file PATH" or "in the token store"
}

func (e *ConflictError) Error() string {
	msg := fmt.Sprintf("account %q is a %s account (%s), so it cannot sign in to %s: pick another name with --account NAME",
		e.Account, e.Existing, e.Where, e.Provider)
	if e.Where == "in the token store" {
		msg += fmt.Sprintf(", or first log it out with `fittui auth logout %s`", e.Account)
	}
	return msg
}

// CheckLogin says whether account may sign in to provider: a valid name
// that is not already an account of another provider, in the configuration
// or the token store. A damaged token file does not block (signing in
// again is its cure).
func (s *Setup) CheckLogin(account, provider string) error {
	if err := tokenstore.ValidateAccount(account); err != nil {
		return err
	}
	if s.Config != nil {
		for _, c := range s.Config.Accounts {
			if c.Name == account && c.Provider != provider {
				return &ConflictError{Account: account, Provider: provider, Existing: c.Provider,
					Where: "in the configuration file " + s.Config.Path}
			}
		}
	}
	entries, err := s.tokens()
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Account == account && e.Err == nil && e.Provider != provider {
			return &ConflictError{Account: account, Provider: provider, Existing: e.Provider, Where: "in the token store"}
		}
	}
	return nil
}

// SaveGrant stores a login's grant as account, after checking once more
// that the name is still free for this provider (another fittui may have
// signed in meanwhile). It returns the token file.
func (s *Setup) SaveGrant(ctx context.Context, account string, g *auth.Grant) (string, error) {
	if g == nil {
		return "", errors.New("no grant to save")
	}
	if err := s.CheckLogin(account, g.Provider); err != nil {
		return "", err
	}
	st, err := s.Tokens()
	if err != nil {
		return "", err
	}
	path, err := auth.SaveGrant(ctx, st, account, g)
	if err != nil {
		return "", err
	}
	s.log().Debug("token saved", "account", account, "provider", g.Provider, "file", path)
	return path, nil
}

// ManualRevokeHint tells a person where to remove fittui's access by hand
// when revoking did not work or is not offered (the descriptor's
// OAuth.RevokeHint).
func ManualRevokeHint(provider string) string {
	if r, ok := providers.Lookup(provider); ok && r.OAuth != nil && r.OAuth.RevokeHint != "" {
		return r.OAuth.RevokeHint
	}
	return "remove fittui's access in the provider's account settings"
}

// SSHForward is the ssh command that forwards port from the person's
// computer to this machine, for a login over SSH: this machine's user
// ($USER) and address and SSH port (from $SSH_CONNECTION) are filled in
// when known, e.g. "ssh -p 2222 -L 8484:127.0.0.1:8484 ann@10.0.0.1".
func SSHForward(getenv func(string) string, port int) string {
	user := getenv("USER")
	if user == "" {
		user = getenv("LOGNAME")
	}
	var host, sshPort string
	// SSH_CONNECTION: client address, client port, server address, server port.
	if f := strings.Fields(getenv("SSH_CONNECTION")); len(f) == 4 {
		host, sshPort = f[2], f[3]
	}
	cmd := auth.SSHForwardCommand(port, user, host)
	if sshPort != "" && sshPort != "22" {
		cmd = strings.Replace(cmd, "ssh ", "ssh -p "+sshPort+" ", 1)
	}
	return cmd
}
