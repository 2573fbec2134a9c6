package jawbonetest

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
)

// BMRDay is the basal kcal of a whole day; a day's move splits the demo's
// total calories into basal (bmr: so far today, bmr_day: the whole day)
// and active (calories).
const BMRDay = 1650.0

// WeighIn is the local time of day of every body event.
const WeighIn = 6*time.Hour + 52*time.Minute + 10*time.Second

// RestingAt is the local time of day of every resting heart rate (just
// after midnight, so today has one from the start).
const RestingAt = time.Minute

// dayNumber numbers days, for the rules that vary the traps by day.
func dayNumber(d providers.Date) int {
	return providers.Date{Year: 2000, Month: 1, Day: 1}.DaysUntil(d)
}

// NumericTZs reports whether d's move lists tzs by UTC offset in seconds
// (one entry per change of offset) rather than by IANA name.
func NumericTZs(d providers.Date) bool { return dayNumber(d)%2 != 0 }

// KmOmitted reports whether d's move has "distance" (metres) but no "km".
func KmOmitted(d providers.Date) bool { return dayNumber(d)%11 == 0 }

// DistanceOmitted reports whether d's move has no distance at all.
func DistanceOmitted(d providers.Date) bool { return dayNumber(d)%13 == 0 }

// SleepTZ is details.tz of a sleep starting at t: the IANA name on even
// days, "GMT-0500"-style on odd ones.
func (s *Server) sleepTZ(d providers.Date, t time.Time) any {
	if dayNumber(d)%2 == 0 {
		return s.Data.Loc.String()
	}
	return gmt(t)
}

// bodyTZ is details.tz of a body event: a name, "GMT±hhmm", or null.
func (s *Server) bodyTZ(d providers.Date, t time.Time) any {
	switch dayNumber(d) % 3 {
	case 0:
		return s.Data.Loc.String()
	case 1:
		return gmt(t)
	}
	return nil
}

func gmt(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("GMT%c%02d%02d", sign, off/3600, off%3600/60)
}

func dateInt(d providers.Date) int { return d.Year*10000 + int(d.Month)*100 + d.Day }

// MoveXID, SleepXID, ... are the xids the fake gives a day's items.
func MoveXID(d providers.Date) string         { return fmt.Sprintf("mv%08d", dateInt(d)) }
func SleepXID(d providers.Date, k int) string { return fmt.Sprintf("sl%08d-%d", dateInt(d), k) }
func heartXID(d providers.Date) string        { return fmt.Sprintf("hr%08d", dateInt(d)) }
func bodyXID(d providers.Date) string         { return fmt.Sprintf("bd%08d", dateInt(d)) }

// Depth is the Jawbone phase depth the fake gives a demo stage: 1 awake,
// 2 light, 3 sound (deep), 4 REM. The demo's classic nap stages map to
// light (asleep) and awake (awake, restless).
func Depth(st providers.SleepStage) int {
	switch st {
	case providers.StageDeep:
		return 3
	case providers.StageREM:
		return 4
	case providers.StageLight, providers.StageAsleep:
		return 2
	}
	return 1
}

// doc is one item with its sort key.
type doc struct {
	at   int64 // time_created
	body map[string]any
}

func (s *Server) today() providers.Date { return s.Data.Today() }

