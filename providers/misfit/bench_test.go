package misfit

import (
	"io"
	"net/http"
	"net/url"
	"testing"
)

// fakeBody fetches one answer from the fake for the decoder benchmarks.
func fakeBody(b *testing.B, e *env, path string, q url.Values) []byte {
	b.Helper()
	tok, _ := e.tokens.AccessToken(ctx(nil))
	req, _ := http.NewRequest("GET", e.fake.URL+resourceRoot+path+"?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return body
}

// BenchmarkDecodeSleeps31: a month of sleeps with their details.
func BenchmarkDecodeSleeps31(b *testing.B) {
	e := setup(b, "nightshift")
	body := fakeBody(b, e, pathSleeps, rangeQuery(e.today.AddDays(-30), e.today))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := decodeSleeps(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDailySeriesYear: a year of daily values through the fake, the
// memo emptied each time by the clock (12 summary and 12 sleep requests).
func BenchmarkDailySeriesYear(b *testing.B) {
	e := setup(b, "office")
	e.fake.SetRateLimit(1<<30, 0)
	from := e.today.AddDays(-364)
	e.p.DailySeries(ctx(b), from, e.today) // warm the demo's day cache
	for b.Loop() {
		e.fresh()
		if _, err := e.p.DailySeries(ctx(b), from, e.today); err != nil {
			b.Fatal(err)
		}
	}
}
