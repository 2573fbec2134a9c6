package charts

import (
	"math"

	"github.com/charmbracelet/lipgloss"
)

// Bars draws one vertical bar per value (downsampled to width by agg),
// scaled from zero, in exactly width x height cells; the bar holding index
// selected (of the original values; -1 for none) is drawn with selStyle.
//
// Few values get wide bars with one blank column between them, right-
// aligned (see Columns). The largest value fills the height; any positive
// value shows at least an eighth block, so "a little" differs from "none".
// Zero, negative, NaN and ±Inf values draw nothing.
func Bars(values []float64, width, height int, agg Agg, style, selStyle lipgloss.Style, selected int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	ds := prepare(values, width, agg)
	sel := BucketOf(selected, len(values), width)
	g := newGrid(width, height)
	if len(ds) > 0 {
		top := 0.0
		for _, v := range ds {
			top = max(top, v)
		}
		drawBars(g, ds, top, func(i int) uint8 {
			if i == sel {
				return clsSelected
			}
			return clsNormal
		})
	}
	return g.render([numCls]pen{{}, newPen(style), newPen(selStyle)})
}

// lowerBlocks are the lower block elements by eighths filled (0: none).
var lowerBlocks = [9]rune{0, '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'}

// column is one bar of cells cells (0..height) as runes, top row first.
func column(cells float64, height int) []rune {
	out := make([]rune, height)
	if !(cells > 0) {
		return out
	}
	n := math.Floor(cells)
	full := int(n)
	for k := 0; k < full && k < height; k++ {
		out[height-1-k] = lowerBlocks[8]
	}
	if f := cells - n; f > 0 && full < height {
		e := int(f / .125)
		if f-float64(e)*.125 >= 0.0625 {
			e++
		}
		out[height-1-full] = lowerBlocks[min(e, 8)]
	}
	return out
}

// drawBars draws ds scaled from zero to top (values above top are cut at
// the top); class gives each bar's colour class.
func drawBars(g *grid, ds []float64, top float64, class func(i int) uint8) {
	width, height := g.w, g.h
	h := float64(height)
	// Each bar is full blocks topped by a lower eighth block, rounded as
	// ntcharts' barchart rounds them (to the nearest sixteenth), drawn
	// straight into the grid: ntcharts' canvas cost ~560 bytes a cell,
	// most of a year's redraw.
	cols := make([][]rune, len(ds))
	for i, v := range ds {
		cells := 0.0
		if v > 0 && top > 0 {
			// v/top first: h/top could overflow for tiny tops.
			cells = min(max(v/top*h, lowest), h)
		}
		cols[i] = column(cells, height)
	}

	off, bw, gap := layout(len(ds), width)
	for i := range ds {
		c := class(i)
		from := off + i*(bw+gap)
		for y := range height {
			r := cols[i][y]
			if r == 0 {
				continue
			}
			for x := from; x < from+bw; x++ {
				g.set(x, y, r, c)
			}
		}
	}
}
