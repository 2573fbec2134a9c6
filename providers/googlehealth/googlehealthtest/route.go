package googlehealthtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// route answers an authorised request.
func (s *Server) route(w http.ResponseWriter, r *http.Request, body []byte) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/v4/users/")
	user, rest, _ := strings.Cut(rest, "/")
	if !ok || (user != "me" && user != healthUserID) {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "", "The requested URL was not found on this server.")
		return
	}
	get := r.Method == http.MethodGet
	switch {
	case rest == "profile" && get:
		if s.denied(w, Scopes[3]) {
			return
		}
		writeJSON(w, http.StatusOK, s.profileJSON())
	case rest == "settings" && get:
		if s.denied(w, Scopes[4]) {
			return
		}
		writeJSON(w, http.StatusOK, s.settingsJSON())
	case rest == "identity" && get:
		writeJSON(w, http.StatusOK, obj{"name": "users/me/identity", "healthUserId": healthUserID, "legacyUserId": "FAKE12"})
	case rest == "pairedDevices" && get:
		if s.denied(w, Scopes[4]) {
			return
		}
		s.devices(w, r)
	case strings.HasPrefix(rest, "dataTypes/"):
		s.dataPoints(w, r, strings.TrimPrefix(rest, "dataTypes/"), body)
	default:
		writeError(w, http.StatusNotFound, "NOT_FOUND", "", fmt.Sprintf("No method %s %s.", r.Method, r.URL.Path))
	}
}

const healthUserID = "1234567890"

func (s *Server) denied(w http.ResponseWriter, scope string) bool {
	s.mu.Lock()
	d := s.deniedScopes[scope]
	s.mu.Unlock()
	if d {
		writeError(w, http.StatusForbidden, "PERMISSION_DENIED", "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
			"Request had insufficient authentication scopes.",
			map[string]string{"service": "health.googleapis.com", "method": "google.devicesandservices.health.v4.HealthService"})
	}
	return d
}

// persona-specific account details.
var accounts = map[string]struct {
	age                  int
	since                providersDate
	walk, run            int
	locale, dist, weight string
	height, temp, water  string
}{
	"runner":     {34, providersDate{Year: 2016, Month: 3, Day: 1}, 780, 1150, "en_GB", "DISTANCE_UNIT_KILOMETERS", "WEIGHT_UNIT_STONE", "HEIGHT_UNIT_CENTIMETERS", "TEMPERATURE_UNIT_CELSIUS", "WATER_UNIT_ML"},
	"office":     {41, providersDate{Year: 2019, Month: 9, Day: 14}, 720, 1000, "en_US", "DISTANCE_UNIT_MILES", "WEIGHT_UNIT_POUNDS", "HEIGHT_UNIT_INCHES", "TEMPERATURE_UNIT_FAHRENHEIT", "WATER_UNIT_FL_OZ"},
	"nightshift": {29, providersDate{Year: 2021, Month: 1, Day: 20}, 700, 950, "ja_JP", "DISTANCE_UNIT_KILOMETERS", "WEIGHT_UNIT_KILOGRAMS", "HEIGHT_UNIT_CENTIMETERS", "TEMPERATURE_UNIT_CELSIUS", "WATER_UNIT_ML"},
}

func (s *Server) profileJSON() obj {
	a := accounts[s.cfg.Persona]
	return obj{"name": "users/me/profile", "age": a.age, "membershipStartDate": dateJSON(a.since),
		"autoWalkingStrideLengthMm": a.walk, "autoRunningStrideLengthMm": a.run}
}

func (s *Server) settingsJSON() obj {
	a := accounts[s.cfg.Persona]
	now := s.data.now().In(s.data.loc)
	return obj{"name": "users/me/settings", "timeZone": s.data.loc.String(), "utcOffset": offset(now),
		"languageLocale": a.locale, "distanceUnit": a.dist, "weightUnit": a.weight, "heightUnit": a.height,
		"temperatureUnit": a.temp, "waterUnit": a.water, "swimUnit": "SWIM_UNIT_METERS",
		"glucoseUnit": "GLUCOSE_UNIT_MG_DL", "strideLengthWalkingType": "STRIDE_LENGTH_TYPE_AUTO",
		"strideLengthRunningType": "STRIDE_LENGTH_TYPE_AUTO", "autoStrideEnabled": true}
}

