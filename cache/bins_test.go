package cache

import (
	"errors"
	"os"
	"testing"

	"github.com/fittui/fittui/providers"
)

// TestHeartRateBins: bins decoded straight from the entries equal
// Downsample of the samples, for cached, stale and damaged days alike.
func TestHeartRateBins(t *testing.T) {
	f := setup(t)
	from, to := f.today.AddDays(-4), f.today
	const per = 48
	want := make([]float64, 0, 5*per)
	for d := from; !d.After(to); d = d.AddDays(1) {
		in, err := f.demo.Intraday(bg, d)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, Downsample(in.HeartRate.Samples, d.In(f.loc), d.AddDays(1).In(f.loc), per)...)
	}
	check := func(what string) {
		t.Helper()
		got, err := f.c.HeartRateBins(bg, from, to, per)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d bins", what, len(got))
		}
		for i := range got {
			if d := got[i] - want[i]; d > 1e-9 || d < -1e-9 {
				t.Fatalf("%s: bin %d = %v, want %v", what, i, got[i], want[i])
			}
		}
	}
	check("cold")
	f.prov.take()
	check("warm")
	expectCalls(t, f.prov) // today is still fresh
	// A damaged settled day is fetched again.
	p := f.store.path("me", intradayKey(from))
	b, _ := os.ReadFile(p)
	os.WriteFile(p, b[:len(b)-3], 0o600)
	check("damaged")
	expectCalls(t, f.prov, "Intraday "+from.String())

	// Offline with a day never fetched: the others are still there.
	f.prov.setFail(providers.ErrUnreachable("demo", errors.New("down")))
	got, err := f.c.HeartRateBins(bg, from.AddDays(-1), to, per)
	if providers.KindOf(err) != providers.KindUnreachable || len(got) != 6*per {
		t.Fatalf("offline: %d bins, %v", len(got), err)
	}
	for i := range per {
		if got[i] != 0 {
			t.Fatal("a day without data has bins")
		}
	}
	if got[per+per/2] != want[per/2] {
		t.Fatal("cached days lost when one day is missing")
	}
	if _, err := f.c.HeartRateBins(bg, to, from, per); err == nil {
		t.Fatal("reversed range accepted")
	}
}
