package charts

import (
	"math"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	"github.com/NimbleMarkets/ntcharts/canvas/runes"
	"github.com/charmbracelet/lipgloss"
)

// Guide is drawn, in selStyle, in the blank cells of Line's selected
// column, so the selection shows even where the line is elsewhere or
// missing, and without colour.
const Guide = '┊'

// Line draws values as a line chart in exactly width x height cells,
// scaled between min and max of the non-zero values; zero values are gaps.
// The column holding index selected (-1 none) is marked with selStyle.
//
// The line is braille (2x4 dots per cell). More values than width are
// averaged (Mean) into width columns; fewer are placed in the middle of
// the columns Bars would give them (see Columns), so a line drawn under
// bars of the same series lines up with them. Only neighbouring values
// are joined: a gap breaks the line, a lone value is a short dash. The
// selected column's line cells take selStyle and its blank cells Guide.
func Line(values []float64, width, height int, style, selStyle lipgloss.Style, selected int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	ds := prepare(values, width, Mean)
	g := newGrid(width, height)
	if lo, hi, ok := nonZeroRange(ds); ok {
		drawLine(g, ds, lo, hi, nil)
	}

	if from, to, ok := Columns(selected, len(values), width); ok {
		x := Mid(from, to)
		for y := range height {
			if g.at(x, y) == 0 {
				g.set(x, y, Guide, clsSelected)
			} else {
				g.set(x, y, g.at(x, y), clsSelected)
			}
		}
	}
	return g.render([numCls]pen{{}, newPen(style), newPen(selStyle)})
}

// drawLine draws ds between lo (bottom) and hi (top); point, when not
// nil, is called with each value's column and row.
func drawLine(g *grid, ds []float64, lo, hi float64, point func(i, x, y int)) {
	width, height := g.w, g.h
	// Work in braille dot coordinates: x 0..2w-1, y 0..4h-1 from the
	// bottom; the grid maps them 1:1 onto its dots.
	dotsY := float64(4*height - 1)
	bg := graph.NewBrailleGrid(width, height, 0, float64(2*width-1), 0, dotsY)
	dotY := func(v float64) float64 {
		if hi <= lo {
			return math.Round(dotsY / 2)
		}
		return math.Round(unit(v, lo, hi) * dotsY)
	}
	off, bw, gap := layout(len(ds), width)
	segment := func(x1, y1, x2, y2 float64) {
		p1 := bg.GridPoint(canvas.Float64Point{X: x1, Y: y1})
		p2 := bg.GridPoint(canvas.Float64Point{X: x2, Y: y2})
		for _, p := range graph.GetLinePoints(p1, p2) {
			bg.Set(p)
		}
	}
	prevX, prevY, prev := 0.0, 0.0, false
	for i, v := range ds {
		if v == 0 {
			prev = false
			continue
		}
		from := off + i*(bw+gap)
		left := float64(2 * Mid(from, from+bw))
		y := dotY(v)
		if prev {
			segment(prevX, prevY, left, y)
		}
		segment(left, y, left+1, y)
		prevX, prevY, prev = left+1, y, true
	}
	for y, row := range bg.BraillePatterns() {
		for x, r := range row {
			if r != runes.BrailleBlockOffset && r != 0 {
				g.set(x, y, r, clsNormal)
			}
		}
	}
	if point == nil {
		return
	}
	for i, v := range ds {
		if v == 0 {
			continue
		}
		from := off + i*(bw+gap)
		point(i, Mid(from, from+bw), height-1-int(dotY(v))/4)
	}
}
