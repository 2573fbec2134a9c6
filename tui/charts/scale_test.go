package charts

import (
	"fmt"
	"strings"
	"testing"
)

func TestBarScaleIsRoundAndTight(t *testing.T) {
	for _, c := range []struct {
		top        float64
		hi, step   float64
		wantLabels int
	}{
		{12345, 15000, 5000, 3},
		{10000, 10000, 5000, 2},
		{8200, 10000, 5000, 2},
		{7.6, 8, 4, 2}, // hours of sleep: 8h, 4h
		{52, 60, 20, 3},
	} {
		s := BarScale(c.top)
		if s.Hi != c.hi || s.Step != c.step || len(s.Ticks()) != c.wantLabels {
			t.Errorf("BarScale(%v) = %+v ticks %v; want hi %v step %v", c.top, s, s.Ticks(), c.hi, c.step)
		}
	}
	if s := BarScale(0); !s.Valid() {
		t.Errorf("BarScale(0) = %+v, want a valid 0..1", s)
	}
}

func TestLineScaleKeepsAMinimumSpan(t *testing.T) {
	// A resting heart rate of 48-49 bpm with a 10 bpm minimum span: at
	// least 10 bpm tall, round ends, the values inside.
	s := LineScale(48, 49, 10)
	if s.Hi-s.Lo < 10 || s.Lo > 48 || s.Hi < 49 || s.Lo != float64(int(s.Lo)) {
		t.Fatalf("LineScale(48, 49, 10) = %+v", s)
	}
	// On 4 rows the two values are at most one row apart.
	if a, b := s.Row(48, 4), s.Row(49, 4); b-a > 1 || a-b > 1 {
		t.Errorf("48 on row %d and 49 on row %d of 4: a 1 bpm change looks like more", a, b)
	}
	// A wide range is kept as it is, rounded out.
	w := LineScale(41, 78, 10)
	if w.Lo > 41 || w.Hi < 78 || w.Hi-w.Lo > 60 {
		t.Errorf("LineScale(41, 78, 10) = %+v", w)
	}
	if f := LineScale(60, 60, 0); !f.Valid() {
		t.Errorf("a flat series with no minimum span gives %+v", f)
	}
}

func TestAxisLabelsAtMostThreeApart(t *testing.T) {
	s := Scale{Lo: 40, Hi: 55, Step: 5}
	label := func(v float64) string { return fmt.Sprint(v) }
	for h := 1; h <= 12; h++ {
		ls := AxisLabels(s, h, label)
		n := 0
		for i, l := range ls {
			if l == "" {
				continue
			}
			n++
			if i > 0 && ls[i-1] != "" {
				t.Errorf("height %d: labels on neighbouring rows: %q", h, ls)
			}
		}
		if n == 0 || n > 3 {
			t.Errorf("height %d: %d labels %q", h, n, ls)
		}
		if ls[0] != "55" {
			t.Errorf("height %d: top row is %q, want the top tick 55", h, ls[0])
		}
	}
	ax := Axis(AxisLabels(s, 4, label), 4, noStyle)
	if strings.Join(ax, "|") != " 55┤|   │|   │| 40┤" {
		t.Errorf("axis = %q", ax)
	}
}

func TestScaledBarsGoalLineAndToday(t *testing.T) {
	v := []float64{4000, 12000, 6000}
	sc := BarScale(12000) // 0..15k: the goal of 10k is on a row of its own
	mk := Marks{Selected: -1, Today: 2, Goal: 10000, Style: noStyle}
	out := ScaledBars(v, 9, 6, Mean, sc, mk)
	assertSize(t, out, 9, 6)
	r := sc.Row(10000, 6)
	row := cells(out)[r]
	if !strings.ContainsRune(string(row), GoalRune) {
		t.Fatalf("no goal line on row %d:\n%s", r, out)
	}
	// The 12k bar crosses the goal: the line breaks there, the bar wins.
	from, to, _ := Columns(1, 3, 9)
	for x := from; x < to; x++ {
		if row[x] == GoalRune {
			t.Errorf("goal line drawn over the bar that passed it:\n%s", out)
		}
	}
	// Nothing is drawn above the scale's top.
	if ScaledBars([]float64{99999}, 3, 2, Mean, sc, mk) == "" {
		t.Fatal("empty chart")
	}
}

func TestScaledLineMarksEachPoint(t *testing.T) {
	v := []float64{48, 49, 48, 0, 49}
	sc := LineScale(48, 49, 10)
	out := ScaledLine(v, 20, 4, sc, Marks{Selected: -1, Today: -1, Style: noStyle})
	assertSize(t, out, 20, 4)
	if n := strings.Count(out, string(PointRune)); n != 4 {
		t.Errorf("%d point marks for 4 values:\n%s", n, out)
	}
	// One value per column leaves no room for marks.
	many := make([]float64, 40)
	for i := range many {
		many[i] = 48 + float64(i%2)
	}
	if out := ScaledLine(many, 40, 4, sc, Marks{Selected: -1, Today: -1}); strings.ContainsRune(out, PointRune) {
		t.Errorf("marks drawn with no room between points:\n%s", out)
	}
	for _, w := range []int{0, 1, 3} {
		for _, h := range []int{0, 1, 2} {
			assertSize(t, ScaledLine(v, w, h, sc, Marks{Selected: 2, Today: 4, Goal: 49}), w, h)
			assertSize(t, ScaledBars(v, w, h, Mean, BarScale(49), Marks{Selected: 2, Today: 4, Goal: 49}), w, h)
		}
	}
}
