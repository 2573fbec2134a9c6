package jawbone

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
)

// Resource paths under the API root (reference §3.4).
const (
	pathUser   = "/users/@me"
	pathMoves  = "/users/@me/moves"
	pathSleeps = "/users/@me/sleeps"
	pathHeart  = "/users/@me/heartrates"
	pathBody   = "/users/@me/body_events"
)

func pathTicks(xid string) string { return "/sleeps/" + url.PathEscape(xid) + "/ticks" }

// resource is a dated collection.
type resource struct{ path, what string }

var (
	resMoves  = resource{pathMoves, "moves"}
	resSleeps = resource{pathSleeps, "sleeps"}
	resHeart  = resource{pathHeart, "heart rates"}
	resBody   = resource{pathBody, "body events"}
)

// item is a collection item with the fields every one has.
type item struct {
	Date providers.Date
	XID  string
	Raw  json.RawMessage
}

type itemHead struct {
	XID  string `json:"xid"`
	Date num    `json:"date"`
}

// Profile implements providers.Provider: the user's name and the
// account's time zone, which is the zone of the newest move (Jawbone's
// user object has none). Jawbone lists no devices.
func (p *Provider) Profile(ctx context.Context) (providers.Profile, error) {
	return p.profiles.Do(ctx, "profile", p.fetchProfile)
}

