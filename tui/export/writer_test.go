package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// rows writes the same three rows with enc and returns what came out.
func encodeSample(t *testing.T, f Format) string {
	t.Helper()
	var buf bytes.Buffer
	enc := NewEncoder(f, &buf)
	ny := time.FixedZone("", -5*3600)
	cols := []string{"time", "date", "label", "n", "x", "ok", "unknown"}
	if err := enc.Begin(cols); err != nil {
		t.Fatal(err)
	}
	var r Row
	for i, label := range []string{"plain", `a "quoted", comma`, "line\nbreak é \x01"} {
		r.reset()
		r.Time(time.Date(2026, 1, 15, 7, 30, i, 0, time.UTC), ny)
		r.Date(2026, time.March, 5+i)
		r.String(label)
		r.Int(-i * 1000)
		r.Float(72.3349 + float64(i))
		r.Bool(i%2 == 0)
		r.Null()
		if err := enc.Row(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.End(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestCSVEncoder(t *testing.T) {
	out := encodeSample(t, CSV)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, out)
	}
	want := [][]string{
		{"time", "date", "label", "n", "x", "ok", "unknown"},
		{"2026-01-15T02:30:00-05:00", "2026-03-05", "plain", "0", "72.33", "true", ""},
		{"2026-01-15T02:30:01-05:00", "2026-03-06", `a "quoted", comma`, "-1000", "73.33", "false", ""},
		{"2026-01-15T02:30:02-05:00", "2026-03-07", "line\nbreak é \x01", "-2000", "74.33", "true", ""},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("got %q\nwant %q", recs, want)
	}
	if !strings.HasPrefix(out, "time,date,label,n,x,ok,unknown\n2026-01-15T02:30:00-05:00,2026-03-05,plain,0,72.33,true,\n") {
		t.Errorf("plain rows are quoted or spaced:\n%s", out)
	}
}

func TestJSONEncoder(t *testing.T) {
	out := encodeSample(t, JSON)
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	want := []map[string]any{
		{"time": "2026-01-15T02:30:00-05:00", "date": "2026-03-05", "label": "plain", "n": 0.0, "x": 72.33, "ok": true, "unknown": nil},
		{"time": "2026-01-15T02:30:01-05:00", "date": "2026-03-06", "label": `a "quoted", comma`, "n": -1000.0, "x": 73.33, "ok": false, "unknown": nil},
		{"time": "2026-01-15T02:30:02-05:00", "date": "2026-03-07", "label": "line\nbreak é \x01", "n": -2000.0, "x": 74.33, "ok": true, "unknown": nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	// Key order follows the columns (as the CSV header), one object a line.
	lines := strings.Split(out, "\n")
	if len(lines) != 6 || lines[0] != "[" || lines[4] != "]" || !strings.HasPrefix(lines[1], `  {"time":`) {
		t.Errorf("layout:\n%s", out)
	}
}

func TestEncodersEmptyAndMismatch(t *testing.T) {
	for _, f := range Formats() {
		var buf bytes.Buffer
		enc := NewEncoder(f, &buf)
		if err := enc.Begin([]string{"date", "steps"}); err != nil {
			t.Fatal(err)
		}
		var r Row
		r.Date(2026, 1, 1)
		if err := enc.Row(&r); err == nil {
			t.Errorf("%s: a row of 1 cell for 2 columns was accepted", f)
		}
		if err := enc.End(); err != nil {
			t.Fatal(err)
		}
		want := map[Format]string{CSV: "date,steps\n", JSON: "[]\n"}[f]
		if buf.String() != want {
			t.Errorf("%s: empty export %q, want %q", f, buf.String(), want)
		}
	}
}

func TestRowNumbers(t *testing.T) {
	var r Row
	r.Float(math.NaN())
	r.Float(-0.001)
	r.Float(1e6)
	r.IntOrNull(0)
	r.FloatOrNull(0)
	r.IntOrNull(7)
	want := []struct {
		text string
		k    kind
	}{{"", kNull}, {"0", kNumber}, {"1000000", kNumber}, {"", kNull}, {"", kNull}, {"7", kNumber}}
	for i, w := range want {
		b, k := r.text(i)
		if string(b) != w.text || k != w.k {
			t.Errorf("cell %d = %q (%d), want %q (%d)", i, b, k, w.text, w.k)
		}
	}
}

func TestParsers(t *testing.T) {
	if _, err := ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), "csv or json") {
		t.Errorf("ParseFormat(xml): %v", err)
	}
	if _, err := ParseMetric("hr"); err == nil || !strings.Contains(err.Error(), "heart, steps, sleep, weight or summary") {
		t.Errorf("ParseMetric(hr): %v", err)
	}
	for _, tc := range []struct {
		m    Metric
		in   string
		want Resolution
		err  string
	}{
		{Heart, "", Minute, ""}, {Steps, "", Quarter, ""}, {Sleep, "", Day, ""}, {Weight, "", Day, ""}, {Summary, "", Day, ""},
		{Heart, "1sec", Second, ""}, {Steps, "day", Day, ""}, {Sleep, "1min", Minute, ""},
		{Steps, "1sec", "", "steps cannot be exported at 1sec: steps are counted per minute at the finest"},
		{Sleep, "15min", "", "use day (one row per sleep) or 1min"},
		{Weight, "1min", "", "weight cannot be exported at 1min: it is one value per day"},
		{Heart, "5min", "", `"5min" is not a resolution: use 1sec, 1min, 15min or day`},
	} {
		got, err := ParseResolution(tc.m, tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("%s %q: %v %v, want %v", tc.m, tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s %q: error %v, want %q", tc.m, tc.in, err, tc.err)
		}
	}
	// Every metric's resolutions have columns led by a date or a time;
	// workouts' are the keys of a workout in `fittui today --json`
	// (tui/cli holds them to that).
	for _, m := range Metrics() {
		for _, r := range m.Resolutions() {
			c := Columns(m, r)
			if m == Workouts {
				if strings.Join(c, ",") != "type,name,start,end,active_minutes,distance_km,steps,calories,avg_heart_rate,zone_minutes" {
					t.Errorf("workouts columns %v", c)
				}
				continue
			}
			if c[0] != "date" && c[0] != "time" {
				t.Errorf("%s %s columns %v", m, r, c)
			}
		}
	}
	for _, tc := range []struct {
		m    Metric
		in   string
		want Resolution
		err  string
	}{
		{HRV, "", Day, ""}, {Zones, "", Day, ""}, {Zones, "1min", Minute, ""}, {Workouts, "", Day, ""},
		{Zones, "15min", "", "use day (the day's zone minutes) or 1min"},
		{Workouts, "1min", "", "it is one row per workout"},
		{SpO2, "1min", "", "spo2 cannot be exported at 1min: it is one value per day"},
	} {
		got, err := ParseResolution(tc.m, tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("%s %q: %v %v, want %v", tc.m, tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s %q: error %v, want %q", tc.m, tc.in, err, tc.err)
		}
	}
	if _, err := ParseMetric("hr"); err == nil || !strings.Contains(err.Error(), "hrv, spo2, breathing, temperature, vo2max, zones or workouts") {
		t.Errorf("ParseMetric(hr) does not list the health metrics: %v", err)
	}
}