// DeviceJSON lists the paired devices as the fake serves them.
func (s *Server) devicesJSON() []any {
	prof, _ := s.data.demo.Profile(context.Background())
	var out []any
	for _, d := range prof.Devices {
		typ := "TRACKER"
		features := []string{"STEPS", "HEART_RATE", "SLEEP"}
		if d.Kind == "scale" {
			typ, features = "SCALE", []string{"WEIGHT", "BODY_FAT"}
		}
		o := obj{"name": "users/me/pairedDevices/" + d.ID, "deviceType": typ, "deviceVersion": d.Name,
			"macAddress": "A1B2C3D4E5F6", "features": features}
		if d.BatteryPercent > 0 {
			o["batteryLevel"] = d.BatteryPercent
		}
		if d.BatteryLevel != "" {
			o["batteryStatus"] = d.BatteryLevel
		} else if d.BatteryPercent >= 0 {
			o["batteryStatus"] = batteryWord(d.BatteryPercent)
		}
		if !d.LastSync.IsZero() {
			o["lastSyncTime"] = stamp(d.LastSync)
		}
		out = append(out, o)
	}
	return out
}

func batteryWord(pct int) string {
	switch {
	case pct <= 5:
		return "Empty"
	case pct <= 20:
		return "Low"
	case pct <= 60:
		return "Medium"
	}
	return "High"
}

func (s *Server) devices(w http.ResponseWriter, r *http.Request) {
	size, err := pageSize(r.URL.Query().Get("pageSize"), 5, 100)
	if err != nil {
		invalid(w, "", "%v", err)
		return
	}
	all := s.devicesJSON()
	s.paginate(w, "pairedDevices", r.URL.Query().Get("pageToken"), "devices|"+strconv.Itoa(size), size, len(all),
		func(lo, hi int) []any { return all[lo:hi] })
}

func pageSize(v string, def, max int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("pageSize %q must be a non-negative integer", v)
	}
	if n == 0 {
		return def, nil
	}
	return min(n, max), nil
}

// cursor is the state behind a nextPageToken.
type cursor struct {
	Off  int    `json:"o"`
	Skip bool   `json:"s,omitempty"` // the empty page at Off was served
	Req  string `json:"r"`           // hash of the request's other parameters
}

