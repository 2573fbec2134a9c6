package googlehealth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
)

// settings reads users/me/settings (shared through the memo) and keeps the
// account's zone.
func (p *Provider) settings(ctx context.Context) (*settingsResponse, *time.Location, error) {
	st, err := getOnce[settingsResponse](ctx, p, userPath+"settings", nil, "settings")
	if err != nil {
		return nil, nil, err
	}
	loc, err := locationOf(st)
	if err != nil {
		return nil, nil, badData("settings", err)
	}
	p.known.Set(loc)
	return st, loc, nil
}

// locationOf is the zone settings name; without a known name, a fixed
// zone of the current offset.
func locationOf(st *settingsResponse) (*time.Location, error) {
	if st.TimeZone != "" {
		if loc, err := time.LoadLocation(st.TimeZone); err == nil {
			return loc, nil
		}
	}
	if st.UtcOffset != nil {
		name := st.TimeZone
		if name == "" {
			name = "UTC" + formatOffset(time.Duration(*st.UtcOffset))
		}
		return time.FixedZone(name, int(time.Duration(*st.UtcOffset)/time.Second)), nil
	}
	return nil, errors.New("settings without timeZone or utcOffset")
}

func formatOffset(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	return fmt.Sprintf("%s%02d:%02d", sign, int(d.Hours()), int(d.Minutes())%60)
}

// zone returns the account's zone, asking settings only the first time.
func (p *Provider) zone(ctx context.Context) (*time.Location, error) {
	return p.known.Of(ctx, func(ctx context.Context) (*time.Location, error) {
		_, loc, err := p.settings(ctx)
		return loc, err
	})
}

// clock returns the account's zone and today's date in it.
func (p *Provider) clock(ctx context.Context) (*time.Location, providers.Date, error) {
	loc, err := p.zone(ctx)
	if err != nil {
		return nil, providers.Date{}, err
	}
	return loc, providers.DateOf(p.now().In(loc)), nil
}

// Profile implements providers.Provider: settings (time zone) and paired
// devices. Google's profile resource holds no name, so DisplayName is
// empty; UserProfile reads it.
func (p *Provider) Profile(ctx context.Context) (providers.Profile, error) {
	var (
		loc  *time.Location
		devs []pairedDevice
	)
	g, _ := httpapi.NewGroup(ctx, 0)
	g.Go(func(ctx context.Context) (err error) {
		_, loc, err = p.settings(ctx)
		return err
	})
	g.Go(func(ctx context.Context) (err error) {
		devs, err = p.devices(ctx)
		return err
	})
	if err := g.Wait(); err != nil {
		return providers.Profile{}, err
	}
	out := providers.Profile{Location: loc}
	for _, d := range devs {
		out.Devices = append(out.Devices, convertDevice(d, loc))
	}
	return out, nil
}

// devices lists every paired device.
func (p *Provider) devices(ctx context.Context) ([]pairedDevice, error) {
	if err := p.ready(); err != nil {
		return nil, err
	}
	path := userPath + "pairedDevices"
	v, err := p.memo.Do(ctx, "GET "+path, func(ctx context.Context) (any, error) {
		var all []pairedDevice
		q := url.Values{"pageSize": {"100"}}
		seen := map[string]bool{}
		for n := 0; ; n++ {
			var r devicesResponse
			if err := p.api.GetJSON(ctx, path, q, "paired devices", &r); err != nil {
				return nil, err
			}
			all = append(all, r.PairedDevices...)
			if r.NextPageToken == "" {
				return all, nil
			}
			if seen[r.NextPageToken] || n >= 100 {
				return nil, providers.ErrBadData(Name, "paired devices", errors.New("the page tokens never end"))
			}
			seen[r.NextPageToken] = true
			q.Set("pageToken", r.NextPageToken)
		}
	})
	if err != nil {
		return nil, err
	}
	return v.([]pairedDevice), nil
}

