package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/export"
)

type exportFlags struct {
	account, metric, from, to, resolution, format, output string
}

const exportLong = `Write one account's data over a range of days as CSV or JSON: heart rate,
steps, sleep, weight, daily summaries and, for providers that read them,
health metrics and workouts. Data comes from the cache where it is
fresh and from the provider otherwise, within the account's rate budget: when
the budget (or the provider) says stop, the export waits until it may go on
(Ctrl-C stops it). A progress bar shows on a terminal when the export takes
more than a moment.

Days are YYYY-MM-DD in the account's own time zone; --to defaults to today
(whose data ends now). Timestamps are ISO 8601 with the account's offset,
e.g. 2026-01-15T07:30:00-05:00; intervals are aligned to its wall clock and
each row's time is the start of its interval. CSV has a header row; JSON is
an array of objects whose keys are the CSV's column names. Unknown values
are empty in CSV and null in JSON.

Metrics, resolutions (default first) and columns:
  heart    1min, 15min  time, bpm_mean, bpm_min, bpm_max, samples
                        (intervals without readings have no row)
           1sec         time, bpm: every reading as the provider gives it
                        (providers with minute data give minutes)
           day          date, resting_heart_rate, bpm_mean, bpm_min, bpm_max,
                        samples
  steps    15min, 1min  time, steps (intervals the provider reported)
           day          date, steps (the provider's daily total)
  sleep    day          one row per sleep: date (the day it ended), start, end,
                        main, sleep_minutes, in_bed_minutes, efficiency (%),
                        deep_, light_, rem_, wake_minutes (stages) or
                        asleep_, restless_, awake_minutes (older trackers)
           1min         one row per stretch of a stage: date, session_start,
                        start, end, stage, minutes
  weight   day          date, weight_kg (days with a weigh-in)
  summary  day          date, steps, distance_km, calories, active_minutes,
                        floors, resting_heart_rate, sleep_minutes (the main
                        sleep), nap_minutes, weight_kg, goal_steps,
                        goal_distance_km, goal_calories, goal_active_minutes,
                        goal_floors, then the health metrics hrv_ms,
                        spo2_pct, breathing_rate, skin_temp_delta_c, vo2_max,
                        cardio_fitness, zone_minutes, body_fat_pct (empty
                        without them)

Health metrics (days with a value; a metric the account did not share is
said on stderr):
  hrv          day    date, hrv_ms (last night's RMSSD)
  spo2         day    date, spo2_pct, spo2_low_pct, spo2_high_pct
  breathing    day    date, breathing_rate (breaths a minute asleep)
  temperature  day    date, skin_temp_delta_c (against your baseline)
  vo2max       day    date, vo2_max, cardio_fitness
  zones        day    date, fat_burn, cardio, peak, total (Active Zone
                      Minutes: a cardio or peak minute counts two),
                      minutes_light, minutes_fat_burn, minutes_cardio,
                      minutes_peak (time in each heart-rate zone)
               1min   time, fat_burn, cardio, peak, total: each minute that
                      earned some, where the provider gives intervals
  workouts     day    one row per workout: type, name, start, end,
                      active_minutes, distance_km, steps, calories,
                      avg_heart_rate, zone_minutes (as in today --json)

With -o the file is written whole or not at all (a temporary file in the same
folder, renamed over FILE at the end); a failed or interrupted export leaves
FILE as it was. A new file is readable by you only. Without -o (or with
-o -) rows go to standard output as they are fetched.`

