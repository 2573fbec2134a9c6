package providers

import (
	"context"
	"fmt"
	"sync"
)

// HeartRateReader is a provider that can read heart rate alone. Intraday
// also fetches the day's steps, which a heart-rate export never shows:
// on Fitbit that doubles the requests. Every built-in provider is one,
// each asking its API the cheapest way it allows (Fitbit one heart-rate
// request a day, Google Health ranges of days, Misfit and Jawbone
// nothing: they have no intraday heart rate).
type HeartRateReader interface {
	// HeartRate returns one HeartDay per day from..to inclusive, oldest
	// first: each day's heart rate and note as Intraday gives them (for
	// today up to now; a day after today empty). On an error the days
	// before the one it could not read may come with it (from from on,
	// oldest first), so a caller keeps what was paid for.
	HeartRate(ctx context.Context, from, to Date) ([]HeartDay, error)
}

// HeartDay is one day's heart rate without its steps.
type HeartDay struct {
	Date      Date
	HeartRate Series // beats per minute, as Intraday.HeartRate
	// Note is Intraday's note for the day (no intraday access, nothing
	// recorded, a provider without intraday heart rate); empty normally.
	Note string
}

// HeartDayOf is in's heart rate alone.
func HeartDayOf(in Intraday) HeartDay {
	return HeartDay{Date: in.Date, HeartRate: in.HeartRate, Note: in.Note}
}

// HeartOf returns p's heart-rate reader, when it reads heart rate alone.
// A wrapper that is a HeartRateReader whatever it wraps (the cache) says
// with ServesHeartRate whether the provider beneath is one.
func HeartOf(p Provider) (HeartRateReader, bool) {
	h, ok := p.(HeartRateReader)
	if w, wraps := p.(interface{ ServesHeartRate() bool }); ok && wraps && !w.ServesHeartRate() {
		return nil, false
	}
	return h, ok
}

// MaxHeartDays bounds one HeartRate call: a caller asks for longer
// spans in parts (a fortnight of 1-second heart rate is a few MB).
const MaxHeartDays = 31

// CheckHeartRange says what is wrong with from..to as a HeartRate range
// of provider (nil: nothing).
func CheckHeartRange(provider string, from, to Date) error {
	switch n := from.DaysUntil(to) + 1; {
	case n < 1:
		return &Error{Kind: KindUnknown, Provider: provider, Message: fmt.Sprintf("date range %s..%s ends before it starts", from, to)}
	case n > MaxHeartDays:
		return &Error{Kind: KindUnknown, Provider: provider,
			Message: fmt.Sprintf("heart rate of %s..%s: at most %d days at a time; ask for less", from, to, MaxHeartDays)}
	}
	return nil
}

// HeartDays is HeartRate of a provider that reads a day at a time: day
// is called for each day from..to, at most inFlight at once (1: in
// order), and on errors the days before the first failed one come with
// the first day's error.
func HeartDays(ctx context.Context, provider string, from, to Date, inFlight int,
	day func(ctx context.Context, d Date) (HeartDay, error)) ([]HeartDay, error) {
	if err := CheckHeartRange(provider, from, to); err != nil {
		return nil, err
	}
	n := from.DaysUntil(to) + 1
	out := make([]HeartDay, n)
	errs := make([]error, n)
	sem := make(chan struct{}, max(inFlight, 1))
	var wg sync.WaitGroup
	for i := range n {
		if ctx.Err() != nil {
			break // the days not asked answer ctx's error below
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			out[i], errs[i] = day(ctx, from.AddDays(i))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			return out[:i], err
		}
	}
	return out, nil
}
