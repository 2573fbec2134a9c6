package cache

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// minuteSeries is a day of per-minute heart rate with gaps.
func minuteSeries(day providers.Date, loc *time.Location, rng *rand.Rand) providers.Series {
	s := providers.Series{Resolution: time.Minute}
	start := day.In(loc)
	v := 60.0
	for m := range 1440 {
		if rng.IntN(50) == 0 { // the watch was off the wrist
			continue
		}
		v = math.Max(40, math.Min(190, v+float64(rng.IntN(7)-3)))
		s.Samples = append(s.Samples, providers.Sample{Time: start.Add(time.Duration(m) * time.Minute), Value: v})
	}
	return s
}

func sameSeries(t *testing.T, what string, got, want providers.Series) {
	t.Helper()
	if got.Resolution != want.Resolution || len(got.Samples) != len(want.Samples) {
		t.Fatalf("%s: resolution %v/%v, %d/%d samples", what, got.Resolution, want.Resolution, len(got.Samples), len(want.Samples))
	}
	for i := range got.Samples {
		g, w := got.Samples[i], want.Samples[i]
		_, go1 := g.Time.Zone()
		_, wo := w.Time.Zone()
		if !g.Time.Equal(w.Time) || go1 != wo || g.Value != w.Value {
			t.Fatalf("%s: sample %d = %v %v, want %v %v", what, i, g.Time, g.Value, w.Time, w.Value)
		}
	}
}

func TestIntradayRoundTrip(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	rng := rand.New(rand.NewPCG(1, 2))
	dst := providers.Date{Year: 2026, Month: 3, Day: 8} // 23-hour day in New York
	cases := map[string]providers.Intraday{
		"per minute with gaps": {Date: dst, HeartRate: minuteSeries(dst, ny, rng),
			Steps: providers.Series{Resolution: 15 * time.Minute, Samples: []providers.Sample{
				{Time: dst.In(ny), Value: 0}, {Time: dst.In(ny).Add(15 * time.Minute), Value: 1234}}}},
		"empty":      {Date: dst, HeartRate: providers.Series{Resolution: time.Minute}},
		"note":       {Date: dst, Note: "intraday access not granted; showing daily data"},
		"fixed zone": {Date: dst, HeartRate: providers.Series{Samples: []providers.Sample{{Time: time.Date(2026, 3, 8, 1, 0, 0, 0, time.FixedZone("", 5*3600+1800)), Value: 70}}}},
		"irregular seconds and floats": {Date: dst, HeartRate: providers.Series{Samples: []providers.Sample{
			{Time: dst.In(ny).Add(3 * time.Second), Value: 71.5},
			{Time: dst.In(ny).Add(8 * time.Second), Value: -3},
			{Time: dst.In(ny).Add(8*time.Second + 7), Value: 1e300}}}},
		"negative and big ints": {Date: dst, Steps: providers.Series{Resolution: time.Minute, Samples: []providers.Sample{
			{Time: dst.In(ny), Value: -5}, {Time: dst.In(ny).Add(time.Minute), Value: 1 << 40}}}},
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := decodeIntraday(encodeIntraday(in))
			if err != nil {
				t.Fatal(err)
			}
			if got.Date != in.Date || got.Note != in.Note {
				t.Fatalf("date %v note %q", got.Date, got.Note)
			}
			sameSeries(t, "heart", got.HeartRate, in.HeartRate)
			sameSeries(t, "steps", got.Steps, in.Steps)
		})
	}
}

func TestIntradayUnsorted(t *testing.T) {
	d := providers.Date{Year: 2026, Month: 3, Day: 5}
	a, b := d.In(time.UTC), d.In(time.UTC).Add(time.Minute)
	in := providers.Intraday{Date: d, HeartRate: providers.Series{Resolution: time.Minute,
		Samples: []providers.Sample{{Time: b, Value: 2}, {Time: a, Value: 1}}}}
	got, err := decodeIntraday(encodeIntraday(in))
	if err != nil {
		t.Fatal(err)
	}
	if s := got.HeartRate.Samples; len(s) != 2 || !s[0].Time.Equal(a) || s[0].Value != 1 || s[1].Value != 2 {
		t.Fatalf("got %v", s)
	}
	if !in.HeartRate.Samples[0].Time.Equal(b) {
		t.Fatal("encoding reordered the caller's samples")
	}
}

