package export

import (
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no zone data for %s: %v", name, err)
	}
	return loc
}

func TestBinStartAlignsToWallClock(t *testing.T) {
	kathmandu := mustLoad(t, "Asia/Kathmandu") // +05:45
	for _, tc := range []struct {
		loc   *time.Location
		at    string
		width time.Duration
		want  string
	}{
		{time.UTC, "2026-01-15T10:07:31Z", 15 * time.Minute, "2026-01-15T10:00:00Z"},
		{time.UTC, "2026-01-15T10:15:00Z", 15 * time.Minute, "2026-01-15T10:15:00Z"},
		{time.UTC, "2026-01-15T10:07:31.9Z", time.Minute, "2026-01-15T10:07:00Z"},
		{time.UTC, "2026-01-15T10:07:31.9Z", time.Second, "2026-01-15T10:07:31Z"},
		{kathmandu, "2026-01-15T10:07:31+05:45", 15 * time.Minute, "2026-01-15T10:00:00+05:45"},
		{kathmandu, "2026-01-15T04:20:00Z", 15 * time.Minute, "2026-01-15T10:00:00+05:45"}, // 10:05 local
		{time.FixedZone("", -9*3600-30*60), "2026-01-15T00:14:59-09:30", 15 * time.Minute, "2026-01-15T00:00:00-09:30"},
		{time.UTC, "1969-12-31T23:59:59Z", time.Minute, "1969-12-31T23:59:00Z"}, // before the epoch
	} {
		at, err := time.Parse(time.RFC3339Nano, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		got := BinStart(at, tc.width, tc.loc).Format(time.RFC3339)
		if got != tc.want {
			t.Errorf("BinStart(%s, %v, %v) = %s, want %s", tc.at, tc.width, tc.loc, got, tc.want)
		}
	}
}

// The hour repeated when clocks go back gives two bins with their own
// offsets, not one bin of two hours.
func TestBinsAcrossDSTFallBack(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	start := time.Date(2025, 11, 2, 0, 0, 0, 0, ny) // 01:00-02:00 happens twice
	var samples []providers.Sample
	for m := 0; m < 4*60; m++ {
		samples = append(samples, providers.Sample{Time: start.Add(time.Duration(m) * time.Minute), Value: float64(m % 60)})
	}
	var got []string
	err := Bins(samples, time.Hour, ny, func(b Bin) error {
		got = append(got, b.Start.Format(time.RFC3339))
		if b.N != 60 || b.Min != 0 || b.Max != 59 || b.Mean() != 29.5 {
			t.Errorf("bin %s: n %d min %v max %v mean %v", b.Start, b.N, b.Min, b.Max, b.Mean())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2025-11-02T00:00:00-04:00", "2025-11-02T01:00:00-04:00", "2025-11-02T01:00:00-05:00", "2025-11-02T02:00:00-05:00"}
	if len(got) != len(want) {
		t.Fatalf("bins %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("bin %d starts %s, want %s", i, got[i], want[i])
		}
	}
}

func TestBinsSumsAndGaps(t *testing.T) {
	base := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	at := func(min, sec int) time.Time {
		return base.Add(time.Duration(min)*time.Minute + time.Duration(sec)*time.Second)
	}
	samples := []providers.Sample{
		{Time: at(0, 0), Value: 10}, {Time: at(5, 0), Value: 20}, {Time: at(14, 59), Value: 30}, // first quarter
		// nothing from 9:15 to 9:45: no bin
		{Time: at(45, 0), Value: 7},
		{Time: at(50, 0), Value: 3}, {Time: at(46, 0), Value: 4}, // out of order within a bin: same bin
		{Time: at(5, 30), Value: 9}, // back in an earlier bin: a new bin, nothing lost
	}
	type bin struct {
		start         string
		sum, min, max float64
		n             int
	}
	var got []bin
	if err := Bins(samples, 15*time.Minute, time.UTC, func(b Bin) error {
		got = append(got, bin{b.Start.Format("15:04"), b.Sum, b.Min, b.Max, b.N})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []bin{{"09:00", 60, 10, 30, 3}, {"09:45", 14, 3, 7, 3}, {"09:00", 9, 9, 9, 1}}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("bin %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	n := 0
	if err := Bins(nil, time.Minute, time.UTC, func(Bin) error { n++; return nil }); err != nil || n != 0 {
		t.Errorf("no samples: %d bins, %v", n, err)
	}
	all := Overall(samples)
	if all.N != 7 || all.Sum != 83 || all.Min != 3 || all.Max != 30 {
		t.Errorf("Overall = %+v", all)
	}
}
