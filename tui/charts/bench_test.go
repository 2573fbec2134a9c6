package charts

import (
	"math"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

// benchSeries is a deterministic wavy series with a few gaps.
func benchSeries(n int, base, amp float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		if i%97 == 13 {
			continue // a gap
		}
		v[i] = base + amp*math.Sin(float64(i)/37) + float64(i%7)
	}
	return v
}

var (
	benchFg  = lipgloss.NewStyle().Foreground(lipgloss.Color("#ff5f87"))
	benchSel = lipgloss.NewStyle().Foreground(lipgloss.Color("#5fd7ff"))
	sink     string
)

func BenchmarkSparkline(b *testing.B) {
	v := benchSeries(3600, 65, 10)
	b.ReportAllocs()
	for b.Loop() {
		sink = Sparkline(v, 60, 3, benchFg)
	}
}

func BenchmarkBars365(b *testing.B) {
	v := benchSeries(365, 8000, 4000)
	b.ReportAllocs()
	for b.Loop() {
		sink = Bars(v, 100, 8, Sum, benchFg, benchSel, 200)
	}
}

func BenchmarkLine365(b *testing.B) {
	v := benchSeries(365, 60, 5)
	b.ReportAllocs()
	for b.Loop() {
		sink = Line(v, 100, 6, benchFg, benchSel, 200)
	}
}

func BenchmarkDownsample(b *testing.B) {
	v := benchSeries(86400, 70, 20)
	b.ReportAllocs()
	for b.Loop() {
		_ = Downsample(v, 120, Mean)
	}
}
