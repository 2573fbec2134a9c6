// Package misfit reads the Misfit Cloud API (Misfit Resource API,
// api.misfitwearables.com/move/resource/v1). Fossil shut Misfit's cloud
// down in 2023; the provider speaks the documented wire formats (reference
// §2) so a compatible server or a recorded copy can be used: point the
// account's api_url at it.
//
// Misfit knows daily totals, detected activity sessions and sleeps with
// awake/light/deep changes; it has no heart rate and no intraday steps, so
// Intraday is empty with a Note. Summaries, goals, sessions and sleeps are
// asked for by date range, at most 31 days per request: longer ranges are
// split and the parts fetched concurrently (at most four at a time), and
// answers are shared between the Provider methods for a few seconds so one
// dashboard refresh asks for each range once.
//
// The access token goes in the Authorization: Bearer header (one of the
// three ways clients sent it; the header keeps it out of URLs and logs).
package misfit

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
	"github.com/fittui/fittui/providers/internal/memo"
)

// Name is the provider's registry name.
const Name = "misfit"

// DefaultAPIURL is the Misfit Cloud API's root (the service is shut down).
const DefaultAPIURL = "https://api.misfitwearables.com"

// resourceRoot is the path of the token owner's resources under the API
// root.
const resourceRoot = "/move/resource/v1/user/me"

// MaxRangeDays is the longest start_date..end_date range Misfit answers
// (both dates included); longer ranges get HTTP 400.
const MaxRangeDays = 31

// IntradayNote is Intraday.Note: Misfit has no heart rate and no
// intraday steps.
const IntradayNote = "Misfit offers daily data only: no heart rate and no intraday steps"

// Account options (the [account.options] table of the configuration).
const (
	// OptionTimeZone is an IANA zone name for the account's days. Without
	// it the zone is the offset of the newest goal (Misfit's only zone
	// information), else UTC.
	OptionTimeZone = "timezone"
	// OptionDistanceUnit is "mi" (default) or "km": the unit of Misfit's
	// distance fields, which the docs never state (the published
	// examples, about 0.5 to 0.75 m per step as miles, read as miles).
	OptionDistanceUnit = "distance_unit"
)

// StepsPerPoint converts Misfit's points goal to a steps goal: Misfit gave
// about one point per ten steps of walking (its 1,000-point default goal
// was sold as roughly 10,000 steps).
const StepsPerPoint = 10

const kmPerMile = 1.609344

// maxInFlight bounds concurrent requests per account.
const maxInFlight = 4

// APIError is a Misfit error response. Misfit spells its body two ways
// ({"code","message"} and {"error_code","error_message"}) or sends plain
// text; Code is the body's code (0: none), which wins over Status as in
// python-misfit. Message is the server's text with anything that looks
// like a token removed.
type APIError struct {
	Status  int
	Code    int
	Message string
}

