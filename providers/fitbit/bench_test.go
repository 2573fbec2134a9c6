package fitbit

import (
	"testing"
	"time"

	"github.com/fittui/fittui/providers/internal/memo"

	"github.com/fittui/fittui/providers/providertest"
)

// fakeBody fetches one answer from a fake for the decoder benchmarks.
func fakeBody(b *testing.B, e *env, path string) []byte {
	b.Helper()
	tok, _ := e.tokens.AccessToken(ctx(nil))
	_, _, body := providertest.Do(b, "GET", e.fake.URL+path, tok, "", nil)
	return body
}

func benchEnv(b *testing.B) *env {
	e := setupAt(b, "office", t0)
	e.fake.SetRateLimit(1<<30, 0)
	return e
}

// BenchmarkDecodeIntradayDay: a full day of 1-minute heart rate.
func BenchmarkDecodeIntradayDay(b *testing.B) {
	e := benchEnv(b)
	day := e.today.AddDays(-1)
	body := fakeBody(b, e, pathIntraday("heart", day, Detail1Min))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := decodeIntraday(body, "heart", day, e.loc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeSleepMonth: 31 nights of staged sleep.
func BenchmarkDecodeSleepMonth(b *testing.B) {
	e := benchEnv(b)
	body := fakeBody(b, e, pathSleep(e.today.AddDays(-30), e.today))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := decodeSleep(body, e.loc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdRefresh: the dashboard's cold refresh (9 requests) against
// the in-process fake, memos emptied each time by the clock.
func BenchmarkColdRefresh(b *testing.B) {
	e := benchEnv(b)
	for b.Loop() {
		e.clock.Advance(memo.TTL + time.Second)
		providertest.DashboardRefresh(b, e.p, e.today)
	}
}
