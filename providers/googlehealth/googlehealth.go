// Package googlehealth reads a person's Fitbit and Pixel Watch data
// through the Google Health API (v4): a hand-written client on net/http
// and encoding/json (the generated Google client pulls in gRPC and doubles
// the binary) implementing providers.Provider.
//
// Wire details it handles: int64 values as strings, omitted zero values,
// the three spellings of each data type (kebab-case in paths, snake_case
// in filters, camelCase in JSON; all are accepted in answers), filters on
// the right field (sleep on its end time), pagination that continues
// while nextPageToken is set even after an empty page, newest-first
// answers (the domain gets oldest first), UTC instants with the device's
// offsets (every time keeps its local offset), the 14- and 90-day rollup
// limits, Google's error body, ACCOUNT_NOT_LINKED, 401 (refresh and retry
// once), 403 (names the missing scope) and 429 (RetryAt).
//
// Requests: independent ones run concurrently, at most MaxInFlight per
// account; identical requests within a refresh are made once (in-flight
// sharing plus a short reuse window); daily data is fetched in blocks
// aligned to the account's today (today and the 30 days before it, then
// 90-day blocks going back), so the today pane, the weight lookback and the history
// share their requests; the account's time zone is kept after the first
// settings call.
package googlehealth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
	"github.com/fittui/fittui/providers/internal/memo"
)

// Name is the provider's registry name.
const Name = "googlehealth"

// DefaultAPIURL is the API root; Env.APIURL replaces it.
const DefaultAPIURL = "https://health.googleapis.com"

// MaxInFlight bounds one account's concurrent requests.
const MaxInFlight = 4

// reuseFor is how long an answer serves identical requests: long enough
// for one refresh (every pane asking at once), short enough that the next
// refresh sees new data, and it keeps a 1-second refresh far below
// Google's 300 requests per user per minute.
const reuseFor = 15 * time.Second

// maxPages bounds a pagination walk (a fortnight of raw heart rate is
// about 250 pages of 5000).
const maxPages = 1000

// maxRangeDays bounds DailySeries, Sleep and DailyTotals ranges.
const maxRangeDays = 5 * 366

// Provider serves one Google Health account. It is safe for concurrent use.
type Provider struct {
	account string
	api     *httpapi.Client
	now     func() time.Time
	memo    *memo.Keyed[any]
	// memoClock is the memo's clock (real time; tests set it).
	memoClock func() time.Time
	noToken   bool

	known memo.Zone // the account's zone, from the first settings answer
}

// New builds the provider for spec. env.Tokens supplies access tokens
// (without one every call asks the person to sign in); env.APIURL
// replaces DefaultAPIURL; env.HTTPClient and env.Now as documented there.
func New(spec providers.AccountSpec, env providers.Env) (*Provider, error) {
	base, err := httpapi.CheckAPIURL(spec.Name, "Google Health", env.APIURL, DefaultAPIURL)
	if err != nil {
		return nil, err
	}
	now := env.Clock()
	p := &Provider{account: spec.Name, now: now, memoClock: time.Now, noToken: env.Tokens == nil}
	p.memo = newMemo(reuseFor, func() time.Time { return p.memoClock() })
	p.api = httpapi.NewClient(Name, spec, env, base, rateLimit.Headers)
	p.api.MaxInFlight = MaxInFlight
	// Google answers 401 for expired and revoked tokens alike: refresh
	// once; a revoked grant then fails in the token source.
	p.api.Expired = func(r *httpapi.Response) bool { return r.Status == http.StatusUnauthorized }
	p.api.Check = func(r *httpapi.Response) error { return p.apiErr(r.Status, r.Header, r.Body, infoFor(r.Request)) }
	return p, nil
}

// Kind implements providers.Provider.
func (p *Provider) Kind() string { return Name }

