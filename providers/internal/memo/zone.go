package memo

import (
	"context"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
)

// Zone is an account's time zone, kept from the first answer that says
// it (a profile, settings). The zero value knows none yet.
type Zone struct {
	mu  sync.Mutex
	loc *time.Location
}

// Set keeps loc.
func (z *Zone) Set(loc *time.Location) {
	z.mu.Lock()
	z.loc = loc
	z.mu.Unlock()
}

// Get is the zone kept, or nil.
func (z *Zone) Get() *time.Location {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.loc
}

// Of is the zone kept, or what learn says the first time (learn is
// expected to Set it).
func (z *Zone) Of(ctx context.Context, learn func(context.Context) (*time.Location, error)) (*time.Location, error) {
	if loc := z.Get(); loc != nil {
		return loc, nil
	}
	return learn(ctx)
}

// OfProfile is Of, learning the zone from p's profile (which is expected
// to Set it).
func (z *Zone) OfProfile(ctx context.Context, p providers.Provider) (*time.Location, error) {
	return z.Of(ctx, func(ctx context.Context) (*time.Location, error) {
		prof, err := p.Profile(ctx)
		return prof.Location, err
	})
}