func hashReq(s string) string {
	h := sha256.Sum256([]byte(s))
	return base64.RawURLEncoding.EncodeToString(h[:9])
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(tok, req string) (cursor, error) {
	var c cursor
	if tok == "" {
		return cursor{Req: hashReq(req)}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || json.Unmarshal(b, &c) != nil || c.Off < 0 {
		return c, fmt.Errorf("the page token is not valid")
	}
	if c.Req != hashReq(req) {
		return c, fmt.Errorf("the page token belongs to a request with other parameters")
	}
	return c, nil
}

// paginate serves one page of a list of n entries; key names the list's
// JSON member, req the request's parameters other than the token.
func (s *Server) paginate(w http.ResponseWriter, key, token, req string, size, n int, slice func(lo, hi int) []any) {
	c, err := decodeCursor(token, req)
	if err != nil {
		invalid(w, "", "%v", err)
		return
	}
	s.mu.Lock()
	empty := s.emptyPages
	s.mu.Unlock()
	out := obj{}
	if empty && !c.Skip && c.Off < n {
		out["nextPageToken"] = encodeCursor(cursor{Off: c.Off, Skip: true, Req: c.Req})
		writeJSON(w, http.StatusOK, out)
		return
	}
	lo, hi := min(c.Off, n), min(c.Off+size, n)
	if page := slice(lo, hi); len(page) > 0 {
		out[key] = page
	}
	if hi < n {
		out["nextPageToken"] = encodeCursor(cursor{Off: hi, Req: c.Req})
	}
	writeJSON(w, http.StatusOK, out)
}

// dataPoints answers users/me/dataTypes/{dt}/dataPoints[:method].
func (s *Server) dataPoints(w http.ResponseWriter, r *http.Request, rest string, body []byte) {
	dt, tail, _ := strings.Cut(rest, "/")
	method := ""
	if i := strings.IndexByte(tail, ':'); i >= 0 {
		tail, method = tail[:i], tail[i+1:]
	}
	if tail != "dataPoints" {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "", fmt.Sprintf("No method %s %s.", r.Method, r.URL.Path))
		return
	}
	if !knownType(dt) {
		invalid(w, "INVALID_PARENT_DATA_TYPE_COLLECTION",
			"Invalid data type ID referenced in the parent data type collection: %q (path IDs are kebab-case, e.g. daily-resting-heart-rate)", dt)
		return
	}
	if s.denied(w, scopeOf(dt)) {
		return
	}
	switch {
	case (method == "" || method == "reconcile") && r.Method == http.MethodGet:
		s.list(w, r, dt, method == "reconcile")
	case method == "rollUp" && r.Method == http.MethodPost:
		s.rollUp(w, dt, body)
	case method == "dailyRollUp" && r.Method == http.MethodPost:
		s.dailyRollUp(w, dt, body)
	default:
		writeError(w, http.StatusNotFound, "NOT_FOUND", "", fmt.Sprintf("No method %s %s.", r.Method, r.URL.Path))
	}
}

// list answers dataPoints.list and :reconcile.
func (s *Server) list(w http.ResponseWriter, r *http.Request, dt string, reconcile bool) {
	q := r.URL.Query()
	if rollupOnly[dt] {
		invalid(w, "", "List is not supported for data type %s", dt)
		return
	}
	if dt == "sleep" && q.Get("dataSourceFamily") != "" && !reconcile {
		invalid(w, "INVALID_DATA_POINT_DATA_SOURCE_FAMILY", "dataSourceFamily is not supported when listing sleep; use reconcile")
		return
	}
	def, max := 1440, min(10000, s.cfg.MaxPageSize)
	if dt == "sleep" || dt == "exercise" {
		def, max = 25, 25
	}
	size, err := pageSize(q.Get("pageSize"), def, max)
	if err != nil {
		invalid(w, "", "%v", err)
		return
	}
	cs, err := parseFilter(dt, q.Get("filter"))
	if err != nil {
		fe := err.(*filterError)
		invalid(w, fe.reason, "%s", fe.msg)
		return
	}
	req := fmt.Sprintf("list|%s|%s|%d|%s|%v", dt, q.Get("filter"), size, q.Get("dataSourceFamily"), reconcile)
	c, err := decodeCursor(q.Get("pageToken"), req)
	if err != nil {
		invalid(w, "", "%v", err)
		return
	}
	s.mu.Lock()
	empty := s.emptyPages
	s.mu.Unlock()
	items, more := s.data.collect(r.Context(), dt, cs, c.Off, size)
	out := obj{}
	if empty && !c.Skip && (len(items) > 0) {
		out["nextPageToken"] = encodeCursor(cursor{Off: c.Off, Skip: true, Req: c.Req})
		writeJSON(w, http.StatusOK, out)
		return
	}
	key := "dataPoints"
	nameKey := "name"
	if reconcile {
		nameKey = "dataPointName"
	}
	member := camel(dt)
	var pts []any
	for _, it := range items {
		p := obj{nameKey: it.name(), member: it.member()}
		if !reconcile && it.source != nil {
			p["dataSource"] = it.source
		}
		pts = append(pts, p)
	}
	if len(pts) > 0 {
		out[key] = pts
	}
	if more {
		out["nextPageToken"] = encodeCursor(cursor{Off: c.Off + len(items), Req: c.Req})
	}
	writeJSON(w, http.StatusOK, out)
}

// collect walks the record days newest first and returns n matching items
// after skipping skip, and whether more follow.
func (d *dataset) collect(ctx context.Context, dt string, cs []clause, skip, n int) ([]item, bool) {
	lo, hi := d.dayBounds(cs)
	var out []item
	for day := hi; !day.Before(lo); day = day.AddDays(-1) {
		if ctx.Err() != nil {
			return out, false
		}
		items, _ := d.itemsOn(ctx, dt, day)
		for i := range items {
			if !matches(&items[i], cs) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			if len(out) == n {
				return out, true
			}
			out = append(out, items[i])
		}
	}
	return out, false
}

func camel(dt string) string {
	parts := strings.Split(dt, "-")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

// decodeStrict reads a JSON request body, refusing unknown fields the way
// Google does; the answer is Google's message, "" when the body is good.
func decodeStrict(body []byte, v any) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		msg := err.Error()
		if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
			return "Invalid JSON payload received. Unknown name " + name + ": Cannot find field."
		}
		return "Invalid JSON payload received. " + msg
	}
	return ""
}

