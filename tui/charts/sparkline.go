package charts

import (
	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/sparkline"
	"github.com/charmbracelet/lipgloss"
)

// lowest is the height, in cells, of the smallest value in a min..max
// chart: one eighth block, so the minimum is still visible and differs
// from a gap.
const lowest = 1.0 / 8

// Sparkline draws values in exactly width x height cells, scaled between
// the values' min and max (not from zero). Zero values are gaps.
//
// More values than width are averaged (Mean) into width columns; fewer are
// right-aligned, newest at the right edge. The minimum is drawn as the
// lowest eighth block and the maximum fills the height; a flat series
// draws a line at half height.
func Sparkline(values []float64, width, height int, style lipgloss.Style) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	ds := prepare(values, width, Mean)
	lo, hi, _ := nonZeroRange(ds)

	g := newGrid(width, height)
	if len(ds) == 0 {
		return g.render([numCls]pen{})
	}
	// ntcharts' sparkline scales from zero to a max, so hand it heights
	// already in cells (max = height, scale factor 1) and keep zero for
	// gaps. Its canvas costs ~560 bytes a cell, so it only spans the
	// columns that hold values: the right-aligned len(ds) columns.
	h := float64(height)
	sl := sparkline.New(len(ds), height, sparkline.WithNoAutoMaxValue(), sparkline.WithMaxValue(h))
	for _, v := range ds {
		if v == 0 {
			sl.Push(0)
			continue
		}
		sl.Push(level(v, lo, hi, h))
	}
	sl.DrawColumnsOnly()

	off := width - len(ds)
	for y := range height {
		for x := range len(ds) {
			if r := sl.Canvas.Cell(canvas.Point{X: x, Y: y}).Rune; r != 0 {
				g.set(off+x, y, r, clsNormal)
			}
		}
	}
	return g.render([numCls]pen{{}, newPen(style), {}})
}

// level is the column height in cells of v in a min..max chart of height
// h: lowest for lo, h for hi, h/2 for a flat series.
func level(v, lo, hi, h float64) float64 {
	if hi <= lo {
		return h / 2
	}
	return lowest + unit(v, lo, hi)*(h-lowest)
}
