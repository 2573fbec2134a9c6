package demo

import (
	"context"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// benchNow is a fixed afternoon in every persona's zone's day.
var benchNow = time.Date(2026, 6, 15, 13, 30, 0, 0, time.UTC)

func benchProvider(b *testing.B, persona string) *Provider {
	b.Helper()
	pr, err := New(providers.AccountSpec{Name: persona}, providers.Env{Now: func() time.Time { return benchNow }})
	if err != nil {
		b.Fatal(err)
	}
	return pr
}

// A year of daily values: the history pane's widest range.
func BenchmarkDailySeriesYear(b *testing.B) {
	for _, name := range Personas() {
		b.Run(name, func(b *testing.B) {
			pr := benchProvider(b, name)
			_, today := pr.clock()
			from := today.AddDays(-364)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				vs, err := pr.DailySeries(ctx, from, today)
				if err != nil || len(vs) != 365 {
					b.Fatal(len(vs), err)
				}
			}
		})
	}
}

// A past day generated from scratch: 86,400 one-second heart-rate samples
// (plus the day's 1,440 minutes of steps), the memo cleared every time.
func BenchmarkIntradayHeartRateDay(b *testing.B) {
	for _, name := range Personas() {
		b.Run(name, func(b *testing.B) {
			pr := benchProvider(b, name)
			_, today := pr.clock()
			day := today.AddDays(-1)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				days.reset()
				in, err := pr.Intraday(ctx, day)
				if err != nil || len(in.HeartRate.Samples) != 86400 {
					b.Fatal(len(in.HeartRate.Samples), err)
				}
			}
		})
	}
}

// A past day at one-minute resolution from scratch (what the fakes of
// 1-minute APIs serve): the same generation without the 86,400 samples.
func BenchmarkMinutesDay(b *testing.B) {
	pr := benchProvider(b, "office")
	_, today := pr.clock()
	day := today.AddDays(-1)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		days.reset()
		m, err := pr.Minutes(ctx, day)
		if err != nil || m.Readings != 86400 {
			b.Fatal(m.Readings, err)
		}
	}
}

// Today on a ticker: the day is memoised, a tick only re-slices it.
func BenchmarkIntradayToday(b *testing.B) {
	pr := benchProvider(b, "runner")
	_, today := pr.clock()
	ctx := context.Background()
	if _, err := pr.Intraday(ctx, today); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		in, err := pr.Intraday(ctx, today)
		if err != nil || len(in.HeartRate.Samples) == 0 {
			b.Fatal(err)
		}
	}
}

// Today's totals on a ticker (memoised day, sums up to now).
func BenchmarkDaySummaryToday(b *testing.B) {
	pr := benchProvider(b, "runner")
	_, today := pr.clock()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pr.DaySummary(ctx, today); err != nil {
			b.Fatal(err)
		}
	}
}

// A year of sleep sessions with their stage segments.
func BenchmarkSleepYear(b *testing.B) {
	pr := benchProvider(b, "office")
	_, today := pr.clock()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pr.Sleep(ctx, today.AddDays(-364), today); err != nil {
			b.Fatal(err)
		}
	}
}

// A year of health metrics and workouts: the history pane's widest range
// of them, from the cheap per-minute model.
func BenchmarkHealthYear(b *testing.B) {
	for _, name := range Personas() {
		b.Run(name, func(b *testing.B) {
			pr := benchProvider(b, name)
			_, today := pr.clock()
			from := today.AddDays(-364)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				hs, err := pr.Health(ctx, from, today)
				if err != nil || len(hs) != 365 {
					b.Fatal(len(hs), err)
				}
				if _, err := pr.Workouts(ctx, from, today); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
