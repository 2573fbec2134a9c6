package charts

import "github.com/charmbracelet/lipgloss"

// Marks are what a scaled chart draws besides its values: the selected
// day, today (a day not over yet, drawn apart), and a goal line.
type Marks struct {
	// Selected and Today are indexes into the values; -1 for none.
	Selected, Today int
	// Goal draws a dashed line (GoalRune) at that value in the cells
	// the data leaves blank; 0 for none.
	Goal float64

	Style, SelStyle, GoalStyle, TodayStyle lipgloss.Style
}

// GoalRune draws the goal line; PointRune marks each value of a line
// chart whose points have room around them.
const (
	GoalRune  = '┈'
	PointRune = '•'
)

func (mk Marks) pens() [numCls]pen {
	return [numCls]pen{{}, newPen(mk.Style), newPen(mk.SelStyle), newPen(mk.GoalStyle), newPen(mk.TodayStyle)}
}

// classOf is the colour class of downsampled value b.
func (mk Marks) classOf(total, width int) func(b int) uint8 {
	sel, today := BucketOf(mk.Selected, total, width), BucketOf(mk.Today, total, width)
	return func(b int) uint8 {
		switch {
		case b == sel && sel >= 0:
			return clsSelected
		case b == today && today >= 0:
			return clsToday
		}
		return clsNormal
	}
}

// goalLine draws the goal in the blank cells of its row, over the
// columns that hold values (m of them, laid out as Columns says).
func (mk Marks) goalLine(g *grid, sc Scale, m int) {
	if mk.Goal <= 0 {
		return
	}
	r := sc.Row(mk.Goal, g.h)
	if r < 0 {
		return
	}
	off, _, _ := layout(m, g.w)
	for x := off; x < g.w; x++ {
		if g.at(x, r) == 0 {
			g.set(x, r, GoalRune, clsGoal)
		}
	}
}

// ScaledBars is Bars on a given scale (sc.Hi at the top; higher values
// are cut there) with marks: the selected bar in SelStyle, today's in
// TodayStyle, the goal line behind the bars.
func ScaledBars(values []float64, width, height int, agg Agg, sc Scale, mk Marks) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	ds := prepare(values, width, agg)
	g := newGrid(width, height)
	if len(ds) > 0 && sc.Hi > 0 {
		drawBars(g, ds, sc.Hi, mk.classOf(len(values), width))
	}
	mk.goalLine(g, sc, len(ds))
	return g.render(mk.pens())
}

// ScaledLine is Line on a given scale (values outside it are held at its
// edges), with a PointRune on each value when the values are at least two
// columns apart, the selected column in SelStyle with Guide in its blank
// cells, and today's point in TodayStyle.
func ScaledLine(values []float64, width, height int, sc Scale, mk Marks) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	ds := prepare(values, width, Mean)
	g := newGrid(width, height)
	if sc.Valid() {
		for i, v := range ds {
			if v != 0 {
				ds[i] = min(max(v, sc.Lo), sc.Hi)
				if ds[i] == 0 { // a scale through zero: keep the point
					ds[i] = sc.Step * 1e-9
				}
			}
		}
		_, bw, gap := layout(len(ds), width)
		class := mk.classOf(len(values), width)
		var point func(i, x, y int)
		if bw+gap >= 2 {
			point = func(i, x, y int) { g.set(x, y, PointRune, class(i)) }
		} else if c := class(BucketOf(mk.Today, len(values), width)); c == clsToday {
			today := BucketOf(mk.Today, len(values), width)
			point = func(i, x, y int) {
				if i == today {
					g.set(x, y, g.at(x, y), clsToday)
				}
			}
		}
		drawLine(g, ds, sc.Lo, sc.Hi, point)
	}
	if from, to, ok := Columns(mk.Selected, len(values), width); ok {
		x := Mid(from, to)
		for y := range height {
			if r := g.at(x, y); r == 0 {
				g.set(x, y, Guide, clsSelected)
			} else {
				g.set(x, y, r, clsSelected)
			}
		}
	}
	mk.goalLine(g, sc, len(ds))
	return g.render(mk.pens())
}
