// Package jawbone reads the Jawbone UP API (v.1.1). Jawbone's cloud shut
// down in 2017; the provider speaks the documented wire formats so that a
// compatible server, or a recorded copy, can be used (point api_url at
// it). Sign-in is the shared OAuth flow (auth spec "jawbone"); `fittui
// auth logout` disconnects the app with DELETE
// .../users/@me/PartnerAppMembership.
//
// What it reads: the user (name), moves (daily steps, distance, calories,
// active time, and hourly_totals as hourly intraday steps), heart rates
// (one resting heart rate a day; Jawbone has no finer heart-rate data, so
// Intraday says so in its Note), sleeps with their phases
// (sleeps/{xid}/ticks) and body events (weight). Every answer is the
// {"meta","data"} envelope; collections are followed through their
// relative links.next until the last page (bounded, a repeated link ends
// the walk). Time zones follow each record (see wire.go); the account's
// zone is that of the newest move.
//
// Requests: the days asked for are fetched in blocks aligned to the
// account's today (today alone with date=YYYYMMDD, then 30-day blocks
// going back with start_time/end_time), so the today pane, the weight
// look-back and the history share their requests; identical requests
// within a refresh are made once; at most four run at a time. Jawbone
// documented no rate limit and no rate-limit headers; a 429 is honoured
// (Retry-After) all the same.
package jawbone

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
	"github.com/fittui/fittui/providers/internal/memo"
)

// Name is the provider's registry name.
const Name = "jawbone"

// DefaultAPIURL is the API root; Env.APIURL replaces it (a compatible
// server's .../nudge/api/v.1.1).
const DefaultAPIURL = "https://jawbone.com/nudge/api/v.1.1"

// IntradayNote is Intraday.Note: what Jawbone cannot give.
const IntradayNote = "Jawbone UP reports one resting heart rate a day and no heart-rate samples; steps are hourly totals"

const (
	// PageLimit is the limit asked for per page (Jawbone's default is 10).
	PageLimit = 100
	// maxPages bounds one walk through links.next.
	maxPages = 500
	// blockDays is the length of the aligned blocks before today.
	blockDays = 30
	// reuseFor is how long an answer serves identical requests: one
	// refresh's burst of calls, not the next refresh.
	reuseFor = 15 * time.Second
	// maxInFlight bounds one account's concurrent requests.
	maxInFlight = 4
)

// Provider reads one Jawbone UP account. It is safe for concurrent use.
type Provider struct {
	account string
	api     *httpapi.Client
	base    *url.URL
	now     func() time.Time

	lists    *memo.Keyed[[]item]
	profiles *memo.Keyed[providers.Profile]
	ticks    *memo.Keyed[[]json.RawMessage]

	zone memo.Zone // the account's, once known
}

// New builds the provider for spec. env.APIURL replaces DefaultAPIURL,
// env.Tokens supplies tokens (nil: every call says to sign in),
// env.HTTPClient sends requests (nil: a client with transport timeouts).
func New(spec providers.AccountSpec, env providers.Env) (*Provider, error) {
	base, err := httpapi.CheckAPIURL(spec.Name, "Jawbone", env.APIURL, DefaultAPIURL)
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(strings.TrimRight(base, "/")) // links.next resolve against it
	now := env.Clock()
	recovered := func(r any) error {
		return providers.ErrBadData(Name, "an answer fittui failed to read", fmt.Errorf("internal error (%v); please report this", r))
	}
	o := memo.Options{TTL: reuseFor, Recovered: recovered} // real elapsed time, not the data clock
	p := &Provider{account: spec.Name, base: u, now: now,
		lists:    memo.New[[]item](o),
		profiles: memo.New[providers.Profile](o),
		ticks:    memo.New[[]json.RawMessage](o),
	}
	p.api = httpapi.NewClient(Name, spec, env, u.String(), rateLimit.Headers)
	p.api.MaxInFlight = maxInFlight
	// Jawbone's 401 does not say expired from revoked: refresh once; a
	// revoked grant then fails in the token source.
	p.api.Expired = func(r *httpapi.Response) bool { return r.Status == http.StatusUnauthorized }
	p.api.Check = func(r *httpapi.Response) error { return p.apiErr(parseError(r.Status, r.Body), r.Header, r.Request) }
	return p, nil
}

