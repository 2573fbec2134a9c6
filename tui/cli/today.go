package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/textfmt"
)

// weightLookback is how many days before the date a weigh-in still counts.
const weightLookback = 30

type todayFlags struct {
	account string
	date    string
	json    bool
}

func newTodayCmd(a *app) *cobra.Command {
	var f todayFlags
	cmd := &cobra.Command{
		Use:   "today",
		Short: "Print a day's summary for one account",
		Long: `Print a day's totals for one account: steps, distance, calories and active
minutes with progress toward goals, floors, resting heart rate, the latest
heart rate, last night's sleep and the latest weight (up to 30 days old).

The day is today in the account's own time zone unless --date says otherwise.
The account is the first configured one (or else the first signed in with
'fittui auth login') unless --account names another; with --demo (or when
there is no account at all) the demo accounts are used.

For providers that read health metrics it also shows last night's HRV,
SpO2, breathing rate and skin temperature, VO2 max, the day's Active Zone
Minutes, the latest body fat (up to 30 days old) and the day's workouts;
a metric the account did not share says which permission is missing.

With --json the summary is one JSON object with snake_case keys: account,
provider, date, time_zone, steps, distance_km, calories, active_minutes,
floors, resting_heart_rate, sleep_minutes (the main sleep), nap_minutes
(the day's other sleeps; 0 when there were none), weight_kg (each null when
unknown), goals {steps, distance_km, calories, active_minutes, floors} (null
when no goal is set), latest_heart_rate {bpm, time} (null when none), and
the health metrics hrv_ms, spo2_pct, breathing_rate, skin_temp_delta_c,
vo2_max, cardio_fitness, zone_minutes {fat_burn, cardio, peak, total},
body_fat_pct (each null when unknown) and workouts (an array, [] when
none, of {type, name, start, end, active_minutes, distance_km, steps,
calories, avg_heart_rate, zone_minutes}, numbers null when unknown).`,
		Example: `  fittui today
  fittui today --demo --account office --date 2026-01-15
  fittui today --json | jq .steps`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.today(cmd.Context(), f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.account, "account", "", "account `NAME` (default: the first account)")
	fl.StringVar(&f.date, "date", "", "day `YYYY-MM-DD` in the account's time zone (default: today)")
	fl.BoolVar(&f.json, "json", false, "print JSON instead of text")
	_ = cmd.RegisterFlagCompletionFunc("account", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		cfg, err := a.config()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		list, _, err := a.accountList(cfg)
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		names := make([]string, len(list))
		for i, acc := range list {
			names[i] = acc.Name
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func (a *app) today(ctx context.Context, f todayFlags) error {
	var day providers.Date
	if f.date != "" {
		d, err := providers.ParseDate(f.date)
		if err != nil {
			return usagef("--date: %v", err)
		}
		day = d
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	list, notice, err := a.accountList(cfg)
	if err != nil {
		return err
	}
	acc, err := findAccount(list, f.account)
	if err != nil {
		return err
	}
	if notice != "" {
		fmt.Fprintln(a.errOut, notice)
	}
	opened, err := a.open(cfg, acc)
	if err != nil {
		return err
	}
	p := opened.Provider
	defer a.sayWarnings(opened)

	timeout := a.callTimeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	profile, err := p.Profile(ctx)
	if err != nil {
		return callError(acc.Name, timeout, err)
	}
	loc := profile.Location
	if loc == nil {
		loc = time.UTC
	}
	today := providers.DateOf(a.now().In(loc))
	switch {
	case day.IsZero():
		day = today
	case day.After(today):
		return usagef("--date %s is in the future: today is %s in %s, account %q's time zone", day, today, loc, acc.Name)
	}

	s, err := fetchDay(ctx, p, day)
	if err != nil {
		return callError(acc.Name, timeout, err)
	}
	s.Account, s.Provider, s.TimeZone = acc.Name, acc.Provider, loc.String()
	// A record the provider left out (keeping the rest of the day) is said.
	for _, n := range providers.NotesOf(p) {
		a.warn(fmt.Errorf("%s: %s", acc.Name, n))
	}
	if c := opened.Cache; c != nil {
		// The cache answered for a failing provider: say the data is old.
		if st := c.Status(); st.Err != nil {
			fmt.Fprintf(a.errOut, "fittui: %s: %s\n", acc.Name, st.Line(loc))
		}
	}
	if f.json {
		// JSON says null; why a metric is missing goes to stderr.
		for _, n := range s.Notes() {
			fmt.Fprintf(a.errOut, "fittui: %s: %s\n", acc.Name, n)
		}
		return writeJSON(a.out, s)
	}
	_, err = io.WriteString(a.out, s.text(loc))
	return err
}

// callError explains a provider call that failed. A *providers.Error
// already says what to do; a bare context error gets words.
func callError(account string, timeout time.Duration, err error) error {
	if _, ok := providers.AsError(err); ok {
		return err
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("account %q: no answer from the provider within %v; try again later", account, timeout)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("account %q: interrupted", account)
	}
	return fmt.Errorf("account %q: %w", account, err)
}

// daySummary is the output of `fittui today`; its JSON keys are public
// interface.
type daySummary struct {
	Account          string         `json:"account"`
	Provider         string         `json:"provider"`
	Date             providers.Date `json:"date"`
	TimeZone         string         `json:"time_zone"`
	Steps            int            `json:"steps"`
	DistanceKm       float64        `json:"distance_km"`
	Calories         int            `json:"calories"`
	ActiveMinutes    int            `json:"active_minutes"`
	Floors           *int           `json:"floors"`
	RestingHeartRate *int           `json:"resting_heart_rate"`
	SleepMinutes     *int           `json:"sleep_minutes"` // the main sleep
	NapMinutes       *int           `json:"nap_minutes"`   // the other sleeps ending that day
	WeightKg         *float64       `json:"weight_kg"`
	Goals            dayGoals       `json:"goals"`
	LatestHeartRate  *heartRate     `json:"latest_heart_rate"`

	// Health metrics (null for providers that read none).
	HRV           *float64         `json:"hrv_ms"`
	SpO2          *float64         `json:"spo2_pct"`
	BreathingRate *float64         `json:"breathing_rate"`
	SkinTempDelta *float64         `json:"skin_temp_delta_c"`
	VO2Max        *float64         `json:"vo2_max"`
	CardioFitness *string          `json:"cardio_fitness"`
	ZoneMinutes   *zoneMinutesJSON `json:"zone_minutes"`
	BodyFatPct    *float64         `json:"body_fat_pct"`
	Workouts      []workoutJSON    `json:"workouts"`

	weightDate providers.Date // day of the weigh-in behind WeightKg
	fatDate    providers.Date // day of the reading behind BodyFatPct
	health     providers.HealthDay
	healthy    bool              // the provider reads health metrics
	notes      map[string]string // metric title -> why it is missing
	spo2Range  [2]float64        // the night's low and high, 0 unknown
}

type zoneMinutesJSON struct {
	FatBurn int `json:"fat_burn"`
	Cardio  int `json:"cardio"`
	Peak    int `json:"peak"`
	Total   int `json:"total"`
}

// workoutJSON is one workout; its keys are the columns of `fittui export
// --metric workouts`.
type workoutJSON struct {
	Type          string    `json:"type"`
	Name          string    `json:"name"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	ActiveMinutes *float64  `json:"active_minutes"`
	DistanceKm    *float64  `json:"distance_km"`
	Steps         *int      `json:"steps"`
	Calories      *int      `json:"calories"`
	AvgHeartRate  *int      `json:"avg_heart_rate"`
	ZoneMinutes   *int      `json:"zone_minutes"`
}

// workoutOf is w as JSON; its times keep the offset they were recorded in.
func workoutOf(w providers.Workout) workoutJSON {
	out := workoutJSON{Type: string(w.Type), Name: w.Name, Start: w.Start.Truncate(time.Second), End: w.End.Truncate(time.Second),
		Steps: w.Steps, Calories: w.Calories, AvgHeartRate: w.AvgHeartRate, ZoneMinutes: w.ZoneMinutes}
	if w.Active != nil {
		out.ActiveMinutes = ptr(round2(w.Active.Minutes()))
	}
	if w.DistanceKm != nil {
		out.DistanceKm = ptr(round2(*w.DistanceKm))
	}
	return out
}

type dayGoals struct {
	Steps         *int     `json:"steps"`
	DistanceKm    *float64 `json:"distance_km"`
	Calories      *int     `json:"calories"`
	ActiveMinutes *int     `json:"active_minutes"`
	Floors        *int     `json:"floors"`
}

type heartRate struct {
	BPM  int       `json:"bpm"`
	Time time.Time `json:"time"` // RFC 3339 with the sample's offset
}

// fetchDay asks the provider for everything the summary needs, in parallel.
func fetchDay(ctx context.Context, p providers.Provider, day providers.Date) (daySummary, error) {
	var (
		sum      providers.DaySummary
		sleep    []providers.SleepSession
		series   []providers.DailyValues
		intraday providers.Intraday
		errs     [4]error
		wg       sync.WaitGroup
	)
	wg.Go(func() { sum, errs[0] = p.DaySummary(ctx, day) })
	wg.Go(func() { sleep, errs[1] = p.Sleep(ctx, day, day) })
	wg.Go(func() { series, errs[2] = p.DailySeries(ctx, day.AddDays(-weightLookback), day) })
	wg.Go(func() { intraday, errs[3] = p.Intraday(ctx, day) })
	h, healthy := providers.HealthOf(p)
	var (
		health             []providers.HealthDay
		workouts           []providers.Workout
		healthErr, woutErr error
	)
	if healthy {
		// Body fat goes back as far as the weight does.
		wg.Go(func() { health, healthErr = h.Health(ctx, day.AddDays(-weightLookback), day) })
		wg.Go(func() { workouts, woutErr = h.Workouts(ctx, day, day) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return daySummary{}, err
		}
	}

	s := daySummary{
		Date:          day,
		Steps:         sum.Steps,
		DistanceKm:    round2(sum.DistanceKm),
		Calories:      sum.Calories,
		ActiveMinutes: sum.ActiveMinutes,
		Goals: dayGoals{
			Steps:         positive(sum.Goals.Steps),
			DistanceKm:    positive(round2(sum.Goals.DistanceKm)),
			Calories:      positive(sum.Goals.Calories),
			ActiveMinutes: positive(sum.Goals.ActiveMinutes),
			Floors:        positive(sum.Goals.Floors),
		},
	}
	if sum.HasFloors {
		s.Floors = &sum.Floors
	}
	s.RestingHeartRate = positive(sum.RestingHeartRate)
	for _, ss := range sleep {
		if ss.Main && s.SleepMinutes == nil {
			s.SleepMinutes = ptr(int(ss.Asleep / time.Minute))
			continue
		}
		if s.NapMinutes == nil {
			s.NapMinutes = ptr(0)
		}
		*s.NapMinutes += int(ss.Asleep / time.Minute)
	}
	if len(sleep) > 0 && s.NapMinutes == nil {
		s.NapMinutes = ptr(0)
	}
	for i := len(series) - 1; i >= 0; i-- {
		if v := series[i]; v.WeightKg > 0 && !v.Date.After(day) {
			s.WeightKg, s.weightDate = ptr(round2(v.WeightKg)), v.Date
			break
		}
	}
	if hr, ok := intraday.HeartRate.Last(); ok {
		s.LatestHeartRate = &heartRate{BPM: int(math.Round(hr.Value)), Time: hr.Time.Truncate(time.Second)}
	}
	s.Workouts = []workoutJSON{}
	if healthy {
		s.healthy = true
		s.addHealth(day, health, healthErr)
		var ng *providers.NotGrantedError
		switch {
		case errors.As(woutErr, &ng):
			s.note(providers.HealthWorkouts, ng.Reason())
		case woutErr != nil:
			s.note(providers.HealthWorkouts, "not read: "+woutErr.Error())
		}
		for _, w := range workouts {
			if w.Date == day {
				s.Workouts = append(s.Workouts, workoutOf(w))
			}
		}
	}
	return s, nil
}

// addHealth fills in the health metrics of day from days (oldest first,
// up to day): the night's and the day's values, body fat from the latest
// reading.
func (s *daySummary) addHealth(day providers.Date, days []providers.HealthDay, err error) {
	if err != nil {
		// Health metrics are extras: the day's totals still show.
		for _, m := range providers.HealthMetrics() {
			if m != providers.HealthWorkouts {
				s.note(m, "not read: "+err.Error())
			}
		}
		return
	}
	for i := len(days) - 1; i >= 0; i-- {
		if d := days[i]; d.BodyFatPct != nil && !d.Date.After(day) {
			s.BodyFatPct, s.fatDate = ptr(round2(*d.BodyFatPct)), d.Date
			break
		}
	}
	var h providers.HealthDay
	for _, d := range days {
		if d.Date == day {
			h = d
		}
	}
	s.health = h
	for m, why := range h.Missing {
		if m == providers.HealthBodyFat && s.BodyFatPct != nil {
			continue // an older reading shows
		}
		s.note(m, why)
	}
	s.HRV, s.BreathingRate, s.SkinTempDelta = round2p(h.HRV), round2p(h.BreathingRate), round2p(h.SkinTempDelta)
	if h.SpO2 != nil {
		s.SpO2 = ptr(round2(h.SpO2.AvgPct))
		s.spo2Range = [2]float64{h.SpO2.LowPct, h.SpO2.HighPct}
	}
	if v := h.VO2Max; v != nil {
		s.VO2Max = ptr(round2(v.Value))
		if v.Level != "" {
			s.CardioFitness = ptr(string(v.Level))
		}
	}
	if z := h.ZoneMinutes; z != nil {
		s.ZoneMinutes = &zoneMinutesJSON{FatBurn: z.FatBurn, Cardio: z.Cardio, Peak: z.Peak, Total: z.Total()}
	}
}

func (s *daySummary) note(m providers.HealthMetric, why string) {
	if s.notes == nil {
		s.notes = map[string]string{}
	}
	s.notes[string(m)] = why
}

// Notes are the health metrics the provider could not give, with why, in
// the panes' order.
func (s daySummary) Notes() []string {
	var out []string
	for _, m := range providers.HealthMetrics() {
		if why, ok := s.notes[string(m)]; ok {
			out = append(out, m.Title()+": "+why)
		}
	}
	return out
}

func round2p(v *float64) *float64 {
	if v == nil {
		return nil
	}
	return ptr(round2(*v))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// row is one line of the text summary.
type row struct {
	label, value string
	goal, pct    string // progress toward a goal; empty when none is set
	note         string // said after the value on rows without a goal
}

// text renders the summary as an aligned table:
//
//	Steps            8,412  / 10,000   84%
//	Heart rate      71 bpm  at 14:32
func (s daySummary) text(loc *time.Location) string {
	var rows []row
	goal := func(label string, v float64, value string, g *float64, gtext string) {
		r := row{label: label, value: value}
		if g != nil {
			r.goal, r.pct = "/ "+gtext, fmt.Sprintf("%d%%", int(100*v / *g))
		}
		rows = append(rows, r)
	}
	goal("Steps", float64(s.Steps), textfmt.Int(s.Steps), toFloat(s.Goals.Steps), intText(s.Goals.Steps))
	goal("Distance", s.DistanceKm, fmt.Sprintf("%.2f km", s.DistanceKm), s.Goals.DistanceKm, kmText(s.Goals.DistanceKm))
	goal("Calories", float64(s.Calories), textfmt.Int(s.Calories), toFloat(s.Goals.Calories), intText(s.Goals.Calories))
	goal("Active minutes", float64(s.ActiveMinutes), textfmt.Int(s.ActiveMinutes), toFloat(s.Goals.ActiveMinutes), intText(s.Goals.ActiveMinutes))
	if s.Floors != nil {
		goal("Floors", float64(*s.Floors), textfmt.Int(*s.Floors), toFloat(s.Goals.Floors), intText(s.Goals.Floors))
	} else {
		rows = append(rows, row{label: "Floors", value: "-", note: "not measured by this device"})
	}
	if s.RestingHeartRate != nil {
		rows = append(rows, row{label: "Resting HR", value: fmt.Sprintf("%d bpm", *s.RestingHeartRate)})
	} else {
		rows = append(rows, row{label: "Resting HR", value: "-", note: "unknown"})
	}
	if hr := s.LatestHeartRate; hr != nil {
		rows = append(rows, row{label: "Heart rate", value: fmt.Sprintf("%d bpm", hr.BPM), note: "at " + hr.Time.In(loc).Format("15:04")})
	} else {
		rows = append(rows, row{label: "Heart rate", value: "-", note: "no readings"})
	}
	if s.SleepMinutes != nil {
		rows = append(rows, row{label: "Sleep", value: fmt.Sprintf("%dh %02dm", *s.SleepMinutes/60, *s.SleepMinutes%60), note: "main sleep"})
	} else {
		rows = append(rows, row{label: "Sleep", value: "-", note: "none recorded"})
	}
	switch {
	case s.WeightKg == nil:
		rows = append(rows, row{label: "Weight", value: "-", note: fmt.Sprintf("no weigh-in in the last %d days", weightLookback)})
	case s.weightDate == s.Date:
		rows = append(rows, row{label: "Weight", value: fmt.Sprintf("%.1f kg", *s.WeightKg)})
	default:
		rows = append(rows, row{label: "Weight", value: fmt.Sprintf("%.1f kg", *s.WeightKg), note: "on " + s.weightDate.In(time.UTC).Format("Mon 2 Jan")})
	}

	if s.healthy {
		rows = append(rows, s.healthRows(loc)...)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s) · %s · %s\n\n", s.Account, s.Provider, s.Date.In(time.UTC).Format("Monday 2 January 2006"), s.TimeZone)
	b.WriteString(table(rows))
	return b.String()
}

// healthRows are the health metrics' rows: a metric the provider gave, or
// one it says why it could not; nothing for one the device does not
// measure.
func (s daySummary) healthRows(loc *time.Location) []row {
	var rows []row
	add := func(m providers.HealthMetric, label string, known bool, value, note string) {
		switch {
		case known:
			rows = append(rows, row{label: label, value: value, note: note})
		case s.notes[string(m)] != "":
			rows = append(rows, row{label: label, value: "-", note: s.notes[string(m)]})
		}
	}
	f := func(p *float64, format string) string {
		if p == nil {
			return ""
		}
		return fmt.Sprintf(format, *p)
	}
	add(providers.HealthHRV, "HRV", s.HRV != nil, f(s.HRV, "%.0f ms"), "last night")
	spo2Note := ""
	if r := s.spo2Range; r[0] > 0 && r[1] > 0 {
		spo2Note = fmt.Sprintf("%.1f-%.1f%% overnight", r[0], r[1])
	}
	add(providers.HealthSpO2, "SpO2", s.SpO2 != nil, f(s.SpO2, "%.1f%%"), spo2Note)
	add(providers.HealthBreathing, "Breathing rate", s.BreathingRate != nil, f(s.BreathingRate, "%.1f /min"), "asleep")
	var temp *float64
	if s.SkinTempDelta != nil {
		temp = ptr(math.Round(*s.SkinTempDelta*10)/10 + 0) // "+0.0", not "-0.0"
	}
	add(providers.HealthTemperature, "Skin temp", temp != nil, f(temp, "%+.1f"), "°C from your baseline")
	fitness := ""
	if s.CardioFitness != nil {
		fitness = providers.CardioFitness(*s.CardioFitness).Title()
	}
	add(providers.HealthVO2Max, "VO2 max", s.VO2Max != nil, f(s.VO2Max, "%.1f"), fitness)
	zm := ""
	if z := s.ZoneMinutes; z != nil {
		zm = fmt.Sprintf("fat burn %d · cardio %d · peak %d", z.FatBurn, z.Cardio, z.Peak)
	}
	add(providers.HealthZones, "Zone minutes", s.ZoneMinutes != nil, func() string {
		if s.ZoneMinutes == nil {
			return ""
		}
		return textfmt.Int(s.ZoneMinutes.Total)
	}(), zm)
	fatNote := ""
	if s.BodyFatPct != nil && s.fatDate != s.Date {
		fatNote = "on " + s.fatDate.In(time.UTC).Format("Mon 2 Jan")
	}
	add(providers.HealthBodyFat, "Body fat", s.BodyFatPct != nil, f(s.BodyFatPct, "%.1f%%"), fatNote)
	for _, w := range s.Workouts {
		rows = append(rows, row{label: "Workout", value: workoutValue(w), note: workoutNote(w, loc)})
	}
	if why := s.notes[string(providers.HealthWorkouts)]; why != "" {
		rows = append(rows, row{label: "Workouts", value: "-", note: why})
	}
	return rows
}

// workoutValue is a workout's length: active time where known.
func workoutValue(w workoutJSON) string {
	m := w.End.Sub(w.Start).Minutes()
	if w.ActiveMinutes != nil {
		m = *w.ActiveMinutes
	}
	return fmt.Sprintf("%.0f min", m)
}

// workoutNote says what and when: "Morning run 06:47-07:35 · 9.29 km ·
// 149 bpm · 92 zone min".
func workoutNote(w workoutJSON, loc *time.Location) string {
	parts := []string{w.Name + " " + w.Start.In(loc).Format("15:04") + "-" + w.End.In(loc).Format("15:04")}
	if w.DistanceKm != nil && *w.DistanceKm > 0 {
		parts = append(parts, fmt.Sprintf("%.2f km", *w.DistanceKm))
	}
	if w.Steps != nil && *w.Steps > 0 {
		parts = append(parts, textfmt.Int(*w.Steps)+" steps")
	}
	if w.AvgHeartRate != nil {
		parts = append(parts, fmt.Sprintf("%d bpm", *w.AvgHeartRate))
	}
	if w.ZoneMinutes != nil && *w.ZoneMinutes > 0 {
		parts = append(parts, fmt.Sprintf("%d zone min", *w.ZoneMinutes))
	}
	return strings.Join(parts, " · ")
}

// table aligns rows: label left, value right, goal left, percent right;
// a note follows the value of a row without a goal.
func table(rows []row) string {
	var wl, wv, wg, wp int
	for _, r := range rows {
		wl, wv = max(wl, width(r.label)), max(wv, width(r.value))
		wg, wp = max(wg, width(r.goal)), max(wp, width(r.pct))
	}
	var b strings.Builder
	for _, r := range rows {
		line := fmt.Sprintf("%-*s  %*s", wl, r.label, wv, r.value)
		switch {
		case r.goal != "":
			line += fmt.Sprintf("  %-*s  %*s", wg, r.goal, wp, r.pct)
		case r.note != "":
			line += "  " + r.note
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func width(s string) int { return utf8.RuneCountInString(s) }

func ptr[T any](v T) *T { return &v }

// positive returns a pointer to v, or nil when v is zero ("not known").
func positive[T int | float64](v T) *T {
	if v <= 0 {
		return nil
	}
	return &v
}

func round2(v float64) float64 { return math.Round(v*100)/100 + 0 } // + 0: never -0

func toFloat(p *int) *float64 {
	if p == nil {
		return nil
	}
	return ptr(float64(*p))
}

func intText(p *int) string {
	if p == nil {
		return ""
	}
	return textfmt.Int(*p)
}

func kmText(p *float64) string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf("%.2f km", *p)
}
