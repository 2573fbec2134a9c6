package fitbit

import (
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
	"github.com/fittui/fittui/providers/providertest"
)

// The decoders read whatever a server sends. These fuzz targets check
// they never panic and that what they accept is sane. Seeds: the
// reference's examples (below) and real fake answers under
// testdata/fuzz/<target>/; `go test` runs all seeds, `go test
// -fuzz=FuzzX` explores.

var fuzzLoc = providertest.Zone("America/New_York")

var fuzzDay = providers.Date{Year: 2024, Month: time.March, Day: 5}

func FuzzDecodeProfile(f *testing.F) {
	f.Add([]byte(`{"user":{"encodedId":"GGNJL9","displayName":"First L.","fullName":"First Last","timezone":"America/Los_Angeles","offsetFromUTCMillis":-28800000}}`))
	f.Add([]byte(`{"user":{"timezone":"Nowhere/City","offsetFromUTCMillis":"32400000"}}`))
	f.Add([]byte(`{"user":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, loc, err := decodeProfile(body)
		if err == nil && loc == nil {
			t.Fatal("nil location without an error")
		}
	})
}

func FuzzDecodeDevices(f *testing.F) {
	f.Add([]byte(`[{"battery":"Medium","batteryLevel":60,"deviceVersion":"Charge 2","features":[],"id":"816713257","lastSyncTime":"2019-11-07T12:00:58.000","mac":"16ADD56D54GD","type":"TRACKER"}]`))
	f.Add([]byte(`[{"battery":"High","id":123,"type":"SCALE"}]`))
	f.Add([]byte(`[{"batteryLevel":"101"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		devs, err := decodeDevices(body, fuzzLoc)
		if err != nil {
			return
		}
		for _, d := range devs {
			if d.BatteryPercent < -1 || d.BatteryPercent > 100 {
				t.Fatalf("battery %d", d.BatteryPercent)
			}
		}
	})
}

func FuzzDecodeSummary(f *testing.F) {
	f.Add([]byte(`{"goals":{"activeMinutes":30,"caloriesOut":2500,"distance":8.05,"floors":10,"steps":10000},"summary":{"caloriesOut":2533,"distances":[{"activity":"total","distance":7.25}],"floors":7,"steps":10432,"restingHeartRate":61,"fairlyActiveMinutes":21,"veryActiveMinutes":14}}`))
	f.Add([]byte(`{"summary":{"steps":"12","caloriesOut":"1e3"}}`))
	f.Add([]byte(`{"summary":{"steps":1e300}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := decodeSummary(body, fuzzDay)
		if err != nil {
			return
		}
		if s.Steps < 0 || s.Calories < 0 || s.ActiveMinutes < 0 || s.DistanceKm < 0 || s.Date != fuzzDay {
			t.Fatalf("accepted %+v", s)
		}
	})
}

func FuzzDecodeSeries(f *testing.F) {
	f.Add([]byte(`{"activities-steps":[{"dateTime":"2024-03-01","value":"175"},{"dateTime":"2024-03-02","value":"2937"}]}`))
	f.Add([]byte(`{"activities-heart":[{"dateTime":"2024-03-05","value":{"customHeartRateZones":[],"heartRateZones":[],"restingHeartRate":62}},{"dateTime":"2024-03-06","value":"64.2"}]}`))
	f.Add([]byte(`{"activities-heart":[{"dateTime":"2024-03-05","value":{"restingHeartRate":"x"}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if m, err := decodeStepsSeries(body); err == nil {
			for _, v := range m {
				if v < 0 {
					t.Fatalf("negative steps %d", v)
				}
			}
		}
		if m, err := decodeHeartSeries(body); err == nil {
			for _, v := range m {
				if v < 0 || v > 300 {
					t.Fatalf("resting heart rate %d", v)
				}
			}
		}
	})
}

func FuzzDecodeIntraday(f *testing.F) {
	f.Add([]byte(`{"activities-heart":[{"customHeartRateZones":[],"dateTime":"2024-03-05","heartRateZones":[],"value":"64.2"}],"activities-heart-intraday":{"dataset":[{"time":"00:00:00","value":64},{"time":"00:01:00","value":63}],"datasetInterval":1,"datasetType":"minute"}}`))
	f.Add([]byte(`{"activities-heart-intraday":{"dataset":[{"time":"00:00:00","value":64},{"time":"00:00:10","value":70},{"time":"00:00:45","value":71}],"datasetInterval":1,"datasetType":"second"}}`))
	f.Add([]byte(`{"activities-steps":[{"dateTime":"2024-03-05","value":"3212"}],"activities-steps-intraday":{"dataset":[{"time":"00:00:00","value":0},{"time":"00:15:00","value":52}],"datasetInterval":15,"datasetType":"minute"}}`))
	f.Add([]byte(`{"activities-heart-intraday":{"dataset":[{"time":"01:30:00","value":60},{"time":"01:30:00","value":61}],"datasetInterval":1,"datasetType":"minute"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, res := range []string{"heart", "steps"} {
			// 2024-11-03 is the day New York's clocks go back.
			for _, day := range []providers.Date{fuzzDay, {Year: 2024, Month: time.November, Day: 3}} {
				s, err := decodeIntraday(body, res, day, fuzzLoc)
				if err != nil {
					continue
				}
				for i, x := range s.Samples {
					if providers.DateOf(x.Time) != day || x.Value < 0 {
						t.Fatalf("sample %d: %v %v", i, x.Time, x.Value)
					}
					if i > 0 && !x.Time.After(s.Samples[i-1].Time) {
						t.Fatalf("samples out of order at %d", i)
					}
				}
			}
		}
	})
}

func FuzzDecodeSleep(f *testing.F) {
	f.Add([]byte(`{"sleep":[{"dateOfSleep":"2024-03-05","logId":44632289206,"isMainSleep":true,"type":"stages","startTime":"2024-03-04T23:58:30.000","endTime":"2024-03-05T07:03:30.000","duration":25500000,"minutesAsleep":380,"levels":{"data":[{"dateTime":"2024-03-04T23:58:30.000","level":"wake","seconds":1080},{"datetime":"2024-03-05T00:16:30.000","level":"light","seconds":1500}],"shortData":[]}},{"dateOfSleep":"2024-03-05","logId":6389969899346115001,"isMainSleep":false,"type":"classic","startTime":"2024-03-05T12:06:00.000","endTime":"2024-03-05T12:46:00.000","minutesAsleep":36,"levels":{"data":[{"dateTime":"2024-03-05T12:06:00.000","level":"asleep","seconds":420}]}}]}`))
	f.Add([]byte(`{"meta":{"retryDuration":3000,"state":"pending"}}`))
	f.Add([]byte(`{"sleep":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		logs, err := decodeSleep(body, fuzzLoc)
		if err != nil {
			return
		}
		for i, l := range logs {
			if l.End.Before(l.Start) || l.Asleep < 0 {
				t.Fatalf("session %d: %+v", i, l)
			}
			if i > 0 && l.Start.Before(logs[i-1].Start) {
				t.Fatal("sessions out of order")
			}
			for _, s := range l.Segments {
				if s.Duration < 0 || s.Stage == "" {
					t.Fatalf("segment %+v", s)
				}
			}
		}
	})
}

func FuzzDecodeBody(f *testing.F) {
	f.Add([]byte(`{"weight":[{"bmi":25.91,"date":"2024-02-10","fat":20.5,"logId":1553067494000,"source":"Aria","time":"07:38:14","weight":72.6}]}`))
	f.Add([]byte(`{"fat":[{"date":"2024-02-10","fat":15,"logId":1553067000000,"source":"API","time":"07:38:14"}]}`))
	f.Add([]byte(`{"weight":[{"date":"2024-02-10","weight":"72.6","logId":"7389969899346117003"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if ws, err := decodeWeight(body, fuzzLoc); err == nil {
			for _, w := range ws {
				if w.WeightKg <= 0 || w.FatPercent < 0 || w.FatPercent > 100 {
					t.Fatalf("weigh-in %+v", w)
				}
			}
		}
		if fs, err := decodeFat(body, fuzzLoc); err == nil {
			for _, x := range fs {
				if x.FatPercent < 0 || x.FatPercent > 100 {
					t.Fatalf("fat %+v", x)
				}
			}
		}
	})
}

func FuzzErrorBody(f *testing.F) {
	f.Add([]byte(`{"errors":[{"errorType":"expired_token","message":"Access token expired: eyJ..."}],"success":false}`))
	f.Add([]byte(`{"errors":[{"errorType":"validation","fieldName":"date","message":"Invalid date"}]}`))
	f.Add([]byte(`<html>Gone</html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ae := parseAPIError(&httpapi.Response{Status: 401, Body: body})
		_ = ae.Error()
		_ = ae.Has("expired_token")
	})
}
