package googlehealth

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/providertest"
)

// The seed corpus is in testdata/fuzz/<Name>: real answers of the fake
// plus hand-made oddities. `go test` runs the seeds; fuzz with
// `go test -fuzz=FuzzPage -fuzztime=30s ./providers/googlehealth`.

var fuzzLoc = providertest.Zone("Europe/Berlin")

// FuzzPage decodes a list/rollUp/dailyRollUp page and runs every converter
// on every point: errors are fine, panics and impossible values are not.
func FuzzPage(f *testing.F) {
	f.Add([]byte(`{"dataPoints":[{"steps":{"count":"87","interval":{"startTime":"2026-11-20T07:31:00Z","endTime":"2026-11-20T07:32:00Z","startUtcOffset":"3600s"}}}],"nextPageToken":"x"}`))
	f.Add([]byte(`{"rollupDataPoints":[{"startTime":"2026-11-20T23:59:00Z","endTime":"2026-11-21T00:00:00Z","heartRate":{"beatsPerMinuteAvg":61.4}}]}`))
	f.Add([]byte(`{"rollupDataPoints":[{"civilStartTime":{"date":{"year":2026,"month":11,"day":20},"time":{}},"steps":{}}]}`))
	f.Add([]byte(`{"dataPoints":[null,1,"x",{"sleep":{"stages":[{}]}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var pg page
		if err := json.Unmarshal(body, &pg); err != nil {
			return
		}
		for i := range pg.points() {
			p := &pg.points()[i]
			if s, ok, err := convertSleep(p, fuzzLoc); err == nil && ok {
				if s.End.Before(s.Start) || s.Asleep < 0 || s.Asleep > 24*time.Hour {
					t.Fatalf("impossible sleep %+v", s)
				}
				for _, seg := range s.Segments {
					if seg.Duration < 0 || seg.Stage == "" {
						t.Fatalf("impossible segment %+v", seg)
					}
				}
			}
			if _, bpm, ok, err := convertRestingHR(p); err == nil && ok && (bpm < 0 || bpm > 300) {
				t.Fatalf("resting heart rate %d", bpm)
			}
			for _, conv := range []func(*point, *time.Location) (providers.Sample, bool, error){convertHeartRate, convertWeight, convertBodyFat} {
				if s, ok, err := conv(p, fuzzLoc); err == nil && ok && (s.Time.IsZero() || s.Value < 0) {
					t.Fatalf("impossible sample %+v", s)
				}
			}
			for _, dt := range []dataType{dtSteps, dtDistance, dtFloors, dtTotalCalories, dtActiveMinutes, dtWeight, dtBodyFat} {
				if v, _, err := convertDaily(p, dt); err == nil && (v.steps < 0 || v.floors < 0 || v.activeMin < 0 || v.distanceKm < 0 || v.kcal < 0 || v.weightKg < 0 || v.bodyFat < 0) {
					t.Fatalf("negative daily value %+v", v)
				}
			}
			if w, _, err := convertHeartRateWindow(p); err == nil && (w.mean < 0 || w.mean > 300 || w.min > w.mean || w.max < w.mean) {
				t.Fatalf("window bpm %+v", w)
			}
			if s, e, err := p.window(fuzzLoc); err == nil && !e.After(s) {
				t.Fatalf("window %v..%v", s, e)
			}
			p.day()
		}
	})
}

// FuzzUserResources decodes settings, profile and device answers.
func FuzzUserResources(f *testing.F) {
	f.Add([]byte(`{"timeZone":"Europe/Berlin","utcOffset":"3600s","distanceUnit":"DISTANCE_UNIT_KILOMETERS"}`))
	f.Add([]byte(`{"age":38,"membershipStartDate":{"year":2016,"month":3,"day":1}}`))
	f.Add([]byte(`{"pairedDevices":[{"name":"users/me/pairedDevices/1","batteryLevel":80,"batteryStatus":"x","lastSyncTime":"2026-11-20T07:45:12Z"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var st settingsResponse
		if json.Unmarshal(body, &st) == nil {
			if loc, err := locationOf(&st); err == nil && loc == nil {
				t.Fatal("nil location without error")
			}
		}
		var pr profileResponse
		if json.Unmarshal(body, &pr) == nil && pr.MembershipStartDate != nil {
			pr.MembershipStartDate.date()
		}
		var dr devicesResponse
		if json.Unmarshal(body, &dr) == nil {
			for _, d := range dr.PairedDevices {
				dev := convertDevice(d, fuzzLoc)
				if dev.BatteryPercent < -1 || dev.BatteryPercent > 100 {
					t.Fatalf("battery %d", dev.BatteryPercent)
				}
			}
		}
	})
}

// FuzzAPIError reads error bodies.
func FuzzAPIError(f *testing.F) {
	f.Add(400, []byte(`{"error":{"code":400,"message":"m","status":"FAILED_PRECONDITION","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCOUNT_NOT_LINKED"}]}}`))
	f.Add(429, []byte(`{"error":{"code":"429","details":[1,{"@type":7}]}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e, ok := parseAPIError(status, body)
		if !ok {
			return
		}
		if len(e.Error()) > 1000 {
			t.Fatalf("error text of %d bytes", len(e.Error()))
		}
		e.scopeFrom()
	})
}
