package charts

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

func TestBarsScaleFromZero(t *testing.T) {
	// 5 is half of 10: half the height, not the lowest glyph.
	got := Bars([]float64{5, 10}, 3, 2, Sum, noStyle, noStyle, -1)
	want := "  █\n█ █"
	if got != want {
		t.Errorf("Bars(5, 10) =\n%s\nwant\n%s", got, want)
	}
	// Eighths: 1..8 of 8 in one row.
	got = Bars([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 8, 1, Sum, noStyle, noStyle, -1)
	if got != "▁▂▃▄▅▆▇█" {
		t.Errorf("Bars(1..8) = %q", got)
	}
}

func TestBarsWeekInSixtyColumnsIsSevenDistinctBars(t *testing.T) {
	week := []float64{8000, 12000, 3000, 9000, 9500, 15000, 7000}
	s := Bars(week, 60, 6, Sum, noStyle, noStyle, -1)
	assertSize(t, s, 60, 6)
	want := strings.Join([]string{
		"                                             ███████        ",
		"             ▆▆▆▆▆▆▆                         ███████        ",
		"     ▂▂▂▂▂▂▂ ███████         ▅▅▅▅▅▅▅ ▆▆▆▆▆▆▆ ███████        ",
		"     ███████ ███████         ███████ ███████ ███████ ▆▆▆▆▆▆▆",
		"     ███████ ███████ ▂▂▂▂▂▂▂ ███████ ███████ ███████ ███████",
		"     ███████ ███████ ███████ ███████ ███████ ███████ ███████",
	}, "\n")
	if s != want {
		t.Errorf("Bars(week) =\n%s\nwant\n%s", s, want)
	}
	// The bottom row has exactly seven runs of blocks, one per day, where
	// Columns says they are.
	bottom := cells(s)[5]
	for i := range week {
		from, to, ok := Columns(i, len(week), 60)
		if !ok || to-from != 7 {
			t.Fatalf("Columns(%d) = %d, %d, %v", i, from, to, ok)
		}
		for x := range bottom {
			inside := x >= from && x < to
			if inside && bottom[x] != '█' {
				t.Fatalf("day %d: column %d is %q, want a block", i, x, bottom[x])
			}
		}
	}
	if runs := len(strings.Fields(string(bottom))); runs != 7 {
		t.Errorf("bottom row has %d bars, want 7: %q", runs, string(bottom))
	}
}

func TestBarsDownsampleWithAgg(t *testing.T) {
	v := []float64{2, 2, 1, 0, 4, 0, 0, 0}
	tests := []struct {
		agg  Agg
		want []int // column heights in eighths, height 4 = 32
	}{
		{Mean, []int{16, 8, 32, 0}}, // 2, 1, 4, none
		{Max, []int{16, 8, 32, 0}},  // 2, 1, 4, none
		{Sum, []int{32, 8, 32, 0}},  // 4, 1, 4, none
	}
	for _, tt := range tests {
		s := Bars(v, 4, 4, tt.agg, noStyle, noStyle, -1)
		assertSize(t, s, 4, 4)
		got := columnHeights(s)
		for x := range got {
			if got[x] != tt.want[x] {
				t.Errorf("agg %d: column heights %v, want %v\n%s", tt.agg, got, tt.want, s)
				break
			}
		}
	}
}

func TestBarsEdgeValues(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		want   string
	}{
		{"a tiny value still shows", []float64{1, 1e6}, "▁ █"},
		{"negative, nan, inf draw nothing", []float64{-5, math.NaN(), math.Inf(1), 4}, "   █"},
		{"all zeros", []float64{0, 0, 0}, "   "},
		{"huge values", []float64{math.MaxFloat64, math.MaxFloat64 / 2}, "█ ▄"},
		{"tiny values", []float64{5e-324, 1e-323}, "▄ █"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := len([]rune(tt.want))
			if got := Bars(tt.values, w, 1, Sum, noStyle, noStyle, -1); got != tt.want {
				t.Errorf("Bars(%v) = %q, want %q", tt.values, got, tt.want)
			}
		})
	}
}

