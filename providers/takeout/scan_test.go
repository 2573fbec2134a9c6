package takeout

import (
	"github.com/fittui/fittui/providers/providertest"
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseTimeFormats(t *testing.T) {
	ny := providertest.Zone("America/New_York")
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{`"03/05/24 14:00:00"`, time.Date(2024, 3, 5, 14, 0, 0, 0, ny)}, // two-digit year, local, no zone
		{"03/05/2024 14:00:00", time.Date(2024, 3, 5, 14, 0, 0, 0, ny)},
		{"12/31/99 23:59:59", time.Date(2099, 12, 31, 23, 59, 59, 0, ny)}, // YY is 20YY
		{"03/05/24", time.Date(2024, 3, 5, 0, 0, 0, 0, ny)},
		{"2024-02-22T07:41:30.000", time.Date(2024, 2, 22, 7, 41, 30, 0, ny)},
		{"2024-02-22T07:41:30", time.Date(2024, 2, 22, 7, 41, 30, 0, ny)},
		{"2024-02-22T12:41:30Z", time.Date(2024, 2, 22, 7, 41, 30, 0, ny)}, // UTC (Google data CSVs)
		{"2024-02-22T12:41:30.000+00:00", time.Date(2024, 2, 22, 7, 41, 30, 0, ny)},
		{"2024-02-22", time.Date(2024, 2, 22, 0, 0, 0, 0, ny)},
		{"2024-05-01T09:07", time.Date(2024, 5, 1, 9, 7, 0, 0, ny)}, // the AZM folder: minutes, no seconds
	} {
		got, ok := parseTime([]byte(c.in), ny)
		if !ok || !got.Equal(c.want) || got.Location() != ny {
			t.Errorf("parseTime(%s) = %v %v, want %v", c.in, got, ok, c.want)
		}
	}
	for _, bad := range []string{"", "13/05/24 14:00:00", "03/05/24 25:00:00", "03/05/245 14:00:00", "yesterday", "03-05-24 14:00:00", "1/5/24 14:00:00"} {
		if got, ok := parseTime([]byte(bad), ny); ok {
			t.Errorf("parseTime(%q) = %v, want failure", bad, got)
		}
	}
}

func TestNumbersAsStrings(t *testing.T) {
	for in, want := range map[string]float64{`120`: 120, `"120"`: 120, `"64.2"`: 64.2, `" 7 "`: 7, `0`: 0, `56.4`: 56.4, `1e2`: 100} {
		if got, ok := number([]byte(in)); !ok || got != want {
			t.Errorf("number(%s) = %v %v, want %v", in, got, ok, want)
		}
	}
	for _, bad := range []string{`""`, `null`, `"abc"`, `{}`, `"1,5"`} {
		if got, ok := number([]byte(bad)); ok {
			t.Errorf("number(%s) = %v, want failure", bad, got)
		}
	}
}

func TestHeartRateWithConfidenceAndOddRecords(t *testing.T) {
	in := `[ {"dateTime":"02/22/24 06:00:02","value":{"bpm":80,"confidence":3}},
	  {"dateTime" : "02/22/24 06:00:17", "value" : { "confidence" : 0, "bpm" : "81" } },
	  {"dateTime":"02/22/24 06:00:30","value":{"confidence":2}},
	  {"dateTime":"02/22/24 06:00:45","value":"x"},
	  {"dateTime":"02/22/24 06:00:59","value":{"bpm":79,"confidence":1},"extra":[1,{"a":"]}"}]} ]`
	var b batch
	if err := readJSONSeries(strings.NewReader(in), 1, localClock(time.UTC), &b); err != nil {
		t.Fatal(err)
	}
	if len(b.points) != 3 || b.bad != 2 || b.points[1].v != 81 || b.points[2].v != 79 || b.points[2].t.Second() != 59 {
		t.Errorf("points %+v bad %d", b.points, b.bad)
	}
}

func TestArrayReaderDamage(t *testing.T) {
	for in, want := range map[string]string{
		``:                          "empty",
		`{"a":1}`:                   "expected a list",
		`[{"a":1}`:                  "truncated",
		`[{"a":1},`:                 "truncated",
		`[{"a":"x}]`:                "truncated",
		`[{"a":1} {"b":2}]`:         "expected , or ]",
		`[{"a":1}] trailing`:        "after the end",
		`[{"dateTime":"x" "v":1}]`:  "not a valid JSON object",
		`[{"dateTime":"x","v":1,}]`: "not a valid JSON object",
	} {
		var b batch
		err := readJSONSeries(strings.NewReader(in), 1, localClock(time.UTC), &b)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", in, err, want)
		}
	}
	ar := newArrayReader(strings.NewReader(" [ ] \n"))
	if _, err := ar.next(); err != io.EOF {
		t.Errorf("empty list: %v", err)
	}
}

func TestUnits(t *testing.T) {
	for in, want := range map[string]string{"METRIC": "kg", "en_US": "lb", "POUND": "lb", "en_GB": "stone", "STONE": "stone", "": ""} {
		if got := weightUnit(in); got != want {
			t.Errorf("weightUnit(%q) = %q, want %q", in, got, want)
		}
	}
	u := units{weight: "lb", distance: "mi"}
	if kg := u.kg(200); kg < 90.71 || kg > 90.72 {
		t.Errorf("200 lb = %v kg", kg)
	}
	if km := u.km(1); km != 1.609344 {
		t.Errorf("1 mi = %v km", km)
	}
}

// One sleep log with an odd value is left out, the others kept; ids and
// minutes may come as strings.
func TestSleepLogsOneOddRecord(t *testing.T) {
	in := `[{"logId":"44632289206","dateOfSleep":"2024-02-22","startTime":"2024-02-21T23:41:30.000","endTime":"2024-02-22T07:59:30.000","minutesAsleep":"452","mainSleep":true,"type":"stages","levels":{"data":[{"dateTime":"2024-02-21T23:41:30.000","level":"light","seconds":29880}]}},
	{"logId":2,"dateOfSleep":"2024-02-23","startTime":"2024-02-22T23:00:00.000","endTime":"2024-02-23T07:00:00.000","minutesAsleep":{"x":1}},
	{"logId":3,"dateOfSleep":"2024-02-24","startTime":"2024-02-23T23:00:00.000","endTime":"2024-02-24T07:00:00.000","minutesAsleep":400}]`
	var b batch
	if err := readJSONSleep(strings.NewReader(in), time.UTC, &b); err != nil {
		t.Fatal(err)
	}
	if len(b.sleeps) != 2 || b.bad != 1 || b.sleeps[0].LogID != 44632289206 || b.sleeps[0].Session.Asleep != 452*time.Minute ||
		b.sleeps[1].Session.Asleep != 400*time.Minute {
		t.Errorf("sleeps %+v bad %d", b.sleeps, b.bad)
	}
}