func parseWindow(s string) (time.Duration, error) {
	num, ok := strings.CutSuffix(s, "s")
	f, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || math.IsNaN(f) || f < 1 {
		return 0, fmt.Errorf("windowSize %q must be a duration of at least 1s, like \"60s\"", s)
	}
	return time.Duration(f * float64(time.Second)), nil
}

// rollUp answers dataPoints:rollUp: fixed windows over a UTC range.
func (s *Server) rollUp(w http.ResponseWriter, dt string, body []byte) {
	var req struct {
		Range *struct {
			StartTime string `json:"startTime"`
			EndTime   string `json:"endTime"`
		} `json:"range"`
		WindowSize       string `json:"windowSize"`
		PageSize         int    `json:"pageSize"`
		PageToken        string `json:"pageToken"`
		DataSourceFamily string `json:"dataSourceFamily"`
	}
	if msg := decodeStrict(body, &req); msg != "" {
		invalid(w, "", "%s", msg)
		return
	}
	if dt == "sleep" || recordKind(dt) == "daily" {
		invalid(w, "", "RollUp is not supported for data type %s", dt)
		return
	}
	if req.Range == nil {
		invalid(w, "", "range is required")
		return
	}
	start, err1 := time.Parse(time.RFC3339Nano, req.Range.StartTime)
	end, err2 := time.Parse(time.RFC3339Nano, req.Range.EndTime)
	if err1 != nil || err2 != nil {
		invalid(w, "", "range.startTime and range.endTime must be RFC 3339 timestamps")
		return
	}
	if !start.Before(end) {
		invalid(w, "INVALID_TIME_RANGE", "INVALID_TIME_RANGE: range start must be before its end")
		return
	}
	if end.Sub(start) > time.Duration(maxRollupDays(dt))*24*time.Hour {
		invalid(w, "INVALID_ROLLUP_QUERY_DURATION", "INVALID_ROLLUP_QUERY_DURATION: the range of a %s rollup may span at most %d days", dt, maxRollupDays(dt))
		return
	}
	win, err := parseWindow(req.WindowSize)
	if err != nil {
		invalid(w, "INVALID_ROLLUP_WINDOW", "%v", err)
		return
	}
	if req.PageSize < 0 {
		invalid(w, "", "pageSize must not be negative")
		return
	}
	size := 1440
	if req.PageSize > 0 {
		size = min(req.PageSize, 10000, s.cfg.MaxPageSize)
	}
	var windows []any
	switch dt {
	case "steps", "heart-rate":
		windows = s.data.windows(dt, start, end, win)
	default:
		invalid(w, "", "the fake Google Health API does not roll up %s", dt)
		return
	}
	key := fmt.Sprintf("rollUp|%s|%s|%s|%s|%d|%s", dt, req.Range.StartTime, req.Range.EndTime, req.WindowSize, size, req.DataSourceFamily)
	s.paginate(w, "rollupDataPoints", req.PageToken, key, size, len(windows), func(lo, hi int) []any { return windows[lo:hi] })
}

