// Package charts renders the dashboard's small charts to strings.
// STUB: the charts helper replaces this file; these signatures are the
// contract the panes build against.
package charts

import "github.com/charmbracelet/lipgloss"

// Agg says how Downsample merges the values of one bucket.
type Agg int

const (
	Mean Agg = iota // mean of the non-zero values (zero means "no data")
	Max
	Sum
)

// Downsample reduces values to at most n buckets. Zero values are "no data".
func Downsample(values []float64, n int, agg Agg) []float64 { return values }

// BucketOf maps index i of a series of length total to its bucket when the
// series is downsampled to n buckets.
func BucketOf(i, total, n int) int { return i }

// Sparkline draws values in exactly width x height cells, scaled between
// the values' min and max (not from zero). Zero values are gaps.
func Sparkline(values []float64, width, height int, style lipgloss.Style) string { return "" }

// Bars draws one vertical bar per value (downsampled to width by agg),
// scaled from zero, in exactly width x height cells; the bar holding index
// selected (of the original values; -1 for none) is drawn with selStyle.
func Bars(values []float64, width, height int, agg Agg, style, selStyle lipgloss.Style, selected int) string {
	return ""
}

// Line draws values as a line chart in exactly width x height cells,
// scaled between min and max of the non-zero values; zero values are gaps.
// The column holding index selected (-1 none) is marked with selStyle.
func Line(values []float64, width, height int, style, selStyle lipgloss.Style, selected int) string {
	return ""
}