// infoFor says what a request label ("GET /v4/users/me/dataTypes/sleep/...")
// was for and which scope it needs.
func infoFor(label string) reqInfo {
	_, path, _ := strings.Cut(label, " ")
	if _, rest, ok := strings.Cut(path, "/dataTypes/"); ok {
		id, _, _ := strings.Cut(rest, "/")
		for _, dt := range allTypes {
			if dt.id == id {
				return reqInfo{what: strings.ReplaceAll(id, "-", " ") + " data", scope: dt.scope}
			}
		}
		return reqInfo{what: id + " data"}
	}
	switch {
	case strings.HasSuffix(path, "/profile"):
		return reqInfo{what: "your profile", scope: ScopeProfile}
	case strings.HasSuffix(path, "/settings"):
		return reqInfo{what: "your settings (time zone and units)", scope: ScopeSettings}
	case strings.Contains(path, "/pairedDevices"):
		return reqInfo{what: "your devices", scope: ScopeSettings}
	}
	return reqInfo{what: "your data"}
}

var allTypes = []dataType{dtSteps, dtDistance, dtFloors, dtTotalCalories, dtActiveMinutes, dtHeartRate,
	dtRestingHR, dtSleep, dtWeight, dtBodyFat, dtDailyHRV, dtHRV, dtDailySpO2, dtDailyBreath, dtDailyTemp,
	dtDailyVO2Max, dtZoneMinutes, dtZoneTime, dtDailyZones, dtExercise}

const userPath = "v4/users/me/"

// ready fails when there is no way to authenticate.
func (p *Provider) ready() error {
	if p.noToken {
		return providers.ErrSignIn(Name, p.account, errors.New("no stored sign-in"))
	}
	return nil
}

// badData wraps a conversion failure.
func badData(what string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := providers.AsError(err); ok {
		return err
	}
	return providers.ErrBadData(Name, what, err)
}

