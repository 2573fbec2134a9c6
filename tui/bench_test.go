package tui

import (
	"time"

	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/tui/state"
)

// loaded is the demo dashboard at w x h with every answer in.
func loaded(b *testing.B, w, h int) *Model {
	b.Helper()
	now := func() time.Time { return pinned }
	m := newModel(b, demoAccounts(b, now), now)
	start(m, w, h)
	return m
}

// BenchmarkView120x40 is a full frame's View at 120x40 with data loaded.
// View returns the kept frame: drawing happens in Update, when something
// changed (see BenchmarkRedraw and BenchmarkResize for that cost).
func BenchmarkView120x40(b *testing.B) {
	m := loaded(b, 120, 40)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkTickNoChange is a ticker update plus the answer it leads to,
// carrying the same data as before: nothing is redrawn.
func BenchmarkTickNoChange(b *testing.B) {
	m := loaded(b, 120, 40)
	_, cmd := m.Update(tickMsg{})
	var answer state.TodayAnswer
	for _, msg := range collect(cmd) {
		if t, ok := msg.(state.TodayAnswer); ok {
			answer = t
		}
	}
	m.Update(answer)
	tv := m.day.Version()
	b.ReportAllocs()
	for b.Loop() {
		m.Update(tickMsg{})
		answer.Gen = m.state.Gen(0, state.KindToday)
		m.Update(answer)
		_ = m.View()
	}
	if m.day.Version() != tv {
		b.Fatal("an unchanged answer redrew the today pane")
	}
}

// BenchmarkRedraw is an answer that changes today's data: the today pane's
// text and sparklines are redrawn, its frame and the body recomposed.
func BenchmarkRedraw(b *testing.B) {
	m := loaded(b, 120, 40)
	_, cmd := m.Update(tickMsg{})
	var answer state.TodayAnswer
	for _, msg := range collect(cmd) {
		if t, ok := msg.(state.TodayAnswer); ok {
			answer = t
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Update(tickMsg{})
		answer.Gen = m.state.Gen(0, state.KindToday)
		answer.Live.Summary.Steps++
		answer.Live.HeartKey.N++
		m.Update(answer)
		_ = m.View()
	}
}

// BenchmarkResize alternates between two wide sizes: every pane redraws
// everything.
func BenchmarkResize(b *testing.B) {
	m := loaded(b, 120, 40)
	sizes := []tea.WindowSizeMsg{{Width: 140, Height: 45}, {Width: 120, Height: 40}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Update(sizes[i%2])
		_ = m.View()
		i++
	}
}

// BenchmarkClockIdle is a message that changes nothing on screen (a wake
// before any text's time): the cost of Update and the clock's planning.
// The dashboard no longer wakes like this every second: the clock wakes
// only when a text changes.
func BenchmarkClockIdle(b *testing.B) {
	m := loaded(b, 120, 40)
	b.ReportAllocs()
	for b.Loop() {
		m.Update(wakeMsg{})
		_ = m.View()
	}
}

// BenchmarkClockAge is the wake that changes the age texts ("just now"
// becomes "10s ago"): the today pane's last line and the accounts' ages
// are redrawn, the charts are not.
func BenchmarkClockAge(b *testing.B) {
	c := newClock(pinned)
	m := newModel(b, demoAccounts(b, c.Now), c.Now)
	start(m, 120, 40)
	ages := []time.Time{pinned.Add(10 * time.Second), pinned}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Set(ages[i%2])
		m.due = pinned // due: the age texts are recomputed, as at a real wake
		m.Update(wakeMsg{})
		_ = m.View()
		i++
	}
}