func convertDevice(d pairedDevice, loc *time.Location) providers.Device {
	out := providers.Device{ID: d.Name, Name: d.DeviceVersion, Kind: "tracker", BatteryPercent: -1}
	if i := strings.LastIndexByte(d.Name, '/'); i >= 0 {
		out.ID = d.Name[i+1:]
	}
	if out.Name == "" {
		out.Name = "Fitbit device"
	}
	if d.DeviceType == "SCALE" {
		out.Kind = "scale"
	}
	if s := strings.TrimSpace(d.BatteryStatus); s != "" {
		out.BatteryLevel = strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
	}
	switch {
	case d.BatteryLevel != nil && *d.BatteryLevel >= 0 && *d.BatteryLevel <= 100:
		out.BatteryPercent = int(*d.BatteryLevel)
	case d.BatteryLevel == nil && out.BatteryLevel == "Empty":
		out.BatteryPercent = 0 // a zero level is left out of the JSON
	}
	if d.LastSyncTime != nil && !d.LastSyncTime.IsZero() {
		out.LastSync = d.LastSyncTime.In(loc)
	}
	return out
}

// Settings are the account's settings that matter for display.
type Settings struct {
	TimeZone  string // IANA name, e.g. "Europe/Berlin"
	UTCOffset time.Duration
	Location  *time.Location
	Locale    string // e.g. "de_DE"
	// Units without their prefix: DistanceUnit "KILOMETERS" or "MILES";
	// WeightUnit "KILOGRAMS", "POUNDS" or "STONE"; HeightUnit
	// "CENTIMETERS" or "INCHES"; TemperatureUnit "CELSIUS" or
	// "FAHRENHEIT"; WaterUnit "ML", "FL_OZ" or "CUP". Empty when unset.
	DistanceUnit, WeightUnit, HeightUnit, TemperatureUnit, WaterUnit string
}

// Settings reads the account's time zone and units.
func (p *Provider) Settings(ctx context.Context) (Settings, error) {
	st, loc, err := p.settings(ctx)
	if err != nil {
		return Settings{}, err
	}
	unit := func(v, prefix string) string {
		v = strings.TrimPrefix(v, prefix)
		if v == "UNSPECIFIED" {
			return ""
		}
		return v
	}
	out := Settings{TimeZone: st.TimeZone, Location: loc, Locale: st.LanguageLocale,
		DistanceUnit:    unit(st.DistanceUnit, "DISTANCE_UNIT_"),
		WeightUnit:      unit(st.WeightUnit, "WEIGHT_UNIT_"),
		HeightUnit:      unit(st.HeightUnit, "HEIGHT_UNIT_"),
		TemperatureUnit: unit(st.TemperatureUnit, "TEMPERATURE_UNIT_"),
		WaterUnit:       unit(st.WaterUnit, "WATER_UNIT_")}
	if st.UtcOffset != nil {
		out.UTCOffset = time.Duration(*st.UtcOffset)
	}
	return out, nil
}

// UserProfile is Google's profile resource: no name or birthday (those
// live in the People API).
type UserProfile struct {
	Age         int
	MemberSince providers.Date // zero when not given
	// Stride lengths in millimetres: the person's own when set, else the
	// automatic ones; 0 when unknown.
	WalkingStrideMm, RunningStrideMm int
}

// UserProfile reads users/me/profile.
func (p *Provider) UserProfile(ctx context.Context) (UserProfile, error) {
	r, err := getOnce[profileResponse](ctx, p, userPath+"profile", nil, "profile")
	if err != nil {
		return UserProfile{}, err
	}
	out := UserProfile{Age: int(r.Age), WalkingStrideMm: int(r.AutoWalkingStrideLengthMm), RunningStrideMm: int(r.AutoRunningStrideLengthMm)}
	if r.UserConfiguredWalkingStrideLengthMm > 0 {
		out.WalkingStrideMm = int(r.UserConfiguredWalkingStrideLengthMm)
	}
	if r.UserConfiguredRunningStrideLengthMm > 0 {
		out.RunningStrideMm = int(r.UserConfiguredRunningStrideLengthMm)
	}
	if r.MembershipStartDate != nil {
		d, err := r.MembershipStartDate.date()
		if err != nil {
			return UserProfile{}, badData("profile", err)
		}
		out.MemberSince = d
	}
	return out, nil
}

