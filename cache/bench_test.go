package cache

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// yearStore fills a store with a year of per-minute heart rate (525,600
// samples, one entry per day, as the caching provider writes them) and
// returns the first day and the bytes on disk.
func yearStore(b *testing.B) (*Store, providers.Date, int64) {
	b.Helper()
	s, _, _ := newStore(b, 0)
	loc := mustLoc(b, "Europe/London")
	rng := rand.New(rand.NewPCG(5, 6))
	first := providers.Date{Year: 2025, Month: 1, Day: 1}
	for i := range 365 {
		d := first.AddDays(i)
		hr := providers.Series{Resolution: time.Minute}
		v := 60.0
		for m := range 1440 {
			v = max(40, min(190, v+float64(rng.IntN(7)-3)))
			hr.Samples = append(hr.Samples, providers.Sample{Time: d.In(loc).Add(time.Duration(m) * time.Minute), Value: v})
		}
		if err := s.Put("me", intradayKey(d), t0, encodeIntraday(providers.Intraday{Date: d, HeartRate: hr})); err != nil {
			b.Fatal(err)
		}
	}
	info, err := s.Info()
	if err != nil || len(info) != 1 {
		b.Fatal(info, err)
	}
	return s, first, info[0].Bytes
}

// BenchmarkLoadYearPerMinute loads a year of per-minute heart rate from
// the store (365 entries: read, checksum, inflate, decode) and
// downsamples it to hourly means for the history view.
func BenchmarkLoadYearPerMinute(b *testing.B) {
	s, first, bytes := yearStore(b)
	const samples = 365 * 1440
	for b.Loop() {
		n := 0
		for i := range 365 {
			d := first.AddDays(i)
			e, ok := s.Get("me", intradayKey(d))
			if !ok {
				b.Fatal("miss")
			}
			in, err := decodeIntraday(e.Payload)
			if err != nil {
				b.Fatal(err)
			}
			start := d.In(in.HeartRate.Samples[0].Time.Location())
			bins := Downsample(in.HeartRate.Samples, start, start.AddDate(0, 0, 1), 24)
			n += len(bins)
		}
		if n != 365*24 {
			b.Fatal(n)
		}
	}
	b.ReportMetric(float64(bytes)/samples, "disk-bytes/sample")
	b.ReportMetric(float64(bytes)/(1<<20), "disk-MiB")
}