// route answers a GET: data and 200, or writes an error.
func (s *Server) route(w http.ResponseWriter, r *http.Request, rest string, f Fault) (any, int) {
	seg := strings.Split(rest, "/")
	ctx := r.Context()
	switch {
	case len(seg) == 2 && seg[0] == "users" && (seg[1] == "@me" || seg[1] == UserXID):
		prof := s.Data.Profile(ctx)
		first, last, _ := strings.Cut(prof.DisplayName, " ")
		return map[string]any{"xid": UserXID, "first": first, "last": last,
			"image": "/user/image/i/" + UserXID + ".png"}, http.StatusOK
	case len(seg) == 3 && seg[0] == "users" && (seg[1] == "@me" || seg[1] == UserXID):
		var gen func(context.Context, providers.Date) []doc
		switch seg[2] {
		case "moves":
			gen = s.moves
		case "sleeps":
			gen = s.sleeps
		case "heartrates":
			gen = s.heartrates
		case "body_events":
			gen = s.bodyEvents
		default:
			writeError(w, http.StatusNotFound, "not_found", "No such endpoint.", s.now())
			return nil, http.StatusNotFound
		}
		return s.list(ctx, w, r, seg[2], gen, f)
	case len(seg) == 3 && seg[0] == "sleeps" && seg[2] == "ticks":
		return s.ticks(ctx, w, seg[1])
	}
	writeError(w, http.StatusNotFound, "not_found", "No such endpoint.", s.now())
	return nil, http.StatusNotFound
}

// list serves a collection with Jawbone's parameters: date=YYYYMMDD, or
// start_time/end_time (oldest first), or neither (newest first from
// today); page_token continues after the last time_created served; limit
// is capped at the page size.
func (s *Server) list(ctx context.Context, w http.ResponseWriter, r *http.Request, name string,
	gen func(context.Context, providers.Date) []doc, f Fault) (any, int) {
	q := r.URL.Query()
	badParam := func(p string) (any, int) {
		writeError(w, http.StatusBadRequest, "invalid_parameter", "Invalid parameter "+p+".", s.now())
		return nil, http.StatusBadRequest
	}
	intParam := func(p string) (int64, bool, bool) {
		v := q.Get(p)
		if v == "" {
			return 0, false, true
		}
		n, err := strconv.ParseInt(v, 10, 64)
		return n, true, err == nil && n >= 0
	}
	limit, hasLimit, ok := intParam("limit")
	if !ok || hasLimit && limit == 0 {
		return badParam("limit")
	}
	size := s.cfg.PageSize
	if hasLimit && int(limit) < size {
		size = int(limit)
	}
	token, hasToken, ok := intParam("page_token")
	if !ok {
		return badParam("page_token")
	}
	start, hasStart, ok1 := intParam("start_time")
	end, hasEnd, ok2 := intParam("end_time")
	if !ok1 || !ok2 || hasEnd && !hasStart {
		return badParam("start_time")
	}
	today := s.today()
	first := today.AddDays(-HistoryDays)
	from, to := first, today
	asc := false
	var only providers.Date
	switch {
	case q.Get("date") != "":
		v, err := strconv.Atoi(q.Get("date"))
		if err != nil || v < 19000101 {
			return badParam("date")
		}
		only = providers.Date{Year: v / 10000, Month: time.Month(v / 100 % 100), Day: v % 100}
		from, to, asc = only, only, true
	case hasStart:
		if !hasEnd {
			end = s.now().Unix()
		}
		asc = true
		// A record's time_created may be the evening before its date.
		from = providers.DateOf(time.Unix(start, 0).In(s.Data.Loc)).AddDays(-1)
		to = providers.DateOf(time.Unix(end, 0).In(s.Data.Loc)).AddDays(1)
	}
	if from.Before(first) {
		from = first
	}
	if to.After(today) {
		to = today
	}
	var docs []doc
	keep := func(dc doc) bool {
		return !(hasStart && (dc.at < start || dc.at > end)) && (only.IsZero() || dc.body["date"] == dateInt(only))
	}
	if asc {
		for d := from; !d.After(to); d = d.AddDays(1) {
			for _, dc := range s.cached(ctx, name, d, gen) {
				if keep(dc) {
					docs = append(docs, dc)
				}
			}
		}
	} else {
		docs = s.newest(ctx, name, gen, from, to, size, hasToken, token)
	}
	sort.SliceStable(docs, func(i, j int) bool {
		if asc {
			return docs[i].at < docs[j].at
		}
		return docs[i].at > docs[j].at
	})
	if hasToken {
		k := 0
		for k < len(docs) && (asc && docs[k].at <= token || !asc && docs[k].at >= token) {
			k++
		}
		docs = docs[k:]
	}
	page := docs
	if len(page) > size {
		page = page[:size]
	}
	items := make([]any, len(page))
	for i, dc := range page {
		items[i] = dc.body
	}
	data := map[string]any{"items": items, "size": len(items)}
	if len(docs) > len(page) || f == FaultRepeatNext || f == FaultForeignNext {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		if len(page) > 0 && f != FaultRepeatNext {
			nq.Set("page_token", strconv.FormatInt(page[len(page)-1].at, 10))
		}
		link := APIPath + "/users/" + UserXID + "/" + name + "?" + nq.Encode()
		if f == FaultForeignNext {
			link = "https://elsewhere.example" + link
		}
		data["links"] = map[string]any{"next": link}
	}
	return data, http.StatusOK
}