func newExportCmd(a *app) *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write an account's heart rate, steps, sleep, weight, summaries or health metrics as CSV or JSON",
		Long:  exportLong,
		Example: `  fittui export --demo --account runner --metric steps --from 2026-01-01 --format csv
  fittui export --account me --metric heart --resolution 1sec --from 2025-06-01 --to 2025-06-30 --format json -o heart.json
  fittui export --account me --metric sleep --from 2025-01-01 --format csv -o sleep.csv
  fittui export --demo --account runner --metric workouts --from 2026-01-01 --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.export(cmd.Context(), f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.account, "account", "", "account `NAME`")
	fl.StringVar(&f.metric, "metric", "", "what to export: `heart|steps|sleep|weight|summary|hrv|spo2|breathing|temperature|vo2max|zones|workouts`")
	fl.StringVar(&f.from, "from", "", "first day, `YYYY-MM-DD` in the account's time zone")
	fl.StringVar(&f.to, "to", "", "last day, `YYYY-MM-DD` (default: today)")
	fl.StringVar(&f.resolution, "resolution", "", "row spacing `1sec|1min|15min|day` (default: heart 1min, steps 15min, others day)")
	fl.StringVar(&f.format, "format", "", "output format `csv|json`")
	fl.StringVarP(&f.output, "output", "o", "", "write to `FILE` (atomically) instead of standard output")
	for _, name := range []string{"account", "metric", "from", "format"} {
		_ = cmd.MarkFlagRequired(name)
	}
	_ = cmd.RegisterFlagCompletionFunc("account", accountCompletion(a))
	fixed := func(words ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return words, cobra.ShellCompDirectiveNoFileComp
		}
	}
	metrics := make([]string, 0, len(export.Metrics()))
	for _, m := range export.Metrics() {
		metrics = append(metrics, string(m))
	}
	_ = cmd.RegisterFlagCompletionFunc("metric", fixed(metrics...))
	_ = cmd.RegisterFlagCompletionFunc("resolution", fixed("1sec", "1min", "15min", "day"))
	_ = cmd.RegisterFlagCompletionFunc("format", fixed("csv", "json"))
	return cmd
}

// accountCompletion completes account names from the configuration.
func accountCompletion(a *app) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
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
	}
}

// isTerminal says whether w is a terminal (the progress bar's condition);
// tests replace it.
var isTerminal = func(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// waitUntil blocks until until (at least a second, so a provider that keeps
// naming a time already past is not hammered) or until ctx is done; tests
// replace it.
var waitUntil = func(ctx context.Context, now func() time.Time, until time.Time) error {
	t := time.NewTimer(max(until.Sub(now()), time.Second))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (a *app) export(ctx context.Context, f exportFlags) error {
	metric, err := export.ParseMetric(f.metric)
	if err != nil {
		return usagef("--metric: %v", err)
	}
	res, err := export.ParseResolution(metric, f.resolution)
	if err != nil {
		return usagef("--resolution: %v", err)
	}
	format, err := export.ParseFormat(f.format)
	if err != nil {
		return usagef("--format: %v", err)
	}
	from, err := providers.ParseDate(f.from)
	if err != nil {
		return usagef("--from: %v", err)
	}
	var to providers.Date
	if f.to != "" {
		if to, err = providers.ParseDate(f.to); err != nil {
			return usagef("--to: %v", err)
		}
		if to.Before(from) {
			return usagef("--to %s is before --from %s", to, from)
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
	p := opened.Provider
	defer a.sayWarnings(opened)

	// Killed from outside or the terminal closed: clean up as for Ctrl-C.
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	timeout := a.callTimeout()
	// The bar, once there is one, carries the lines said meanwhile.
	var bar *progressBar
	say := func(line string) {
		if bar != nil {
			bar.Println(line)
		} else {
			fmt.Fprintln(a.errOut, line)
		}
	}
	cached := opened.Cache != nil && opened.Cache.Keeps()
	wait := func(ctx context.Context, until time.Time) error {
		msg := "rate limit reached: waiting until " + until.In(a.now().Location()).Format("15:04")
		if cached {
			msg += " (what is fetched so far is cached; Ctrl-C stops)"
		} else {
			msg += " (Ctrl-C stops)"
		}
		say(msg)
		return waitUntil(ctx, a.now, until)
	}
	// The time zone first, waiting like the days do when the budget says so.
	var profile providers.Profile
	err = export.Retry(ctx, export.Options{Now: a.now, CallTimeout: timeout, Wait: wait}, func(ctx context.Context) (err error) {
		profile, err = p.Profile(ctx)
		return err
	})
	if err != nil {
		return callError(acc.Name, timeout, a.now().Location(), err)
	}
	loc := profile.Location
	if loc == nil {
		loc = time.UTC
	}
	today := providers.DateOf(a.now().In(loc))
	if from.After(today) {
		return usagef("--from %s is in the future: today is %s in %s, account %q's time zone", from, today, loc, acc.Name)
	}
	switch {
	case to.IsZero():
		to = today
	case to.After(today):
		return usagef("--to %s is in the future: today is %s in %s, account %q's time zone", to, today, loc, acc.Name)
	}

	var out io.Writer = a.out
	var file *export.AtomicFile
	if f.output != "" && f.output != "-" {
		if file, err = export.CreateAtomic(f.output); err != nil {
			return err
		}
		defer file.Abort()
		out = file
	}

	// The bar goes to a terminal, and not over rows written to the same one.
	if to.After(from) && isTerminal(a.errOut) && (file != nil || !isTerminal(a.out)) {
		bar = newProgressBar(a.errOut, fmt.Sprintf("%s %s", metric, res), a.now)
	}
	opts := export.Options{
		Now:         a.now,
		CallTimeout: timeout,
		Note:        func(s string) { say("note: " + s) },
		Wait:        wait,
	}
	if bar != nil {
		opts.Progress = bar.Update
	}
	req := export.Request{Metric: metric, Resolution: res, From: from, To: to, Location: loc}
	_, err = export.Run(ctx, p, req, export.NewEncoder(format, out), opts)
	if bar != nil {
		bar.Clear()
	}
	if err == nil && file != nil {
		err = file.Commit()
	}
	if c := opened.Cache; c != nil {
		// Days served from older data than fresh (the provider failing):
		// say from when, as the dashboard does.
		if st := c.Status(); st.Err != nil {
			say(fmt.Sprintf("fittui: %s: %s", acc.Name, st.Line(loc)))
		}
	}
	if err != nil {
		return exportError(acc.Name, timeout, loc, file, err)
	}
	return nil
}

// exportError says where an export stopped and why, and what became of
// the file.
func exportError(account string, timeout time.Duration, loc *time.Location, file *export.AtomicFile, err error) error {
	var de *export.DayError
	var msg string
	switch {
	case errors.As(err, &de) && errors.Is(err, context.Canceled):
		msg = fmt.Sprintf("export interrupted at %s", de.Day)
	case errors.As(err, &de) && export.Offline(de.Err):
		msg = fmt.Sprintf("export stopped at %s: offline, and that day is not in the cache: %v", de.Day, callError(account, timeout, loc, de.Err))
	case errors.As(err, &de):
		msg = fmt.Sprintf("export stopped at %s: %v", de.Day, callError(account, timeout, loc, de.Err))
	default:
		msg = err.Error() // writing failed
	}
	if file != nil {
		msg += fmt.Sprintf("\nnothing was written to %s", file.Path())
	}
	return errors.New(strings.TrimSpace(msg))
}