// windows rolls a day's minute steps or second heart rate into windows,
// newest first; windows without data are left out, zero sums are {}.
func (d *dataset) windows(dt string, start, end time.Time, win time.Duration) []any {
	type acc struct {
		n             int
		sum, min, max float64
	}
	buckets := map[int]*acc{}
	first, last := dateOf(start.In(d.loc)), dateOf(end.In(d.loc))
	for day := first; !day.After(last); day = day.AddDays(1) {
		if !d.inRange(day) {
			continue
		}
		var samples []providers.Sample
		if dt == "heart-rate" { // minimum and maximum need the seconds
			samples = d.p.Intraday(context.Background(), day).HeartRate.Samples
		} else {
			samples = d.p.Minutes(context.Background(), day).StepSamples()
		}
		for _, sm := range samples {
			if sm.Time.Before(start) || !sm.Time.Before(end) {
				continue
			}
			k := int(sm.Time.Sub(start) / win)
			b := buckets[k]
			if b == nil {
				b = &acc{min: math.Inf(1), max: math.Inf(-1)}
				buckets[k] = b
			}
			b.n++
			b.sum += sm.Value
			b.min = math.Min(b.min, sm.Value)
			b.max = math.Max(b.max, sm.Value)
		}
	}
	keys := make([]int, 0, len(buckets))
	for k := range buckets {
		keys = append(keys, k)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(keys)))
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		b := buckets[k]
		ws := start.Add(time.Duration(k) * win)
		we := ws.Add(win)
		if we.After(end) {
			we = end
		}
		p := obj{"startTime": stamp(ws), "endTime": stamp(we)}
		v := obj{}
		if dt == "steps" {
			putInt(v, "countSum", int64(math.Round(b.sum)))
			p["steps"] = v
		} else {
			putNum(v, "beatsPerMinuteAvg", b.sum/float64(b.n))
			putNum(v, "beatsPerMinuteMin", math.Round(b.min))
			putNum(v, "beatsPerMinuteMax", math.Round(b.max))
			p["heartRate"] = v
		}
		out = append(out, p)
	}
	return out
}

type wireCivil struct {
	Date *struct {
		Year  int `json:"year"`
		Month int `json:"month"`
		Day   int `json:"day"`
	} `json:"date"`
	Time *struct {
		Hours   int `json:"hours"`
		Minutes int `json:"minutes"`
		Seconds int `json:"seconds"`
		Nanos   int `json:"nanos"`
	} `json:"time"`
}

func (c *wireCivil) date(what string) (providersDate, error) {
	if c == nil || c.Date == nil {
		return providersDate{}, fmt.Errorf("range.%s.date is required", what)
	}
	d := providersDate{Year: c.Date.Year, Month: time.Month(c.Date.Month), Day: c.Date.Day}
	if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 || d.AddDays(0) != d {
		return d, fmt.Errorf("range.%s.date is not a valid date", what)
	}
	if t := c.Time; t != nil && (t.Hours != 0 || t.Minutes != 0 || t.Seconds != 0 || t.Nanos != 0) {
		return d, fmt.Errorf("range.%s must be aligned to the window (midnight)", what)
	}
	return d, nil
}

// dailyRollUp answers dataPoints:dailyRollUp: civil days in the user's
// zone.
func (s *Server) dailyRollUp(w http.ResponseWriter, dt string, body []byte) {
	var req struct {
		Range *struct {
			Start *wireCivil `json:"start"`
			End   *wireCivil `json:"end"`
		} `json:"range"`
		WindowSizeDays   int    `json:"windowSizeDays"`
		PageSize         int    `json:"pageSize"`
		PageToken        string `json:"pageToken"`
		DataSourceFamily string `json:"dataSourceFamily"`
	}
	if msg := decodeStrict(body, &req); msg != "" {
		invalid(w, "", "%s", msg)
		return
	}
	if dt == "sleep" || dt == "daily-resting-heart-rate" || recordKind(dt) == "daily" {
		invalid(w, "", "DailyRollup is not supported for data type %s", dt)
		return
	}
	if req.Range == nil {
		invalid(w, "", "range is required")
		return
	}
	start, err := req.Range.Start.date("start")
	if err != nil {
		invalid(w, "", "%v", err)
		return
	}
	end, err := req.Range.End.date("end")
	if err != nil {
		invalid(w, "", "%v", err)
		return
	}
	days := start.DaysUntil(end)
	if days <= 0 {
		invalid(w, "INVALID_TIME_RANGE", "INVALID_TIME_RANGE: range start must be before its end")
		return
	}
	limit := maxRollupDays(dt)
	if days > limit {
		invalid(w, "INVALID_ROLLUP_QUERY_DURATION", "INVALID_ROLLUP_QUERY_DURATION: the range of a %s daily rollup may span at most %d days", dt, limit)
		return
	}
	if req.PageSize < 0 || req.PageSize > limit {
		invalid(w, "", "pageSize must be between 0 and %d for %s", limit, dt)
		return
	}
	win := req.WindowSizeDays
	if win == 0 {
		win = 1
	}
	if win < 0 {
		invalid(w, "", "windowSizeDays must be positive")
		return
	}
	switch dt {
	case "steps", "distance", "floors", "total-calories", "active-minutes", "weight", "body-fat",
		"active-zone-minutes", "time-in-heart-rate-zone":
	default:
		invalid(w, "", "the fake Google Health API does not roll up %s by day", dt)
		return
	}
	var pts []any
	for ws := start; ws.Before(end); ws = ws.AddDays(win) {
		we := ws.AddDays(win)
		if we.After(end) {
			we = end // a trailing partial window is truncated
		}
		if p, ok := s.data.dailyPoint(dt, ws, we); ok {
			pts = append(pts, p)
		}
	}
	for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 { // newest first
		pts[i], pts[j] = pts[j], pts[i]
	}
	size := limit
	if req.PageSize > 0 {
		size = req.PageSize
	}
	key := fmt.Sprintf("dailyRollUp|%s|%s|%s|%d|%d|%s", dt, start, end, win, size, req.DataSourceFamily)
	s.paginate(w, "rollupDataPoints", req.PageToken, key, size, len(pts), func(lo, hi int) []any { return pts[lo:hi] })
}

