package googlehealth

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/fittui/fittui/providers/providertest"
)

// rawAnswer fetches one answer body from the fixture's fake.
func rawAnswer(b *testing.B, f *fixture, method, path, body string) []byte {
	b.Helper()
	tok, _ := f.tokens.AccessToken(ctx(b))
	status, _, out := providertest.Do(b, method, f.fake.URL+path, tok, body, nil)
	if status != 200 {
		b.Fatalf("%d %s", status, out)
	}
	return out
}

// BenchmarkDecodeHeartRateDay decodes and converts a day of per-minute
// heart rate (1440 rollUp windows).
func BenchmarkDecodeHeartRateDay(b *testing.B) {
	f := newFixture(b, "office")
	day := f.today.AddDays(-1)
	start, end := day.In(f.loc).UTC().Format(time.RFC3339), day.AddDays(1).In(f.loc).UTC().Format(time.RFC3339)
	body := rawAnswer(b, f, "POST", "/v4/users/me/dataTypes/heart-rate/dataPoints:rollUp",
		`{"range":{"startTime":"`+start+`","endTime":"`+end+`"},"windowSize":"60s"}`)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var pg page
		if err := json.Unmarshal(body, &pg); err != nil {
			b.Fatal(err)
		}
		for i := range pg.points() {
			if _, _, err := pg.points()[i].window(f.loc); err != nil {
				b.Fatal(err)
			}
			if _, _, err := convertHeartRateWindow(&pg.points()[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDecodeSleepPage decodes and converts a page of 25 sleep
// sessions with their stages.
func BenchmarkDecodeSleepPage(b *testing.B) {
	f := newFixture(b, "office")
	body := rawAnswer(b, f, "GET", "/v4/users/me/dataTypes/sleep/dataPoints?pageSize=25", "")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var pg page
		if err := json.Unmarshal(body, &pg); err != nil {
			b.Fatal(err)
		}
		for i := range pg.points() {
			if _, _, err := convertSleep(&pg.points()[i], f.loc); err != nil {
				b.Fatal(err)
			}
		}
	}
}
