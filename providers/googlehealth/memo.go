package googlehealth

import (
	"fmt"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/memo"
)

// newMemo makes one refresh fetch nothing twice (see package memo). The
// reuse window is real elapsed time, not the data clock; clock nil means
// time.Now. A panic while decoding becomes a bad-data error.
func newMemo(ttl time.Duration, clock func() time.Time) *memo.Keyed[any] {
	return memo.New[any](memo.Options{TTL: ttl, Now: clock, Recovered: func(r any) error {
		return providers.ErrBadData(Name, "an answer fittui failed to read", fmt.Errorf("internal error (%v); please report this", r))
	}})
}
