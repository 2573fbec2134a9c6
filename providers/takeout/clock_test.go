package takeout

import (
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/providertest"
)

func TestClockVotes(t *testing.T) {
	syd, ny := providertest.Zone("Australia/Sydney"), providertest.Zone("America/New_York")
	at := func(s string) time.Time {
		tm, ok := parseTime([]byte(s), time.UTC)
		if !ok {
			t.Fatalf("bad time %s", s)
		}
		return tm
	}
	d := func(s string) providers.Date { x, _ := providers.ParseDate(s); return x }
	for _, c := range []struct {
		day, first string
		loc        *time.Location
		want       string
	}{
		{"2018-04-03", "04/02/18 14:00:05", syd, ClockUTC},   // winter: local midnight is 14:00 UTC the day before
		{"2018-03-27", "03/26/18 13:00:00", syd, ClockUTC},   // summer time: 13:00
		{"2018-04-03", "04/03/18 00:00:05", syd, ClockLocal}, // a file starting at local midnight
		{"2018-04-03", "04/03/18 09:12:00", syd, ""},         // mid-day: says nothing
		{"2024-01-08", "01/08/24 05:00:00", ny, ClockUTC},    // west of UTC: the same day, later
		{"2024-01-08", "01/08/24 00:00:00", ny, ClockLocal},
		{"2024-01-08", "01/08/24 00:00:00", time.UTC, ""}, // UTC: the clocks cannot differ
	} {
		if got := vote(firstRecord{d(c.day), at(c.first)}, c.loc); got != c.want {
			t.Errorf("%s starting %s in %s: %q, want %q", c.day, c.first, c.loc, got, c.want)
		}
	}
	firsts := map[string][]firstRecord{
		"heart_rate": {{d("2018-04-03"), at("04/02/18 14:00:05")}, {d("2018-03-27"), at("03/26/18 13:00:02")}, {d("2018-04-04"), at("04/04/18 08:00:00")}},
		"steps":      {{d("2018-04-03"), at("04/03/18 00:00:00")}},
		"altitude":   {{d("2018-04-03"), at("04/03/18 10:31:00")}},
	}
	got := decideClocks(firsts, syd)
	if c := got["heart_rate"]; c.Clock != ClockUTC || c.Checked != 2 || c.Agree != 2 {
		t.Errorf("heart rate %+v", c)
	}
	if c := got["steps"]; c.Clock != ClockLocal || c.Agree != 1 {
		t.Errorf("steps %+v: each family has its own clock", c)
	}
	if c := got["altitude"]; c.Checked != 0 || c.Clock != ClockUTC {
		t.Errorf("altitude %+v: unchecked follows the others (a tie is UTC)", c)
	}
	if off := offsetHint(firsts["heart_rate"][:1]); off != 10*time.Hour {
		t.Errorf("offset hint %v, want 10h", off)
	}
	if off := offsetHint([]firstRecord{{d("2024-01-08"), at("01/08/24 05:00:00")}}); off != -5*time.Hour || offsetWords(off) != "UTC-05:00" {
		t.Errorf("offset hint %v", off)
	}
	if off := offsetHint([]firstRecord{{d("2024-01-08"), at("01/08/24 00:00:07")}}); off != 0 {
		t.Errorf("files at midnight hint %v", off)
	}
}

func TestWeightUnitFromBMI(t *testing.T) {
	// The real export: 177.6 with bmi 25.73 at 1.77 m is pounds.
	for _, c := range []struct {
		ws      []weighIn
		heights []float64
		want    string
	}{
		{[]weighIn{{177.6, 25.73}}, []float64{1770}, "lb"},
		{[]weighIn{{177.6, 25.73}}, nil, "lb"},
		{[]weighIn{{80.6, 25.73}}, []float64{1770}, "kg"},
		{[]weighIn{{80.6, 25.73}}, nil, "kg"},
		{[]weighIn{{12.7, 25.73}, {12.6, 25.6}}, []float64{1770}, "stone"},
		{[]weighIn{{177.6, 25.73}, {80.6, 25.73}, {178, 25.8}}, []float64{1770}, "lb"}, // the most weigh-ins win
	} {
		got, ok := inferWeightUnit(c.ws, c.heights)
		if !ok || got.Unit != c.want || got.From != "bmi" || got.Why == "" {
			t.Errorf("%v at %v: %+v %v, want %s", c.ws, c.heights, got, ok, c.want)
		}
	}
	if _, ok := inferWeightUnit(nil, []float64{1770}); ok {
		t.Error("no weigh-ins cannot tell a unit")
	}
}

func TestOverlayShortWakes(t *testing.T) {
	t0 := time.Date(2024, 2, 21, 23, 41, 30, 0, time.UTC)
	seg := func(st providers.SleepStage, from, secs int) providers.SleepSegment {
		return providers.SleepSegment{Stage: st, Start: t0.Add(time.Duration(from) * time.Second), Duration: time.Duration(secs) * time.Second}
	}
	long := []providers.SleepSegment{seg("light", 0, 1800), seg("deep", 1800, 1200), seg("rem", 3000, 600)}
	short := []providers.SleepSegment{seg("wake", 600, 30), seg("wake", 1770, 60), seg("wake", 3570, 30)}
	got := overlay(long, short)
	want := []providers.SleepSegment{seg("light", 0, 600), seg("wake", 600, 30), seg("light", 630, 1140), seg("wake", 1770, 60),
		seg("deep", 1830, 1170), seg("rem", 3000, 570), seg("wake", 3570, 30)}
	if len(got) != len(want) {
		t.Fatalf("%d segments %v, want %d", len(got), got, len(want))
	}
	var total time.Duration
	for i := range got {
		if got[i].Stage != want[i].Stage || !got[i].Start.Equal(want[i].Start) || got[i].Duration != want[i].Duration {
			t.Errorf("segment %d: %v, want %v", i, got[i], want[i])
		}
		total += got[i].Duration
	}
	if total != 3600*time.Second {
		t.Errorf("overlay changed the sleep's length: %v", total)
	}
	if got := overlay(long, nil); len(got) != 3 {
		t.Errorf("no short data: %v", got)
	}
}

