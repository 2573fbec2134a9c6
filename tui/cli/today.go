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

	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/datearg"
	"github.com/fittui/fittui/tui/state"
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

The day is today in the account's own time zone unless --date says otherwise:
a date YYYY-MM-DD, or today, yesterday, or so long before today: -7d (days),
-2w (weeks), -3m (months), -1y (years), counted in the account's time zone.
The account is the first configured one (or else the first signed in with
'fittui auth login') unless --account names another; with --demo (or when
there is no account at all) the demo accounts are used.

For providers that read health metrics it also shows last night's HRV,
SpO2, breathing rate and skin temperature, VO2 max, the day's Active Zone
Minutes, the latest body fat (up to 30 days old) and the day's workouts;
a metric the account did not share says which permission is missing.

The text shows distance and weight in the configuration's units (metric or
imperial); JSON is always metric.

With --json the summary is one JSON object with snake_case keys: account,
provider, date, time_zone, steps, distance_km, calories, active_minutes,
floors, resting_heart_rate, sleep_minutes (the main sleep), nap_minutes
(the day's other sleeps; 0 when there were none), weight_kg (each null when
unknown), goals {steps, distance_km, calories, active_minutes, floors,
sleep_minutes} (null when no goal is set; the configuration's [account.goals]
stand over the provider's), latest_heart_rate {bpm, time} (null when none), and
the health metrics hrv_ms, spo2_pct, breathing_rate, skin_temp_delta_c,
vo2_max, cardio_fitness, zone_minutes {fat_burn, cardio, peak, total},
body_fat_pct (each null when unknown) and workouts (an array, [] when
none, of {type, name, start, end, active_minutes, distance_km, steps,
calories, avg_heart_rate, zone_minutes}, numbers null when unknown).`,
		Example: `  fittui today
  fittui today --demo --account office --date 2026-01-15
  fittui today --date yesterday
  fittui today --date -7d
  fittui today --json | jq .steps`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.today(cmd.Context(), f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.account, "account", "", "account `NAME` (default: the first account)")
	fl.StringVar(&f.date, "date", "", "`DAY` in the account's time zone: "+datearg.Help+" (default: today)")
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
	// A date that cannot be read is said before anything is asked; the
	// relative forms count from the account's today, known below.
	if f.date != "" {
		if _, err := datearg.Parse(f.date, providers.DateOf(a.now())); err != nil {
			return usagef("--date: %v", err)
		}
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
	defer a.sayWarnings(opened)
	p, src := opened.Provider, opened.Source

	timeout := a.callTimeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	prof := src.ProfileAnswer(ctx, cache.Ask)
	profile, err := prof.Result()
	if err != nil {
		return callError(acc.Name, timeout, a.now().Location(), err)
	}
	loc := profile.Location
	if loc == nil {
		loc = time.UTC
	}
	today := providers.DateOf(a.now().In(loc))
	day := today
	if f.date != "" {
		if day, err = datearg.Parse(f.date, today); err != nil {
			return usagef("--date: %v", err)
		}
	}
	if day.After(today) {
		return usagef("--date %s is in the future: today is %s in %s, account %q's time zone", day, today, loc, acc.Name)
	}

	s, got, err := fetchFrom(ctx, src, p, day)
	if err != nil {
		return callError(acc.Name, timeout, loc, err)
	}
	s.Account, s.Provider, s.TimeZone = acc.Name, acc.Provider, loc.String()
	// The configuration's goals stand over the provider's, as on the
	// dashboard; its units are the text's.
	s.Goals, s.units = goalsOf(opened.Goals.Over(s.goals)), opened.Units
	// A record the provider left out (keeping the rest of the day) is said.
	for _, n := range providers.NotesOf(p) {
		a.warn(fmt.Errorf("%s: %s", acc.Name, n))
	}
	if got.prov.Err == nil {
		got.prov.Err = prof.Err // the profile's failure says why, if the day's do not
	}
	// Data past its freshness (the provider failed or did not answer in
	// time) or parts the cache does not hold: say how old, and what is
	// missing.
	if line := got.line(loc); line != "" {
		fmt.Fprintf(a.errOut, "fittui: %s: %s\n", acc.Name, line)
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

// callError explains a provider call that failed, with its times in loc.
// A *providers.Error already says what to do; a bare context error gets
// words.
func callError(account string, timeout time.Duration, loc *time.Location, err error) error {
	if pe, ok := providers.AsError(err); ok {
		if pe.Kind == providers.KindRateLimited && !pe.RetryAt.IsZero() && loc != nil {
			in := *pe
			in.Message, in.RetryAt = pe.Text(loc), pe.RetryAt.In(loc)
			return &in
		}
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
	Steps            *int           `json:"steps"`
	DistanceKm       *float64       `json:"distance_km"`
	Calories         *int           `json:"calories"`
	ActiveMinutes    *int           `json:"active_minutes"`
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

	units      textfmt.Units   // what the text shows (JSON stays metric)
	goals      providers.Goals // the provider's, behind Goals
	weightDate providers.Date  // day of the weigh-in behind WeightKg
	missing    map[string]bool // parts neither the provider nor the cache gave
	fatDate    providers.Date  // day of the reading behind BodyFatPct
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
	SleepMinutes  *int     `json:"sleep_minutes"`
}

func goalsOf(g providers.Goals) dayGoals {
	return dayGoals{
		Steps:         positive(g.Steps),
		DistanceKm:    positive(round2(g.DistanceKm)),
		Calories:      positive(g.Calories),
		ActiveMinutes: positive(g.ActiveMinutes),
		Floors:        positive(g.Floors),
		SleepMinutes:  positive(g.SleepMinutes),
	}
}

type heartRate struct {
	BPM  int       `json:"bpm"`
	Time time.Time `json:"time"` // RFC 3339 with the sample's offset
}

// served is where fetchDay's answers came from: the oldest data past its
// freshness that was shown (cache.Answer.Expired) with the failure behind
// it, and the parts left out because the provider could not be asked and
// the cache does not hold them.
type served struct {
	prov    providers.StaleError // Updated: the oldest expired data; zero: none
	expired bool
	missing []string
}

// note takes in one answer's provenance; what names the part.
func note[T any](g *served, mu *sync.Mutex, a cache.Answer[T], what string, missing bool) {
	mu.Lock()
	defer mu.Unlock()
	if a.Expired {
		if !g.expired || a.FetchedAt.Before(g.prov.Updated) {
			g.prov.Updated = a.FetchedAt
		}
		g.expired = true
	}
	if a.Err != nil && g.prov.Err == nil {
		g.prov.Err = a.Err
	}
	if missing {
		g.missing = append(g.missing, what)
	}
}

// line is what to say about the answers: "" when all were fresh; else
// "offline, last updated 14:05" (or "rate limited until 15:00, ..."),
// and the parts the cache did not hold.
func (g served) line(loc *time.Location) string {
	if !g.expired && len(g.missing) == 0 {
		return ""
	}
	st := g.prov
	if st.Err == nil {
		st.Err = providers.ErrUnreachable("", nil) // the call ran out of time
	}
	line := st.Line(loc)
	if !g.expired {
		line = strings.TrimSuffix(line, ", never updated")
		line = strings.TrimSuffix(line, " (never updated)")
	}
	if len(g.missing) > 0 {
		line += "; not in the cache: " + strings.Join(g.missing, ", ")
	}
	return line
}

// passing reports whether err is a failure the cache stands in for when it
// can (offline, rate limited, out of time): a part it does not hold is
// then left out, as the dashboard does, instead of failing the command.
func passing(err error) bool {
	switch providers.KindOf(err) {
	case providers.KindUnreachable, providers.KindRateLimited:
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// fetchDay is fetchFrom for a provider that keeps nothing.
func fetchDay(ctx context.Context, p providers.Provider, day providers.Date) (daySummary, error) {
	s, _, err := fetchFrom(ctx, cache.Direct(p, nil), p, day)
	return s, err
}

// fetchFrom asks src for everything the summary needs, in parallel: the
// cache's fresh answers, the provider for the rest, the cache's older
// answers when the provider cannot be asked. The day's summary is
// needed; sleep, intraday and weight are left out (null) when offline and
// not cached.
func fetchFrom(ctx context.Context, src cache.Source, p providers.Provider, day providers.Date) (daySummary, served, error) {
	var (
		sum      providers.DaySummary
		sleep    []providers.SleepSession
		series   []providers.DailyValues
		intraday providers.Intraday
		errs     [4]error
		got      served
		mu       sync.Mutex
		wg       sync.WaitGroup
	)
	// An optional part the provider could not give and the cache does
	// not hold is left out when the failure is passing; else it fails
	// the command.
	optional := func(i int, err error) bool {
		left := err != nil && passing(err)
		if err != nil && !left {
			errs[i] = err
		}
		return left
	}
	var haveSum bool
	wg.Go(func() {
		a := src.DaySummaryAnswer(ctx, cache.Ask, day)
		var err error
		sum, err = a.Result()
		haveSum = err == nil
		note(&got, &mu, a, "summary", optional(0, err))
	})
	wg.Go(func() {
		a := src.SleepAnswer(ctx, cache.Ask, day, day)
		var err error
		sleep, err = a.Result()
		note(&got, &mu, a, "sleep", optional(1, err))
	})
	wg.Go(func() {
		a, missing := dailyValues(ctx, src, day.AddDays(-weightLookback), day)
		var err error
		series, err = a.Result()
		left := optional(2, err)
		note(&got, &mu, a, "weight", left || missing)
	})
	wg.Go(func() {
		a := src.IntradayAnswer(ctx, cache.Ask, day)
		var err error
		intraday, err = a.Result()
		note(&got, &mu, a, "heart rate", optional(3, err))
	})
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
			return daySummary{}, got, err
		}
	}
	// No summary (offline, not cached): the day's daily values stand in,
	// as the dashboard's history shows them; without those there is
	// nothing to show.
	var daily *providers.DailyValues
	for i := range series {
		if series[i].Date == day {
			daily = &series[i]
		}
	}
	if !haveSum && daily == nil {
		why := got.prov.Err
		if why == nil {
			why = context.DeadlineExceeded
		}
		return daySummary{}, got, fmt.Errorf("%s is not in the cache, and %w", day, why)
	}

	s := daySummary{
		Date:    day,
		Goals:   goalsOf(sum.Goals),
		goals:   sum.Goals,
		missing: map[string]bool{},
	}
	for _, m := range got.missing {
		s.missing[m] = true
	}
	// A zero is "not known" (state.StepsKnown, as the dashboard reads it):
	// null, never 0.
	if state.StepsKnown(sum) {
		s.Steps = ptr(sum.Steps)
	}
	if state.TotalsKnown(sum) {
		s.DistanceKm, s.Calories, s.ActiveMinutes = ptr(round2(sum.DistanceKm)), ptr(sum.Calories), ptr(sum.ActiveMinutes)
		if sum.HasFloors {
			s.Floors = &sum.Floors
		}
	}
	s.RestingHeartRate = positive(sum.RestingHeartRate)
	if !haveSum {
		s.Steps, s.RestingHeartRate = positive(daily.Steps), positive(daily.RestingHeartRate)
		s.DistanceKm, s.Calories, s.ActiveMinutes = nil, nil, nil
		if daily.SleepMinutes > 0 {
			s.SleepMinutes = ptr(daily.SleepMinutes)
		}
	}
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
	return s, got, nil
}

// dailyValues is from..to's daily values. When the provider cannot be
// asked for the whole range and the cache lacks part of it, it takes
// what the cache holds day by day (the dashboard asks other ranges than
// this command); missing says days were left out.
func dailyValues(ctx context.Context, src cache.Source, from, to providers.Date) (a cache.Answer[[]providers.DailyValues], missing bool) {
	a = src.DailySeriesAnswer(ctx, cache.Ask, from, to)
	if a.Err == nil || a.Stale || !passing(a.Err) {
		return a, false
	}
	out := cache.Answer[[]providers.DailyValues]{Err: a.Err, Stale: true, Expired: true, FromCache: true}
	for d := from; !d.After(to); d = d.AddDays(1) {
		day := src.DailySeriesAnswer(ctx, cache.Ask, d, d)
		if day.Err != nil && !day.Stale {
			missing = true
			continue
		}
		out.Value = append(out.Value, day.Value...)
		if out.FetchedAt.IsZero() || day.FetchedAt.Before(out.FetchedAt) {
			out.FetchedAt = day.FetchedAt
		}
	}
	if len(out.Value) == 0 {
		return a, true
	}
	return out, missing
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
			r.goal, r.pct = "/ "+gtext, fmt.Sprintf("%d%%", textfmt.Percent(v, *g))
		}
		rows = append(rows, r)
	}
	if s.Steps != nil {
		goal("Steps", float64(*s.Steps), textfmt.Int(*s.Steps), toFloat(s.Goals.Steps), intText(s.Goals.Steps))
	} else {
		rows = append(rows, row{label: "Steps", value: "-", note: s.unknown("summary", "none recorded")})
	}
	// Without the day's summary (offline, only its daily values cached),
	// or on a day the provider holds nothing for, these are not known.
	switch {
	case s.DistanceKm == nil || s.Calories == nil || s.ActiveMinutes == nil:
		for _, label := range []string{"Distance", "Calories", "Active minutes", "Floors"} {
			rows = append(rows, row{label: label, value: "-", note: s.unknown("summary", "unknown")})
		}
	default:
		goal("Distance", *s.DistanceKm, s.distance(*s.DistanceKm), s.Goals.DistanceKm, s.distanceOr(s.Goals.DistanceKm))
		goal("Calories", float64(*s.Calories), textfmt.Int(*s.Calories), toFloat(s.Goals.Calories), intText(s.Goals.Calories))
		goal("Active minutes", float64(*s.ActiveMinutes), textfmt.Int(*s.ActiveMinutes), toFloat(s.Goals.ActiveMinutes), intText(s.Goals.ActiveMinutes))
		if s.Floors != nil {
			goal("Floors", float64(*s.Floors), textfmt.Int(*s.Floors), toFloat(s.Goals.Floors), intText(s.Goals.Floors))
		} else {
			rows = append(rows, row{label: "Floors", value: "-", note: "not measured by this device"})
		}
	}
	if s.RestingHeartRate != nil {
		rows = append(rows, row{label: "Resting HR", value: fmt.Sprintf("%d bpm", *s.RestingHeartRate)})
	} else {
		rows = append(rows, row{label: "Resting HR", value: "-", note: "unknown"})
	}
	if hr := s.LatestHeartRate; hr != nil {
		rows = append(rows, row{label: "Heart rate", value: fmt.Sprintf("%d bpm", hr.BPM), note: "at " + hr.Time.In(loc).Format("15:04")})
	} else {
		rows = append(rows, row{label: "Heart rate", value: "-", note: s.unknown("heart rate", "no readings")})
	}
	hm := func(m int) string { return fmt.Sprintf("%dh %02dm", m/60, m%60) }
	switch {
	case s.SleepMinutes != nil && s.Goals.SleepMinutes != nil:
		goal("Sleep", float64(*s.SleepMinutes), hm(*s.SleepMinutes), toFloat(s.Goals.SleepMinutes), hm(*s.Goals.SleepMinutes))
	case s.SleepMinutes != nil:
		rows = append(rows, row{label: "Sleep", value: hm(*s.SleepMinutes), note: "main sleep"})
	default:
		rows = append(rows, row{label: "Sleep", value: "-", note: s.unknown("sleep", "none recorded")})
	}
	switch {
	case s.WeightKg == nil:
		rows = append(rows, row{label: "Weight", value: "-", note: s.unknown("weight", fmt.Sprintf("no weigh-in in the last %d days", weightLookback))})
	case s.weightDate == s.Date:
		rows = append(rows, row{label: "Weight", value: s.weight(*s.WeightKg)})
	default:
		rows = append(rows, row{label: "Weight", value: s.weight(*s.WeightKg), note: "on " + s.weightDate.In(time.UTC).Format("Mon 2 Jan")})
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
		rows = append(rows, row{label: "Workout", value: workoutValue(w), note: workoutNote(w, loc, s.units)})
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
func workoutNote(w workoutJSON, loc *time.Location, u textfmt.Units) string {
	parts := []string{w.Name + " " + w.Start.In(loc).Format("15:04") + "-" + w.End.In(loc).Format("15:04")}
	if w.DistanceKm != nil && *w.DistanceKm > 0 {
		parts = append(parts, distanceText(*w.DistanceKm, u))
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

// unknown is the note of a row without a value: none, or not known at all
// (offline and not in the cache).
func (s daySummary) unknown(part, none string) string {
	if s.missing[part] {
		return "not in the cache (offline)"
	}
	return none
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

// distance is km in the text's units: "6.12 km" or "3.80 mi".
func (s daySummary) distance(km float64) string { return distanceText(km, s.units) }

func (s daySummary) distanceOr(p *float64) string {
	if p == nil {
		return ""
	}
	return s.distance(*p)
}

func distanceText(km float64, u textfmt.Units) string {
	v, unit := u.Distance(km)
	return fmt.Sprintf("%.2f %s", v, unit)
}

// weight is kg in the text's units: "71.3 kg" or "157.2 lb".
func (s daySummary) weight(kg float64) string {
	v, unit := s.units.Weight(kg)
	return fmt.Sprintf("%.1f %s", v, unit)
}
