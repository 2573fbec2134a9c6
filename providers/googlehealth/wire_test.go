package googlehealth

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/providertest"
)

func TestDataTypeSpellings(t *testing.T) {
	cases := []struct {
		dt                 dataType
		path, filter, json string
	}{
		{dtRestingHR, "daily-resting-heart-rate", "daily_resting_heart_rate", "dailyRestingHeartRate"},
		{dtTotalCalories, "total-calories", "total_calories", "totalCalories"},
		{dtSteps, "steps", "steps", "steps"},
		{dtBodyFat, "body-fat", "body_fat", "bodyFat"},
	}
	for _, c := range cases {
		if c.dt.path() != c.path || c.dt.filter() != c.filter || c.dt.json() != c.json {
			t.Errorf("%s: %s %s %s", c.dt.id, c.dt.path(), c.dt.filter(), c.dt.json())
		}
		for _, s := range []string{c.path, c.filter, c.json} {
			if canon(s) != canon(c.dt.id) {
				t.Errorf("canon(%q) = %q", s, canon(s))
			}
		}
	}
}

// A data point's member is found under any of the three spellings.
func TestMemberUnderAnySpelling(t *testing.T) {
	for _, key := range []string{"dailyRestingHeartRate", "daily_resting_heart_rate", "daily-resting-heart-rate"} {
		body := `{"dataPoints":[{"name":"users/me/dataTypes/daily-resting-heart-rate/dataPoints/1","` + key +
			`":{"date":{"year":2026,"month":11,"day":20},"beatsPerMinute":"58"}}]}`
		var pg page
		if err := json.Unmarshal([]byte(body), &pg); err != nil {
			t.Fatal(err)
		}
		day, bpm, ok, err := convertRestingHR(&pg.points()[0])
		if err != nil || !ok || bpm != 58 || day != (providers.Date{Year: 2026, Month: 11, Day: 20}) {
			t.Errorf("%s: %v %d %v %v", key, day, bpm, ok, err)
		}
	}
	// Another type's member is not this one.
	var p point
	json.Unmarshal([]byte(`{"heartRate":{"beatsPerMinute":"60"}}`), &p)
	if _, _, ok, _ := convertRestingHR(&p); ok {
		t.Error("heartRate read as daily resting heart rate")
	}
}

func TestScalars(t *testing.T) {
	// Integers and doubles are package wire's (its TestInt, TestNumber).
	durs := map[string]time.Duration{`"3600s"`: time.Hour, `"-18000s"`: -5 * time.Hour, `"3.5s"`: 3500 * time.Millisecond, `"0s"`: 0}
	for in, want := range durs {
		var d wireDuration
		if err := json.Unmarshal([]byte(in), &d); err != nil || time.Duration(d) != want {
			t.Errorf("duration %s = %v, %v", in, time.Duration(d), err)
		}
	}
	for _, bad := range []string{`"3600"`, `3600`, `"1h"`, `"99999999999s"`, `"s"`} {
		var d wireDuration
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("duration %s accepted", bad)
		}
	}
	var ts wireTime
	if err := json.Unmarshal([]byte(`"2026-11-20T07:31:05.25Z"`), &ts); err != nil || ts.Nanosecond() != 250e6 {
		t.Errorf("timestamp %v, %v", ts, err)
	}
	for _, bad := range []string{`"2026-11-20 07:31:05"`, `1732087865`, `"yesterday"`} {
		if err := json.Unmarshal([]byte(bad), &ts); err == nil {
			t.Errorf("timestamp %s accepted", bad)
		}
	}
	if formatDuration(time.Minute) != "60s" || formatDuration(1500*time.Millisecond) != "1.5s" {
		t.Error("formatDuration")
	}
}

