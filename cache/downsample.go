package cache

import (
	"time"

	"github.com/fittui/fittui/providers"
)

// Downsample reduces samples to bins equal slices of from..to, each the
// mean of the samples in it (0: none). It is what the history view needs
// from a year of per-minute data: one pass, no allocation beyond the
// result.
func Downsample(samples []providers.Sample, from, to time.Time, bins int) []float64 {
	if bins <= 0 || !to.After(from) {
		return nil
	}
	sum := make([]float64, bins)
	cnt := make([]int32, bins)
	f, span := from.UnixNano(), to.Sub(from).Nanoseconds()
	for _, s := range samples {
		d := s.Time.UnixNano() - f
		if d < 0 || d >= span {
			continue
		}
		i := int(float64(d) / float64(span) * float64(bins))
		if i >= bins {
			i = bins - 1
		}
		sum[i] += s.Value
		cnt[i]++
	}
	for i := range sum {
		if cnt[i] > 0 {
			sum[i] /= float64(cnt[i])
		}
	}
	return sum
}
