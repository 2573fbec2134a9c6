package wiring

import (
	"context"

	"github.com/fittui/fittui/providers"
)

// Unavailable is the provider of an account that could not be opened: every
// call answers err as a *providers.Error, without I/O, so the dashboard
// lists the account with that error instead of refusing to start.
func Unavailable(spec providers.AccountSpec, err error) providers.Provider {
	pe, ok := providers.AsError(err)
	if !ok {
		pe = &providers.Error{Kind: providers.KindUnknown, Provider: spec.Provider, Message: err.Error()}
	}
	kind := spec.Provider
	if kind == "" {
		kind = "unknown"
	}
	return unavailable{kind: kind, err: pe}
}

type unavailable struct {
	kind string
	err  *providers.Error
}

func (u unavailable) Kind() string { return u.kind }

func (u unavailable) Profile(context.Context) (providers.Profile, error) {
	return providers.Profile{}, u.err
}

func (u unavailable) DaySummary(context.Context, providers.Date) (providers.DaySummary, error) {
	return providers.DaySummary{}, u.err
}

func (u unavailable) Intraday(context.Context, providers.Date) (providers.Intraday, error) {
	return providers.Intraday{}, u.err
}

func (u unavailable) DailySeries(context.Context, providers.Date, providers.Date) ([]providers.DailyValues, error) {
	return nil, u.err
}

func (u unavailable) Sleep(context.Context, providers.Date, providers.Date) ([]providers.SleepSession, error) {
	return nil, u.err
}
