package jawbone

import (
	"context"

	"github.com/fittui/fittui/providers"
)

// HeartRate implements providers.HeartRateReader: Jawbone UP has no
// heart-rate samples (one resting rate a day, in DailySeries), so every
// day is empty with IntradayNote, and no request is sent (Intraday asks
// for the day's moves, for their hourly steps).
func (p *Provider) HeartRate(ctx context.Context, from, to providers.Date) ([]providers.HeartDay, error) {
	return providers.HeartDays(ctx, Name, from, to, 1, func(ctx context.Context, d providers.Date) (providers.HeartDay, error) {
		return providers.HeartDay{Date: d, Note: IntradayNote}, nil
	})
}

var _ providers.HeartRateReader = (*Provider)(nil)
