package cache

import (
	"context"
	"fmt"
	"time"

	"github.com/fittui/fittui/providers"
)

// Heart rate alone (providers.HeartRateReader, what a heart-rate export
// reads) is kept per day as its own entry, "heart-YYYY-MM-DD", in the
// intraday series' compact encoding without steps, fresh as intraday
// entries are (settled days for good). A day whose whole Intraday entry
// is fresh is served from that instead; the days neither holds are asked
// of the provider, one call for each run of consecutive days.

// EntryHeart is the kind of the heart-rate entries, for FetchedAt.
const EntryHeart = "heart"

func heartKey(d providers.Date) string { return EntryHeart + "-" + d.String() }

var _ providers.HeartRateReader = (*Cached)(nil)

// ServesHeartRate reports whether the wrapped provider reads heart rate
// alone (see providers.HeartOf).
func (c *Cached) ServesHeartRate() bool {
	_, ok := providers.HeartOf(c.p)
	return ok
}

// heldHeart is a day's heart rate from an entry, and when it was fetched.
type heldHeart struct {
	v  providers.HeartDay
	at time.Time
	ok bool
}

// heartEntry is the newer of day's heart-rate and intraday entries, and
// whether it may be served.
func (c *Cached) heartEntry(day providers.Date, loc *time.Location) (heldHeart, bool) {
	var h heldHeart
	for _, key := range []string{heartKey(day), intradayKey(day)} {
		if in, at, ok := cachedValue(c, key, decodeIntraday); ok && (!h.ok || at.After(h.at)) {
			h = heldHeart{providers.HeartDayOf(in), at, true}
		}
	}
	return h, h.ok && c.fresh(day, h.at, loc, true)
}

func encodeHeart(h providers.HeartDay) []byte {
	return encodeIntraday(providers.Intraday{Date: h.Date, HeartRate: h.HeartRate, Note: h.Note})
}

// HeartRate implements providers.HeartRateReader. When the provider
// fails, older entries stand in for the days they hold (as for the other
// entries); the answer stops at the first day nobody has, with the
// provider's error. A provider that does not read heart rate alone is
// asked for each day's Intraday (kept as usual).
func (c *Cached) HeartRate(ctx context.Context, from, to providers.Date) ([]providers.HeartDay, error) {
	h, ok := providers.HeartOf(c.p)
	if !ok {
		return providers.HeartDays(ctx, c.p.Kind(), from, to, 1, func(ctx context.Context, d providers.Date) (providers.HeartDay, error) {
			in, err := c.Intraday(ctx, d)
			return providers.HeartDayOf(in), err
		})
	}
	if err := providers.CheckHeartRange(c.p.Kind(), from, to); err != nil {
		return nil, err
	}
	loc, known := c.location(ctx, Ask)
	if !known {
		return uncached(c, ctx, Ask, func(ctx context.Context) ([]providers.HeartDay, error) { return h.HeartRate(ctx, from, to) }).Result()
	}
	n := from.DaysUntil(to) + 1
	held := make([]heldHeart, n)
	fresh := make([]bool, n)
	for i := range n {
		held[i], fresh[i] = c.heartEntry(from.AddDays(i), loc)
	}
	out := make([]providers.HeartDay, 0, n)
	for i := 0; i < n; {
		if fresh[i] {
			out = append(out, held[i].v)
			c.served(held[i].at)
			i++
			continue
		}
		j := i
		for j+1 < n && !fresh[j+1] {
			j++
		}
		a, b := from.AddDays(i), from.AddDays(j)
		got, err := ask(c, ctx, func(ctx context.Context) ([]providers.HeartDay, error) { return h.HeartRate(ctx, a, b) })
		now := c.now()
		k := i // the first day of the run not answered
		for _, hd := range got {
			if k > j || hd.Date != from.AddDays(k) {
				break
			}
			c.put(heartKey(hd.Date), now, encodeHeart(hd))
			out = append(out, hd)
			k++
		}
		if err == nil && k <= j {
			err = providers.ErrBadData(c.p.Kind(), "heart rate", fmt.Errorf("%d days answered for %s..%s", len(got), a, b))
		}
		if k > i {
			c.answered(now)
		}
		if err != nil {
			c.failed(ctx, err)
			for ; k <= j; k++ {
				if !held[k].ok {
					return out, err
				}
				out = append(out, held[k].v) // the last good data stands in
				c.served(held[k].at)
			}
		}
		i = j + 1
	}
	return out, nil
}
