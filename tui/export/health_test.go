package export

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// healthFake is the fake with health metrics: on odd days every metric,
// on even days HRV only and SpO2 "not granted"; a workout on the 2nd.
type healthFake struct {
	*fake
	workoutsDenied bool
}

func fp(v float64) *float64 { return &v }
func ip(v int) *int         { return &v }

func (f *healthFake) Health(ctx context.Context, from, to providers.Date) ([]providers.HealthDay, error) {
	if err := f.ask(ctx, "health "+from.String()+".."+to.String()); err != nil {
		return nil, err
	}
	out := providers.EmptyHealth(from, to)
	for i := range out {
		d := out[i].Date.Day
		h := &out[i]
		h.HRV = fp(40 + float64(d))
		if d%2 == 0 {
			h.Note(providers.HealthSpO2, "not granted: scope spo2.read")
			continue
		}
		h.SpO2 = &providers.SpO2{AvgPct: 96.5, LowPct: 94, HighPct: 98.25}
		h.BreathingRate = fp(14.2)
		h.SkinTempDelta = fp(-0.3)
		h.VO2Max = &providers.VO2Max{Value: 44.4, Level: providers.FitnessGood}
		h.ZoneMinutes = &providers.ZoneMinutes{FatBurn: 5, Cardio: 8, Peak: 2}
		h.ZoneTime = &providers.ZoneTime{30, 5, 4, 1}
		h.BodyFatPct = fp(21.5)
	}
	return out, nil
}

func (f *healthFake) HealthIntraday(ctx context.Context, d providers.Date) (providers.HealthIntraday, error) {
	if err := f.ask(ctx, "healthday "+d.String()); err != nil {
		return providers.HealthIntraday{}, err
	}
	start := d.In(f.loc).Add(7 * time.Hour)
	return providers.HealthIntraday{Date: d, Zones: []providers.ZoneMinute{
		{Start: start, Length: time.Minute, Zone: providers.ZoneFatBurn, Earned: 1},
		{Start: start.Add(time.Minute), Length: time.Minute, Zone: providers.ZoneCardio, Earned: 2},
	}}, nil
}

func (f *healthFake) Workouts(ctx context.Context, from, to providers.Date) ([]providers.Workout, error) {
	if err := f.ask(ctx, "workouts "+from.String()+".."+to.String()); err != nil {
		return nil, err
	}
	if f.workoutsDenied {
		return nil, &providers.NotGrantedError{Provider: "fake", Metric: providers.HealthWorkouts, Scope: "exercise.read", How: "sign in again"}
	}
	d := date("2026-01-02")
	start := d.In(f.loc).Add(7 * time.Hour)
	act := 31*time.Minute + 30*time.Second
	out := []providers.Workout{
		{Date: d, Type: providers.WorkoutRun, Name: "Morning run", Start: start, End: start.Add(35 * time.Minute),
			Active: &act, DistanceKm: fp(5.123), Steps: ip(5200), Calories: ip(380), AvgHeartRate: ip(152), ZoneMinutes: ip(60)},
		{Date: d, Type: providers.WorkoutYoga, Name: "Yoga", Start: start.Add(10 * time.Hour), End: start.Add(11 * time.Hour)},
		// Outside the range asked: not repeated.
		{Date: d.AddDays(-5), Type: providers.WorkoutWalk, Name: "Walk", Start: start.AddDate(0, 0, -5), End: start.AddDate(0, 0, -5).Add(time.Hour)},
	}
	return out, nil
}

func TestHealthDayMetrics(t *testing.T) {
	f := &healthFake{fake: newFake()}
	var notes []string
	q := Request{From: date("2026-01-01"), To: date("2026-01-02"), Resolution: Day}
	for _, tc := range []struct {
		m    Metric
		want string
	}{
		{HRV, "[[2026-01-01 41] [2026-01-02 42]]"},
		{SpO2, "[[2026-01-01 96.5 94 98.25]]"},
		{Breathing, "[[2026-01-01 14.2]]"},
		{Temperature, "[[2026-01-01 -0.3]]"},
		{VO2Max, "[[2026-01-01 44.4 good]]"},
		{Zones, "[[2026-01-01 5 8 2 15 30 5 4 1]]"},
	} {
		q.Metric = tc.m
		recs, _, err := export(t, f, q, Options{Note: func(s string) { notes = append(notes, s) }})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(recs) != tc.want {
			t.Errorf("%s rows %v, want %s", tc.m, recs, tc.want)
		}
	}
	if len(notes) == 0 || !strings.Contains(notes[0], "SpO2: not granted: scope spo2.read") {
		t.Errorf("notes %q", notes)
	}
	q.Metric, q.Resolution = Zones, Minute
	recs, _, err := export(t, f, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "[[2026-01-01T07:00:00+09:00 1 0 0 1] [2026-01-01T07:01:00+09:00 0 2 0 2] [2026-01-02T07:00:00+09:00 1 0 0 1] [2026-01-02T07:01:00+09:00 0 2 0 2]]"; fmt.Sprint(recs) != want {
		t.Errorf("zone minutes %v\nwant %s", recs, want)
	}
}

func TestWorkoutsExport(t *testing.T) {
	f := &healthFake{fake: newFake()}
	q := Request{Metric: Workouts, Resolution: Day, From: date("2026-01-01"), To: date("2026-01-02")}
	recs, _, err := export(t, f, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"run", "Morning run", "2026-01-02T07:00:00+09:00", "2026-01-02T07:35:00+09:00", "31.5", "5.12", "5200", "380", "152", "60"},
		{"yoga", "Yoga", "2026-01-02T17:00:00+09:00", "2026-01-02T18:00:00+09:00", "", "", "", "", "", ""},
	}
	if fmt.Sprint(recs) != fmt.Sprint(want) {
		t.Errorf("rows\n%q\nwant\n%q", recs, want)
	}
	var notes []string
	f.workoutsDenied = true
	recs, _, err = export(t, f, q, Options{Note: func(s string) { notes = append(notes, s) }})
	if err != nil || len(recs) != 0 || len(notes) != 1 || !strings.Contains(notes[0], "workouts not granted: scope exercise.read") {
		t.Errorf("not granted: %v rows, %v, notes %q", len(recs), err, notes)
	}
}

// The summary gains the day's health metrics.
func TestSummaryHealth(t *testing.T) {
	f := &healthFake{fake: newFake()}
	q := Request{Metric: Summary, Resolution: Day, From: date("2026-01-02"), To: date("2026-01-03")}
	recs, _, err := export(t, f, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[0][15:]; fmt.Sprint(got) != "[42       ]" {
		t.Errorf("2nd: health cells %q", got)
	}
	if got := recs[1][15:]; fmt.Sprint(got) != "[43 96.5 14.2 -0.3 44.4 good 15 21.5]" {
		t.Errorf("3rd: health cells %q", got)
	}
}

// A provider without health metrics cannot export them, and says so.
func TestHealthExportNeedsAHealthProvider(t *testing.T) {
	var buf strings.Builder
	_, err := Run(context.Background(), newFake(), Request{Metric: HRV, Resolution: Day, From: date("2026-01-01"), To: date("2026-01-01")},
		NewEncoder(CSV, &buf), Options{})
	if err == nil || !strings.Contains(err.Error(), "fake accounts have no hrv data") || buf.Len() != 0 {
		t.Errorf("%v, wrote %q", err, buf.String())
	}
}