// getOnce GETs path and decodes it into a new T, shared through the memo.
func getOnce[T any](ctx context.Context, p *Provider, path string, q url.Values, what string) (*T, error) {
	if err := p.ready(); err != nil {
		return nil, err
	}
	key := "GET " + path + "?" + q.Encode()
	v, err := p.memo.Do(ctx, key, func(ctx context.Context) (any, error) {
		out := new(T)
		if err := p.api.GetJSON(ctx, path, q, what, out); err != nil {
			return nil, err
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*T), nil
}

// listPoints walks every page of dataPoints.list for dt.
func (p *Provider) listPoints(ctx context.Context, dt dataType, filter string, pageSize int) ([]point, error) {
	q := url.Values{}
	if filter != "" {
		q.Set("filter", filter)
	}
	if pageSize > 0 {
		q.Set("pageSize", strconv.Itoa(pageSize))
	}
	path := userPath + "dataTypes/" + dt.path() + "/dataPoints"
	what := dt.id + " list"
	return p.paged(ctx, "GET "+path+"?"+q.Encode(), what, func(ctx context.Context, token string) (*page, error) {
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		if token != "" {
			qq.Set("pageToken", token)
		}
		var pg page
		if err := p.api.GetJSON(ctx, path, qq, what, &pg); err != nil {
			return nil, err
		}
		return &pg, nil
	})
}

// paged walks pages until one comes without nextPageToken (an empty page
// with a token is not the end), shared through the memo under key.
func (p *Provider) paged(ctx context.Context, key, what string, fetch func(ctx context.Context, token string) (*page, error)) ([]point, error) {
	if err := p.ready(); err != nil {
		return nil, err
	}
	v, err := p.memo.Do(ctx, key, func(ctx context.Context) (any, error) {
		var all []point
		seen := map[string]bool{}
		token := ""
		for n := 0; ; n++ {
			if n == maxPages {
				return nil, providers.ErrBadData(Name, what, fmt.Errorf("more than %d pages", maxPages))
			}
			pg, err := fetch(ctx, token)
			if err != nil {
				return nil, err
			}
			all = append(all, pg.points()...)
			if pg.NextPageToken == "" {
				return all, nil
			}
			if seen[pg.NextPageToken] {
				return nil, providers.ErrBadData(Name, what, errors.New("the same page token came twice"))
			}
			seen[pg.NextPageToken] = true
			token = pg.NextPageToken
		}
	})
	if err != nil {
		return nil, err
	}
	return v.([]point), nil
}

// rollUpPoints runs dataPoints:rollUp for dt over [start, end) in windows
// of window, split to respect dt's range limit.
func (p *Provider) rollUpPoints(ctx context.Context, dt dataType, start, end time.Time, window time.Duration) ([]point, error) {
	return p.rollUpPaged(ctx, dt, start, end, window, 0)
}

// rollUpPaged is rollUpPoints asking for pages of pageSize windows (0:
// Google's default).
func (p *Provider) rollUpPaged(ctx context.Context, dt dataType, start, end time.Time, window time.Duration, pageSize int) ([]point, error) {
	var chunks [][2]time.Time
	limit := time.Duration(dt.maxDays) * 24 * time.Hour
	for s := start; s.Before(end); s = s.Add(limit) {
		chunks = append(chunks, [2]time.Time{s, minTime(s.Add(limit), end)})
	}
	return gather(ctx, len(chunks), func(ctx context.Context, i int) ([]point, error) {
		var body rollUpRequest
		body.Range.StartTime = chunks[i][0].UTC().Format(time.RFC3339)
		body.Range.EndTime = chunks[i][1].UTC().Format(time.RFC3339)
		body.WindowSize = formatDuration(window)
		body.PageSize = pageSize
		return p.postPaged(ctx, dt, "rollUp", body, func(tok string) any { b := body; b.PageToken = tok; return b })
	})
}

// dailyPoints runs dataPoints:dailyRollUp for dt over from..to inclusive,
// one-day windows, split into chunks of dt's range limit counted from
// from.
func (p *Provider) dailyPoints(ctx context.Context, dt dataType, from, to providers.Date) ([]point, error) {
	var chunks [][2]providers.Date
	for s := from; !s.After(to); s = s.AddDays(dt.maxDays) {
		e := s.AddDays(dt.maxDays - 1)
		if e.After(to) {
			e = to
		}
		chunks = append(chunks, [2]providers.Date{s, e})
	}
	return gather(ctx, len(chunks), func(ctx context.Context, i int) ([]point, error) {
		var body dailyRollUpRequest
		sd, ed := wireDate(chunks[i][0]), wireDate(chunks[i][1].AddDays(1))
		body.Range.Start = civilDateTime{Date: &sd}
		body.Range.End = civilDateTime{Date: &ed}
		body.WindowSizeDays = 1
		return p.postPaged(ctx, dt, "dailyRollUp", body, func(tok string) any { b := body; b.PageToken = tok; return b })
	})
}

// postPaged POSTs a rollUp body and follows its page tokens.
func (p *Provider) postPaged(ctx context.Context, dt dataType, method string, first any, withToken func(string) any) ([]point, error) {
	path := userPath + "dataTypes/" + dt.path() + "/dataPoints:" + method
	what := dt.id + " " + method
	b, err := json.Marshal(first)
	if err != nil {
		return nil, err
	}
	key := "POST " + path + " " + string(b)
	return p.paged(ctx, key, what, func(ctx context.Context, token string) (*page, error) {
		var pg page
		if err := p.api.PostJSON(ctx, path, nil, withToken(token), what, &pg); err != nil {
			return nil, err
		}
		return &pg, nil
	})
}

// gather runs n fetches concurrently and concatenates their points in
// order.
func gather(ctx context.Context, n int, f func(ctx context.Context, i int) ([]point, error)) ([]point, error) {
	if n == 1 {
		return f(ctx, 0)
	}
	parts := make([][]point, n)
	g, _ := httpapi.NewGroup(ctx, MaxInFlight)
	for i := range n {
		g.Go(func(ctx context.Context) error {
			pts, err := f(ctx, i)
			parts[i] = pts
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []point
	for _, p := range parts {
		out = append(out, p...)
	}
	return out, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// isScopeErr reports whether err is Google refusing a scope the person did
// not grant; such parts of a composite answer are left empty.
func isScopeErr(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
}