// Kind implements providers.Provider.
func (p *Provider) Kind() string { return Name }

// apiErr turns a Jawbone error answer into a typed error.
func (p *Provider) apiErr(ae *APIError, h http.Header, request string) error {
	switch s := ae.Status; {
	case s == http.StatusUnauthorized:
		return providers.ErrSignIn(Name, p.account, ae)
	case s == http.StatusForbidden:
		return p.api.NeedsPermission("Jawbone", request, ae)
	case s == http.StatusTooManyRequests:
		// Retry-After, else an epoch X-RateLimit-Reset, else a clamped
		// default (see the descriptor).
		return p.api.RateLimited(h, ae)
	case s == http.StatusGone:
		return &providers.Error{Kind: providers.KindGone, Provider: Name, Err: ae,
			Message: "this Jawbone-compatible server has turned the API off"}
	case s >= 500 || s == http.StatusRequestTimeout:
		return providers.ErrUnreachable(Name, ae)
	}
	return p.api.Refused("Jawbone", request, ae)
}

// mapEnvelope maps a failure named in a 2xx answer's meta like an HTTP
// one.
func (p *Provider) mapEnvelope(err error, path string) error {
	var ee errEnvelope
	if errors.As(err, &ee) {
		return p.apiErr(ee.api, nil, "GET "+path)
	}
	return err
}

// walk reads every page of a collection: the first at path?q, then each
// links.next until there is none, a page is empty, or a link repeats.
func (p *Provider) walk(ctx context.Context, path string, q url.Values, what string) ([]json.RawMessage, error) {
	var out []json.RawMessage
	seen := map[string]bool{}
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, bad(what, fmt.Errorf("links.next still continues after %d pages", maxPages))
		}
		body, err := p.api.GetBody(ctx, path, q)
		if err != nil {
			return nil, err
		}
		items, next, err := decodeList(body, what)
		if err != nil {
			return nil, p.mapEnvelope(err, path)
		}
		out = append(out, items...)
		if next == "" || len(items) == 0 || seen[next] {
			return out, nil
		}
		seen[next] = true
		if path, q, err = p.follow(next, what); err != nil {
			return nil, err
		}
	}
}

// follow turns a links.next value into a path under the API root and its
// query. Jawbone's links are paths from the server's root
// ("/nudge/api/v.1.1/users/XID/moves?page_token=..."); a compatible
// server mounted under a prefix gets the prefix back. A link to another
// server is refused: the token goes only where it was meant to.
func (p *Provider) follow(next, what string) (string, url.Values, error) {
	u, err := url.Parse(next)
	if err != nil {
		return "", nil, bad(what, errors.New("links.next is not a URL"))
	}
	if u.IsAbs() || u.Host != "" {
		if !strings.EqualFold(u.Host, p.base.Host) || (u.Scheme != "" && u.Scheme != p.base.Scheme) {
			return "", nil, bad(what, errors.New("links.next points to another server"))
		}
	}
	path := u.Path
	basePath := strings.TrimRight(p.base.Path, "/")
	if !strings.HasPrefix(path, "/") {
		path = basePath + "/" + path // relative to the API root
	} else if i := strings.Index(basePath, "/nudge/"); i > 0 && !strings.HasPrefix(path, basePath+"/") && strings.HasPrefix(path, "/nudge/") {
		path = basePath[:i] + path
	}
	rel, ok := strings.CutPrefix(path, basePath+"/")
	if !ok || strings.Contains("/"+rel+"/", "/../") {
		return "", nil, bad(what, errors.New("links.next is outside the API"))
	}
	return "/" + rel, u.Query(), nil
}

// Location is the account's time zone once known (nil before the first
// Profile).
func (p *Provider) Location() *time.Location { return p.zone.Get() }

// location returns the account's zone, fetching the profile the first
// time.
func (p *Provider) location(ctx context.Context) (*time.Location, error) {
	return p.zone.OfProfile(ctx, p)
}

// today is the current date in loc.
func (p *Provider) today(loc *time.Location) providers.Date {
	return providers.DateOf(p.now().In(loc))
}
