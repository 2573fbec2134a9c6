package googlehealth

import (
	"strings"
	"testing"

	"github.com/fittui/fittui/providers/googlehealth/googlehealthtest"
	"github.com/fittui/fittui/providers/providertest"
)

// Heart rate alone over 16 days (today's part included) is two rollUps,
// 14 days and 2, in pages of 10,000 windows asked (the fake caps them at
// 4,000 here): 7 requests rather than Intraday's 32, and each day is
// Intraday's heart rate.
func TestHeartRateRanges(t *testing.T) {
	f := newFixture(t, "office", googlehealthtest.Config{MaxPageSize: 4000})
	from := f.today.AddDays(-15)
	if _, _, err := f.p.clock(ctx(t)); err != nil {
		t.Fatal(err)
	}
	f.fake.ResetRequests()
	got, err := f.p.HeartRate(ctx(t), from, f.today)
	if err != nil || len(got) != 16 {
		t.Fatalf("%d days, %v", len(got), err)
	}
	for _, r := range f.fake.Requests() {
		if !strings.HasSuffix(r.Path, "/dataTypes/heart-rate/dataPoints:rollUp") || !strings.Contains(r.Body, `"pageSize":10000`) {
			t.Errorf("asked %s %s", r.Path, r.Body)
		}
	}
	if n := f.fake.Count(); n != 7 {
		t.Errorf("%d requests, want 6 pages of the fortnight and 1 of the rest", n)
	}
	for _, h := range got {
		in, err := f.p.Intraday(ctx(t), h.Date)
		if err != nil {
			t.Fatal(err)
		}
		if h.Note != in.Note || !providertest.SameSeries(h.HeartRate, in.HeartRate) || len(h.HeartRate.Samples) == 0 {
			t.Errorf("%s: %d samples, Intraday's %d", h.Date, len(h.HeartRate.Samples), len(in.HeartRate.Samples))
		}
	}
}
