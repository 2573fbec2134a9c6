package history

import (
	"testing"

	"github.com/fittui/fittui/tui/layout"
)

// BenchmarkRedrawYear is the history pane at a year in 118x21 (its size
// in a 120x40 terminal) redrawn after a data change: three scaled charts
// of 365 days, their axes and time labels.
func BenchmarkRedrawYear(b *testing.B) {
	m, s := setup(b)
	m.Update(layout.SizeMsg{Width: 118, Height: 21})
	load(s, today.AddDays(-400), today)
	send(m, "t", "t", "t")
	h := &s.Get(0).History
	b.ReportAllocs()
	for b.Loop() {
		h.Version++ // a data change: the kept drawing is stale
		m.Refresh()
	}
}

// BenchmarkRefreshUnchanged is Refresh with nothing changed: the kept
// drawing is returned.
func BenchmarkRefreshUnchanged(b *testing.B) {
	m, s := setup(b)
	m.Update(layout.SizeMsg{Width: 118, Height: 21})
	load(s, today.AddDays(-400), today)
	send(m, "t", "t", "t")
	b.ReportAllocs()
	for b.Loop() {
		m.Refresh()
	}
}