func (p *Provider) fetchProfile(ctx context.Context) (providers.Profile, error) {
	g, _ := httpapi.NewGroup(ctx, 2)
	var name string
	var moves json.RawMessage
	g.Go(func(ctx context.Context) error {
		body, err := p.api.GetBody(ctx, pathUser, nil)
		if err != nil {
			return err
		}
		name, err = decodeUser(body)
		return p.mapEnvelope(err, pathUser)
	})
	g.Go(func(ctx context.Context) error {
		// Without a time frame the newest move comes first.
		body, err := p.api.GetBody(ctx, pathMoves, url.Values{"limit": {"1"}})
		if err != nil {
			return err
		}
		items, _, err := decodeList(body, "moves")
		if err != nil {
			return p.mapEnvelope(err, pathMoves)
		}
		if len(items) > 0 {
			moves = items[0]
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return providers.Profile{}, err
	}
	loc := time.UTC
	if moves != nil {
		m, err := decodeMove(moves, time.UTC)
		if err != nil {
			return providers.Profile{}, err
		}
		loc = m.Zone
	}
	p.zone.Set(loc)
	return providers.Profile{DisplayName: name, Location: loc}, nil
}

// span is from..to in the account's zone, clipped to today.
func (p *Provider) span(ctx context.Context, from, to providers.Date) (providers.Span, error) {
	return providers.SpanOf(ctx, Name, p.now, p.location, from, to)
}

// blockOf returns the aligned block holding d (not after today): today
// alone, else 30-day blocks going back from yesterday.
func blockOf(d, today providers.Date) (providers.Date, providers.Date) {
	n := d.DaysUntil(today)
	if n <= 0 {
		return today, today
	}
	i := (n-1)/blockDays + 1
	return today.AddDays(-blockDays * i), today.AddDays(-blockDays*(i-1) - 1)
}

// items returns the items of res dated from..to (to not after today),
// oldest block first, each once.
func (p *Provider) items(ctx context.Context, res resource, from, to providers.Date, loc *time.Location) ([]item, error) {
	today := p.today(loc)
	var blocks [][2]providers.Date
	for d := to; !d.Before(from); {
		a, b := blockOf(d, today)
		blocks = append(blocks, [2]providers.Date{a, b})
		d = a.AddDays(-1)
	}
	slices.Reverse(blocks)
	got := make([][]item, len(blocks))
	g, _ := httpapi.NewGroup(ctx, maxInFlight)
	for i, bl := range blocks {
		g.Go(func(ctx context.Context) (err error) {
			got[i], err = p.block(ctx, res, bl[0], bl[1], today, loc)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []item
	for _, its := range got {
		for _, it := range its {
			if !it.Date.Before(from) && !it.Date.After(to) {
				out = append(out, it)
			}
		}
	}
	return out, nil
}

// block fetches the items of res dated a..b: today with date=, earlier
// blocks by start_time/end_time with a day's margin on each side (a
// record's own zone may differ from the account's), kept to a..b.
func (p *Provider) block(ctx context.Context, res resource, a, b, today providers.Date, loc *time.Location) ([]item, error) {
	q := url.Values{"limit": {strconv.Itoa(PageLimit)}}
	if a == today && b == today {
		q.Set("date", DateInt(today))
	} else {
		q.Set("start_time", strconv.FormatInt(a.In(loc).Add(-24*time.Hour).Unix(), 10))
		q.Set("end_time", strconv.FormatInt(b.AddDays(1).In(loc).Add(24*time.Hour).Unix()-1, 10))
	}
	key := res.path + "?" + q.Encode()
	return p.lists.Do(ctx, key, func(ctx context.Context) ([]item, error) {
		raws, err := p.walk(ctx, res.path, q, res.what)
		if err != nil {
			return nil, err
		}
		out := make([]item, 0, len(raws))
		seen := map[string]bool{}
		for _, raw := range raws {
			var h itemHead
			if err := decode(raw, res.what, &h); err != nil {
				return nil, err
			}
			d, err := parseDate(h.Date)
			if err != nil {
				return nil, bad(res.what, err)
			}
			if d.Before(a) || d.After(b) || (h.XID != "" && seen[h.XID]) {
				continue
			}
			seen[h.XID] = true
			out = append(out, item{Date: d, XID: h.XID, Raw: raw})
		}
		return out, nil
	})
}

// ranged fetches and decodes the items of res dated from..to (clipped to
// today), oldest first by at.
func ranged[T any](ctx context.Context, p *Provider, res resource, from, to providers.Date,
	dec func(json.RawMessage, *time.Location) (T, bool, error), at func(T) time.Time) ([]T, *time.Location, error) {
	sp, err := p.span(ctx, from, to)
	if err != nil || !sp.Any {
		return nil, sp.Loc, err
	}
	loc := sp.Loc
	its, err := p.items(ctx, res, from, sp.To, loc)
	if err != nil {
		return nil, nil, err
	}
	out := make([]T, 0, len(its))
	for _, it := range its {
		v, ok, err := dec(it.Raw, loc)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			out = append(out, v)
		}
	}
	slices.SortStableFunc(out, func(a, b T) int { return at(a).Compare(at(b)) })
	return out, loc, nil
}

// Moves returns the moves (daily activity) of from..to, oldest first.
func (p *Provider) Moves(ctx context.Context, from, to providers.Date) ([]Move, error) {
	out, _, err := ranged(ctx, p, resMoves, from, to, func(raw json.RawMessage, loc *time.Location) (Move, bool, error) {
		m, err := decodeMove(raw, loc)
		return m, err == nil, err
	}, func(m Move) time.Time { return m.Date.In(time.UTC) })
	return out, err
}

// RestingHeartRates returns the resting heart rates of from..to, oldest
// first.
func (p *Provider) RestingHeartRates(ctx context.Context, from, to providers.Date) ([]RestingHeartRate, error) {
	out, _, err := ranged(ctx, p, resHeart, from, to, decodeHeartRate,
		func(r RestingHeartRate) time.Time { return r.Time })
	return out, err
}

// BodyEvents returns the weigh-ins of from..to, oldest first.
func (p *Provider) BodyEvents(ctx context.Context, from, to providers.Date) ([]BodyEvent, error) {
	out, _, err := ranged(ctx, p, resBody, from, to, decodeBody, func(b BodyEvent) time.Time { return b.Time })
	return out, err
}

// Sleeps returns the sleeps dated from..to, oldest first, without their
// phases (see Sleep).
func (p *Provider) Sleeps(ctx context.Context, from, to providers.Date) ([]Sleep, error) {
	out, _, err := ranged(ctx, p, resSleeps, from, to, func(raw json.RawMessage, loc *time.Location) (Sleep, bool, error) {
		s, err := decodeSleep(raw, loc)
		return s, err == nil, err
	}, func(s Sleep) time.Time { return s.Start })
	return out, err
}

// dayMove is the day's move: the one updated last when there are several.
func dayMove(ms []Move, d providers.Date) (Move, bool) {
	var best Move
	found := false
	for _, m := range ms {
		if m.Date == d && (!found || !m.Updated.Before(best.Updated)) {
			best, found = m, true
		}
	}
	return best, found
}

// DaySummary implements providers.Provider from the day's move (steps,
// distance, active + basal calories, active time) and resting heart rate.
// Jawbone has no floors; goals live elsewhere and are not read.
func (p *Provider) DaySummary(ctx context.Context, day providers.Date) (providers.DaySummary, error) {
	out := providers.DaySummary{Date: day}
	var moves []Move
	var rhr []RestingHeartRate
	g, _ := httpapi.NewGroup(ctx, 2)
	g.Go(func(ctx context.Context) (err error) { moves, err = p.Moves(ctx, day, day); return err })
	g.Go(func(ctx context.Context) (err error) { rhr, err = p.RestingHeartRates(ctx, day, day); return err })
	if err := g.Wait(); err != nil {
		return providers.DaySummary{}, err
	}
	if m, ok := dayMove(moves, day); ok {
		out.Steps, out.DistanceKm, out.Calories, out.ActiveMinutes = m.Steps, m.DistanceKm, m.Calories, m.ActiveMinutes
	}
	for _, r := range rhr { // oldest first: the newest wins
		if r.Date == day {
			out.RestingHeartRate = r.BPM
		}
	}
	return out, nil
}

// Intraday implements providers.Provider: steps per hour from the move's
// hourly_totals (hours without steps are absent). Jawbone has no heart-
// rate samples, which Note says.
func (p *Provider) Intraday(ctx context.Context, day providers.Date) (providers.Intraday, error) {
	out := providers.Intraday{Date: day, Steps: providers.Series{Resolution: time.Hour}, Note: IntradayNote}
	moves, err := p.Moves(ctx, day, day)
	if err != nil {
		return providers.Intraday{}, err
	}
	if m, ok := dayMove(moves, day); ok {
		out.Steps.Samples = m.Hourly
	}
	return out, nil
}

// DailySeries implements providers.Provider with one walk per resource
// and block (moves, heart rates, sleeps, body events), run concurrently.
func (p *Provider) DailySeries(ctx context.Context, from, to providers.Date) ([]providers.DailyValues, error) {
	if _, err := p.span(ctx, from, to); err != nil {
		return nil, err
	}
	out := providers.EmptyDays(from, to)
	idx := make(map[providers.Date]int, len(out))
	for i := range out {
		idx[out[i].Date] = i
	}
	var (
		moves  []Move
		rhr    []RestingHeartRate
		sleeps []Sleep
		body   []BodyEvent
	)
	g, _ := httpapi.NewGroup(ctx, 4)
	g.Go(func(ctx context.Context) (err error) { moves, err = p.Moves(ctx, from, to); return err })
	g.Go(func(ctx context.Context) (err error) { rhr, err = p.RestingHeartRates(ctx, from, to); return err })
	g.Go(func(ctx context.Context) (err error) { sleeps, err = p.Sleeps(ctx, from, to); return err })
	g.Go(func(ctx context.Context) (err error) { body, err = p.BodyEvents(ctx, from, to); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i := range out {
		if m, ok := dayMove(moves, out[i].Date); ok {
			out[i].Steps = m.Steps
		}
	}
	for _, r := range rhr {
		out[idx[r.Date]].RestingHeartRate = r.BPM
	}
	for _, s := range sleeps {
		out[idx[s.Date]].AddSleep(s.SleepSession)
	}
	for _, b := range body { // oldest first: the day's last weigh-in wins
		out[idx[b.Date]].WeightKg = b.WeightKg
	}
	return out, nil
}

// Sleep implements providers.Provider: the sleeps dated from..to with
// their phases (light, deep, REM, wake) from sleeps/{xid}/ticks. A sleep
// whose ticks answer 404 (Jawbone no longer had them) keeps its summary
// (asleep, awake, light, sound minutes) without a stage timeline.
func (p *Provider) Sleep(ctx context.Context, from, to providers.Date) ([]providers.SleepSession, error) {
	sleeps, err := p.Sleeps(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := providers.Sessions(sleeps)
	g, _ := httpapi.NewGroup(ctx, maxInFlight)
	for i, s := range sleeps {
		if s.XID == "" {
			continue
		}
		g.Go(func(ctx context.Context) error {
			raws, err := p.ticks.Do(ctx, s.XID, func(ctx context.Context) ([]json.RawMessage, error) {
				return p.walk(ctx, pathTicks(s.XID), nil, "sleep phases")
			})
			var ae *APIError
			if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
				return nil // no phases for this sleep: its summary stands
			}
			if err != nil {
				return err
			}
			segs, err := decodeTicks(raws, s.SleepSession)
			if err != nil {
				return err
			}
			out[i].Segments = segs
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

var _ providers.Provider = (*Provider)(nil)
