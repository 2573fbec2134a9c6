package demo

import (
	"context"

	"github.com/fittui/fittui/providers"
)

// HeartRate implements providers.HeartRateReader: the heart rate of each
// day's Intraday (generated with the day's steps, whose slice costs
// nothing more).
func (pr *Provider) HeartRate(ctx context.Context, from, to providers.Date) ([]providers.HeartDay, error) {
	return providers.HeartDays(ctx, Name, from, to, 1, func(ctx context.Context, d providers.Date) (providers.HeartDay, error) {
		in, err := pr.Intraday(ctx, d)
		return providers.HeartDayOf(in), err
	})
}

var _ providers.HeartRateReader = (*Provider)(nil)
