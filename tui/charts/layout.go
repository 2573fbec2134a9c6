package charts

// layout places m points (m <= width, one per downsampled value) in width
// columns, as Bars draws them: each point gets barWidth columns with gap
// blank columns between points, right-aligned after offset blank columns
// so that the newest value sits at the right edge. Few points get wide
// bars separated by one blank column (7 days in 60 columns are 7 distinct
// bars); too many for gaps get one column each.
func layout(m, width int) (offset, barWidth, gap int) {
	switch {
	case m <= 0 || width <= 0:
		return max(width, 0), 0, 0
	case m >= width:
		return 0, 1, 0
	case 2*m-1 <= width:
		gap = 1
		barWidth = (width - (m-1)*gap) / m
	default:
		barWidth = 1
	}
	return width - (m*barWidth + (m-1)*gap), barWidth, gap
}

// Columns reports the columns [from, to) in which Bars draws index i of a
// series of total values at the given width (after downsampling to width,
// when total > width). Line draws that index's point in the middle column,
// Mid(from, to). ok is false when i is outside 0..total-1 or width <= 0.
// Panes use it to put labels or markers under a chart.
func Columns(i, total, width int) (from, to int, ok bool) {
	b := BucketOf(i, total, width)
	if b < 0 {
		return 0, 0, false
	}
	off, bw, gap := layout(min(total, width), width)
	from = off + b*(bw+gap)
	return from, from + bw, true
}

// Mid is the middle column of [from, to), where Line marks a point.
func Mid(from, to int) int {
	return from + (to-from-1)/2
}