// newest returns the items of from..to a newest-first page needs: the
// days from to backwards until size+1 items after token are certain to be
// the newest (an item's time_created lies within a day before its date's
// end, so items of days before d are older than d's start). A listing
// without dates thus generates a few days, not the whole history.
func (s *Server) newest(ctx context.Context, name string, gen func(context.Context, providers.Date) []doc,
	from, to providers.Date, size int, hasToken bool, token int64) []doc {
	var perDay [][]doc
	for d := to; !d.Before(from); d = d.AddDays(-1) {
		perDay = append(perDay, s.cached(ctx, name, d, gen))
		dayStart, sure := d.In(s.Data.Loc).Unix(), 0
		for _, day := range perDay {
			for _, dc := range day {
				if dc.at >= dayStart && (!hasToken || dc.at < token) {
					sure++
				}
			}
		}
		if sure > size {
			break
		}
	}
	var docs []doc // oldest day first, as a full listing would gather them
	for i := len(perDay) - 1; i >= 0; i-- {
		docs = append(docs, perDay[i]...)
	}
	return docs
}

type docKey struct {
	persona, resource string
	day               providers.Date
}

// settledDocs holds the items of settled days for every fake of the
// process: a past day's items depend on the persona alone.
var settledDocs sync.Map // docKey -> *settledItems

type settledItems struct {
	once sync.Once
	docs []doc
}

// cached returns gen's items of a day: a past day's made once per process
// and shared (read-only) by every fake of the persona, today's once per
// clock reading, so paging through a range does not generate its days
// again for every page.
func (s *Server) cached(ctx context.Context, name string, d providers.Date, gen func(context.Context, providers.Date) []doc) []doc {
	if !d.Before(s.today()) {
		key := name + "/" + d.String() + "/" + s.now().String()
		s.mu.Lock()
		docs, ok := s.docs[key]
		s.mu.Unlock()
		if !ok {
			docs = gen(ctx, d)
			s.mu.Lock()
			if len(s.docs) > 16 {
				clear(s.docs)
			}
			s.docs[key] = docs
			s.mu.Unlock()
		}
		return docs
	}
	v, _ := settledDocs.LoadOrStore(docKey{s.Data.Name(), name, d}, &settledItems{})
	it := v.(*settledItems)
	it.once.Do(func() { it.docs = gen(context.Background(), d) })
	return it.docs
}

