package jawbone

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/providertest"
)

func TestZoneSpellings(t *testing.T) {
	ny := providertest.Zone("America/New_York")
	at := time.Date(2015, 8, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		raw    string
		offset int // at `at`; -1: account zone
		named  bool
	}{
		{`"America/Denver"`, -6 * 3600, true},
		{`-21600`, -6 * 3600, false},
		{`"-21600"`, -6 * 3600, false},
		{`19800`, 5*3600 + 1800, false},
		{`"GMT-0600"`, -6 * 3600, false},
		{`"GMT+05:30"`, 5*3600 + 1800, false},
		{`"UTC"`, 0, false}, // read as an offset
		{`null`, -1, false},
		{`""`, -1, false},
		{`"Not/AZone"`, -1, false},
	} {
		var z zone
		if err := json.Unmarshal([]byte(c.raw), &z); err != nil {
			t.Fatalf("%s: %v", c.raw, err)
		}
		loc := ny
		if l, ok := z.location(); ok {
			loc = l
		} else if c.offset != -1 {
			t.Fatalf("%s: not a zone", c.raw)
		}
		_, off := at.In(loc).Zone()
		want := c.offset
		if want == -1 {
			_, want = at.In(ny).Zone()
		}
		if off != want || z.named() != c.named {
			t.Errorf("%s: offset %d named %v", c.raw, off, z.named())
		}
	}
	for _, bad := range []string{`99999999`, `1.5`, `true`, `[1]`} {
		var z zone
		if json.Unmarshal([]byte(bad), &z) == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestDateInts(t *testing.T) {
	for raw, want := range map[string]string{`20131121`: "2013-11-21", `"20150810"`: "2015-08-10"} {
		var n num
		json.Unmarshal([]byte(raw), &n)
		d, err := parseDate(n)
		if err != nil || d.String() != want {
			t.Errorf("%s: %v %v", raw, d, err)
		}
	}
	for _, bad := range []float64{20131131, 20131300, 2013112, 20131121.5, 0} {
		if _, err := parseDate(num(bad)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if DateInt(providers.Date{Year: 2013, Month: 11, Day: 1}) != "20131101" {
		t.Error("DateInt")
	}
}

// The reference's moves fixture: a travel day whose tzs switch from a
// name to an offset, hourly keys placed in the zone in effect.
func TestMoveTravelDay(t *testing.T) {
	raw := []byte(`{"xid":"Q","type":"move","date":20150810,"time_created":1439190000,"time_updated":1439867504,
	 "details":{"steps":400,"distance":170.0,"calories":13.28,"bmr":1968.47,"bmr_day":1968.47,"active_time":101,
	  "tz":null,"tzs":[[1439190000,"America/New_York"],[1439226000,-25200]],
	  "hourly_totals":{"2015081009":{"steps":150},"2015081011":{"steps":250}}}}`)
	m, err := decodeMove(raw, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	// 09:00 New York (EDT) = 13:00Z, before the 17:00Z change; 11:00 at
	// UTC-7 = 18:00Z, after it.
	if len(m.Hourly) != 2 || !m.Hourly[0].Time.Equal(time.Date(2015, 8, 10, 13, 0, 0, 0, time.UTC)) ||
		!m.Hourly[1].Time.Equal(time.Date(2015, 8, 10, 18, 0, 0, 0, time.UTC)) {
		t.Fatalf("hourly %v", m.Hourly)
	}
	if _, off := m.Hourly[1].Time.Zone(); off != -7*3600 {
		t.Fatalf("offset %d", off)
	}
	// The day's zone is the last transition; distance in metres only.
	if m.Zone.String() != "GMT-0700" || m.ZoneNamed || m.DistanceKm != 0.17 || m.Calories != 1982 || m.ActiveMinutes != 2 {
		t.Fatalf("%+v", m)
	}
}

func TestSleepFixture(t *testing.T) {
	raw := []byte(`{"xid":"S","title":"for 7h 45m","sub_type":0,"date":20150804,"time_created":1438657500,
	 "time_updated":1438690256,"time_completed":1438686900,
	 "details":{"asleep_time":1438657500,"awake_time":1438686900,"duration":29400,"light":14400,"sound":13500,
	  "rem":0,"awake":1500,"tz":"America/New_York"}}`)
	s, err := decodeSleep(raw, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	// It began the evening before its date (23:05 EDT on the 3rd).
	if s.Date.String() != "2015-08-04" || s.Start.Format("2006-01-02 15:04 MST") != "2015-08-03 23:05 EDT" ||
		s.Asleep != 27900*time.Second || !s.Main || s.End.Sub(s.Start) != 29400*time.Second {
		t.Fatalf("%+v", s)
	}
	// v1.0 spelled sound "deep".
	raw10 := []byte(`{"xid":"S","date":20131121,"time_created":1385023259,"time_completed":1385051159,
	 "details":{"light":8340,"deep":16044,"awake":3516,"duration":27900,"tz":"America/Los_Angeles"}}`)
	s, err = decodeSleep(raw10, time.UTC)
	if err != nil || s.Sound != 16044*time.Second || s.Asleep != (8340+16044)*time.Second {
		t.Fatalf("%+v %v", s, err)
	}
	ticks := []json.RawMessage{
		[]byte(`{"depth":1,"time":1438657500}`), []byte(`{"depth":2,"time":1438658100}`),
		[]byte(`{"depth":2,"time":1438659000}`), []byte(`{"depth":9,"time":1438660000}`),
		[]byte(`{"depth":3,"time":1438661000}`), []byte(`{"depth":4,"time":1438690000}`),
	}
	segs, err := decodeTicks(ticks, s.SleepSession)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 0 { // the v1.0 sleep has another time span: every tick is outside it
		t.Fatalf("%v", segs)
	}
	s, _ = decodeSleep(raw, time.UTC)
	segs, _ = decodeTicks(ticks, s.SleepSession)
	// wake 10 min, light (two ticks merged) until the unknown depth, deep
	// until the end (the REM tick is after it).
	want := []struct {
		st  providers.SleepStage
		dur time.Duration
	}{{providers.StageWake, 600 * time.Second}, {providers.StageLight, 1900 * time.Second}, {providers.StageDeep, 25900 * time.Second}}
	if len(segs) != len(want) {
		t.Fatalf("%v", segs)
	}
	for i, w := range want {
		if segs[i].Stage != w.st || segs[i].Duration != w.dur {
			t.Fatalf("segment %d: %+v", i, segs[i])
		}
	}
}

func TestBodyAndHeartFixtures(t *testing.T) {
	b, ok, err := decodeBody([]byte(`{"xid":"J","type":"body","title":null,"date":20151004,"time_created":1444009961,
	 "weight":64,"body_fat":10.5,"lean_mass":null,"bmi":null,"place_lat":null,"details":{"tz":"GMT-0600"}}`), time.UTC)
	if err != nil || !ok || b.WeightKg != 64 || b.FatPercent != 10.5 || b.Time.Location().String() != "GMT-0600" {
		t.Fatalf("%+v %v %v", b, ok, err)
	}
	_, ok, err = decodeBody([]byte(`{"xid":"J","date":20151004,"time_created":1444009961,"weight":null,"body_fat":10.5,"details":{"tz":null}}`), time.UTC)
	if ok || err != nil {
		t.Fatalf("fat-only event: %v %v", ok, err)
	}
	h, ok, err := decodeHeartRate([]byte(`{"xid":"40F7","date":20141210,"time_created":1384963500,
	 "place_lat":"37.451572","place_lon":"-122.184435","place_acc":10,"resting_heartrate":55,"details":{"tz":"America/Los_Angeles"}}`), time.UTC)
	if err != nil || !ok || h.BPM != 55 || h.Date.String() != "2014-12-10" || h.Time.Location().String() != "America/Los_Angeles" {
		t.Fatalf("%+v %v %v", h, ok, err)
	}
	// time_* in nanoseconds (as one client's notes claimed) is refused.
	if _, _, err := decodeHeartRate([]byte(`{"date":20141210,"time_created":1384963500000000000,"resting_heartrate":55}`), time.UTC); err == nil {
		t.Fatal("nanoseconds accepted")
	}
}
