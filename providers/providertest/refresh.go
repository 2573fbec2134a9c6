package providertest

import (
	"context"
	"sync"
	"testing"

	"github.com/fittui/fittui/providers"
)

// Concurrently runs calls at once, each with a context bounded by Ctx, and
// fails t with the first error once all have returned.
func Concurrently(t testing.TB, calls ...func(context.Context) error) {
	t.Helper()
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() { errs[i] = call(Ctx(t)) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// DashboardRefresh asks p what the dashboard asks on a cold start: the
// profile first, then at once today's summary and intraday series, the
// sleep that ended today, 30 days of daily values for the latest weight,
// the 30-day history window, and `fittui today`'s 31-day weight look-back.
func DashboardRefresh(t testing.TB, p providers.Provider, today providers.Date) {
	t.Helper()
	if _, err := p.Profile(Ctx(t)); err != nil {
		t.Fatal(err)
	}
	Concurrently(t,
		func(c context.Context) error { _, err := p.DaySummary(c, today); return err },
		func(c context.Context) error { _, err := p.Intraday(c, today); return err },
		func(c context.Context) error { _, err := p.Sleep(c, today, today); return err },
		func(c context.Context) error { _, err := p.DailySeries(c, today.AddDays(-29), today); return err }, // the weight look-back
		func(c context.Context) error { _, err := p.DailySeries(c, today.AddDays(-29), today); return err }, // history, 30 days
		func(c context.Context) error { _, err := p.DailySeries(c, today.AddDays(-30), today); return err }, // `fittui today` look-back
	)
}