func TestCivilDateChecks(t *testing.T) {
	for _, bad := range []civilDate{{2026, 2, 31}, {2026, 13, 1}, {0, 1, 1}, {2026, 1, 0}} {
		if _, err := bad.date(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	var nilDate *civilDate
	if _, err := nilDate.date(); err == nil {
		t.Error("nil date accepted")
	}
}

// Times keep the offset the device recorded: the account's zone when it
// agrees, else a fixed zone (a sample taken while travelling).
func TestLocalKeepsOffsets(t *testing.T) {
	ny := providertest.Zone("America/New_York")
	utc := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	home := wireDuration(-5 * time.Hour)
	away := wireDuration(time.Hour)
	if got := local(utc, &home, ny); got.Location() != ny || got.Hour() != 7 {
		t.Errorf("home: %v", got)
	}
	got := local(utc, &away, ny)
	if _, off := got.Zone(); off != 3600 || got.Hour() != 13 || !got.Equal(utc) {
		t.Errorf("away: %v", got)
	}
	if got := local(utc, nil, ny); got.Location() != ny {
		t.Errorf("no offset: %v", got)
	}
}

func TestSleepConversion(t *testing.T) {
	ny := providertest.Zone("America/New_York")
	body := `{"sleep":{"type":"STAGES","interval":{"startTime":"2026-11-20T03:00:00Z","endTime":"2026-11-20T03:30:00Z",
	"startUtcOffset":"-18000s","endUtcOffset":"-18000s","civilEndTime":{"date":{"year":2026,"month":11,"day":19},"time":{"hours":22,"minutes":30}}},
	"stages":[{"type":"AWAKE","startTime":"2026-11-20T03:20:00Z","endTime":"2026-11-20T03:30:00Z"},
	          {"type":"DEEP","startTime":"2026-11-20T03:00:00Z","endTime":"2026-11-20T03:20:00Z"},
	          {"type":"SLEEP_STAGE_TYPE_UNSPECIFIED","startTime":"2026-11-20T03:00:00Z","endTime":"2026-11-20T03:20:00Z"}],
	"metadata":{"mainSleep":true}}}`
	var p point
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	s, ok, err := convertSleep(&p, ny)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	// No summary: asleep is counted from the stages; stages sorted; the
	// civil end date names the day.
	if s.Asleep != 20*time.Minute || len(s.Segments) != 2 || s.Segments[0].Stage != providers.StageDeep ||
		s.Segments[1].Stage != providers.StageWake || !s.Main || s.Classic || s.Date != (providers.Date{Year: 2026, Month: 11, Day: 19}) {
		t.Fatalf("%+v", s)
	}
	classic := strings.Replace(body, `"STAGES"`, `"CLASSIC"`, 1)
	json.Unmarshal([]byte(classic), &p)
	s, _, _ = convertSleep(&p, ny)
	if !s.Classic || s.Segments[1].Stage != providers.StageAwake {
		t.Fatalf("classic: %+v", s)
	}
	bad := strings.Replace(body, `"startTime":"2026-11-20T03:00:00Z","endTime":"2026-11-20T03:30:00Z"`, `"startTime":"2026-11-20T04:00:00Z","endTime":"2026-11-20T03:30:00Z"`, 1)
	json.Unmarshal([]byte(bad), &p)
	if _, _, err := convertSleep(&p, ny); err == nil {
		t.Fatal("a sleep ending before it starts was accepted")
	}
}

func TestDailyConversion(t *testing.T) {
	cases := []struct {
		dt   dataType
		body string
		want dailyValue
	}{
		{dtSteps, `{"steps":{"countSum":"9412"}}`, dailyValue{steps: 9412}},
		{dtSteps, `{"steps":{}}`, dailyValue{}},
		{dtDistance, `{"distance":{"millimetersSum":"6834000"}}`, dailyValue{distanceKm: 6.834}},
		{dtFloors, `{"floors":{"countSum":"9"}}`, dailyValue{floors: 9}},
		{dtTotalCalories, `{"totalCalories":{"kcalSum":2315.6}}`, dailyValue{kcal: 2315.6}},
		{dtActiveMinutes, `{"activeMinutes":{"activeMinutesRollupByActivityLevel":[{"activityLevel":"LIGHT","activeMinutesSum":"180"},{"activityLevel":"MODERATE","activeMinutesSum":"22"},{"activityLevel":"VIGOROUS","activeMinutesSum":"15"}]}}`, dailyValue{activeMin: 37}},
		{dtWeight, `{"weight":{"weightGramsAvg":72350.0}}`, dailyValue{weightKg: 72.35}},
		{dtBodyFat, `{"body_fat":{"bodyFatPercentageAvg":18.2}}`, dailyValue{bodyFat: 18.2}},
	}
	for _, c := range cases {
		var p point
		if err := json.Unmarshal([]byte(c.body), &p); err != nil {
			t.Fatal(err)
		}
		got, present, err := convertDaily(&p, c.dt)
		if err != nil || !present || got != c.want {
			t.Errorf("%s: %+v %v %v", c.body, got, present, err)
		}
	}
	var p point
	json.Unmarshal([]byte(`{"steps":{"countSum":"-5"}}`), &p)
	if _, _, err := convertDaily(&p, dtSteps); err == nil {
		t.Error("negative steps accepted")
	}
}

func TestParseAPIError(t *testing.T) {
	body := `{"error":{"code":403,"message":"Request had insufficient authentication scopes.","status":"PERMISSION_DENIED",
	"details":[{"@type":"type.googleapis.com/google.rpc.Help","links":[]},
	{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT","domain":"googleapis.com",
	 "metadata":{"service":"health.googleapis.com","required_scope":"https://www.googleapis.com/auth/googlehealth.sleep.readonly"}}]}}`
	e, ok := parseAPIError(403, []byte(body))
	if !ok || e.Code != 403 || e.Status != "PERMISSION_DENIED" || e.Reason != "ACCESS_TOKEN_SCOPE_INSUFFICIENT" ||
		len(e.Details) != 2 || e.scopeFrom() != ScopeSleep {
		t.Fatalf("%+v", e)
	}
	if !strings.Contains(e.Error(), "HTTP 403 PERMISSION_DENIED (ACCESS_TOKEN_SCOPE_INSUFFICIENT)") {
		t.Fatalf("%q", e.Error())
	}
	for _, bad := range []string{``, `<html>`, `{"error":"invalid_token"}`, `{"errors":[{}]}`, `[]`} {
		if _, ok := parseAPIError(400, []byte(bad)); ok {
			t.Errorf("%q read as a Google error", bad)
		}
	}
	long := `{"error":{"code":400,"message":"` + strings.Repeat("x", 5000) + `"}}`
	e, _ = parseAPIError(400, []byte(long))
	if len(e.Error()) > 400 {
		t.Fatalf("error text of %d bytes", len(e.Error()))
	}
}

func TestBlocks(t *testing.T) {
	today := providers.Date{Year: 2026, Month: 11, Day: 20}
	bs := blocksFor(today, today.AddDays(-30), today)
	if len(bs) != 1 || bs[0] != (block{today.AddDays(-30), today}) {
		t.Fatalf("%v", bs)
	}
	bs = blocksFor(today, today.AddDays(-31), today.AddDays(5))
	if len(bs) != 2 || bs[1] != (block{today.AddDays(-120), today.AddDays(-31)}) {
		t.Fatalf("%v", bs)
	}
	// A year: the recent block and five older ones, each within 90 days.
	bs = blocksFor(today, today.AddDays(-364), today)
	covered := 0
	for _, b := range bs {
		n := b.lo.DaysUntil(b.hi) + 1
		if n > 90 {
			t.Fatalf("block %v of %d days", b, n)
		}
		covered += n
	}
	if len(bs) != 5 || covered < 365 {
		t.Fatalf("%d blocks covering %d days", len(bs), covered)
	}
	if bs := blocksFor(today, today.AddDays(1), today.AddDays(3)); len(bs) != 0 {
		t.Fatalf("future blocks %v", bs)
	}
}

func TestDeviceConversion(t *testing.T) {
	ny := providertest.Zone("America/New_York")
	lvl := wireInt(80)
	sync := wireTime{time.Date(2026, 11, 20, 7, 45, 12, 0, time.UTC)}
	d := convertDevice(pairedDevice{Name: "users/me/pairedDevices/123", DeviceType: "TRACKER", DeviceVersion: "Charge 6",
		BatteryLevel: &lvl, BatteryStatus: "HIGH", LastSyncTime: &sync}, ny)
	if d.ID != "123" || d.Name != "Charge 6" || d.Kind != "tracker" || d.BatteryPercent != 80 || d.BatteryLevel != "High" ||
		!d.LastSync.Equal(sync.Time) || d.LastSync.Location() != ny {
		t.Fatalf("%+v", d)
	}
	d = convertDevice(pairedDevice{DeviceType: "SCALE", BatteryStatus: "Empty"}, ny)
	if d.Kind != "scale" || d.BatteryPercent != 0 || !d.BatteryLow() || d.Name == "" {
		t.Fatalf("%+v", d)
	}
	d = convertDevice(pairedDevice{}, ny)
	if d.BatteryPercent != -1 || !d.LastSync.IsZero() {
		t.Fatalf("%+v", d)
	}
}
