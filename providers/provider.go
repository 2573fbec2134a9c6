package providers

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"
)

// Provider is a source of one account's fitness data. Implementations must
// be safe for concurrent use; every method honours ctx cancellation and
// returns an *Error (see errors.go) for failures the UI should explain.
type Provider interface {
	// Kind is the registry name of the provider ("demo", "fitbit", ...).
	Kind() string
	// Profile returns the account's profile, time zone and devices.
	Profile(ctx context.Context) (Profile, error)
	// DaySummary returns one day's totals and goals.
	DaySummary(ctx context.Context, day Date) (DaySummary, error)
	// Intraday returns the day's heart rate and steps at the finest
	// resolution the provider offers. For today it stops at "now".
	Intraday(ctx context.Context, day Date) (Intraday, error)
	// DailySeries returns one DailyValues per day from..to inclusive,
	// oldest first; days without data are present with zero values.
	DailySeries(ctx context.Context, from, to Date) ([]DailyValues, error)
	// Sleep returns the sleep sessions whose Date is in from..to, oldest first.
	Sleep(ctx context.Context, from, to Date) ([]SleepSession, error)
}

// Noter is a provider that can leave out one record it cannot read and
// keep the rest of an answer (a sleep with details outside its own span):
// Notes says what it left out and why, one sentence each, oldest first.
// Commands print them as warnings.
type Noter interface {
	Notes() []string
}

// NotesOf returns p's notes, looking through wrappers (see Find); nil
// when p keeps none.
func NotesOf(p Provider) []string {
	if n, ok := Find[Noter](p); ok {
		return n.Notes()
	}
	return nil
}

// RawHeartRate is a provider whose Intraday heart rate summarises
// windows (Google Health's 1-minute roll-up) but that can also list the
// readings as recorded, for `fittui export --resolution 1sec`.
type RawHeartRate interface {
	// HeartRateSamples lists the readings in [from, to), oldest first.
	HeartRateSamples(ctx context.Context, from, to time.Time) (Series, error)
}

// Find returns p, or the provider a wrapper around p (the cache: an
// Unwrap() Provider method) holds, as a T.
func Find[T any](p Provider) (T, bool) {
	for p != nil {
		if t, ok := p.(T); ok {
			return t, true
		}
		u, ok := p.(interface{ Unwrap() Provider })
		if !ok {
			break
		}
		p = u.Unwrap()
	}
	var zero T
	return zero, false
}

// AccountSpec is what the configuration says about one account.
type AccountSpec struct {
	Name     string            // the person's name for the account, unique
	Provider string            // registry name
	Options  map[string]string // provider-specific settings
}

// Env is what a provider may need from the program around it.
type Env struct {
	// Now is the clock; providers never call time.Now directly so tests and
	// golden files can pin time.
	Now func() time.Time
	// HTTPClient is used by network providers; nil means a default client.
	// It carries no credentials: providers add the access token from Tokens
	// themselves so they can refresh and retry once on an expired token.
	HTTPClient *http.Client
	// Tokens supplies OAuth access tokens; nil for providers that need none
	// (demo, offline archives).
	Tokens TokenSource
	// APIURL overrides the provider's API base URL (tests, fakes,
	// compatible servers); empty means the provider's real endpoint.
	APIURL string
	// OnRate, when set, hears what the provider's rate-limit headers
	// (Registration.Rate.Headers) said, after every answer that carries
	// them, from the request's goroutine; keep it quick. The shared
	// request budget listens here: other apps of the person spend the
	// same allowance.
	OnRate func(RateReading)
}

// Clock is e.Now, or time.Now when unset (providers.Open sets it; a
// provider's New called directly may not).
func (e Env) Clock() func() time.Time {
	if e.Now == nil {
		return time.Now
	}
	return e.Now
}

// TokenSource hands out OAuth access tokens for one account. The auth
// package's persisting token source implements it: it refreshes when needed,
// saves rotated tokens, and returns a KindSignIn *Error when the person must
// sign in again. Implementations are safe for concurrent use.
type TokenSource interface {
	// AccessToken returns a currently valid access token.
	AccessToken(ctx context.Context) (string, error)
	// ForceRefresh refreshes now (after the API said the token expired
	// early) and returns the new access token.
	ForceRefresh(ctx context.Context) (string, error)
}

// Factory builds a provider for one account.
type Factory func(spec AccountSpec, env Env) (Provider, error)