// Effective is the status that decides what the error means: the body's
// code when it is an HTTP status, else the response's.
func (e *APIError) Effective() int {
	if e.Code >= 100 && e.Code <= 599 {
		return e.Code
	}
	return e.Status
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("HTTP %d", e.Status)
	if e.Code != 0 && e.Code != e.Status {
		s += fmt.Sprintf(" (code %d)", e.Code)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Provider reads one Misfit account. It is safe for concurrent use.
type Provider struct {
	account string
	api     *httpapi.Client
	now     func() time.Time
	zone    *time.Location // from OptionTimeZone; nil: from the goals
	mileKm  float64        // km per distance unit

	known memo.Zone // the account's zone once known

	notesMu sync.Mutex
	notes   []string // records left out lately (Notes)

	// Answers shared within a refresh, on the data clock (package memo).
	profiles  *memo.Keyed[providers.Profile]
	summaries *memo.Days[Summary]
	goals     *memo.Days[Goal]
	sessions  *memo.Days[[]Session]
	sleeps    *memo.Days[[]Sleep]
}

// maxNotes bounds the notes kept.
const maxNotes = 8

// note records that a record was left out, once.
func (p *Provider) note(s string) {
	p.notesMu.Lock()
	defer p.notesMu.Unlock()
	for _, n := range p.notes {
		if n == s {
			return
		}
	}
	if len(p.notes) == maxNotes {
		p.notes = p.notes[1:]
	}
	p.notes = append(p.notes, s)
}

// Notes implements providers.Noter: the sleeps left out lately and why.
func (p *Provider) Notes() []string {
	p.notesMu.Lock()
	defer p.notesMu.Unlock()
	return append([]string(nil), p.notes...)
}

// New builds the provider for spec. env.APIURL overrides DefaultAPIURL,
// env.Tokens supplies tokens (nil: every call says to sign in),
// env.HTTPClient sends requests (nil: a client with transport timeouts).
func New(spec providers.AccountSpec, env providers.Env) (*Provider, error) {
	base, err := httpapi.CheckAPIURL(spec.Name, "Misfit", env.APIURL, DefaultAPIURL)
	if err != nil {
		return nil, err
	}
	now := env.Clock()
	o := memo.Options{Now: now}
	p := &Provider{account: spec.Name, now: now, mileKm: kmPerMile,
		profiles: memo.New[providers.Profile](o), summaries: memo.NewDays[Summary](o), goals: memo.NewDays[Goal](o),
		sessions: memo.NewDays[[]Session](o), sleeps: memo.NewDays[[]Sleep](o)}
	if z := strings.TrimSpace(spec.Options[OptionTimeZone]); z != "" {
		loc, err := time.LoadLocation(z)
		if err != nil {
			return nil, fmt.Errorf("account %q: option %s = %q is not a time zone name like Europe/Paris", spec.Name, OptionTimeZone, z)
		}
		p.zone = loc
	}
	switch u := strings.ToLower(strings.TrimSpace(spec.Options[OptionDistanceUnit])); u {
	case "", "mi", "mile", "miles":
	case "km", "kilometre", "kilometres", "kilometer", "kilometers":
		p.mileKm = 1
	default:
		return nil, fmt.Errorf("account %q: option %s = %q: use mi or km", spec.Name, OptionDistanceUnit, u)
	}
	p.api = httpapi.NewClient(Name, spec, env, base, rateLimit.Headers)
	p.api.MaxInFlight, p.api.Check = maxInFlight, p.check
	// Misfit's 401 does not say whether the token expired or was revoked:
	// try one refresh (the token source says "sign in again" when there
	// is nothing to refresh with).
	p.api.Expired = func(*httpapi.Response) bool { return true }
	return p, nil
}

// Kind implements providers.Provider.
func (p *Provider) Kind() string { return Name }

// check turns Misfit error answers into typed errors, by the body's code
// when it has one (python-misfit lets it override the status).
func (p *Provider) check(r *httpapi.Response) error {
	ae := parseAPIError(r.Status, r.Body)
	switch st := ae.Effective(); {
	case st == http.StatusUnauthorized:
		return providers.ErrSignIn(Name, p.account, ae)
	case st == http.StatusForbidden:
		return p.api.NeedsPermission("Misfit", r.Request, ae)
	case st == http.StatusTooManyRequests:
		// X-RateLimit-Reset: an absolute Unix time (descriptor).
		return p.api.RateLimited(r.Header, ae)
	case st >= 500 || st == http.StatusRequestTimeout:
		return providers.ErrUnreachable(Name, ae)
	case st == http.StatusNotFound:
		return &providers.Error{Kind: providers.KindUnknown, Provider: Name, Err: ae,
			Message: fmt.Sprintf("Misfit has no %s; check the account's api_url", r.Request)}
	}
	return p.api.Refused("Misfit", r.Request, ae)
}

// get fetches a resource under the token owner's root and returns the 2xx
// body.
func (p *Provider) get(ctx context.Context, path string, query url.Values) ([]byte, error) {
	return p.api.GetBody(ctx, resourceRoot+path, query)
}

var _ providers.Noter = (*Provider)(nil)
