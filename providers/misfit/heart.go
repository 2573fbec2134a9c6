package misfit

import (
	"context"

	"github.com/fittui/fittui/providers"
)

// HeartRate implements providers.HeartRateReader: Misfit records no
// heart rate, so every day is Intraday's empty series with its note, and
// no request is sent.
func (p *Provider) HeartRate(ctx context.Context, from, to providers.Date) ([]providers.HeartDay, error) {
	return providers.HeartDays(ctx, Name, from, to, 1, func(ctx context.Context, d providers.Date) (providers.HeartDay, error) {
		in, err := p.Intraday(ctx, d)
		return providers.HeartDayOf(in), err
	})
}

var _ providers.HeartRateReader = (*Provider)(nil)