// FactoryOf is a provider package's New as a Factory: New returns the
// package's own type; a failed New gives a nil Provider, not a typed nil.
func FactoryOf[P Provider](newP func(AccountSpec, Env) (P, error)) Factory {
	return func(spec AccountSpec, env Env) (Provider, error) {
		p, err := newP(spec, env)
		if err != nil {
			return nil, err
		}
		return p, nil
	}
}

// Registration describes a provider to the registry: its descriptor.
// Everything fittui outside providers/ knows about a provider is here, as
// data (see descriptor.go); only Name, Title and New (or OAuth) are
// required, the built-in providers fill in all that applies to them.
type Registration struct {
	Name        string // registry name, e.g. "demo"
	Title       string // human name, e.g. "Demo data"
	Description string
	// Order places the provider in lists shown to people (lower first,
	// then by name).
	Order int
	// New builds the provider of an account; nil for a provider fittui
	// can sign in to but cannot read yet.
	New Factory

	// OAuth is how the provider signs people in; nil: no sign-in.
	OAuth *OAuth
	// NoSignIn is the answer to someone asking to sign in to a provider
	// without OAuth ("" : a generic one).
	NoSignIn string
	// Rate is the per-user request allowance and the headers that
	// report it.
	Rate RateLimit
	// Settings are the keys of the provider's [provider.NAME] table;
	// nil: it takes none.
	Settings []Setting
	// Options are the keys of an account's [account.options] table the
	// provider reads.
	Options []Option
	// Serves is the data it can serve and how finely.
	Serves []Serving

	// Samples returns accounts that work with no set-up at all (the
	// demo's personas): --demo, and a first run with nothing configured,
	// show them.
	Samples func() []AccountSpec
	// Stored lists the accounts the provider keeps by itself (imported
	// archives); they are listed with the configured ones.
	Stored func() ([]AccountSpec, error)
	// Import adds a person's files to an offline account (`fittui
	// import`); nil: not an importer.
	Import *Importer
}

var (
	regMu    sync.RWMutex
	registry = map[string]Registration{}
)

// Register adds a provider; it panics on a duplicate name or a
// descriptor that fails Check, because those are programming errors found
// at start-up.
func Register(r Registration) {
	if err := r.Check(); err != nil {
		panic("providers: " + err.Error())
	}
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[r.Name]; dup {
		panic("providers: duplicate registration of " + r.Name)
	}
	registry[r.Name] = r.clone()
}

// clone copies what a caller could change through a Registration.
func (r Registration) clone() Registration {
	r.OAuth = r.OAuth.clone()
	r.Settings = slices.Clone(r.Settings)
	r.Options = slices.Clone(r.Options)
	for i := range r.Options {
		r.Options[i].Values = slices.Clone(r.Options[i].Values)
	}
	r.Serves = slices.Clone(r.Serves)
	if r.Import != nil {
		im := *r.Import
		r.Import = &im
	}
	return r
}

// Lookup finds a registered provider by name. The result is a copy.
func Lookup(name string) (Registration, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	r, ok := registry[name]
	if !ok {
		return Registration{}, false
	}
	return r.clone(), true
}

// Registered lists every registered provider, sorted by name.
func Registered() []Registration {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]Registration, 0, len(registry))
	for _, r := range registry {
		out = append(out, r.clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Listed lists every registered provider in the order lists for people
// show them: by Order, then by name.
func Listed() []Registration {
	out := Registered()
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

// SignIns lists the names of the providers that sign in with OAuth, in
// Listed order.
func SignIns() []string {
	var out []string
	for _, r := range Listed() {
		if r.OAuth != nil {
			out = append(out, r.Name)
		}
	}
	return out
}

// SampleAccounts returns every provider's sample accounts (Samples), in
// Listed order.
func SampleAccounts() []AccountSpec {
	var out []AccountSpec
	for _, r := range Listed() {
		if r.Samples != nil {
			out = append(out, r.Samples()...)
		}
	}
	return out
}

// Open builds the provider for spec.
func Open(spec AccountSpec, env Env) (Provider, error) {
	r, ok := Lookup(spec.Provider)
	if !ok {
		names := ""
		for i, reg := range Registered() {
			if i > 0 {
				names += ", "
			}
			names += reg.Name
		}
		return nil, fmt.Errorf("account %q: unknown provider %q (known: %s)", spec.Name, spec.Provider, names)
	}
	if r.New == nil {
		return nil, fmt.Errorf("account %q: this build of fittui cannot read %s data yet", spec.Name, r.Title)
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	return r.New(spec, env)
}
