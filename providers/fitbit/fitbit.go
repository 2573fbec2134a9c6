// Package fitbit reads the legacy Fitbit Web API (api.fitbit.com), which
// Google turned off on 2026-11-02: since then every request answers 410
// Gone, which this provider reports once as a permanent KindGone error
// ("Fitbit Web API has been turned off; add a Google Health account") and
// never retries.
//
// The client is hand-written on net/http and encoding/json (see wire.go
// for the wire formats). Fitbit data is in the person's floating local
// time; the profile's time zone, fetched once and remembered, places it.
// Requests are few: ranges are fetched in one request per resource (split
// only at the API's maximum range), answers are shared between the
// Provider methods for a few seconds so one dashboard refresh asks for
// each resource once, and at most four requests run at a time.
package fitbit

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
	"github.com/fittui/fittui/providers/internal/memo"
)

// Name is the provider's registry name.
const Name = "fitbit"

// DefaultAPIURL is the Fitbit Web API's root.
const DefaultAPIURL = "https://api.fitbit.com"

// GoneMessage is what a person sees once Fitbit answers 410 Gone.
const GoneMessage = "Fitbit Web API has been turned off; add a Google Health account"

// IntradayNote is Intraday.Note when Fitbit refuses intraday data.
const IntradayNote = "Fitbit did not grant this app intraday data; showing daily totals " +
	"(a Fitbit app of type Personal gets intraday data for its owner)"

// Maximum days per request (reference §1.6).
const (
	maxActivityDays = 1095
	maxHeartDays    = 365
	maxSleepDays    = 100
	maxWeightDays   = 31
	maxFatDays      = 30
)

// widenDays: ranged requests reach back at least this far (see rangeSpec).
// 31 covers both the dashboard's and `fittui today`'s weight look-back.
const widenDays = 31

// intradayRecheck is how long a 403 on intraday data is believed before
// asking again (access may be granted meanwhile).
const intradayRecheck = time.Hour

// maxInFlight bounds concurrent requests per account.
const maxInFlight = 4

// APIError is a Fitbit error response: the HTTP status and the entries of
// its {"errors":[...]} body. Its text names the error types and fields but
// never repeats Fitbit's messages, which can quote the access token.
type APIError struct {
	Status int
	Errors []ErrorEntry
}

// ErrorEntry is one item of Fitbit's errors[] body.
type ErrorEntry struct {
	Type    string // errorType, e.g. "expired_token"
	Field   string // fieldName, may be empty
	Message string // not safe to show: may contain the token
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d", e.Status)
	for i, en := range e.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(en.Type)
		if en.Field != "" && en.Field != "n/a" {
			b.WriteString(" (" + en.Field + ")")
		}
	}
	return b.String()
}

// Has reports whether an entry has errorType t.
func (e *APIError) Has(t string) bool {
	for _, en := range e.Errors {
		if en.Type == t {
			return true
		}
	}
	return false
}

// Provider reads one Fitbit account. It is safe for concurrent use.
type Provider struct {
	account string
	api     *httpapi.Client
	now     func() time.Time

	zone memo.Zone // from the profile

	mu             sync.Mutex
	gone           bool      // after a 410: no requests ever
	intradayDenied time.Time // when a 403 on intraday data was seen
	secondsDenied  time.Time // when a 403 on 1sec heart rate was seen

	// Answers shared within a refresh, on the data clock (package memo).
	profiles  *memo.Keyed[providers.Profile]
	summaries *memo.Keyed[providers.DaySummary]
	intraday  *memo.Keyed[providers.Series]
	steps     *memo.Days[int]
	heart     *memo.Days[int]
	sleep     *memo.Days[[]SleepLog]
	weight    *memo.Days[[]WeightLog]
	fat       *memo.Days[[]FatLog]
}

// New builds the provider for spec. env.APIURL overrides DefaultAPIURL,
// env.Tokens supplies tokens (nil: every call says to sign in),
// env.HTTPClient sends requests (nil: a client with transport timeouts).
func New(spec providers.AccountSpec, env providers.Env) (*Provider, error) {
	base, err := httpapi.CheckAPIURL(spec.Name, "Fitbit", env.APIURL, DefaultAPIURL)
	if err != nil {
		return nil, err
	}
	now := env.Clock()
	o := memo.Options{Now: now}
	p := &Provider{account: spec.Name, now: now,
		profiles: memo.New[providers.Profile](o), summaries: memo.New[providers.DaySummary](o),
		intraday: memo.New[providers.Series](o), steps: memo.NewDays[int](o), heart: memo.NewDays[int](o),
		sleep: memo.NewDays[[]SleepLog](o), weight: memo.NewDays[[]WeightLog](o), fat: memo.NewDays[[]FatLog](o)}
	// No Accept-Language: Fitbit then answers in metric units (en_US
	// would mean miles and pounds, en_GB stones).
	p.api = httpapi.NewClient(Name, spec, env, base, rateLimit.Headers)
	p.api.MaxInFlight, p.api.Check = maxInFlight, p.check
	p.api.Expired = func(r *httpapi.Response) bool { return parseAPIError(r).Has("expired_token") }
	return p, nil
}

// Kind implements providers.Provider.
func (p *Provider) Kind() string { return Name }

// parseAPIError reads a Fitbit error body; a body that is not one gives
// an APIError with the status alone.
func parseAPIError(r *httpapi.Response) *APIError {
	ae := &APIError{Status: r.Status}
	var b errorBody
	if err := decode(r.Body, "error", &b); err == nil {
		for _, e := range b.Errors {
			ae.Errors = append(ae.Errors, ErrorEntry{Type: e.ErrorType, Field: e.FieldName, Message: e.Message})
		}
	}
	return ae
}

// check turns Fitbit error answers into typed errors.
func (p *Provider) check(r *httpapi.Response) error {
	ae := parseAPIError(r)
	switch {
	case r.Status == http.StatusGone:
		p.mu.Lock()
		p.gone = true
		p.mu.Unlock()
		return providers.ErrGone(Name, GoneMessage)
	case r.Status == http.StatusUnauthorized:
		return providers.ErrSignIn(Name, p.account, ae)
	case r.Status == http.StatusForbidden:
		return p.api.NeedsPermission("Fitbit", r.Request, ae)
	case r.Status == http.StatusTooManyRequests:
		// Fitbit's Retry-After is reported not to match the reset; the
		// reset header is the one to trust (missing or garbage: clamped;
		// see the descriptor's Rate.Headers).
		return p.api.RateLimited(r.Header, ae)
	case r.Status >= 500:
		return providers.ErrUnreachable(Name, ae)
	}
	return p.api.Refused("Fitbit", r.Request, ae)
}

// get fetches path and returns the 2xx body; once Fitbit has answered
// 410 Gone, nothing is sent.
func (p *Provider) get(ctx context.Context, path string) ([]byte, error) {
	p.mu.Lock()
	gone := p.gone
	p.mu.Unlock()
	if gone {
		return nil, providers.ErrGone(Name, GoneMessage)
	}
	return p.api.GetBody(ctx, path, nil)
}
