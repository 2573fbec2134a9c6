package providers

import (
	"context"
	"fmt"
	"net/http"
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

// RateObserver is a provider whose answers carry rate-limit headers. The
// cache's shared budget listens through it, so every fittui process of an
// account learns what the provider says is left of the window.
type RateObserver interface {
	// ObserveRate sets f, called after every answer that carries the
	// headers with the requests left (-1: unknown) and when the window
	// resets (zero: unknown), from the request's goroutine; nil removes it.
	ObserveRate(f func(remaining int, reset time.Time))
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

// Registration describes a provider to the registry.
type Registration struct {
	Name        string // registry name, e.g. "demo"
	Title       string // human name, e.g. "Demo data"
	Description string
	New         Factory
}

var (
	regMu    sync.RWMutex
	registry = map[string]Registration{}
)

// Register adds a provider; it panics on a duplicate name because that is a
// programming error found at start-up.
func Register(r Registration) {
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[r.Name]; dup {
		panic("providers: duplicate registration of " + r.Name)
	}
	registry[r.Name] = r
}

// Lookup finds a registered provider by name.
func Lookup(name string) (Registration, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	r, ok := registry[name]
	return r, ok
}

// Registered lists every registered provider, sorted by name.
func Registered() []Registration {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]Registration, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
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
	if env.Now == nil {
		env.Now = time.Now
	}
	return r.New(spec, env)
}