func TestClassifyNames(t *testing.T) {
	for path, want := range map[string]kind{
		"Takeout/Google Health/Physical Activity_GoogleData/Steps/steps_2026-09-01.csv":                 kCSVSeries,
		"Takeout/Google Health/Physical Activity_GoogleData/heart_rate-2026-06-10.csv":                  kCSVSeries,
		"Takeout/Fitbit/Physical Activity_GoogleData/weight.csv":                                        kCSVWeight,
		"Takeout/Fitbit/Physical Activity_GoogleData/weight_2026-05-01.csv":                             kCSVWeight,
		"Takeout/Fitbit/Physical Activity_GoogleData/daily_resting_heart_rate.csv":                      kCSVResting,
		"Takeout/Fitbit/Physical Activity_GoogleData/calories_in_heart_rate_zone_2026-08-24.csv":        kIgnore,
		"Takeout/Fitbit/Physical Activity_GoogleData/Live Pace/live_pace_2026-09-12.csv":                kIgnore,
		"Takeout/Fitbit/Health Fitness Data_GoogleData/UserSleeps_2026-09-01.csv":                       kCSVSleeps,
		"Takeout/Fitbit/Health Fitness Data_GoogleData/UserSleepStages_2026-09-01.csv":                  kCSVStages,
		"Takeout/Fitbit/Health Fitness Data_GoogleData/UserActivityProbabilities_1.csv":                 kIgnore,
		"Takeout/Fitbit/Active Zone Minutes (AZM)/Active Zone Minutes - 2026-09-01.csv":                 kCSVAZM,
		"Takeout/Fitbit/Heart Rate Variability/Daily Heart Rate Variability Summary - 2020-11-(15).csv": kCSVDaily,
		"Takeout/Fitbit/Oxygen Saturation (SpO2)/Daily SpO2 - 2024-01-08-2024-04-16.csv":                kCSVDaily,
		"Takeout/Fitbit/Sleep Score/sleep_score.csv":                                                    kCSVScore,
		"Me/user-site-export/altitude-2018-03-20.json":                                                  kJSONSeries,
		"Me/user-site-export/exercise-100.json":                                                         kJSONExercise,
		"Me/user-site-export/run_vo2_max-2018-01-01.json":                                               kJSONVO2,
		"Me/user-site-export/estimated_oxygen_variation-2018-03-20.csv":                                 kIgnore,
		"Me/user-site-export/swim_lengths_data-2018-03-20.json":                                         kIgnore,
	} {
		m := member{inner: path}
		if got := classify(m).kind; got != want {
			t.Errorf("%s: kind %d, want %d", path, got, want)
		}
	}
	for path, want := range map[string]string{
		"Takeout/Fitbit/Global Export Data/swim_lengths_data-2018-03-20.json":                           "swim_lengths_data-YYYY-MM-DD.json",
		"Me/user-site-export/exercise-100.json":                                                         "exercise-N.json",
		"Takeout/Fitbit/Oxygen Saturation (SpO2)/Daily SpO2 - 2024-01-08-2024-04-16.csv":                "Oxygen Saturation (SpO2)/Daily SpO2 - YYYY-MM-DD-YYYY-MM-DD.csv",
		"Takeout/Fitbit/Heart Rate Variability/Daily Heart Rate Variability Summary - 2020-11-(15).csv": "Heart Rate Variability/Daily Heart Rate Variability Summary - YYYY-MM-DD.csv",
	} {
		if got := family(member{inner: path}); got != want {
			t.Errorf("family(%s) = %q, want %q", path, got, want)
		}
	}
}

// UserSleepStages' wake is AWAKE in the files the public importers read
// (and the API's enum), WAKE in the reference's description: both read as
// a wake, and a word neither knows is a bad record.
func TestStageWords(t *testing.T) {
	in := "sleep_id,sleep_stage_id,sleep_stage_type,start_utc_offset,sleep_stage_start,end_utc_offset,sleep_stage_end\n" +
		"1,0,AWAKE,+10:00,2024-01-08T12:00:00Z,+10:00,2024-01-08T12:05:00Z\n" +
		"1,1,WAKE,+10:00,2024-01-08T12:05:00Z,+10:00,2024-01-08T12:10:00Z\n" +
		"1,2,light,+10:00,2024-01-08T12:10:00Z,+10:00,2024-01-08T12:40:00Z\n" +
		"1,3,DOZING,+10:00,2024-01-08T12:40:00Z,+10:00,2024-01-08T12:45:00Z\n"
	var b batch
	if err := readCSVStages(strings.NewReader(in), sydney, &b); err != nil {
		t.Fatal(err)
	}
	if len(b.csvStages) != 3 || b.bad != 1 || b.csvStages[0].stage != providers.StageWake || b.csvStages[1].stage != providers.StageWake ||
		b.csvStages[2].stage != providers.StageLight {
		t.Fatalf("stages %+v, %d bad", b.csvStages, b.bad)
	}
}
