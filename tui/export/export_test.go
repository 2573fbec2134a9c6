package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

var tokyo = time.FixedZone("JST", 9*3600)

func date(s string) providers.Date {
	d, err := providers.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// fake is a provider with made-up data whose calls can be made to fail or
// be rate limited, and which records what it was asked.
type fake struct {
	loc      *time.Location
	hrStep   time.Duration // spacing of heart-rate samples
	note     string
	sleep    []providers.SleepSession
	mu       sync.Mutex
	calls    []string
	fail     map[string]error     // call → error, every time
	limit    map[string]time.Time // call → RetryAt, once
	limitAll bool                 // every call is rate limited
	deadline bool                 // every call had a deadline
}

func (f *fake) ask(ctx context.Context, call string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	if _, ok := ctx.Deadline(); !ok {
		f.deadline = false
	}
	if f.limitAll {
		return providers.ErrRateLimited("fake", time.Time{})
	}
	if at, ok := f.limit[call]; ok {
		delete(f.limit, call)
		return providers.ErrRateLimited("fake", at)
	}
	return f.fail[call]
}

func (f *fake) Kind() string { return "fake" }

func (f *fake) Profile(ctx context.Context) (providers.Profile, error) {
	return providers.Profile{Location: f.loc}, nil
}

func (f *fake) DaySummary(ctx context.Context, d providers.Date) (providers.DaySummary, error) {
	if err := f.ask(ctx, "summary "+d.String()); err != nil {
		return providers.DaySummary{}, err
	}
	return providers.DaySummary{Date: d, Steps: 1000 * d.Day, DistanceKm: 0.75 * float64(d.Day), Calories: 2000 + d.Day,
		ActiveMinutes: d.Day, Floors: 3, HasFloors: d.Day%2 == 0, RestingHeartRate: 0,
		Goals: providers.Goals{Steps: 10000, DistanceKm: 8, Calories: 0, ActiveMinutes: 30, Floors: 10}}, nil
}

// Intraday: heart rate d.Day*10 + (minute of the hour) every hrStep from
// 06:00 to 06:59:59, steps 5 a minute from 06:00 to 06:29.
func (f *fake) Intraday(ctx context.Context, d providers.Date) (providers.Intraday, error) {
	if err := f.ask(ctx, "intraday "+d.String()); err != nil {
		return providers.Intraday{}, err
	}
	start := d.In(f.loc).Add(6 * time.Hour)
	in := providers.Intraday{Date: d, Note: f.note,
		HeartRate: providers.Series{Resolution: f.hrStep}, Steps: providers.Series{Resolution: time.Minute}}
	for t := start; t.Before(start.Add(time.Hour)); t = t.Add(f.hrStep) {
		in.HeartRate.Samples = append(in.HeartRate.Samples, providers.Sample{Time: t, Value: float64(d.Day*10 + t.Minute())})
	}
	for m := range 30 {
		in.Steps.Samples = append(in.Steps.Samples, providers.Sample{Time: start.Add(time.Duration(m) * time.Minute), Value: 5})
	}
	return in, nil
}

func (f *fake) DailySeries(ctx context.Context, from, to providers.Date) ([]providers.DailyValues, error) {
	if err := f.ask(ctx, "daily "+from.String()+".."+to.String()); err != nil {
		return nil, err
	}
	var out []providers.DailyValues
	for d := from; !d.After(to); d = d.AddDays(1) {
		v := providers.DailyValues{Date: d, Steps: 1000 * d.Day, RestingHeartRate: 50 + d.Day, SleepMinutes: 400 + d.Day}
		if d.Day%3 == 0 {
			v.WeightKg = 70 + float64(d.Day)/10
			v.NapMinutes = 30 + d.Day
		}
		out = append(out, v)
	}
	return out, nil
}

func (f *fake) Sleep(ctx context.Context, from, to providers.Date) ([]providers.SleepSession, error) {
	if err := f.ask(ctx, "sleep "+from.String()+".."+to.String()); err != nil {
		return nil, err
	}
	return f.sleep, nil // also sessions outside the range: export must not repeat them
}

func newFake() *fake { return &fake{loc: tokyo, hrStep: time.Second, deadline: true} }

// export runs q from p as CSV and returns the records after the header.
func export(t *testing.T, p providers.Provider, q Request, opt Options) ([][]string, Stats, error) {
	t.Helper()
	var buf bytes.Buffer
	if q.Location == nil {
		q.Location = tokyo
	}
	st, err := Run(context.Background(), p, q, NewEncoder(CSV, &buf), opt)
	if err != nil {
		return nil, st, err
	}
	recs, perr := csv.NewReader(&buf).ReadAll()
	if perr != nil {
		t.Fatalf("not CSV: %v\n%s", perr, buf.String())
	}
	if want := Columns(q.Metric, q.Resolution); strings.Join(recs[0], ",") != strings.Join(want, ",") {
		t.Errorf("header %v, want %v", recs[0], want)
	}
	if st.Rows != len(recs)-1 {
		t.Errorf("Stats.Rows %d, %d rows written", st.Rows, len(recs)-1)
	}
	return recs[1:], st, nil
}

func TestHeartIntraday(t *testing.T) {
	f := newFake()
	q := Request{Metric: Heart, Resolution: Second, From: date("2026-01-02"), To: date("2026-01-03")}
	recs, st, err := export(t, f, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2*3600 || st.Days != 2 {
		t.Fatalf("1sec: %d rows over %d days, want 7200 over 2", len(recs), st.Days)
	}
	if got := strings.Join(recs[0], ","); got != "2026-01-02T06:00:00+09:00,20" {
		t.Errorf("first row %q", got)
	}
	if got := strings.Join(recs[7199], ","); got != "2026-01-03T06:59:59+09:00,89" {
		t.Errorf("last row %q", got)
	}

	if f.deadline {
		t.Error("calls had a deadline without CallTimeout")
	}
	f.deadline = true
	q.Resolution = Quarter
	recs, _, err = export(t, f, q, Options{CallTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	// 06:15-06:29 on the 3rd: minutes 15..29, each 60 times: mean 30+22 = 52.
	want := [][]string{
		{"2026-01-02T06:00:00+09:00", "27", "20", "34", "900"},
		{"2026-01-02T06:15:00+09:00", "42", "35", "49", "900"},
		{"2026-01-02T06:30:00+09:00", "57", "50", "64", "900"},
		{"2026-01-02T06:45:00+09:00", "72", "65", "79", "900"},
		{"2026-01-03T06:00:00+09:00", "37", "30", "44", "900"},
		{"2026-01-03T06:15:00+09:00", "52", "45", "59", "900"},
		{"2026-01-03T06:30:00+09:00", "67", "60", "74", "900"},
		{"2026-01-03T06:45:00+09:00", "82", "75", "89", "900"},
	}
	if fmt.Sprint(recs) != fmt.Sprint(want) {
		t.Errorf("15min rows\n%v\nwant\n%v", recs, want)
	}
	if !f.deadline {
		t.Error("calls ran without a deadline under CallTimeout")
	}
}

func TestHeartDay(t *testing.T) {
	f := newFake()
	f.hrStep = time.Minute
	q := Request{Metric: Heart, Resolution: Day, From: date("2026-01-02"), To: date("2026-01-03")}
	recs, _, err := export(t, f, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "[[2026-01-02 52 49.5 20 79 60] [2026-01-03 53 59.5 30 89 60]]"
	if fmt.Sprint(recs) != want {
		t.Errorf("rows %v\nwant %s", recs, want)
	}
}

func TestSteps(t *testing.T) {
	f := newFake()
	q := Request{Metric: Steps, Resolution: Quarter, From: date("2026-01-02"), To: date("2026-01-02")}
	recs, _, err := export(t, f, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "[[2026-01-02T06:00:00+09:00 75] [2026-01-02T06:15:00+09:00 75]]"; fmt.Sprint(recs) != want {
		t.Errorf("15min steps %v, want %s", recs, want)
	}
}

// Range calls go a month at a time and cover every day once.
func TestDailySpans(t *testing.T) {
	f := newFake()
	q := Request{Metric: Steps, Resolution: Day, From: date("2026-01-01"), To: date("2026-03-11")}
	var ps []Progress
	recs, st, err := export(t, f, q, Options{Progress: func(p Progress) { ps = append(ps, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 70 || st.Days != 70 || recs[69][0] != "2026-03-11" || recs[69][1] != "11000" {
		t.Errorf("%d rows over %d days, last %v", len(recs), st.Days, recs[len(recs)-1])
	}
	want := "[daily 2026-01-01..2026-01-31 daily 2026-02-01..2026-03-03 daily 2026-03-04..2026-03-11]"
	if fmt.Sprint(f.calls) != want {
		t.Errorf("calls %v\nwant %s", f.calls, want)
	}
	if fmt.Sprint(ps) != fmt.Sprint([]Progress{{Done: 31, Total: 70}, {Done: 62, Total: 70}, {Done: 70, Total: 70}}) {
		t.Errorf("progress %v", ps)
	}

	q.Metric = Weight
	recs, _, err = export(t, f, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 22 || fmt.Sprint(recs[0]) != "[2026-01-03 70.3]" || fmt.Sprint(recs[21]) != "[2026-03-09 70.9]" {
		t.Errorf("weight rows: %d, %v ... %v", len(recs), recs[0], recs[len(recs)-1])
	}
}

func TestSummary(t *testing.T) {
	f := newFake()
	q := Request{Metric: Summary, Resolution: Day, From: date("2026-01-02"), To: date("2026-01-03")}
	recs, _, err := export(t, f, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		// The fake reads no health metrics: their columns are empty.
		{"2026-01-02", "2000", "1.5", "2002", "2", "3", "52", "402", "0", "", "10000", "8", "", "30", "10", "", "", "", "", "", "", "", ""},
		{"2026-01-03", "3000", "2.25", "2003", "3", "", "53", "403", "33", "70.3", "10000", "8", "", "30", "10", "", "", "", "", "", "", "", ""},
	}
	if fmt.Sprint(recs) != fmt.Sprint(want) {
		t.Errorf("rows\n%q\nwant\n%q", recs, want)
	}
}

func TestSleep(t *testing.T) {
	f := newFake()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	seg := func(stage providers.SleepStage, start string, min int) providers.SleepSegment {
		return providers.SleepSegment{Stage: stage, Start: at(start), Duration: time.Duration(min) * time.Minute}
	}
	f.sleep = []providers.SleepSession{
		{Date: date("2026-01-01"), Start: at("2025-12-31T23:00:00+09:00"), End: at("2026-01-01T07:00:00+09:00"), Main: true, Asleep: 7 * time.Hour},
		{Date: date("2026-01-02"), Start: at("2026-01-01T23:00:00+09:00"), End: at("2026-01-02T01:00:00+09:00"), Main: true, Asleep: 100 * time.Minute,
			Segments: []providers.SleepSegment{seg(providers.StageLight, "2026-01-01T23:00:00+09:00", 60), seg(providers.StageWake, "2026-01-02T00:00:00+09:00", 20), seg(providers.StageDeep, "2026-01-02T00:20:00+09:00", 40)}},
		{Date: date("2026-01-02"), Start: at("2026-01-02T14:00:00+09:00"), End: at("2026-01-02T14:30:00+09:00"), Classic: true, Asleep: 25 * time.Minute,
			Segments: []providers.SleepSegment{{Stage: providers.StageAsleep, Start: at("2026-01-02T14:00:00+09:00"), Duration: 25 * time.Minute}, {Stage: providers.StageRestless, Start: at("2026-01-02T14:25:00+09:00"), Duration: 5*time.Minute + 30*time.Second}}},
	}
	q := Request{Metric: Sleep, Resolution: Day, From: date("2026-01-02"), To: date("2026-01-02")}
	recs, _, err := export(t, f, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"2026-01-02", "2026-01-01T23:00:00+09:00", "2026-01-02T01:00:00+09:00", "true", "100", "120", "83", "40", "60", "0", "20", "", "", ""},
		{"2026-01-02", "2026-01-02T14:00:00+09:00", "2026-01-02T14:30:00+09:00", "false", "25", "30", "83", "", "", "", "", "25", "5.5", "0"},
	}
	if fmt.Sprint(recs) != fmt.Sprint(want) {
		t.Errorf("sessions\n%q\nwant\n%q", recs, want)
	}

	q.Resolution = Minute
	recs, _, err = export(t, f, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || fmt.Sprint(recs[1]) != "[2026-01-02 2026-01-01T23:00:00+09:00 2026-01-02T00:00:00+09:00 2026-01-02T00:20:00+09:00 wake 20]" ||
		fmt.Sprint(recs[4]) != "[2026-01-02 2026-01-02T14:00:00+09:00 2026-01-02T14:25:00+09:00 2026-01-02T14:30:30+09:00 restless 5.5]" {
		t.Errorf("segments %q", recs)
	}
}

func TestNotesOnceEach(t *testing.T) {
	f := newFake()
	f.hrStep = 15 * time.Minute
	f.note = "intraday access not granted"
	var notes []string
	q := Request{Metric: Heart, Resolution: Minute, From: date("2026-01-02"), To: date("2026-01-04")}
	recs, _, err := export(t, f, q, Options{Note: func(s string) { notes = append(notes, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 12 {
		t.Errorf("%d rows, want 4 a day", len(recs))
	}
	want := []string{"intraday access not granted",
		"the provider gives heart rate every 15m on some days (from 2026-01-02): those rows are 15m apart"}
	if fmt.Sprint(notes) != fmt.Sprint(want) {
		t.Errorf("notes %q\nwant %q", notes, want)
	}
}

// A rate limit mid-way: the export waits until the time given and goes
// on; the output is the same as without it.
func TestRateLimitWaitsAndContinues(t *testing.T) {
	q := Request{Metric: Heart, Resolution: Minute, From: date("2026-01-02"), To: date("2026-01-04")}
	plain, _, err := export(t, newFake(), q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	retry := time.Date(2026, 1, 20, 15, 0, 0, 0, time.UTC)
	f := newFake()
	f.limit = map[string]time.Time{"intraday 2026-01-03": retry}
	var waits []time.Time
	var ps []Progress
	opt := Options{
		Wait:     func(ctx context.Context, until time.Time) error { waits = append(waits, until); return nil },
		Progress: func(p Progress) { ps = append(ps, p) },
	}
	got, st, err := export(t, f, q, opt)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(plain) || st.Days != 3 {
		t.Error("output differs from an export without the rate limit")
	}
	if len(waits) != 1 || !waits[0].Equal(retry) {
		t.Errorf("waits %v, want one until %v", waits, retry)
	}
	want := []Progress{{Done: 1, Total: 3}, {Done: 1, Total: 3, WaitUntil: retry}, {Done: 1, Total: 3}, {Done: 2, Total: 3}, {Done: 3, Total: 3}}
	if fmt.Sprint(ps) != fmt.Sprint(want) {
		t.Errorf("progress %v\nwant %v", ps, want)
	}
	if want := "[intraday 2026-01-02 intraday 2026-01-03 intraday 2026-01-03 intraday 2026-01-04]"; fmt.Sprint(f.calls) != want {
		t.Errorf("calls %v", f.calls)
	}
}

func TestRateLimitWithoutTimeAndGivingUp(t *testing.T) {
	f := newFake()
	f.limitAll = true
	now := time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC)
	var waits []time.Time
	opt := Options{Now: func() time.Time { return now },
		Wait: func(ctx context.Context, until time.Time) error { waits = append(waits, until); return nil }}
	q := Request{Metric: Steps, Resolution: Day, From: date("2026-01-02"), To: date("2026-01-02")}
	_, _, err := export(t, f, q, opt)
	var de *DayError
	if !errors.As(err, &de) || de.Day != date("2026-01-02") || providers.KindOf(err) != providers.KindRateLimited {
		t.Fatalf("error %v, want a rate limit on 2026-01-02", err)
	}
	if len(waits) != MaxWaits || !waits[0].Equal(now.Add(time.Minute)) {
		t.Errorf("%d waits (first until %v), want %d until now+1m", len(waits), waits, MaxWaits)
	}
	if len(f.calls) != MaxWaits+1 {
		t.Errorf("%d calls", len(f.calls))
	}
	// Without Wait, a rate limit ends the export at once.
	f.calls = nil
	if _, _, err := export(t, f, q, Options{}); providers.KindOf(err) != providers.KindRateLimited || len(f.calls) != 1 {
		t.Errorf("no Wait: %v after %d calls", err, len(f.calls))
	}
}

func TestInterruptedWhileWaiting(t *testing.T) {
	f := newFake()
	f.limit = map[string]time.Time{"intraday 2026-01-02": time.Now()}
	ctx, cancel := context.WithCancel(context.Background())
	opt := Options{Wait: func(ctx context.Context, until time.Time) error { cancel(); <-ctx.Done(); return ctx.Err() }}
	q := Request{Metric: Heart, Resolution: Day, From: date("2026-01-01"), To: date("2026-01-05"), Location: tokyo}
	st, err := Run(ctx, f, q, NewEncoder(JSON, &bytes.Buffer{}), opt)
	var de *DayError
	if !IsInterrupted(err) || !errors.As(err, &de) || de.Day != date("2026-01-02") || st.Days != 1 {
		t.Errorf("error %v after %d days, want interrupted on 2026-01-02 after 1", err, st.Days)
	}
	if n := len(f.calls); n != 3 { // daily values, the 1st, the refused 2nd
		t.Errorf("calls %v", f.calls)
	}
}

func TestFailureNamesTheDay(t *testing.T) {
	f := newFake()
	signIn := providers.ErrSignIn("fake", "me", nil)
	f.fail = map[string]error{"intraday 2026-01-03": signIn}
	q := Request{Metric: Steps, Resolution: Minute, From: date("2026-01-01"), To: date("2026-01-05")}
	_, st, err := export(t, f, q, Options{Wait: func(context.Context, time.Time) error { t.Error("waited on a sign-in error"); return nil }})
	var de *DayError
	if !errors.As(err, &de) || de.Day != date("2026-01-03") || !errors.Is(err, signIn) || st.Days != 2 {
		t.Errorf("error %v after %d days", err, st.Days)
	}
	if !strings.HasPrefix(err.Error(), "2026-01-03: fake: account \"me\" needs signing in again") {
		t.Errorf("message %q", err)
	}
	if len(f.calls) != 3 {
		t.Errorf("went on after the failure: %v", f.calls)
	}
}

func TestRunRejectsBadRequests(t *testing.T) {
	f := newFake()
	for _, q := range []Request{
		{Metric: Steps, Resolution: Second, From: date("2026-01-01"), To: date("2026-01-01")},
		{Metric: Heart, Resolution: Minute, From: date("2026-01-02"), To: date("2026-01-01")},
	} {
		var buf bytes.Buffer
		if _, err := Run(context.Background(), f, q, NewEncoder(CSV, &buf), Options{}); err == nil || buf.Len() != 0 {
			t.Errorf("%+v: err %v, wrote %q", q, err, buf.String())
		}
	}
	if len(f.calls) != 0 {
		t.Errorf("asked the provider: %v", f.calls)
	}
}

// windows is a provider whose heart rate comes as 1-minute windows with
// their lowest and highest reading (Google Health's rollUp), and which
// can list the readings themselves.
type windows struct {
	*fake
	raw int // HeartRateSamples calls
}

// Intraday: one window a minute from 06:00 to 06:09, mean 60+m, lowest
// 50+m, highest 90+m.
func (w *windows) Intraday(ctx context.Context, d providers.Date) (providers.Intraday, error) {
	start := d.In(w.loc).Add(6 * time.Hour)
	in := providers.Intraday{Date: d, HeartRate: providers.Series{Resolution: time.Minute}, Steps: providers.Series{Resolution: time.Minute}}
	for m := range 10 {
		in.HeartRate.Samples = append(in.HeartRate.Samples, providers.Sample{Time: start.Add(time.Duration(m) * time.Minute), Value: float64(60 + m)})
		in.HeartRate.Min = append(in.HeartRate.Min, float64(50+m))
		in.HeartRate.Max = append(in.HeartRate.Max, float64(90+m))
	}
	return in, nil
}

// HeartRateSamples: a reading every 20 s from 06:00 to 06:01, bpm 70+k.
func (w *windows) HeartRateSamples(ctx context.Context, from, to time.Time) (providers.Series, error) {
	w.raw++
	var s providers.Series
	for k := range 3 {
		if t := from.Add(6*time.Hour + time.Duration(20*k)*time.Second); t.Before(to) {
			s.Samples = append(s.Samples, providers.Sample{Time: t, Value: float64(70 + k)})
		}
	}
	return s, nil
}

// wrapped stands for the cache around a provider.
type wrapped struct{ providers.Provider }

func (w wrapped) Unwrap() providers.Provider { return w.Provider }

// Heart rate from windows keeps each window's real lowest and highest
// reading in bpm_min and bpm_max (the 15-minute and day rows too), and
// --resolution 1sec lists the readings themselves, through the cache.
func TestHeartWindowsAndReadings(t *testing.T) {
	w := &windows{fake: newFake()}
	d := date("2026-01-02")
	q := Request{Metric: Heart, Resolution: Minute, From: d, To: d}
	recs, _, err := export(t, wrapped{w}, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 10 || fmt.Sprint(recs[0][1:]) != "[60 50 90 1]" || fmt.Sprint(recs[9][1:]) != "[69 59 99 1]" {
		t.Errorf("minute rows %v", recs)
	}
	q.Resolution = Quarter
	if recs, _, err = export(t, wrapped{w}, q, Options{}); err != nil || len(recs) != 1 || fmt.Sprint(recs[0][1:]) != "[64.5 50 99 10]" {
		t.Errorf("15-minute rows %v %v", recs, err)
	}
	q.Resolution = Day
	if recs, _, err = export(t, wrapped{w}, q, Options{}); err != nil || len(recs) != 1 || fmt.Sprint(recs[0][2:]) != "[64.5 50 99 10]" {
		t.Errorf("day rows %v %v", recs, err)
	}
	q.Resolution = Second
	recs, _, err = export(t, wrapped{w}, q, Options{})
	if err != nil || w.raw != 1 || len(recs) != 3 || recs[0][1] != "70" || recs[2][1] != "72" ||
		!strings.HasPrefix(recs[1][0], "2026-01-02T06:00:20") {
		t.Errorf("1sec rows %v (%d raw calls) %v", recs, w.raw, err)
	}
}