// TestIntradayDamaged: every truncation and many bit flips of a valid
// payload give an error or a value, never a panic; truncations always
// give an error.
func TestIntradayDamaged(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	d := providers.Date{Year: 2026, Month: 3, Day: 5}
	p := encodeIntraday(providers.Intraday{Date: d, HeartRate: minuteSeries(d, time.UTC, rng)})
	for n := range len(p) {
		if _, err := decodeIntraday(p[:n]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(p))
		}
	}
	for range 2000 {
		b := append([]byte(nil), p...)
		b[rng.IntN(len(b))] ^= byte(1 << rng.IntN(8))
		_, _ = decodeIntraday(b)
	}
	if _, err := decodeIntraday(nil); err == nil {
		t.Fatal("nil payload decoded")
	}
}

func TestDownsample(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ss []providers.Sample
	for m := range 4 * 60 {
		ss = append(ss, providers.Sample{Time: from.Add(time.Duration(m) * time.Minute), Value: float64(m / 60)})
	}
	ss = append(ss, providers.Sample{Time: from.Add(-time.Minute), Value: 99}, providers.Sample{Time: from.Add(5 * time.Hour), Value: 99})
	got := Downsample(ss, from, from.Add(5*time.Hour), 5)
	want := []float64{0, 1, 2, 3, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if Downsample(ss, from, from, 3) != nil || Downsample(ss, from, from.Add(time.Hour), 0) != nil {
		t.Fatal("empty range or no bins gave bins")
	}
}

// FuzzDecodeIntraday: no input makes the decoder panic or allocate
// without bound; what decodes re-encodes to the same value.
func FuzzDecodeIntraday(f *testing.F) {
	d := providers.Date{Year: 2026, Month: 3, Day: 5}
	rng := rand.New(rand.NewPCG(7, 8))
	f.Add(encodeIntraday(providers.Intraday{Date: d, HeartRate: minuteSeries(d, time.UTC, rng)}))
	f.Add(encodeIntraday(providers.Intraday{Date: d, Note: "n"}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := decodeIntraday(b)
		if err != nil {
			return
		}
		again, err := decodeIntraday(encodeIntraday(in))
		if err != nil {
			t.Fatalf("re-encoding failed: %v", err)
		}
		if len(again.HeartRate.Samples) != len(in.HeartRate.Samples) || len(again.Steps.Samples) != len(in.Steps.Samples) {
			t.Fatal("re-encoding changed the series")
		}
	})
}

// A heart-rate series of windows keeps each window's lowest and highest
// reading through the cache; one without them reads as before.
func TestIntradayRangesRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	d := providers.Date{Year: 2026, Month: 11, Day: 20}
	hr := minuteSeries(d, mustLoc(t, "Europe/London"), rng)
	for i, s := range hr.Samples {
		lo, hi := s.Value-float64(rng.IntN(9)), s.Value+float64(rng.IntN(9))
		if i%7 == 0 {
			hi += 0.5 // not whole: the float column
		}
		hr.Min, hr.Max = append(hr.Min, lo), append(hr.Max, hi)
	}
	got, err := decodeIntraday(encodeIntraday(providers.Intraday{Date: d, HeartRate: hr, Steps: minuteSeries(d, time.UTC, rng)}))
	if err != nil {
		t.Fatal(err)
	}
	sameSeries(t, "heart", got.HeartRate, hr)
	if len(got.HeartRate.Min) != len(hr.Samples) || len(got.HeartRate.Max) != len(hr.Samples) {
		t.Fatalf("%d/%d ranges for %d samples", len(got.HeartRate.Min), len(got.HeartRate.Max), len(hr.Samples))
	}
	for i := range hr.Samples {
		if lo, hi := got.HeartRate.Range(i); lo != hr.Min[i] || hi != hr.Max[i] {
			t.Fatalf("window %d: %v..%v, want %v..%v", i, lo, hi, hr.Min[i], hr.Max[i])
		}
	}
	plain, err := decodeIntraday(encodeIntraday(providers.Intraday{Date: d, HeartRate: providers.Series{Resolution: time.Minute, Samples: hr.Samples}}))
	if err != nil || plain.HeartRate.Min != nil {
		t.Fatalf("without ranges: %v %v", plain.HeartRate.Min, err)
	}
	if lo, hi := plain.HeartRate.Range(3); lo != hr.Samples[3].Value || hi != lo {
		t.Errorf("Range without ranges: %v..%v", lo, hi)
	}
	p := encodeIntraday(providers.Intraday{Date: d, HeartRate: hr})
	for n := range len(p) {
		if _, err := decodeIntraday(p[:n]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(p))
		}
	}
}
