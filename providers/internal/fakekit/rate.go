package fakekit

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RateHeaders names the headers that report a fake's budget; empty names
// are not sent. Fitbit: Fitbit-Rate-Limit-Limit/-Remaining/-Reset with
// the seconds left; Misfit: X-RateLimit-* with the window's end in Unix
// seconds; Google Health and Jawbone send none.
type RateHeaders struct {
	Limit, Remaining, Reset string
	// ResetEpoch sends Reset as the Unix second the window ends;
	// otherwise the seconds until then, rounded up.
	ResetEpoch bool
}

// RateConfig describes a request budget.
type RateConfig struct {
	// Limit is the requests allowed per window; negative: unlimited.
	Limit int
	// Window is the budget's period (an hour, a minute).
	Window time.Duration
	// Sliding counts the requests of the last Window (Google's per
	// minute); otherwise windows are aligned to the clock (Fitbit's and
	// Misfit's hours).
	Sliding bool
	// Now is the clock; nil: time.Now.
	Now     func() time.Time
	Headers RateHeaders
}

// Rate is a request budget. Safe for concurrent use.
type Rate struct {
	cfg RateConfig

	mu        sync.Mutex
	limit     int
	start     time.Time   // aligned: the current window's start
	used      int         // aligned: requests counted in it
	recent    []time.Time // sliding: the requests of the last window
	resetText string
	omit      bool
	lower     bool
}

// NewRate returns a budget with nothing spent.
func NewRate(cfg RateConfig) *Rate {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Rate{cfg: cfg, limit: cfg.Limit}
}

// Take counts one request and writes the headers into h. It reports
// whether the budget allows the request and, if not, how long until it
// would.
func (r *Rate) Take(h http.Header) (ok bool, wait time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.cfg.Now()
	var remaining int
	var end time.Time
	if r.cfg.Sliding {
		keep := r.recent[:0]
		for _, t := range r.recent {
			if now.Sub(t) < r.cfg.Window {
				keep = append(keep, t)
			}
		}
		r.recent = keep
		ok = r.limit < 0 || len(r.recent) < r.limit
		if ok {
			r.recent = append(r.recent, now)
		}
		end = now.Add(r.cfg.Window)
		if len(r.recent) > 0 {
			end = r.recent[0].Add(r.cfg.Window)
		}
		remaining = r.limit - len(r.recent)
	} else {
		if w := now.Truncate(r.cfg.Window); !w.Equal(r.start) {
			r.start, r.used = w, 0
		}
		r.used++
		ok = r.limit < 0 || r.used <= r.limit
		end = r.start.Add(r.cfg.Window)
		remaining = r.limit - r.used
	}
	if !ok {
		wait = end.Sub(now)
	}
	if r.omit || r.limit < 0 {
		return ok, wait
	}
	reset := r.resetText
	if reset == "" && r.cfg.Headers.ResetEpoch {
		reset = strconv.FormatInt(end.Unix(), 10)
	} else if reset == "" {
		reset = strconv.Itoa(int(math.Ceil(end.Sub(now).Seconds())))
	}
	for _, kv := range [][2]string{
		{r.cfg.Headers.Limit, strconv.Itoa(r.limit)},
		{r.cfg.Headers.Remaining, strconv.Itoa(max(0, remaining))},
		{r.cfg.Headers.Reset, reset},
	} {
		switch {
		case kv[0] == "":
		case r.lower:
			h[strings.ToLower(kv[0])] = []string{kv[1]} // sent as written
		default:
			h.Set(kv[0], kv[1])
		}
	}
	return ok, wait
}

// Set sets the budget per window and, with used >= 0, how much of the
// current window is spent.
func (r *Rate) Set(limit, used int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.limit = limit
	if used < 0 {
		return
	}
	now := r.cfg.Now()
	r.start, r.used = now.Truncate(r.cfg.Window), used
	r.recent = nil
	for range used {
		r.recent = append(r.recent, now)
	}
}

// SetResetHeader sends v as the reset header instead of the real value
// ("": back to normal).
func (r *Rate) SetResetHeader(v string) { r.mu.Lock(); r.resetText = v; r.mu.Unlock() }

// SetOmitHeaders leaves the rate headers out.
func (r *Rate) SetOmitHeaders(on bool) { r.mu.Lock(); r.omit = on; r.mu.Unlock() }

// SetLowerCaseHeaders sends the header names in lower case, as written
// (as python-misfit's mocks do).
func (r *Rate) SetLowerCaseHeaders(on bool) { r.mu.Lock(); r.lower = on; r.mu.Unlock() }
