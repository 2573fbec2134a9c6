//go:build race

package charts

// The race detector makes ntcharts' canvas allocations ~5x slower; the
// full size sweep runs without it, a sample of widths with it.
const raceEnabled = true