// dailyPoint rolls up days ws..we (exclusive); ok is false without data.
func (d *dataset) dailyPoint(dt string, ws, we providersDate) (obj, bool) {
	if dt == "active-zone-minutes" || dt == "time-in-heart-rate-zone" {
		v, ok := d.healthRollup(dt, ws, we)
		if !ok {
			return nil, false
		}
		return obj{
			"civilStartTime": obj{"date": dateJSON(ws), "time": obj{}},
			"civilEndTime":   obj{"date": dateJSON(we), "time": obj{}},
			camel(dt):        v,
		}, true
	}
	var sum dayTotals
	n, weighed := 0, 0
	for day := ws; day.Before(we); day = day.AddDays(1) {
		t, ok := d.totals(context.Background(), day, dt)
		if !ok {
			continue
		}
		n++
		sum.steps += t.steps
		sum.floors += t.floors
		sum.hasFloors = sum.hasFloors || t.hasFloors
		sum.activeMin += t.activeMin
		sum.lightMin += t.lightMin
		sum.mm += t.mm
		sum.kcal += t.kcal
		if t.weightKg > 0 {
			weighed++
			sum.weightKg += t.weightKg
			sum.fat += t.fat
		}
	}
	if n == 0 {
		return nil, false
	}
	v := obj{}
	switch dt {
	case "steps":
		putInt(v, "countSum", sum.steps)
	case "floors":
		if !sum.hasFloors {
			return nil, false // no altimeter, no floors
		}
		putInt(v, "countSum", sum.floors)
	case "distance":
		putInt(v, "millimetersSum", sum.mm)
	case "total-calories":
		putNum(v, "kcalSum", sum.kcal)
	case "active-minutes":
		vig := sum.activeMin / 3
		var levels []any
		for _, l := range []struct {
			name string
			n    int64
		}{{"LIGHT", sum.lightMin}, {"MODERATE", sum.activeMin - vig}, {"VIGOROUS", vig}} {
			e := obj{"activityLevel": l.name}
			putInt(e, "activeMinutesSum", l.n)
			levels = append(levels, e)
		}
		v["activeMinutesRollupByActivityLevel"] = levels
	case "weight":
		if weighed == 0 {
			return nil, false
		}
		putNum(v, "weightGramsAvg", math.Round(sum.weightKg/float64(weighed)*1000*10)/10)
	case "body-fat":
		if weighed == 0 {
			return nil, false
		}
		putNum(v, "bodyFatPercentageAvg", sum.fat/float64(weighed))
	}
	return obj{
		"civilStartTime": obj{"date": dateJSON(ws), "time": obj{}},
		"civilEndTime":   obj{"date": dateJSON(we), "time": obj{}},
		camel(dt):        v,
	}, true
}
