package cache

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/providertest"
)

// heartCounting is counting with the demo's heart rate alone.
type heartCounting struct{ *counting }

func (h heartCounting) HeartRate(ctx context.Context, a, b providers.Date) ([]providers.HeartDay, error) {
	if err := h.log("HeartRate " + a.String() + ".." + b.String()); err != nil {
		return nil, err
	}
	return h.p.(providers.HeartRateReader).HeartRate(ctx, a, b)
}

func sameHeart(t *testing.T, f *fixture, got []providers.HeartDay, from providers.Date, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("%d days, want %d", len(got), n)
	}
	want, err := f.demo.HeartRate(context.Background(), from, from.AddDays(n-1))
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if got[i].Date != want[i].Date || got[i].Note != want[i].Note || !providertest.SameSeries(got[i].HeartRate, want[i].HeartRate) {
			t.Errorf("%s: %d samples, the provider's %d", want[i].Date, len(got[i].HeartRate.Samples), len(want[i].HeartRate.Samples))
		}
	}
}

// Heart rate alone is kept per day: settled days for good, a day whose
// whole Intraday is cached from that, each run of missing days in one
// call; offline, older entries stand in and the answer stops at the
// first day nobody has.
func TestHeartRateKeptPerDay(t *testing.T) {
	f := setup(t)
	hp := heartCounting{f.prov}
	f.c = Wrap(hp, "me", f.store, DefaultPolicy(), f.clk.Now)
	ctx := context.Background()
	if _, ok := providers.HeartOf(f.c); !ok {
		t.Fatal("the cache around a heart-rate reader is not one")
	}
	day := func(k int) string { return f.today.AddDays(k).String() }
	if _, err := f.c.Profile(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.Intraday(ctx, f.today.AddDays(-3)); err != nil {
		t.Fatal(err)
	}
	f.prov.take()

	got, err := f.c.HeartRate(ctx, f.today.AddDays(-5), f.today)
	if err != nil {
		t.Fatal(err)
	}
	expectCalls(t, f.prov, "HeartRate "+day(-5)+".."+day(-4), "HeartRate "+day(-2)+".."+day(0))
	sameHeart(t, f, got, f.today.AddDays(-5), 6)

	// A new process two minutes on: only today is asked again.
	f.clk.Advance(2 * time.Minute)
	f.restart()
	f.c = Wrap(hp, "me", f.store, DefaultPolicy(), f.clk.Now)
	if got, err = f.c.HeartRate(ctx, f.today.AddDays(-5), f.today); err != nil {
		t.Fatal(err)
	}
	expectCalls(t, f.prov, "HeartRate "+day(0)+".."+day(0))
	sameHeart(t, f, got, f.today.AddDays(-5), 6)

	// Offline: today's older entry stands in; tomorrow nobody has.
	f.clk.Advance(2 * time.Minute)
	down := providers.ErrUnreachable("demo", errors.New("no route"))
	f.prov.setFail(down)
	got, err = f.c.HeartRate(ctx, f.today.AddDays(-5), f.today)
	if err != nil || len(got) != 6 || !f.c.Status().Offline() {
		t.Fatalf("offline with every day held: %d days, %v, status %+v", len(got), err, f.c.Status())
	}
	got, err = f.c.HeartRate(ctx, f.today.AddDays(-1), f.today.AddDays(1))
	if !errors.Is(err, down) || len(got) != 2 || got[1].Date != f.today {
		t.Fatalf("offline into tomorrow: %d days, %v", len(got), err)
	}
	expectCalls(t, f.prov, "HeartRate "+day(0)+".."+day(0), "HeartRate "+day(0)+".."+day(1))
}

// A provider that does not read heart rate alone: the cache says so, and
// its HeartRate is each day's Intraday.
func TestHeartRateWithoutReader(t *testing.T) {
	f := setup(t)
	if _, ok := providers.HeartOf(f.c); ok {
		t.Fatal("the cache claims heart rate alone of a provider without it")
	}
	got, err := f.c.HeartRate(context.Background(), f.today.AddDays(-1), f.today)
	if err != nil {
		t.Fatal(err)
	}
	sameHeart(t, f, got, f.today.AddDays(-1), 2)
	calls := fmt.Sprint(f.prov.take())
	if want := fmt.Sprint([]string{"Profile", "Intraday " + f.today.AddDays(-1).String(), "Intraday " + f.today.String()}); calls != want {
		t.Errorf("calls %s, want %s", calls, want)
	}
}
