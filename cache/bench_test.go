package cache

import (
	"context"
	"errors"

	"github.com/fittui/fittui/providers/demo"
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
	if err := s.Put("me", profileKey, t0, encodeProfile(providers.Profile{Location: loc})); err != nil {
		b.Fatal(err)
	}
	return s, first, info[0].Bytes
}

// BenchmarkLoadYearPerMinute is the history view's year of per-minute
// heart rate (525,600 samples in 365 settled-day entries) loaded through
// the caching provider and downsampled to hourly means: read, checksum,
// inflate and bin, without building samples.
func BenchmarkLoadYearPerMinute(b *testing.B) {
	s, first, bytes := yearStore(b)
	prov := &counting{fail: errors.New("the provider must not be asked")}
	c := Wrap(prov, "me", s, DefaultPolicy(), func() time.Time { return t0 })
	for b.Loop() {
		bins, err := c.HeartRateBins(context.Background(), first, first.AddDays(364), 24)
		if err != nil {
			b.Fatal(err)
		}
		if len(bins) != 365*24 || bins[0] == 0 {
			b.Fatal(len(bins), bins[:3])
		}
	}
	if n := len(prov.take()); n != 0 {
		b.Fatal(n, "provider calls")
	}
	const samples = 365 * 1440
	b.ReportMetric(float64(bytes)/samples, "disk-bytes/sample")
	b.ReportMetric(float64(bytes)/(1<<20), "disk-MiB")
}

// BenchmarkLoadYearPerMinuteSamples is the same year decoded into
// samples (as Intraday returns them) and then downsampled.
func BenchmarkLoadYearPerMinuteSamples(b *testing.B) {
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

// BenchmarkCachedYearPerSecond is HeartRateBins over a year of the demo
// provider's data, whose heart rate is per second (86,400 samples a day,
// 60 times the per-minute year): an upper bound for the history view.
func BenchmarkCachedYearPerSecond(b *testing.B) {
	clk := newClock(t0)
	d, err := demo.New(providers.AccountSpec{Name: "me", Provider: demo.Name}, providers.Env{Now: clk.Now})
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(Options{Root: b.TempDir(), Now: clk.Now})
	if err != nil {
		b.Fatal(err)
	}
	prov := &counting{p: d}
	c := Wrap(prov, "me", s, DefaultPolicy(), clk.Now)
	prof, _ := c.Profile(context.Background())
	first := providers.DateOf(clk.Now().In(prof.Location)).AddDays(-366)
	samples := 0
	for i := range 365 {
		in, err := c.Intraday(context.Background(), first.AddDays(i))
		if err != nil {
			b.Fatal(err)
		}
		samples += len(in.HeartRate.Samples) + len(in.Steps.Samples)
	}
	prov.take()
	info, _ := s.Info()
	for b.Loop() {
		if _, err := c.HeartRateBins(context.Background(), first, first.AddDays(364), 24); err != nil {
			b.Fatal(err)
		}
	}
	if n := len(prov.take()); n != 0 {
		b.Fatalf("%d provider calls for settled days", n)
	}
	b.ReportMetric(float64(info[0].Bytes)/float64(samples), "disk-bytes/sample")
	b.ReportMetric(float64(info[0].Bytes)/(1<<20), "disk-MiB")
}
