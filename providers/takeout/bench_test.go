package takeout_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/takeout"
	"github.com/fittui/fittui/providers/takeout/takeouttest"
)

// BenchmarkImport imports a generated Google Takeout zip of three months
// (heart rate every 5 s, steps, distance and calories per minute, sleep,
// weight, and the Google data CSV copies) and reports samples per second
// (samples kept in the index; the CSV duplicates read and dropped are
// not counted).
func BenchmarkImport(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "takeout.zip")
	start := providers.Date{Year: 2024, Month: time.March, Day: 1}
	if _, err := takeouttest.WriteZip(path, takeouttest.Options{Persona: "runner", From: start, To: start.AddDays(89),
		Layout: takeouttest.GoogleTakeout, GoogleData: true}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	samples := 0
	for i := 0; i < b.N; i++ {
		rep, err := takeout.Import(context.Background(), takeout.Options{Paths: []string{path}, Account: "bench", Root: filepath.Join(dir, "root", string(rune('a'+i%26)), time.Now().Format("150405.000000000"))})
		if err != nil {
			b.Fatal(err)
		}
		samples = 0
		for _, f := range rep.Found {
			samples += f.Samples
		}
	}
	b.ReportMetric(float64(samples)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
	b.ReportMetric(float64(samples), "samples/op")
}

// BenchmarkLoadYear is what the history view asks of a year of imported
// data: daily values and sleeps for 365 days.
func BenchmarkLoadYear(b *testing.B) {
	dir, root := b.TempDir(), b.TempDir()
	start := providers.Date{Year: 2023, Month: time.January, Day: 1}
	end := start.AddDays(364)
	if _, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "office", From: start, To: end,
		Layout: takeouttest.FitbitExport, HREvery: 60}); err != nil {
		b.Fatal(err)
	}
	if _, err := takeout.Import(context.Background(), takeout.Options{Paths: []string{dir}, Account: "year", Root: root}); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := takeout.New(providers.AccountSpec{Name: "year", Provider: takeout.Name, Options: map[string]string{"root": root}}, providers.Env{})
		if err != nil {
			b.Fatal(err)
		}
		series, err := p.DailySeries(ctx, start, end)
		if err != nil || len(series) != 365 || series[100].Steps == 0 {
			b.Fatalf("%d values, %v", len(series), err)
		}
		sleeps, err := p.Sleep(ctx, start, end)
		if err != nil || len(sleeps) < 300 {
			b.Fatalf("%d sleeps, %v", len(sleeps), err)
		}
	}
}
