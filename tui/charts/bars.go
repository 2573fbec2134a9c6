package charts

import (
	"github.com/NimbleMarkets/ntcharts/barchart"
	"github.com/NimbleMarkets/ntcharts/canvas"
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

// drawBars draws ds scaled from zero to top (values above top are cut at
// the top); class gives each bar's colour class.
func drawBars(g *grid, ds []float64, top float64, class func(i int) uint8) {
	width, height := g.w, g.h
	h := float64(height)
	data := make([]barchart.BarData, len(ds))
	for i, v := range ds {
		cells := 0.0
		if v > 0 && top > 0 {
			// v/top first: h/top could overflow for tiny tops.
			cells = min(max(v/top*h, lowest), h)
		}
		data[i] = barchart.BarData{Values: []barchart.BarValue{{Value: cells}}}
	}

	// ntcharts draws the bars without axis, one column per bar, with values
	// already in cells (max = height, scale 1); each column is then
	// widened to the bar's place in layout. Drawing every bar one column
	// wide keeps ntcharts' canvas (~560 bytes a cell) as small as possible.
	bc := barchart.New(len(ds), height,
		barchart.WithNoAxis(),
		barchart.WithNoAutoBarWidth(),
		barchart.WithBarWidth(1),
		barchart.WithBarGap(0),
		barchart.WithNoAutoMaxValue(),
		barchart.WithMaxValue(h),
		barchart.WithDataSet(data),
	)
	bc.Draw()

	off, bw, gap := layout(len(ds), width)
	for i := range ds {
		c := class(i)
		from := off + i*(bw+gap)
		for y := range height {
			r := bc.Canvas.Cell(canvas.Point{X: i, Y: y}).Rune
			if r == 0 {
				continue
			}
			for x := from; x < from+bw; x++ {
				g.set(x, y, r, c)
			}
		}
	}
}
