package charts

import (
	"math"
	"strings"
	"testing"
)

func TestSparklineScalesBetweenMinAndMax(t *testing.T) {
	// 60 and 70 are the lowest and the highest glyph, not 6/7 of a block
	// from zero.
	if got := Sparkline([]float64{60, 70}, 2, 1, noStyle); got != "▁█" {
		t.Errorf("Sparkline(60, 70) = %q, want %q", got, "▁█")
	}
	// A heart rate between 55 and 75 uses the full height of 3 rows.
	hr := []float64{55, 60, 65, 70, 75}
	got := Sparkline(hr, 5, 3, noStyle)
	want := strings.Join([]string{
		"   ▂█",
		"  ▅██",
		"▁▇███",
	}, "\n")
	if got != want {
		t.Errorf("Sparkline(55..75) =\n%s\nwant\n%s", got, want)
	}
}

func TestSparklineRisingSeriesPeaksAtTheRight(t *testing.T) {
	v := make([]float64, 500)
	for i := range v {
		v[i] = 100 + float64(i)
	}
	s := Sparkline(v, 40, 4, noStyle)
	assertSize(t, s, 40, 4)
	h := columnHeights(s)
	for x := 1; x < len(h); x++ {
		if h[x] < h[x-1] {
			t.Fatalf("column %d (%d/8) lower than column %d (%d/8): %v", x, h[x], x-1, h[x-1], h)
		}
	}
	if h[0] != 1 || h[len(h)-1] != 4*8 {
		t.Errorf("first column %d/8 (want 1), last %d/8 (want %d)", h[0], h[len(h)-1], 4*8)
	}
}

func TestSparklineFewValuesRightAlignedWithGaps(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		w, h   int
		want   string
	}{
		{"right aligned, zero is a gap", []float64{5, 0, 10}, 6, 1, "   ▁ █"},
		{"nan and inf are gaps", []float64{math.NaN(), 5, math.Inf(1), 10, math.Inf(-1)}, 5, 1, " ▁ █ "},
		{"flat series is a mid line", []float64{7, 7, 7}, 5, 1, "  ▄▄▄"},
		{"single value is a mid line", []float64{42}, 3, 1, "  ▄"},
		{"flat series, two rows", []float64{7, 0, 7}, 3, 2, "   \n█ █"},
		{"negatives scale too", []float64{-10, -5, 0, -20}, 4, 1, "▆█ ▁"},
		{"no data", []float64{0, 0, math.NaN()}, 4, 2, "    \n    "},
		{"nil", nil, 3, 1, "   "},
		{"huge range", []float64{-math.MaxFloat64, math.MaxFloat64}, 2, 1, "▁█"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sparkline(tt.values, tt.w, tt.h, noStyle)
			if got != tt.want {
				t.Errorf("Sparkline(%v, %d, %d) = %q, want %q", tt.values, tt.w, tt.h, got, tt.want)
			}
		})
	}
}

func TestSparklineDownsamplesLongSeriesByMean(t *testing.T) {
	// 3600 one-second samples in 60 columns: each column is the mean of a
	// minute. Minute m alternates between 60 (even) and 80 (odd) with the
	// odd minutes' samples split 70/90, so only the mean gives 80.
	v := make([]float64, 3600)
	for i := range v {
		switch m := i / 60; {
		case m%2 == 0:
			v[i] = 60
		case i%2 == 0:
			v[i] = 70
		default:
			v[i] = 90
		}
	}
	got := Sparkline(v, 60, 1, noStyle)
	want := strings.Repeat("▁█", 30)
	if got != want {
		t.Errorf("Sparkline(3600 samples) =\n%q\nwant\n%q", got, want)
	}
}
