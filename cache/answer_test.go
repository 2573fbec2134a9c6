package cache

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// TestAnswerProvenance: every answer says when its value was fetched,
// whether it came from disk, and whether it stands in for a failing
// provider (with the failure) — on the answer itself, not in Status.
func TestAnswerProvenance(t *testing.T) {
	f := setup(t)
	day := f.today
	first := f.clk.Now()

	a := f.c.DaySummaryAnswer(bg, Ask, day)
	if a.Err != nil || a.FromCache || a.Stale || !a.FetchedAt.Equal(first) {
		t.Fatalf("from the provider: %+v", a)
	}
	want := a.Value
	f.clk.Advance(10 * time.Second)
	if a := f.c.DaySummaryAnswer(bg, Ask, day); a.Err != nil || !a.FromCache || a.Stale || !a.FetchedAt.Equal(first) || a.Value != want {
		t.Fatalf("fresh from disk: %+v", a)
	}
	expectCalls(t, f.prov, "Profile", "DaySummary "+day.String())

	down := providers.ErrUnreachable("demo", errors.New("connection refused"))
	f.prov.setFail(down)
	f.clk.Advance(10 * time.Minute)
	a = f.c.DaySummaryAnswer(bg, Ask, day)
	if !a.Stale || !errors.Is(a.Err, down) || !a.FromCache || !a.FetchedAt.Equal(first) || a.Value != want {
		t.Fatalf("stale: %+v", a)
	}
	if v, err := a.Result(); err != nil || v != want {
		t.Fatalf("a stale answer as a provider gives it: %+v %v", v, err)
	}
	// Nothing on disk: the failure, no value.
	if a := f.c.DaySummaryAnswer(bg, Ask, day.AddDays(-40)); a.Stale || !errors.Is(a.Err, down) || !a.FetchedAt.IsZero() {
		t.Fatalf("uncached offline: %+v", a)
	}
	// A call its caller cancelled is not the provider's failure.
	ctx, cancel := context.WithCancel(bg)
	cancel()
	f.prov.setFail(context.Canceled)
	if a := f.c.DaySummaryAnswer(ctx, Ask, day); a.Stale || a.Err != nil || !a.FromCache || a.Value != want {
		t.Fatalf("cancelled: %+v", a)
	}
	f.prov.setFail(nil)
	f.prov.take()

	// The profile says the same of itself.
	if a := f.c.ProfileAnswer(bg, Peek); a.Err != nil || !a.FromCache || !a.FetchedAt.Equal(first) {
		t.Fatalf("profile peek: %+v", a)
	}
	f.prov.setFail(down)
	f.clk.Advance(time.Hour) // the profile is stale after 30 minutes
	if a := f.c.ProfileAnswer(bg, Ask); !a.Stale || !errors.Is(a.Err, down) || !a.FetchedAt.Equal(first) || a.Value.Location == nil {
		t.Fatalf("stale profile: %+v", a)
	}
	f.prov.setFail(nil)
	expectCalls(t, f.prov, "Profile")
}

// TestRangeAnswerProvenance: a range is as old as its oldest day, from
// the cache only when no day was fetched, and stale when a span could
// only be served from older entries.
func TestRangeAnswerProvenance(t *testing.T) {
	f := setup(t)
	day := f.today
	first := f.clk.Now()
	// Settled days, fetched once and kept for good.
	if a := f.c.DailySeriesAnswer(bg, Ask, day.AddDays(-9), day.AddDays(-5)); a.Err != nil || a.FromCache || len(a.Value) != 5 {
		t.Fatalf("cold range: %+v", a)
	}
	f.clk.Advance(time.Hour)
	a := f.c.DailySeriesAnswer(bg, Ask, day.AddDays(-9), day.AddDays(-5))
	if a.Err != nil || !a.FromCache || !a.FetchedAt.Equal(first) {
		t.Fatalf("warm range: %+v", a)
	}
	// Reaching into days not yet cached: fetched now, as old as the oldest.
	a = f.c.DailySeriesAnswer(bg, Ask, day.AddDays(-9), day)
	if a.Err != nil || a.FromCache || !a.FetchedAt.Equal(first) || len(a.Value) != 10 {
		t.Fatalf("partly warm range: %+v", a)
	}
	// Today's entry goes stale; the provider is down: the range stands on
	// the older entries and says so.
	down := providers.ErrUnreachable("demo", errors.New("connection refused"))
	f.prov.setFail(down)
	f.clk.Advance(10 * time.Minute)
	a = f.c.DailySeriesAnswer(bg, Ask, day.AddDays(-9), day)
	if !a.Stale || !errors.Is(a.Err, down) || !a.FromCache || len(a.Value) != 10 {
		t.Fatalf("stale range: %+v", a)
	}
	s := f.c.SleepAnswer(bg, Ask, day, day)
	if s.Stale || !errors.Is(s.Err, down) {
		t.Fatalf("uncached sleep while down: %+v", s)
	}
}

// TestDirectSource: a provider that keeps nothing answers every Ask
// itself, fetched now, and finds nothing to Peek at without asking.
func TestDirectSource(t *testing.T) {
	f := setup(t)
	src := Direct(f.prov, f.clk.Now)
	if src.Kind() != "demo" {
		t.Fatalf("kind %q", src.Kind())
	}
	if a := src.DaySummaryAnswer(bg, Peek, f.today); !errors.Is(a.Err, ErrNotCached) {
		t.Fatalf("peek: %+v", a)
	}
	if a := src.SleepAnswer(bg, Peek, f.today, f.today); !errors.Is(a.Err, ErrNotCached) {
		t.Fatalf("peek: %+v", a)
	}
	expectCalls(t, f.prov)
	a := src.DaySummaryAnswer(bg, Ask, f.today)
	if a.Err != nil || a.FromCache || a.Stale || !a.FetchedAt.Equal(f.clk.Now()) || a.Value.Steps == 0 {
		t.Fatalf("ask: %+v", a)
	}
	down := providers.ErrUnreachable("demo", errors.New("connection refused"))
	f.prov.setFail(down)
	if a := src.ProfileAnswer(bg, Ask); a.Stale || !errors.Is(a.Err, down) {
		t.Fatalf("failure: %+v", a)
	}
	expectCalls(t, f.prov, "DaySummary "+f.today.String(), "Profile")
}