func TestBarsSelectedBarHasSelStyle(t *testing.T) {
	r := trueColor()
	red := r.NewStyle().Foreground(lipgloss.Color("#ff0000"))
	blue := r.NewStyle().Foreground(lipgloss.Color("#0000ff"))

	s := Bars([]float64{3, 1, 2}, 5, 2, Sum, red, blue, 1)
	assertSize(t, s, 5, 2)
	if cells := strings.Join(strings.Split(stripped(s), "\n"), "|"); cells != "█   ▃|█ ▅ █" {
		t.Fatalf("cells %q", cells)
	}
	col := colours(s)
	// Bar 1 (column 2) is blue, bars 0 and 2 red, gaps uncoloured.
	want := [][]string{
		{redSGR, "", "", "", redSGR},
		{redSGR, "", blueSGR, "", redSGR},
	}
	for y := range want {
		for x := range want[y] {
			if !strings.Contains(col[y][x], want[y][x]) || (want[y][x] == "" && col[y][x] != "") {
				t.Errorf("cell %d,%d coloured %q, want %q\n%q", x, y, col[y][x], want[y][x], s)
			}
		}
	}
}

func TestBarsSelectionFollowsDownsampling(t *testing.T) {
	r := trueColor()
	red := r.NewStyle().Foreground(lipgloss.Color("#ff0000"))
	blue := r.NewStyle().Foreground(lipgloss.Color("#0000ff"))
	year := make([]float64, 365)
	for i := range year {
		year[i] = 5000 + float64(i%10)*100
	}
	s := Bars(year, 100, 3, Mean, red, blue, 200)
	assertSize(t, s, 100, 3)
	sel := BucketOf(200, 365, 100)
	for y, row := range colours(s) {
		for x, c := range row {
			want := redSGR
			if x == sel {
				want = blueSGR
			}
			if !strings.Contains(c, want) {
				t.Fatalf("cell %d,%d coloured %q, want %q", x, y, c, want)
			}
		}
	}
	// No selection: nothing blue.
	if strings.Contains(Bars(year, 100, 3, Mean, red, blue, -1), blueSGR) {
		t.Error("selected -1 still draws the selection colour")
	}
	if strings.Contains(Bars(year, 100, 3, Mean, red, blue, 365), blueSGR) {
		t.Error("selected past the end still draws the selection colour")
	}
}

// Columns agrees with where ntcharts' barchart really puts the bars.
func TestColumnsMatchDrawnBars(t *testing.T) {
	for width := 1; width <= 80; width++ {
		for total := 1; total <= 100; total++ {
			v := make([]float64, total)
			for i := range v {
				v[i] = 1
			}
			bottom := cells(Bars(v, width, 1, Max, noStyle, noStyle, -1))[0]
			owner := make([]int, width)
			for x := range owner {
				owner[x] = -1
			}
			for i := range total {
				from, to, ok := Columns(i, total, width)
				if !ok || from < 0 || to > width || to <= from {
					t.Fatalf("width %d total %d: Columns(%d) = %d, %d, %v", width, total, i, from, to, ok)
				}
				for x := from; x < to; x++ {
					if owner[x] >= 0 && BucketOf(owner[x], total, width) != BucketOf(i, total, width) {
						t.Fatalf("width %d total %d: column %d owned by %d and %d", width, total, x, owner[x], i)
					}
					owner[x] = i
				}
			}
			for x, r := range bottom {
				if (owner[x] >= 0) != (r == '█') {
					t.Fatalf("width %d total %d: column %d drawn %q, owner %d\n%q", width, total, x, r, owner[x], string(bottom))
				}
			}
		}
	}
	if _, _, ok := Columns(-1, 5, 10); ok {
		t.Error("Columns(-1) ok")
	}
	if _, _, ok := Columns(0, 5, 0); ok {
		t.Error("Columns(width 0) ok")
	}
}
