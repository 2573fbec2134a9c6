package misfit

import (
	"testing"
	"time"
)

// The decoders read whatever a server sends. These fuzz targets check
// they never panic and that what they accept is sane. Seeds: the
// reference's examples; `go test` runs them, `go test -fuzz=FuzzX`
// explores.

func FuzzDecodeProfileDevice(f *testing.F) {
	f.Add([]byte(`{"userId":"51a4189acf12e53f80000001","name":"Jane Doe","birthday":"1981-07-18","gender":"female","email":"jane@example.com"}`))
	f.Add([]byte(`{"id":"51a4189acf12e53f80000001","deviceType":"shine","serialNumber":"XXXXXV0011","firmwareVersion":"0.0.50r","batteryLevel":40,"lastSyncTime":1433690072}`))
	f.Add([]byte(`{"name":null,"lastSyncTime":"2015-06-07T15:14:32Z","batteryLevel":"101"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		decodeProfile(body)
		d, ok, err := decodeDevice(body)
		if err == nil && ok && (d.BatteryPercent < -1 || d.BatteryPercent > 100) {
			t.Fatalf("battery %d", d.BatteryPercent)
		}
	})
}

func FuzzDecodeGoalsSummaries(f *testing.F) {
	f.Add([]byte(`{"goals":[{"id":"51a4189acf12e53f81000001","date":"2014-10-05","points":500,"targetPoints":1000,"timeZoneOffset":-8}]}`))
	f.Add([]byte(`{"summary":[{"date":"2014-10-05","points":394.4,"steps":3650,"calories":1687.4735,"activityCalories":412.3124,"distance":1.18}]}`))
	f.Add([]byte(`{"id":"x","date":"2014-10-05","points":"5","timeZoneOffset":5.5}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if goals, err := decodeGoals(body); err == nil {
			for _, g := range goals {
				if g.Points < 0 || g.Offset > 14*time.Hour || g.Offset < -14*time.Hour {
					t.Fatalf("goal %+v", g)
				}
			}
		}
		if sums, err := decodeSummaries(body, kmPerMile); err == nil {
			for _, s := range sums {
				if s.Steps < 0 || s.DistanceKm < 0 || s.Calories < 0 {
					t.Fatalf("summary %+v", s)
				}
			}
		}
	})
}

func FuzzDecodeSessionsSleeps(f *testing.F) {
	f.Add([]byte(`{"sessions":[{"id":"552eab896c59ae1f7300003e","activityType":"Walking","startTime":"2015-04-13T11:46:00-07:00","duration":1140,"points":228.8,"steps":2026,"calories":96.8,"distance":0.9371}]}`))
	f.Add([]byte(`{"sleeps":[{"id":"54fa13a8440f705a7406844f","autoDetected":true,"startTime":"2015-02-23T21:40:59-05:00","duration":11580,"sleepDetails":[{"datetime":"2015-02-23T21:40:59-05:00","value":2},{"datetime":"2015-02-23T21:59:59-05:00","value":3}]}]}`))
	f.Add([]byte(`{"sleeps":[{"startTime":"2015-02-23T21:40:59Z","duration":0,"sleepDetails":[{"datetime":"2015-02-23T21:40:59Z","value":1}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if m, err := decodeSessions(body, kmPerMile); err == nil {
			for _, l := range m {
				for _, s := range l {
					if s.Duration < 0 || s.Duration > maxSpan || s.Steps < 0 {
						t.Fatalf("session %+v", s)
					}
				}
			}
		}
		m, err := decodeSleeps(body)
		if err != nil {
			return
		}
		for _, l := range m {
			for _, s := range l {
				var total time.Duration
				for i, seg := range s.Segments {
					if seg.Duration <= 0 || seg.Start.Before(s.Start) || i > 0 && seg.Stage == s.Segments[i-1].Stage {
						t.Fatalf("segment %d of %+v", i, s)
					}
					total += seg.Duration
				}
				if s.Asleep < 0 || s.Asleep > s.End.Sub(s.Start) || len(s.Segments) > 0 && total != s.End.Sub(s.Segments[0].Start) {
					t.Fatalf("sleep %+v", s)
				}
			}
		}
	})
}

func FuzzParseAPIError(f *testing.F) {
	f.Add(400, []byte(`{"error_message": "Invalid parameters"}`))
	f.Add(401, []byte(`{"code": 401, "message": "Invalid Access Token"}`))
	f.Add(404, []byte(`Cannot GET /move/resource/v1/user/me/profile/404/`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		ae := parseAPIError(status, body)
		if len(ae.Message) > 120 || ae.Code != 0 && (ae.Code < 100 || ae.Code > 599) {
			t.Fatalf("%+v", ae)
		}
		_ = ae.Error()
	})
}
