package takeout

import (
	"context"

	"github.com/fittui/fittui/providers"
)

// HeartRate implements providers.HeartRateReader: the heart rate of each
// day's Intraday, read from the imported archive (the day's steps come
// with it at no cost: one record holds both).
func (p *Provider) HeartRate(ctx context.Context, from, to providers.Date) ([]providers.HeartDay, error) {
	return providers.HeartDays(ctx, Name, from, to, 1, func(ctx context.Context, d providers.Date) (providers.HeartDay, error) {
		in, err := p.Intraday(ctx, d)
		return providers.HeartDayOf(in), err
	})
}

var _ providers.HeartRateReader = (*Provider)(nil)
