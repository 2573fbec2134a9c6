package misfit

import (
	"net/url"
	"testing"

	"github.com/fittui/fittui/providers/providertest"
)

// fakeBody fetches one answer from the fake for the decoder benchmarks.
func fakeBody(b *testing.B, e *env, path string, q url.Values) []byte {
	b.Helper()
	tok, _ := e.tokens.AccessToken(ctx(nil))
	_, _, body := providertest.Do(b, "GET", e.fake.URL+resourceRoot+path+"?"+q.Encode(), tok, "", nil)
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

// BenchmarkDecodeSummaries31: a month of daily summaries.
func BenchmarkDecodeSummaries31(b *testing.B) {
	e := setup(b, "office")
	body := fakeBody(b, e, pathSummary, url.Values{"detail": {"true"}, "start_date": {e.today.AddDays(-30).String()}, "end_date": {e.today.String()}})
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := decodeSummaries(body, kmPerMile); err != nil {
			b.Fatal(err)
		}
	}
}