// moves: one per day from the demo's summary and minute steps.
func (s *Server) moves(ctx context.Context, d providers.Date) []doc {
	sum := s.Data.Summary(ctx, d)
	start := d.In(s.Data.Loc)
	now := s.now()
	bmr := BMRDay
	if d == s.today() {
		bmr = BMRDay * math.Min(1, now.Sub(start).Minutes()/start.AddDate(0, 0, 1).Sub(start).Minutes())
		bmr = math.Round(bmr*100) / 100
	}
	hourly := s.hourlyTotals(ctx, d)
	totals := map[string]any{}
	for k, v := range hourly {
		totals[k] = map[string]any{"steps": v, "distance": float64(v) * 0.75, "calories": float64(v) * 0.04,
			"active_time": min(3600, v/2), "inactive_time": 900, "longest_active_time": min(3600, v/3), "longest_idle_time": 900}
	}
	det := map[string]any{
		"steps": sum.Steps, "calories": float64(sum.Calories) - bmr, "bg_calories": 0.0,
		"bmr": bmr, "bmr_day": BMRDay, "active_time": sum.ActiveMinutes * 60,
		"inactive_time": max(0, 86400-sum.ActiveMinutes*60), "longest_active": 0, "longest_idle": 0,
		"wo_count": 0, "wo_time": 0, "wo_active_time": 0, "wo_calories": 0, "wo_longest": 0,
		"sunrise": 0, "sunset": 0, "tz": s.Data.Loc.String(), "tzs": s.tzs(d),
		"hourly_totals": totals,
	}
	if !DistanceOmitted(d) {
		det["distance"] = math.Round(sum.DistanceKm * 1000)
		if !KmOmitted(d) {
			det["km"] = sum.DistanceKm
		}
	}
	updated := now
	if end := start.AddDate(0, 0, 1); !end.After(now) {
		updated = end.Add(-time.Minute)
	}
	return []doc{{at: start.Unix(), body: map[string]any{
		"xid": MoveXID(d), "type": "move", "title": fmt.Sprintf("%d steps", sum.Steps), "date": dateInt(d),
		"time_created": start.Unix(), "time_updated": updated.Unix(), "time_completed": updated.Unix(),
		"snapshot_image": "/nudge/image/e/" + strconv.FormatInt(updated.Unix(), 10) + "/" + MoveXID(d) + "/x.png",
		"details":        det,
	}}}
}

// tzs lists the day's zone: by name, or by offset with an entry at each
// change of offset (a DST day has two).
func (s *Server) tzs(d providers.Date) []any {
	start := d.In(s.Data.Loc)
	if !NumericTZs(d) {
		return []any{[]any{start.Unix(), s.Data.Loc.String()}}
	}
	_, off := start.Zone()
	out := []any{[]any{start.Unix(), off}}
	end := start.AddDate(0, 0, 1)
	for t := start.Add(time.Hour); t.Before(end); t = t.Add(time.Hour) {
		if _, o := t.Zone(); o != off {
			// The change is at the top of an hour in every persona's zone.
			out = append(out, []any{t.Unix(), o})
			off = o
		}
	}
	return out
}

// hourlyTotals are the demo's minute steps added up per local hour
// (keys YYYYMMDDHH; the hour repeated when clocks go back is one key);
// hours without steps are absent.
func (s *Server) hourlyTotals(ctx context.Context, d providers.Date) map[string]int {
	m := s.Data.Minutes(ctx, d)
	out := map[string]int{}
	for i, st := range m.Steps {
		if st > 0 {
			out[m.Start.Add(time.Duration(i)*time.Minute).In(s.Data.Loc).Format("2006010215")] += int(st)
		}
	}
	return out
}

// HourlySteps is the oracle of a move's hourly_totals: the demo's steps
// per local hour key.
func (s *Server) HourlySteps(ctx context.Context, d providers.Date) map[string]int {
	return s.hourlyTotals(ctx, d)
}

func (s *Server) heartrates(ctx context.Context, d providers.Date) []doc {
	// The daily model has the same resting rate as the summary, without
	// generating the day's seconds.
	days := s.Data.Daily(ctx, d, d)
	at := d.In(s.Data.Loc).Add(RestingAt)
	if len(days) == 0 || days[0].RestingHeartRate <= 0 || at.After(s.now()) {
		return nil
	}
	sum := days[0]
	return []doc{{at: at.Unix(), body: map[string]any{
		"xid": heartXID(d), "title": "My resting heart rate", "date": dateInt(d),
		"time_created": at.Unix(), "time_updated": at.Unix(),
		"place_lat": "37.451572", "place_lon": "-122.184435", "place_acc": 10, "place_name": "",
		"resting_heartrate": sum.RestingHeartRate, "details": map[string]any{"tz": s.Data.Loc.String()},
	}}}
}

