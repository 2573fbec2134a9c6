package cache

import (
	"errors"
	"testing"
	"time"
)

// TestPeek: in Peek mode a cold cache answers ErrNotCached without asking
// the provider, and a warm one serves its entries however old, still
// without asking; the next ordinary call refreshes what is stale.
func TestPeek(t *testing.T) {
	f := setup(t)
	if _, err := f.c.ProfileAnswer(bg, Peek).Result(); !errors.Is(err, ErrNotCached) {
		t.Fatalf("cold profile: %v", err)
	}
	if _, err := f.c.DaySummaryAnswer(bg, Peek, f.today).Result(); !errors.Is(err, ErrNotCached) {
		t.Fatalf("cold summary: %v", err)
	}
	if _, err := f.c.DailySeriesAnswer(bg, Peek, f.today.AddDays(-6), f.today).Result(); !errors.Is(err, ErrNotCached) {
		t.Fatalf("cold series: %v", err)
	}
	expectCalls(t, f.prov)

	want, _ := f.c.DaySummary(bg, f.today)
	in, _ := f.c.Intraday(bg, f.today)
	if _, err := f.c.DailySeries(bg, f.today.AddDays(-6), f.today); err != nil {
		t.Fatal(err)
	}
	f.prov.take()

	f.clk.Advance(3 * time.Hour) // everything of today is stale now
	f.restart()
	if _, err := f.c.ProfileAnswer(bg, Peek).Result(); err != nil {
		t.Fatalf("warm profile: %v", err)
	}
	got, err := f.c.DaySummaryAnswer(bg, Peek, f.today).Result()
	if err != nil || got != want {
		t.Fatalf("warm summary %+v %v, want %+v", got, err, want)
	}
	gin, err := f.c.IntradayAnswer(bg, Peek, f.today).Result()
	if err != nil || len(gin.HeartRate.Samples) != len(in.HeartRate.Samples) {
		t.Fatalf("warm intraday: %d samples, %v; want %d", len(gin.HeartRate.Samples), err, len(in.HeartRate.Samples))
	}
	days, err := f.c.DailySeriesAnswer(bg, Peek, f.today.AddDays(-6), f.today).Result()
	if err != nil || len(days) != 7 {
		t.Fatalf("warm series: %d days, %v", len(days), err)
	}
	// A window reaching past what is cached is not served in part.
	if _, err := f.c.DailySeriesAnswer(bg, Peek, f.today.AddDays(-7), f.today).Result(); !errors.Is(err, ErrNotCached) {
		t.Fatalf("partly cached series: %v", err)
	}
	expectCalls(t, f.prov)

	// Asked, the stale entry is fetched again.
	if _, err := f.c.DaySummary(bg, f.today); err != nil {
		t.Fatal(err)
	}
	expectCalls(t, f.prov, "DaySummary "+f.today.String())
}