// Daily data comes in blocks aligned to today so that every pane's ranges
// map onto the same requests: today and the 30 days before it (the
// dashboard's 30-day history and weight lookback, and `fittui today`'s),
// then olderDays-day blocks going back (90 is Google's longest rollup
// range).
const (
	recentDays = 31
	olderDays  = 90
)

type block struct{ lo, hi providers.Date }

// blocksFor lists the blocks that hold from..to (clipped at today).
func blocksFor(today, from, to providers.Date) []block {
	if to.After(today) {
		to = today
	}
	var out []block
	b := block{today.AddDays(-(recentDays - 1)), today}
	for !b.hi.Before(from) {
		if !b.lo.After(to) {
			out = append(out, b)
		}
		b = block{b.lo.AddDays(-olderDays), b.lo.AddDays(-1)}
	}
	return out
}

func blockOf(today, day providers.Date) block { return blocksFor(today, day, day)[0] }

// dateFilter is a filter on a civil field over lo..hi inclusive.
func dateFilter(field string, lo, hi providers.Date) string {
	return fmt.Sprintf(`%s >= "%s" AND %s < "%s"`, field, lo, field, hi.AddDays(1))
}

// dailyOf rolls dt up by day over lo..hi and converts it.
func (p *Provider) dailyOf(ctx context.Context, dt dataType, lo, hi providers.Date) (map[providers.Date]dailyValue, error) {
	pts, err := p.dailyPoints(ctx, dt, lo, hi)
	if err != nil {
		return nil, err
	}
	out := make(map[providers.Date]dailyValue, len(pts))
	for i := range pts {
		day, err := pts[i].day()
		if err != nil {
			return nil, badData(dt.id+" daily totals", err)
		}
		v, present, err := convertDaily(&pts[i], dt)
		if err != nil {
			return nil, badData(dt.id+" daily totals", err)
		}
		if present {
			out[day] = v
		}
	}
	return out, nil
}

// restingOf lists daily resting heart rates over lo..hi (dailyRollUp does
// not serve this type).
func (p *Provider) restingOf(ctx context.Context, lo, hi providers.Date) (map[providers.Date]int, error) {
	pts, err := p.listPoints(ctx, dtRestingHR, dateFilter(dtRestingHR.filter()+".date", lo, hi), 0)
	if err != nil {
		return nil, err
	}
	out := make(map[providers.Date]int, len(pts))
	for i := range pts {
		day, bpm, ok, err := convertRestingHR(&pts[i])
		if err != nil {
			return nil, badData("daily resting heart rate", err)
		}
		if ok && bpm > 0 {
			out[day] = bpm
		}
	}
	return out, nil
}

