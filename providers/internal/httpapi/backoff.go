package httpapi

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Bounds for waits a server asks for. A missing or unreadable value means
// DefaultBackoff; values are clamped to MinBackoff..MaxBackoff so a bad
// header can neither hammer the server nor park an account for days.
const (
	DefaultBackoff = 60 * time.Second
	MinBackoff     = time.Second
	MaxBackoff     = time.Hour
)

// ClampBackoff bounds d to MinBackoff..MaxBackoff.
func ClampBackoff(d time.Duration) time.Duration {
	switch {
	case d < MinBackoff:
		return MinBackoff
	case d > MaxBackoff:
		return MaxBackoff
	}
	return d
}

// parseSeconds reads a non-negative number of seconds (fractions allowed).
func parseSeconds(v string) (time.Duration, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, false
	}
	if f > MaxBackoff.Seconds() {
		return MaxBackoff, true
	}
	return time.Duration(f * float64(time.Second)), true
}

// RetryAfter reads a Retry-After header value (delta-seconds or an
// HTTP-date) and returns when to try again.
func RetryAfter(v string, now time.Time) time.Time {
	if d, ok := parseSeconds(v); ok {
		return now.Add(ClampBackoff(d))
	}
	if t, err := http.ParseTime(strings.TrimSpace(v)); err == nil {
		return now.Add(ClampBackoff(t.Sub(now)))
	}
	return now.Add(DefaultBackoff)
}

// ResetIn reads a "seconds until the limit resets" value (Fitbit's
// Fitbit-Rate-Limit-Reset) and returns when to try again.
func ResetIn(v string, now time.Time) time.Time {
	if d, ok := parseSeconds(v); ok {
		return now.Add(ClampBackoff(d))
	}
	return now.Add(DefaultBackoff)
}

// ResetAt reads a Unix-epoch reset time in seconds (X-RateLimit-Reset
// style) and returns when to try again.
func ResetAt(v string, now time.Time) time.Time {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e11 {
		return now.Add(DefaultBackoff)
	}
	at := time.Unix(0, 0).Add(time.Duration(f * float64(time.Second)))
	return now.Add(ClampBackoff(at.Sub(now)))
}
