package charts

import (
	"math"
	"slices"
	"testing"
)

func TestDownsampleNonPositiveN(t *testing.T) {
	for _, n := range []int{0, -1, math.MinInt} {
		if got := Downsample([]float64{1, 2, 3}, n, Mean); got != nil {
			t.Errorf("Downsample(n=%d) = %v, want nil", n, got)
		}
	}
}

func TestDownsampleShortSeriesIsACopy(t *testing.T) {
	in := []float64{3, 0, math.NaN(), -2}
	got := Downsample(in, 4, Sum)
	if len(got) != 4 || got[0] != 3 || got[1] != 0 || !math.IsNaN(got[2]) || got[3] != -2 {
		t.Fatalf("Downsample = %v, want an unchanged copy of %v", got, in)
	}
	got[0] = 99
	if in[0] != 3 {
		t.Fatal("Downsample returned the caller's slice, not a copy")
	}
	if got := Downsample(nil, 10, Mean); len(got) != 0 {
		t.Errorf("Downsample(nil) = %v, want empty", got)
	}
}

func TestDownsampleAggregates(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	tests := []struct {
		name string
		in   []float64
		n    int
		agg  Agg
		want []float64
	}{
		{"mean", []float64{1, 2, 3, 4, 5, 6}, 3, Mean, []float64{1.5, 3.5, 5.5}},
		{"max", []float64{1, 2, 3, 4, 5, 6}, 3, Max, []float64{2, 4, 6}},
		{"sum", []float64{1, 2, 3, 4, 5, 6}, 3, Sum, []float64{3, 7, 11}},
		{"mean ignores zeros", []float64{0, 4, 2, 2, 0, 0}, 3, Mean, []float64{4, 2, 0}},
		{"max of negatives ignores zeros", []float64{0, -5, -3, -1}, 2, Max, []float64{-5, -1}},
		{"nan and inf are no data", []float64{nan, 4, inf, -inf, 0, nan}, 3, Mean, []float64{4, 0, 0}},
		{"nan and inf skipped by max", []float64{nan, 4, inf, 2}, 2, Max, []float64{4, 2}},
		{"nan and inf skipped by sum", []float64{nan, 4, inf, 2}, 2, Sum, []float64{4, 2}},
		{"unequal buckets", []float64{1, 1, 1, 1, 1, 1, 1}, 3, Sum, []float64{3, 2, 2}},
		{"unknown agg is mean", []float64{2, 4, 6, 8}, 2, Agg(42), []float64{3, 7}},
		{"sum overflow clamps", []float64{math.MaxFloat64, math.MaxFloat64, 1}, 1, Sum, []float64{math.MaxFloat64}},
		{"negative sum overflow clamps", []float64{-math.MaxFloat64, -math.MaxFloat64, 1}, 1, Sum, []float64{-math.MaxFloat64}},
		{"mean of huge values", []float64{math.MaxFloat64, math.MaxFloat64, 0}, 1, Mean, []float64{math.MaxFloat64}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Downsample(tt.in, tt.n, tt.agg)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Downsample(%v, %d, %v) = %v, want %v", tt.in, tt.n, tt.agg, got, tt.want)
			}
		})
	}
}

// Buckets cover every value exactly once, in order, and differ in size by
// at most one.
func TestDownsampleBucketsCoverAllValuesInOrder(t *testing.T) {
	for total := 1; total <= 300; total++ {
		ones := make([]float64, total)
		index := make([]float64, total)
		for i := range ones {
			ones[i] = 1
			index[i] = float64(i + 1)
		}
		for n := 1; n < total; n++ {
			sizes := Downsample(ones, n, Sum)
			if len(sizes) != n {
				t.Fatalf("total %d n %d: %d buckets", total, n, len(sizes))
			}
			lo, hi := slices.Min(sizes), slices.Max(sizes)
			if lo < 1 || hi-lo > 1 || sum(sizes) != float64(total) {
				t.Fatalf("total %d n %d: bucket sizes %v", total, n, sizes)
			}
			// The last index of each bucket, by Max, rises and ends at total.
			last := Downsample(index, n, Max)
			if !slices.IsSorted(last) || last[n-1] != float64(total) {
				t.Fatalf("total %d n %d: bucket ends %v", total, n, last)
			}
		}
	}
}

func sum(v []float64) (s float64) {
	for _, x := range v {
		s += x
	}
	return s
}

// Every index maps, through BucketOf, to the one bucket of Downsample that
// holds its value.
func TestBucketOfMatchesDownsample(t *testing.T) {
	for total := 1; total <= 60; total++ {
		for n := 1; n <= 70; n++ {
			for i := range total {
				marked := make([]float64, total)
				marked[i] = 1
				ds := Downsample(marked, n, Sum)
				b := BucketOf(i, total, n)
				if b < 0 || b >= len(ds) || ds[b] != 1 || sum(ds) != 1 {
					t.Fatalf("total %d n %d: index %d -> bucket %d, downsampled %v", total, n, i, b, ds)
				}
			}
		}
	}
}

func TestBucketOfLargeSeries(t *testing.T) {
	const total, n = 86400, 120
	counts := make([]int, n)
	prev := 0
	for i := range total {
		b := BucketOf(i, total, n)
		if b < prev || b > prev+1 {
			t.Fatalf("index %d -> bucket %d after bucket %d", i, b, prev)
		}
		counts[b]++
		prev = b
	}
	for b, c := range counts {
		if c != total/n {
			t.Fatalf("bucket %d holds %d indices, want %d", b, c, total/n)
		}
	}
	// No overflow on absurd sizes.
	if got := BucketOf(math.MaxInt-1, math.MaxInt, 1000); got != 999 {
		t.Errorf("BucketOf(MaxInt-1, MaxInt, 1000) = %d, want 999", got)
	}
}

func TestBucketOfOutOfRange(t *testing.T) {
	tests := []struct{ i, total, n int }{
		{-1, 10, 5}, {10, 10, 5}, {11, 10, 5}, {0, 0, 5}, {0, 10, 0}, {3, 10, -1},
		{math.MinInt, 10, 5}, {math.MaxInt, 10, 5}, {0, -3, 5},
	}
	for _, tt := range tests {
		if got := BucketOf(tt.i, tt.total, tt.n); got != -1 {
			t.Errorf("BucketOf(%d, %d, %d) = %d, want -1", tt.i, tt.total, tt.n, got)
		}
	}
	// Short series keep their indices.
	for i := range 7 {
		if got := BucketOf(i, 7, 60); got != i {
			t.Errorf("BucketOf(%d, 7, 60) = %d, want %d", i, got, i)
		}
	}
}