// sleepOf lists the sleeps that ended on lo..hi, oldest first. Sleep is
// filtered on its end time (start-time filters are refused) and pages
// hold at most 25 sessions.
func (p *Provider) sleepOf(ctx context.Context, lo, hi providers.Date, loc *time.Location) ([]providers.SleepSession, error) {
	pts, err := p.listPoints(ctx, dtSleep, dateFilter(dtSleep.filter()+".interval.civil_end_time", lo, hi), 25)
	if err != nil {
		return nil, err
	}
	out := make([]providers.SleepSession, 0, len(pts))
	for i := range pts {
		s, ok, err := convertSleep(&pts[i], loc)
		if err != nil {
			return nil, badData("sleep", err)
		}
		if ok {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

// DaySummary implements providers.Provider: one dailyRollUp per data type
// (there is no summary endpoint). Steps and resting heart rate come from
// the day's block, shared with DailySeries. Google has no goals.
func (p *Provider) DaySummary(ctx context.Context, day providers.Date) (providers.DaySummary, error) {
	out := providers.DaySummary{Date: day}
	_, today, err := p.clock(ctx)
	if err != nil {
		return out, err
	}
	if day.After(today) {
		return out, nil
	}
	b := blockOf(today, day)
	var steps, dist, floors, kcal, active map[providers.Date]dailyValue
	var resting map[providers.Date]int
	g, _ := httpapi.NewGroup(ctx, 0)
	daily := func(dst *map[providers.Date]dailyValue, dt dataType, lo, hi providers.Date) {
		g.Go(func(ctx context.Context) (err error) {
			*dst, err = p.dailyOf(ctx, dt, lo, hi)
			return err
		})
	}
	daily(&steps, dtSteps, b.lo, b.hi)
	daily(&dist, dtDistance, day, day)
	daily(&floors, dtFloors, day, day)
	daily(&kcal, dtTotalCalories, day, day)
	daily(&active, dtActiveMinutes, day, day)
	g.Go(func(ctx context.Context) (err error) {
		resting, err = p.restingOf(ctx, b.lo, b.hi)
		if isScopeErr(err) {
			return nil // heart rate not shared: leave it unknown
		}
		return err
	})
	if err := g.Wait(); err != nil {
		return out, err
	}
	out.Steps = steps[day].steps
	out.DistanceKm = dist[day].distanceKm
	out.Calories = int(kcal[day].kcal + 0.5)
	out.ActiveMinutes = active[day].activeMin
	if f, ok := floors[day]; ok {
		// No floors point at all means no altimeter; {} means zero floors.
		out.Floors, out.HasFloors = f.floors, true
	}
	out.RestingHeartRate = resting[day]
	return out, nil
}

// Intraday implements providers.Provider: per-minute heart rate (average
// of each 60 s rollUp window, with the window's lowest and highest
// reading in HeartRate.Min and Max; minutes without readings are left
// out; the readings themselves: HeartRateSamples) and
// steps per minute (minutes without steps are zero), up to the last whole
// minute for today.
func (p *Provider) Intraday(ctx context.Context, day providers.Date) (providers.Intraday, error) {
	out := providers.Intraday{
		Date:      day,
		HeartRate: providers.Series{Resolution: time.Minute},
		Steps:     providers.Series{Resolution: time.Minute},
	}
	loc, today, err := p.clock(ctx)
	if err != nil {
		return out, err
	}
	if day.After(today) {
		return out, nil
	}
	start, end := day.In(loc), day.AddDays(1).In(loc)
	if day == today {
		end = minTime(end, p.now().Truncate(time.Minute))
	}
	if !end.After(start) {
		return out, nil
	}
	var hr, steps []point
	var hrErr error
	g, _ := httpapi.NewGroup(ctx, 0)
	g.Go(func(ctx context.Context) (err error) {
		hr, err = p.rollUpPoints(ctx, dtHeartRate, start, end, time.Minute)
		if isScopeErr(err) {
			hrErr = err
			return nil
		}
		return err
	})
	g.Go(func(ctx context.Context) (err error) {
		steps, err = p.rollUpPoints(ctx, dtSteps, start, end, time.Minute)
		return err
	})
	if err := g.Wait(); err != nil {
		return out, err
	}
	if hrErr != nil {
		out.Note = heartNotShared
	}
	wins, err := heartWindows(hr, start, end, loc)
	if err != nil {
		return out, err
	}
	out.HeartRate = minuteSeries(wins)

	n := int(end.Sub(start) / time.Minute)
	perMin := make([]providers.Sample, n)
	for i := range perMin {
		perMin[i].Time = start.Add(time.Duration(i) * time.Minute)
	}
	for i := range steps {
		ws, _, err := steps[i].window(loc)
		if err != nil {
			return out, badData("steps per minute", err)
		}
		v, _, err := convertDaily(&steps[i], dtSteps)
		if err != nil {
			return out, badData("steps per minute", err)
		}
		k := int(ws.Sub(start) / time.Minute)
		if ws.Before(start) || k >= n {
			continue
		}
		perMin[k].Value = float64(v.steps)
	}
	out.Steps.Samples = perMin
	return out, nil
}

// heartNotShared is the note of a day whose heart rate the person did
// not share.
const heartNotShared = "heart rate is not shared with fittui: sign in again and allow health metrics (" + ScopeMetrics + ")"

// hrMinute is one 1-minute heart-rate window at its start.
type hrMinute struct {
	at time.Time
	hrWindow
}

// heartWindows reads rollUp's heart-rate windows that start in
// [start, end) and hold readings, oldest first.
func heartWindows(hr []point, start, end time.Time, loc *time.Location) ([]hrMinute, error) {
	wins := make([]hrMinute, 0, len(hr))
	for i := range hr {
		ws, _, err := hr[i].window(loc)
		if err != nil {
			return nil, badData("heart rate per minute", err)
		}
		w, present, err := convertHeartRateWindow(&hr[i])
		if err != nil {
			return nil, badData("heart rate per minute", err)
		}
		if present && w.mean > 0 && !ws.Before(start) && ws.Before(end) {
			wins = append(wins, hrMinute{ws, w})
		}
	}
	// Oldest first (rollUp answers newest first).
	slices.SortStableFunc(wins, func(a, b hrMinute) int { return a.at.Compare(b.at) })
	return wins, nil
}

// minuteSeries is the per-minute series of wins (oldest first), a window
// listed twice (pages overlapping) once.
func minuteSeries(wins []hrMinute) providers.Series {
	s := providers.Series{Resolution: time.Minute}
	for i, w := range wins {
		if i > 0 && w.at.Equal(wins[i-1].at) {
			continue
		}
		s.Samples = append(s.Samples, providers.Sample{Time: w.at, Value: w.mean})
		s.Min = append(s.Min, w.min)
		s.Max = append(s.Max, w.max)
	}
	return s
}

// heartPageSize is the rollUp page HeartRate asks for: Google's most
// (10000 windows, about a week of minutes; servers are seen capping
// pages at 5000), where the default page is a day's 1440.
const heartPageSize = 10000

// HeartRate implements providers.HeartRateReader: Intraday's heart rate
// without its steps, from one rollUp of 1-minute windows over the whole
// range (split at Google's 14 days a heart-rate rollUp, pages of
// heartPageSize), so a range of days costs a few requests rather than
// one a day.
func (p *Provider) HeartRate(ctx context.Context, from, to providers.Date) ([]providers.HeartDay, error) {
	if err := providers.CheckHeartRange(Name, from, to); err != nil {
		return nil, err
	}
	loc, today, err := p.clock(ctx)
	if err != nil {
		return nil, err
	}
	n := from.DaysUntil(to) + 1
	out := make([]providers.HeartDay, n)
	for i := range out {
		out[i] = providers.HeartDay{Date: from.AddDays(i), HeartRate: providers.Series{Resolution: time.Minute}}
	}
	last := to
	if last.After(today) {
		last = today
	}
	start, end := from.In(loc), last.AddDays(1).In(loc)
	if last == today {
		end = minTime(end, p.now().Truncate(time.Minute))
	}
	if from.After(last) || !end.After(start) {
		return out, nil
	}
	hr, err := p.rollUpPaged(ctx, dtHeartRate, start, end, time.Minute, heartPageSize)
	if isScopeErr(err) {
		for i := range out {
			if !out[i].Date.After(last) {
				out[i].Note = heartNotShared
			}
		}
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	wins, err := heartWindows(hr, start, end, loc)
	if err != nil {
		return nil, err
	}
	for lo := 0; lo < len(wins); {
		day := providers.DateOf(wins[lo].at)
		hi := lo + 1
		for hi < len(wins) && providers.DateOf(wins[hi].at) == day {
			hi++
		}
		if i := from.DaysUntil(day); i >= 0 && i < n {
			out[i].HeartRate = minuteSeries(wins[lo:hi])
		}
		lo = hi
	}
	return out, nil
}

var _ providers.HeartRateReader = (*Provider)(nil)

func sortSamples(s []providers.Sample) {
	sort.SliceStable(s, func(i, j int) bool { return s[i].Time.Before(s[j].Time) })
}

// dedupeSamples drops repeats of an instant (overlapping pages), keeping
// the first.
func dedupeSamples(s []providers.Sample) []providers.Sample {
	out := s[:0]
	for i, x := range s {
		if i > 0 && x.Time.Equal(out[len(out)-1].Time) {
			continue
		}
		out = append(out, x)
	}
	return out
}

func checkRange(from, to providers.Date) error {
	n := from.DaysUntil(to) + 1
	switch {
	case n < 1:
		return &providers.Error{Kind: providers.KindUnknown, Provider: Name,
			Message: fmt.Sprintf("date range %s..%s ends before it starts", from, to)}
	case n > maxRangeDays:
		return &providers.Error{Kind: providers.KindUnknown, Provider: Name,
			Message: fmt.Sprintf("date range %s..%s is longer than %d days; ask for less", from, to, maxRangeDays)}
	}
	return nil
}

// Sleep implements providers.Provider: the sessions that ended on from..to,
// oldest first, with their stages.
func (p *Provider) Sleep(ctx context.Context, from, to providers.Date) ([]providers.SleepSession, error) {
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	loc, today, err := p.clock(ctx)
	if err != nil {
		return nil, err
	}
	bs := blocksFor(today, from, to)
	parts := make([][]providers.SleepSession, len(bs))
	g, _ := httpapi.NewGroup(ctx, 0)
	for i, b := range bs {
		g.Go(func(ctx context.Context) (err error) {
			parts[i], err = p.sleepOf(ctx, b.lo, b.hi, loc)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []providers.SleepSession
	for _, part := range parts {
		for _, s := range part {
			if !s.Date.Before(from) && !s.Date.After(to) {
				out = append(out, s)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

// DailySeries implements providers.Provider: steps and weight by
// dailyRollUp, resting heart rate and sleep by list, per block. Metrics
// the person did not share (a refused scope) stay zero; steps must be
// readable.
func (p *Provider) DailySeries(ctx context.Context, from, to providers.Date) ([]providers.DailyValues, error) {
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	loc, today, err := p.clock(ctx)
	if err != nil {
		return nil, err
	}
	n := from.DaysUntil(to) + 1
	out := make([]providers.DailyValues, n)
	for i := range out {
		out[i].Date = from.AddDays(i)
	}
	bs := blocksFor(today, from, to)
	type blockData struct {
		steps, weight map[providers.Date]dailyValue
		resting       map[providers.Date]int
		sleep         []providers.SleepSession
	}
	data := make([]blockData, len(bs))
	g, _ := httpapi.NewGroup(ctx, 0)
	optional := func(err error) error {
		if isScopeErr(err) {
			return nil
		}
		return err
	}
	for i, b := range bs {
		d := &data[i]
		g.Go(func(ctx context.Context) (err error) {
			d.steps, err = p.dailyOf(ctx, dtSteps, b.lo, b.hi)
			return err
		})
		g.Go(func(ctx context.Context) (err error) {
			d.resting, err = p.restingOf(ctx, b.lo, b.hi)
			return optional(err)
		})
		g.Go(func(ctx context.Context) (err error) {
			d.sleep, err = p.sleepOf(ctx, b.lo, b.hi, loc)
			return optional(err)
		})
		g.Go(func(ctx context.Context) (err error) {
			d.weight, err = p.dailyOf(ctx, dtWeight, b.lo, b.hi)
			return optional(err)
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, d := range data {
		for i := range out {
			day := out[i].Date
			if v, ok := d.steps[day]; ok {
				out[i].Steps = v.steps
			}
			if v, ok := d.resting[day]; ok {
				out[i].RestingHeartRate = v
			}
			if v, ok := d.weight[day]; ok {
				out[i].WeightKg = v.weightKg
			}
		}
		for _, s := range d.sleep {
			if i := from.DaysUntil(s.Date); i >= 0 && i < n {
				out[i].AddSleep(s)
			}
		}
	}
	return out, nil
}

// DailyTotals returns DaySummary values for every day from..to, each data
// type by dailyRollUp in chunks of its range limit (14 days for calories
// and active minutes, 90 for the rest) counted from from.
func (p *Provider) DailyTotals(ctx context.Context, from, to providers.Date) ([]providers.DaySummary, error) {
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	_, today, err := p.clock(ctx)
	if err != nil {
		return nil, err
	}
	n := from.DaysUntil(to) + 1
	out := make([]providers.DaySummary, n)
	for i := range out {
		out[i].Date = from.AddDays(i)
	}
	last := to
	if last.After(today) {
		last = today
	}
	if from.After(last) {
		return out, nil
	}
	types := []dataType{dtSteps, dtDistance, dtFloors, dtTotalCalories, dtActiveMinutes}
	vals := make([]map[providers.Date]dailyValue, len(types))
	var resting map[providers.Date]int
	g, _ := httpapi.NewGroup(ctx, 0)
	for i, dt := range types {
		g.Go(func(ctx context.Context) (err error) {
			vals[i], err = p.dailyOf(ctx, dt, from, last)
			return err
		})
	}
	g.Go(func(ctx context.Context) (err error) {
		resting, err = p.restingOf(ctx, from, last)
		if isScopeErr(err) {
			return nil
		}
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i := range out {
		day := out[i].Date
		out[i].Steps = vals[0][day].steps
		out[i].DistanceKm = vals[1][day].distanceKm
		if f, ok := vals[2][day]; ok {
			out[i].Floors, out[i].HasFloors = f.floors, true
		}
		out[i].Calories = int(vals[3][day].kcal + 0.5)
		out[i].ActiveMinutes = vals[4][day].activeMin
		out[i].RestingHeartRate = resting[day]
	}
	return out, nil
}

// HeartRateSamples lists the raw heart-rate readings in [from, to),
// oldest first, each at the offset it was recorded in.
func (p *Provider) HeartRateSamples(ctx context.Context, from, to time.Time) (providers.Series, error) {
	out := providers.Series{}
	if !from.Before(to) {
		return out, nil
	}
	loc, err := p.zone(ctx)
	if err != nil {
		return out, err
	}
	field := dtHeartRate.filter() + ".sample_time.physical_time"
	filter := fmt.Sprintf(`%s >= "%s" AND %s < "%s"`, field, from.UTC().Format(time.RFC3339Nano), field, to.UTC().Format(time.RFC3339Nano))
	pts, err := p.listPoints(ctx, dtHeartRate, filter, 10000)
	if err != nil {
		return out, err
	}
	for i := range pts {
		s, ok, err := convertHeartRate(&pts[i], loc)
		if err != nil {
			return out, badData("heart rate", err)
		}
		if ok && s.Value > 0 {
			out.Samples = append(out.Samples, s)
		}
	}
	sortSamples(out.Samples)
	out.Samples = dedupeSamples(out.Samples)
	return out, nil
}

// Body is weight and body fat readings, oldest first, each at the offset
// it was taken in.
type Body struct {
	Weight  providers.Series // kilograms
	BodyFat providers.Series // percent
}

// Body lists the weight and body-fat readings taken on from..to (civil
// dates).
func (p *Provider) Body(ctx context.Context, from, to providers.Date) (Body, error) {
	var out Body
	if err := checkRange(from, to); err != nil {
		return out, err
	}
	loc, err := p.zone(ctx)
	if err != nil {
		return out, err
	}
	var wpts, fpts []point
	g, _ := httpapi.NewGroup(ctx, 0)
	g.Go(func(ctx context.Context) (err error) {
		wpts, err = p.listPoints(ctx, dtWeight, dateFilter(dtWeight.filter()+".sample_time.civil_time", from, to), 0)
		return err
	})
	g.Go(func(ctx context.Context) (err error) {
		fpts, err = p.listPoints(ctx, dtBodyFat, dateFilter(dtBodyFat.filter()+".sample_time.civil_time", from, to), 0)
		return err
	})
	if err := g.Wait(); err != nil {
		return out, err
	}
	for i := range wpts {
		s, ok, err := convertWeight(&wpts[i], loc)
		if err != nil {
			return out, badData("weight", err)
		}
		if ok && s.Value > 0 {
			out.Weight.Samples = append(out.Weight.Samples, s)
		}
	}
	for i := range fpts {
		s, ok, err := convertBodyFat(&fpts[i], loc)
		if err != nil {
			return out, badData("body fat", err)
		}
		if ok && s.Value > 0 {
			out.BodyFat.Samples = append(out.BodyFat.Samples, s)
		}
	}
	sortSamples(out.Weight.Samples)
	sortSamples(out.BodyFat.Samples)
	return out, nil
}

var _ providers.RawHeartRate = (*Provider)(nil)