func (s *Server) sleeps(ctx context.Context, d providers.Date) []doc {
	sessions := s.Data.Sleep(ctx, d, d)
	var out []doc
	for k, ss := range sessions {
		var light, sound, rem, awake, wakes int
		asleepAt := ss.End
		for i, seg := range ss.Segments {
			sec := int(seg.Duration / time.Second)
			switch Depth(seg.Stage) {
			case 1:
				awake += sec
				if i > 0 && i < len(ss.Segments)-1 {
					wakes++
				}
			case 2:
				light += sec
			case 3:
				sound += sec
			case 4:
				rem += sec
			}
			if Depth(seg.Stage) != 1 && seg.Start.Before(asleepAt) {
				asleepAt = seg.Start
			}
		}
		sub := 0
		if !ss.Main {
			sub = 2
		}
		dur := int(ss.End.Sub(ss.Start) / time.Second)
		out = append(out, doc{at: ss.Start.Unix(), body: map[string]any{
			"xid": SleepXID(d, k), "title": fmt.Sprintf("for %dh %dm", dur/3600, dur%3600/60), "sub_type": sub,
			"shared": false, "date": dateInt(d), "time_created": ss.Start.Unix(), "time_updated": ss.End.Unix(),
			"time_completed": ss.End.Unix(),
			"details": map[string]any{
				"asleep_time": asleepAt.Unix(), "awake_time": ss.End.Unix(), "duration": dur,
				"light": light, "sound": sound, "rem": rem, "awake": awake, "awakenings": wakes,
				"quality": 100 * (light + sound + rem) / max(dur, 1), "smart_alarm_fire": 0, "body": 0, "mind": 0,
				"sunrise": 0, "sunset": 0, "tz": s.sleepTZ(d, ss.Start),
			},
		}})
	}
	return out
}

// ticks serves a sleep's phases: one tick per demo segment (the start of
// a phase; the same depth may repeat when two demo stages map to one).
func (s *Server) ticks(ctx context.Context, w http.ResponseWriter, xid string) (any, int) {
	s.mu.Lock()
	missing := s.noTicks[xid]
	s.mu.Unlock()
	if missing {
		writeError(w, http.StatusNotFound, "not_found", "No such sleep.", s.now())
		return nil, http.StatusNotFound
	}
	var v, k int
	if n, err := fmt.Sscanf(xid, "sl%08d-%d", &v, &k); n != 2 || err != nil {
		writeError(w, http.StatusNotFound, "not_found", "No such sleep.", s.now())
		return nil, http.StatusNotFound
	}
	d := providers.Date{Year: v / 10000, Month: time.Month(v / 100 % 100), Day: v % 100}
	sessions := s.Data.Sleep(ctx, d, d)
	if k >= len(sessions) {
		writeError(w, http.StatusNotFound, "not_found", "No such sleep.", s.now())
		return nil, http.StatusNotFound
	}
	items := []any{}
	for _, seg := range sessions[k].Segments {
		items = append(items, map[string]any{"depth": Depth(seg.Stage), "time": seg.Start.Unix()})
	}
	return map[string]any{"items": items, "size": len(items)}, http.StatusOK
}

func (s *Server) bodyEvents(ctx context.Context, d providers.Date) []doc {
	days := s.Data.Daily(ctx, d, d)
	if len(days) == 0 || days[0].WeightKg <= 0 {
		return nil
	}
	at := d.In(s.Data.Loc).Add(WeighIn)
	return []doc{{at: at.Unix(), body: map[string]any{
		"xid": bodyXID(d), "type": "body", "title": nil, "date": dateInt(d),
		"time_created": at.Unix(), "time_updated": at.Unix(),
		"weight": days[0].WeightKg, "body_fat": 18 + float64(dayNumber(d)%37)/10, "lean_mass": nil, "bmi": nil,
		"waistline": nil, "weight_delta": 0, "note": "", "image": "", "shared": false,
		"place_lat": nil, "place_lon": nil, "place_acc": 0, "place_name": "",
		"details": map[string]any{"tz": s.bodyTZ(d, at)},
	}}}
}
