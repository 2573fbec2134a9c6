package takeout

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/providertest"
)

// Seeds in the real files' shapes.
const (
	seedHeart    = `[{"dateTime":"04/02/18 14:00:05","value":{"bpm":64,"confidence":2}},{"dateTime":"04/02/18 14:00:10","value":{"bpm":"65","confidence":3}}]`
	seedSteps    = `[{"dateTime":"04/02/18 14:00:00","value":"0"},{"dateTime":"04/02/18 14:01:00","value":"12"},{"dateTime":"04/02/18 14:02:00","value":""}]`
	seedResting  = `[{"dateTime":"01/01/18 00:00:00","value":{"date":null,"value":0.0,"error":0.0}},{"dateTime":"03/27/18 00:00:00","value":{"date":"03/27/18","value":61.382,"error":6.5}}]`
	seedSleep    = `[{"logId":44632289206,"dateOfSleep":"2018-03-27","startTime":"2018-03-26T23:23:00.000","endTime":"2018-03-27T06:45:00.000","duration":26520000,"minutesAsleep":420,"type":"stages","mainSleep":true,"levels":{"summary":{"light":{"count":3,"minutes":226}},"data":[{"dateTime":"2018-03-26T23:23:00.000","level":"wake","seconds":600},{"dateTime":"2018-03-26T23:33:00.000","level":"light","seconds":25920}],"shortData":[{"dateTime":"2018-03-27T01:00:30.000","level":"wake","seconds":90}]}}]`
	seedWeight   = `[{"logId":1521578294000,"weight":188.5,"bmi":27.29,"date":"03/20/18","time":"07:38:14","source":"Aria"}]`
	seedExer     = `[{"logId":20000000001,"activityName":"Walk","activityTypeId":90013,"averageHeartRate":102,"calories":105,"duration":900000,"activeDuration":900000,"steps":1650,"startTime":"03/26/18 21:10:00","distance":1.2,"distanceUnit":"Kilometer"}]`
	seedZones    = `[{"dateTime":"03/27/18 00:00:00","value":{"valuesInZones":{"BELOW_DEFAULT_ZONE_1":1320.5,"IN_DEFAULT_ZONE_1":90.1,"IN_DEFAULT_ZONE_2":20.0,"IN_DEFAULT_ZONE_3":0.0}}}]`
	seedVO2      = `[{"dateTime":"03/27/18 00:00:00","value":{"demographicVO2Max":38.65,"demographicVO2MaxError":3.1,"filteredDemographicVO2Max":38.3,"filteredDemographicVO2MaxError":2.2}}]`
	seedCSVHR    = "timestamp,beats per minute,data source\n2024-01-08T05:00:05Z,64.0,Charge 6\n2024-01-08T05:00:10.096319Z,65,Charge 6\n1970-01-01T00:00:00Z,1,x\n"
	seedCSVW     = "timestamp,weight grams,data source\n2026-05-27T05:33:27Z,93400,YAZIO Health Kit\n"
	seedCSVRest  = "timestamp,beats per minute,data source\n2016-10-04T00:00:00Z,55.965,Fitbit App\n"
	seedCSVAZM   = "date_time,heart_zone_id,total_minutes\n2024-05-01T09:07,FAT_BURN,1\n"
	seedCSVAZM2  = "timestamp,heart rate zone,total minutes,data source\n2026-09-12T04:01:00Z,CARDIO,2,Google Fitbit Air\n"
	seedSleeps   = "sleep_id,sleep_type,minutes_in_sleep_period,minutes_after_wake_up,minutes_to_fall_asleep,minutes_asleep,minutes_awake,minutes_longest_awakening,minutes_to_persistent_sleep,start_utc_offset,sleep_start,end_utc_offset,sleep_end,data_source,algorithm_version,sleep_created,sleep_last_updated\n111,STAGES,450,0,5,410,40,12,9,+05:30,2026-09-11T17:30:00Z,+05:30,2026-09-12T01:00:00Z,GOOGLE_FITBIT_AIR,3,2026-09-12T01:05:00Z,2026-09-12T01:05:00Z\n"
	seedStages   = "sleep_id,sleep_stage_id,sleep_stage_type,start_utc_offset,sleep_stage_start,end_utc_offset,sleep_stage_end,data_source,algorithm_version,sleep_stage_created,sleep_stage_last_updated\n111,0,AWAKE,+05:30,2026-09-11T17:30:00Z,+05:30,2026-09-11T17:45:00Z,GOOGLE_FITBIT_AIR,3,,\n"
	seedScore    = "sleep_log_entry_id,timestamp,overall_score,composition_score,revitalization_score,duration_score,deep_sleep_in_minutes,resting_heart_rate,restlessness\n531347243,2026-07-26T12:00:00Z,48,,48,,58,63,0.15\n"
	seedHRV      = "timestamp,rmssd,nremhr,entropy\n2024-01-08T00:00:00,31.0,56.0,2.2\n"
	seedHRVNight = "timestamp,rmssd,coverage,low_frequency,high_frequency\n2024-01-08T01:05:00,38.2,0.93,410.0,270.0\n"
	seedProfile  = "id,full_name,first_name,last_name,display_name,timezone,locale,weight_unit,distance_unit,height_unit\nABC123,Sam,A,B,Sam,Australia/Sydney,en_AU,METRIC,METRIC,METRIC\n"
)

