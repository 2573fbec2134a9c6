package providertest

import (
	"context"

	"github.com/fittui/fittui/providers/internal/memo"
)

// WaitDetached returns once no provider in the process is running a
// shared fetch, or with ctx's error. The providers' shared fetches run
// detached from their callers: when one part of a refresh fails, the
// refresh returns while another part's request may still be on its way.
// A test that moves a simulated clock waits here first, so a request sent
// at one instant is not counted at the next. Fetches started meanwhile
// by other goroutines are not waited for.
func WaitDetached(ctx context.Context) error { return memo.Wait(ctx) }
