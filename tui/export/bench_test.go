package export

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
)

// A year of 1-minute heart rate from the demo provider (86,400 one-second
// readings a day generated, binned into 1,440 rows) written as CSV and
// JSON: rows/s is the figure.
func BenchmarkExportHeartYear(b *testing.B) {
	now := time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC)
	p, err := demo.New(providers.AccountSpec{Name: "runner"}, providers.Env{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	prof, _ := p.Profile(context.Background())
	to := providers.DateOf(now.In(prof.Location)).AddDays(-1)
	for _, tc := range []struct {
		name string
		res  Resolution
		f    Format
	}{{"1min-csv", Minute, CSV}, {"1min-json", Minute, JSON}, {"15min-csv", Quarter, CSV}} {
		b.Run(tc.name, func(b *testing.B) {
			q := Request{Metric: Heart, Resolution: tc.res, From: to.AddDays(-364), To: to, Location: prof.Location}
			rows := 0
			for b.Loop() {
				st, err := Run(context.Background(), p, q, NewEncoder(tc.f, io.Discard), Options{})
				if err != nil {
					b.Fatal(err)
				}
				rows += st.Rows
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// The writing alone: 1-second rows straight from a day of samples.
func BenchmarkEncodeRows(b *testing.B) {
	loc := time.FixedZone("", 3600)
	start := time.Date(2026, 1, 15, 0, 0, 0, 0, loc)
	for _, f := range Formats() {
		b.Run(string(f), func(b *testing.B) {
			enc := NewEncoder(f, io.Discard)
			enc.Begin([]string{"time", "bpm"})
			var r Row
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				r.reset()
				r.Time(start.Add(time.Duration(i)*time.Second), loc)
				r.Float(72)
				enc.Row(&r)
				i++
			}
			enc.End()
			b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