var sydney = providertest.Zone("Australia/Sydney")

func FuzzArrayReader(f *testing.F) {
	for _, s := range []string{seedHeart, seedSteps, seedSleep, `[]`, `[1,"a",{"b":[1,2]}]`, `[{"a":"]}"}`, ` [ ] x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		ar := newArrayReader(bytes.NewReader(in))
		for i := 0; ; i++ {
			el, err := ar.next()
			if err != nil {
				return
			}
			if len(el) == 0 || len(el) > maxElement {
				t.Fatalf("element %d of %d bytes", i, len(el))
			}
			if i > len(in) {
				t.Fatalf("%d elements from %d bytes", i, len(in))
			}
		}
	})
}

// FuzzJSONReaders runs every JSON reader over one input: none panics,
// and what they keep is sane.
func FuzzJSONReaders(f *testing.F) {
	for _, s := range []string{seedHeart, seedSteps, seedResting, seedSleep, seedWeight, seedExer, seedZones, seedVO2, `[{"dateTime":"13/45/24 10:01:00","value":"5"}]`} {
		f.Add([]byte(s))
	}
	clk := clock{time.UTC, sydney}
	f.Fuzz(func(t *testing.T, in []byte) {
		var b batch
		if readJSONSeries(bytes.NewReader(in), 1e-5, clk, &b) == nil {
			for _, p := range b.points {
				if p.v < 0 || p.t.Location() != sydney {
					t.Fatalf("point %+v", p)
				}
			}
		}
		for _, read := range []func(io.Reader, *batch) error{
			func(r io.Reader, b *batch) error { return readJSONDaily(r, true, "resting_hr", b) },
			func(r io.Reader, b *batch) error { return readJSONDaily(r, false, "sedentary_minutes", b) },
			func(r io.Reader, b *batch) error { return readJSONWeight(r, sydney, 0.45359237, b) },
			func(r io.Reader, b *batch) error { return readJSONSleep(r, sydney, b) },
			readJSONZones,
			func(r io.Reader, b *batch) error { return readJSONVO2(r, false, b) },
			func(r io.Reader, b *batch) error { return readJSONExercise(r, clk, b) },
		} {
			var b batch
			if read(bytes.NewReader(in), &b) != nil {
				continue
			}
			for _, v := range b.daily {
				if v.key == "resting_hr" && v.v == 0 {
					t.Fatalf("a no-data resting value was kept: %+v", v)
				}
			}
			for _, s := range b.sleeps {
				if s.Session.End.Before(s.Session.Start) {
					t.Fatalf("sleep ends before it starts: %+v", s.Session)
				}
			}
		}
		_, _ = readJSONHeight(bytes.NewReader(in))
		_, _ = readWeighIns(bytes.NewReader(in))
		_, _ = readProfileJSON(bytes.NewReader(in))
	})
}

// FuzzCSVReaders runs every CSV reader over one input.
func FuzzCSVReaders(f *testing.F) {
	for _, s := range []string{seedCSVHR, seedCSVW, seedCSVRest, seedCSVAZM, seedCSVAZM2, seedSleeps, seedStages, seedScore, seedHRV, seedHRVNight, seedProfile, "a\n\"b\n\"\"c\"\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, read := range []func(io.Reader, *batch) error{
			func(r io.Reader, b *batch) error { return readCSVSeries(r, 1e-3, sydney, b) },
			func(r io.Reader, b *batch) error { return readCSVWeight(r, sydney, b) },
			func(r io.Reader, b *batch) error {
				return readCSVDaily(r, []dailyColumn{{"beats per minute", "resting_hr"}, {"rmssd", "hrv_rmssd_ms"}}, b)
			},
			func(r io.Reader, b *batch) error { return readCSVAZM(r, sydney, b) },
			func(r io.Reader, b *batch) error { return readCSVSleeps(r, sydney, b) },
			func(r io.Reader, b *batch) error { return readCSVStages(r, sydney, b) },
			func(r io.Reader, b *batch) error { return readCSVScore(r, sydney, b) },
			func(r io.Reader, b *batch) error { return readCSVHRV(r, sydney, b) },
		} {
			var b batch
			if read(bytes.NewReader(in), &b) != nil {
				continue
			}
			for _, p := range b.points {
				if p.v < 0 || p.t.Year() < 2000 {
					t.Fatalf("point %+v", p)
				}
			}
			for _, s := range b.csvStages {
				if !s.end.After(s.start) {
					t.Fatalf("stage %+v", s)
				}
			}
			for _, h := range b.hrv {
				if h.RMSSD <= 0 || h.Time.Year() < 2000 {
					t.Fatalf("HRV reading %+v", h)
				}
			}
		}
		_, _ = readProfileCSV(bytes.NewReader(in))
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"04/02/18 14:00:05", "03/05/2024 14:00:00", "03/05/24", "2024-02-22T07:41:30.000", "2024-02-22T12:41:30Z",
		"2024-02-22T12:41:30.096319+05:30", "2024-05-01T09:07", "2024-02-22", "12/31/99 23:59:60"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, ok := parseTime([]byte(s), sydney)
		if ok && tm.Location() != sydney {
			t.Fatalf("%q: %v not in the zone asked for", s, tm)
		}
	})
}

// FuzzOverlay: short wakes laid over a contiguous timeline keep it
// contiguous and as long, and every short wake's time is wake.
func FuzzOverlay(f *testing.F) {
	f.Add([]byte{30, 60, 90}, []byte{10, 5, 40, 3})
	f.Add([]byte{255, 1}, []byte{0, 255, 200, 200})
	f.Fuzz(func(t *testing.T, longs, shorts []byte) {
		t0 := time.Date(2018, 3, 26, 23, 23, 0, 0, sydney)
		stages := []providers.SleepStage{"light", "deep", "rem"}
		var long []providers.SleepSegment
		at := t0
		for i, d := range longs {
			dur := time.Duration(int(d)+1) * 30 * time.Second
			long = append(long, providers.SleepSegment{Stage: stages[i%3], Start: at, Duration: dur})
			at = at.Add(dur)
		}
		span := at.Sub(t0)
		var short []providers.SleepSegment
		cur := time.Duration(0)
		for i := 0; i+1 < len(shorts); i += 2 {
			start := cur + time.Duration(shorts[i])*30*time.Second
			dur := time.Duration(int(shorts[i+1])%6+1) * 30 * time.Second
			short = append(short, providers.SleepSegment{Stage: "wake", Start: t0.Add(start), Duration: dur})
			cur = start + dur
		}
		out := overlay(long, short)
		at, total := t0, time.Duration(0)
		for _, s := range out {
			if !s.Start.Equal(at) || s.Duration <= 0 {
				t.Fatalf("not contiguous at %v: %+v", at, out)
			}
			at = at.Add(s.Duration)
			total += s.Duration
		}
		if len(long) > 0 && total != span {
			t.Fatalf("overlay is %v long, the timeline %v", total, span)
		}
		for _, w := range short {
			for x := w.Start; x.Before(w.Start.Add(w.Duration)) && x.Before(t0.Add(span)); x = x.Add(30 * time.Second) {
				if st := stageAt(out, x); st != "wake" {
					t.Fatalf("%v is %q, inside a short wake", x, st)
				}
			}
		}
	})
}

func stageAt(segs []providers.SleepSegment, t time.Time) providers.SleepStage {
	for _, s := range segs {
		if !t.Before(s.Start) && t.Before(s.Start.Add(s.Duration)) {
			return s.Stage
		}
	}
	return ""
}

// FuzzRecordLimit: the fast path agrees with a byte-by-byte count.
func FuzzRecordLimit(f *testing.F) {
	f.Add([]byte(seedCSVHR), 8)
	f.Add([]byte("a,\"b\nc\"\"d\",e\nshort\n"), 6)
	f.Fuzz(func(t *testing.T, in []byte, max int) {
		if max < 1 || max > 64 {
			return
		}
		got, err := io.ReadAll(&recordLimit{r: iotest.HalfReader(bytes.NewReader(in)), max: max})
		long := false
		n, q := 0, false
		for _, c := range in {
			if c == '"' {
				q = !q
			}
			if c == '\n' && !q {
				n = 0
				continue
			}
			if n++; n > max {
				long = true
				break
			}
		}
		switch {
		case long && !errors.Is(err, errLongRecord):
			t.Fatalf("a record over %d bytes passed: %v", max, err)
		case !long && (err != nil || !bytes.Equal(got, in)):
			t.Fatalf("refused or changed a file of short records: %v", err)
		}
	})
}

func TestRecordLimit(t *testing.T) {
	for in, ok := range map[string]bool{
		"abcd\nefgh\n":         true,
		"abcde\n":              false,
		"ab\"\n\nc\"\nxy\n":    false, // newlines inside quotes do not end the record
		"a\"\"b\nc\n":          true,  // a doubled quote is not an open one
		strings.Repeat("x", 4): true,
	} {
		for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
			_, err := io.ReadAll(&recordLimit{r: r, max: 4})
			if ok != (err == nil) {
				t.Errorf("%q: %v", in, err)
			}
		}
	}
	_, err := io.ReadAll(&capped{r: strings.NewReader(strings.Repeat("x", 11)), left: 10, what: "the profile"})
	if err == nil || !strings.Contains(err.Error(), "the profile is larger than") {
		t.Errorf("capped: %v", err)
	}
	if b, err := io.ReadAll(&capped{r: strings.NewReader("0123456789"), left: 10, what: "x"}); err != nil || len(b) != 10 {
		t.Errorf("capped at exactly the limit: %q %v", b, err)
	}
}
