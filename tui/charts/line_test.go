package charts

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

func TestLineScalesBetweenMinAndMax(t *testing.T) {
	// 60 is the bottom dot row, 70 the top one, joined by a steep segment.
	got := Line([]float64{60, 70}, 2, 1, noStyle, noStyle, -1)
	rows := cells(got)
	if d := brailleDots(rows[0][0]); !d[3] || d[0] {
		t.Errorf("60 should sit on the bottom dot row only: %q", got)
	}
	if d := brailleDots(rows[0][1]); !d[0] {
		t.Errorf("70 should reach the top dot row: %q", got)
	}
}

func TestLineRisingSeriesHighestAtTheRight(t *testing.T) {
	v := make([]float64, 365)
	for i := range v {
		v[i] = 50 + float64(i)/10
	}
	s := Line(v, 100, 6, noStyle, noStyle, -1)
	assertSize(t, s, 100, 6)
	rows := cells(s)
	if got := topDot(rows, 99); got != 0 {
		t.Errorf("last column's highest dot is at %d, want 0 (top)", got)
	}
	if got := topDot(rows, 0); got != 6*4-1 {
		t.Errorf("first column's highest dot is at %d, want %d (bottom)", got, 6*4-1)
	}
	for x := 1; x < 100; x++ {
		if topDot(rows, x) > topDot(rows, x-1) {
			t.Fatalf("column %d lower than column %d:\n%s", x, x-1, s)
		}
	}
}

func TestLineGapsAndFlatSeries(t *testing.T) {
	// A zero is a gap: no dots in its column and nothing joins across it.
	s := Line([]float64{5, 0, 5}, 3, 1, noStyle, noStyle, -1)
	if got := cells(s)[0]; got[1] != ' ' || !isBraille(got[0]) || !isBraille(got[2]) {
		t.Errorf("Line(5, 0, 5) = %q, want dots, gap, dots", s)
	}
	// A flat series is a straight line in the middle: 2 rows = 8 dot rows,
	// the line on dot row 4 from the bottom, the bottom of the upper row.
	s = Line([]float64{7, 7, 7, 7}, 4, 2, noStyle, noStyle, -1)
	want := "⣀⣀⣀⣀\n    "
	if s != want {
		t.Errorf("Line(flat) = %q, want %q", s, want)
	}
	// NaN and Inf are gaps too; no data at all is blank.
	s = Line([]float64{math.NaN(), 3, math.Inf(1), 4}, 4, 1, noStyle, noStyle, -1)
	if got := cells(s)[0]; got[0] != ' ' || got[2] != ' ' || !isBraille(got[1]) || !isBraille(got[3]) {
		t.Errorf("Line(NaN, 3, Inf, 4) = %q", s)
	}
	if s := Line([]float64{0, 0}, 3, 2, noStyle, noStyle, -1); s != "   \n   " {
		t.Errorf("Line(zeros) = %q", s)
	}
}

func TestLinePointsSitUnderTheirBars(t *testing.T) {
	week := []float64{60, 62, 58, 0, 61, 66, 59}
	s := Line(week, 60, 4, noStyle, noStyle, -1)
	assertSize(t, s, 60, 4)
	rows := cells(s)
	for i, v := range week {
		from, to, _ := Columns(i, len(week), 60)
		mid := Mid(from, to)
		if got := topDot(rows, mid) >= 0; got != (v != 0) {
			t.Errorf("day %d (%v): column %d drawn = %v\n%s", i, v, mid, got, s)
		}
	}
	// The gap day's columns are empty: the line breaks.
	from, to, _ := Columns(3, len(week), 60)
	for x := from; x < to; x++ {
		if topDot(rows, x) >= 0 {
			t.Errorf("gap day has dots in column %d\n%s", x, s)
		}
	}
}

func TestLineSelectedColumn(t *testing.T) {
	r := trueColor()
	red := r.NewStyle().Foreground(lipgloss.Color("#ff0000"))
	blue := r.NewStyle().Foreground(lipgloss.Color("#0000ff"))
	v := []float64{60, 61, 62, 63, 64, 65, 66, 67, 68, 69}
	s := Line(v, 10, 3, red, blue, 4)
	assertSize(t, s, 10, 3)
	rows, col := cells(s), colours(s)
	for y := range rows {
		for x, c := range rows[y] {
			switch {
			case x == 4:
				if !strings.Contains(col[y][x], blueSGR) {
					t.Errorf("selected cell %d,%d coloured %q", x, y, col[y][x])
				}
				if c != Guide && !isBraille(c) {
					t.Errorf("selected cell %d,%d is %q, want line or guide", x, y, c)
				}
			case isBraille(c):
				if !strings.Contains(col[y][x], redSGR) {
					t.Errorf("line cell %d,%d coloured %q", x, y, col[y][x])
				}
			default:
				if c != ' ' || col[y][x] != "" {
					t.Errorf("blank cell %d,%d is %q coloured %q", x, y, c, col[y][x])
				}
			}
		}
	}
	if got := strings.Count(stripped(s), string(Guide)); got != 2 {
		t.Errorf("%d guide cells, want 2 (3 rows, one holds the line)\n%s", got, stripped(s))
	}
	if strings.ContainsRune(Line(v, 10, 3, red, blue, -1), Guide) {
		t.Error("no selection still draws the guide")
	}
	// Downsampled: index 300 of 365 at width 100 marks its bucket.
	year := make([]float64, 365)
	for i := range year {
		year[i] = 60
	}
	s = Line(year, 100, 2, red, blue, 300)
	x := BucketOf(300, 365, 100)
	for y, row := range colours(s) {
		if !strings.Contains(row[x], blueSGR) {
			t.Errorf("downsampled selection: cell %d,%d coloured %q", x, y, row[x])
		}
	}
}
