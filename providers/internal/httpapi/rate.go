package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// The one reader of rate-limit headers: which headers a provider sends
// and how they write the reset are data in its descriptor
// (providers.RateHeaders), so no provider parses them itself.

// ReadRate reads what h says about the rate limit, by the names in hs.
// ok is false when neither the limit nor the remaining count is there (a
// garbage value counts as absent). A reset that is sent is clamped like
// any wait (MinBackoff..MaxBackoff from now; unreadable: DefaultBackoff);
// one that is not sent is zero.
func ReadRate(h http.Header, hs providers.RateHeaders, now time.Time) (providers.RateReading, bool) {
	limit, okL := count(h, hs.Limit)
	remaining, okR := count(h, hs.Remaining)
	if !okL && !okR {
		return providers.RateReading{}, false
	}
	rd := providers.RateReading{Limit: limit, Remaining: remaining}
	if hs.Reset != "" {
		if v := h.Get(hs.Reset); v != "" {
			rd.Reset = resetAt(v, hs.ResetAs, now)
		}
	}
	return rd, true
}

// count reads a non-negative count from header name; -1 and false when
// it is not there or not a count.
func count(h http.Header, name string) (int, bool) {
	if name == "" {
		return -1, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(h.Get(name)))
	if err != nil {
		return -1, false
	}
	if n < 0 {
		return -1, true // sent, but says nothing
	}
	return n, true
}

func resetAt(v string, clock providers.ResetClock, now time.Time) time.Time {
	if clock == providers.ResetUnixSeconds {
		return ResetAt(v, now)
	}
	return ResetIn(v, now)
}

// RetryAt says when to try again after a 429 whose headers are h: the
// Retry-After header where the provider's is trusted (or it names no
// reset header), else its reset header, else DefaultBackoff; always
// clamped.
func RetryAt(h http.Header, hs providers.RateHeaders, now time.Time) time.Time {
	if ra := h.Get("Retry-After"); ra != "" && (hs.TrustRetryAfter || hs.Reset == "") {
		return RetryAfter(ra, now)
	}
	if hs.Reset != "" {
		return resetAt(h.Get(hs.Reset), hs.ResetAs, now)
	}
	return now.Add(DefaultBackoff)
}

// RetryAt is RetryAt with the client's headers and clock.
func (c *Client) RetryAt(h http.Header) time.Time { return RetryAt(h, c.Rate, c.now()) }

// observeRate hands the rate headers of r to OnRate.
func (c *Client) observeRate(r *Response) {
	if c.OnRate == nil || !c.Rate.Any() {
		return
	}
	if rd, ok := ReadRate(r.Header, c.Rate, c.now()); ok {
		c.OnRate(rd)
	}
}
