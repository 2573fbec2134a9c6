package history

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/theme"
	"github.com/fittui/fittui/tui/layout"
	"github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/state"
)

var (
	today = providers.Date{Year: 2025, Month: time.May, Day: 14}
	t0    = time.Date(2025, 5, 14, 14, 3, 0, 0, time.UTC)
)

func setup(t testing.TB) (*Model, *state.Dashboard) {
	t.Helper()
	lipgloss.SetColorProfile(termenv.Ascii)
	th, _ := theme.Lookup("default")
	ctx := program.New(th, func() time.Time { return t0 }, time.Minute)
	s := state.New([]*state.Account{{Name: "runner", Provider: "demo"}})
	m := New(ctx, s, 0)
	m.Update(layout.SizeMsg{Width: 76, Height: 20})
	m.SetAccount(0, today)
	return m, s
}

func load(s *state.Dashboard, from, to providers.Date) {
	g := s.BeginHistory(0, from, to)
	var days []providers.DailyValues
	for d := from; !d.After(to); d = d.AddDays(1) {
		days = append(days, providers.DailyValues{Date: d, Steps: 8000 + d.Day, RestingHeartRate: 55, SleepMinutes: 420, WeightKg: 70})
	}
	s.ApplyHistory(state.HistoryAnswer{Account: 0, Gen: g, From: from, To: to, Days: days, At: t0})
}

func press(s string) tea.KeyMsg {
	switch s {
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "end":
		return tea.KeyMsg{Type: tea.KeyEnd}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func TestWantedAsksForTheWindowWithMarginOnce(t *testing.T) {
	m, s := setup(t)
	from, to, ok := m.Wanted()
	if !ok || from != today.AddDays(-13) || to != today {
		t.Fatalf("first: %v..%v %v", from, to, ok)
	}
	s.BeginHistory(0, from, to)
	if _, _, ok := m.Wanted(); ok {
		t.Fatal("asked again while on its way")
	}
	load(s, from, to)
	if _, _, ok := m.Wanted(); ok {
		t.Fatal("asked again when loaded")
	}
	m.Update(press("t")) // 30 days: only the missing older days
	from, to, ok = m.Wanted()
	if !ok || to != today.AddDays(-14) || from != today.AddDays(-59) {
		t.Fatalf("30d: %v..%v %v", from, to, ok)
	}
}

func TestNoRetryWhileRateLimitedOrSignedOut(t *testing.T) {
	m, s := setup(t)
	for _, err := range []error{
		providers.ErrRateLimited("demo", t0.Add(time.Hour)),
		providers.ErrSignIn("demo", "runner", nil),
		providers.ErrGone("demo", "gone"),
	} {
		g := s.BeginHistory(0, today, today)
		s.ApplyHistory(state.HistoryAnswer{Account: 0, Gen: g, Err: err, At: t0})
		if _, _, ok := m.Wanted(); ok {
			t.Errorf("%v: asked again", err)
		}
	}
	g := s.BeginHistory(0, today, today)
	s.ApplyHistory(state.HistoryAnswer{Account: 0, Gen: g, Err: providers.ErrRateLimited("demo", t0.Add(-time.Minute)), At: t0})
	if _, _, ok := m.Wanted(); !ok {
		t.Error("the rate limit is over: ask again")
	}
}

func TestSelectionStaysInWindowAndBeforeToday(t *testing.T) {
	m, _ := setup(t)
	m.Update(press("l"))
	if m.Selected() != today {
		t.Fatal("moved into the future")
	}
	m.Update(press("L"))
	if from, to := m.Window(); to != today || from != today.AddDays(-6) {
		t.Fatalf("L past today: %v..%v", from, to)
	}
	for range 400 {
		m.Update(press("pgup"))
	}
	first := today.AddDays(-MaxBack)
	if from, _ := m.Window(); m.Selected() != first || from != first {
		t.Fatalf("MaxBack: sel %v window from %v", m.Selected(), from)
	}
	m.Update(press("end"))
	if m.Selected() != today {
		t.Fatal("end goes back to today")
	}
	// Cycling to the year and back keeps the selected day in view.
	for range 5 {
		m.Update(press("h"))
	}
	for range 4 {
		m.Update(press("t"))
		from, to := m.Window()
		if m.Selected().Before(from) || m.Selected().After(to) || to.After(today) {
			t.Fatalf("range %v: sel %v outside %v..%v", m.Range(), m.Selected(), from, to)
		}
	}
}

func TestDayRollFollowsToday(t *testing.T) {
	m, _ := setup(t)
	m.SetToday(today.AddDays(1))
	if _, to := m.Window(); to != today.AddDays(1) || m.Selected() != today.AddDays(1) {
		t.Fatal("window did not follow the new day")
	}
	m.Update(press("h"))
	m.Update(press("H"))
	sel := m.Selected()
	_, end := m.Window()
	m.SetToday(today.AddDays(2))
	if _, to := m.Window(); m.Selected() != sel || to != end {
		t.Fatal("a window looking back must stay where it is")
	}
}

func TestDrawsExactlyAndShowsTheDay(t *testing.T) {
	m, s := setup(t)
	load(s, today.AddDays(-400), today)
	m.Refresh()
	v := ansi.Strip(m.View())
	for _, want := range []string{"[7d]", "May 8 – May 14 2025", "Steps", "avg 8,011 a day", "Resting heart rate",
		"55 bpm · avg 55 bpm", "Sleep", "avg 7:00 a night", "Wed May 14 2025  steps 8,014 · resting HR 55 · sleep 7:00 · weight 70.0 kg"} {
		if !strings.Contains(v, want) {
			t.Errorf("missing %q:\n%s", want, v)
		}
	}
	for range 3 {
		m.Update(press("t"))
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "[1y]") || !strings.Contains(v, "May 15 2024 – May 14 2025") {
		t.Errorf("year header:\n%s", v)
	}
	for w := 1; w <= 140; w += 7 {
		for h := 1; h <= 30; h += 2 {
			m.Update(layout.SizeMsg{Width: w, Height: h})
			ls := strings.Split(m.View(), "\n")
			if len(ls) != h {
				t.Fatalf("%dx%d: %d lines", w, h, len(ls))
			}
			for _, l := range ls {
				if ansi.StringWidth(l) != w {
					t.Fatalf("%dx%d: %q", w, h, ansi.Strip(l))
				}
			}
		}
	}
	m.Update(layout.SizeMsg{Width: 36, Height: 8})
	if v := ansi.Strip(m.View()); !strings.HasPrefix(v, "[1y]") {
		t.Errorf("narrow header keeps the current range:\n%s", v)
	}
}

func TestRedrawOnlyWhenSomethingChanged(t *testing.T) {
	m, s := setup(t)
	load(s, today.AddDays(-30), today)
	m.Refresh()
	v := m.Version()
	m.Refresh()
	m.Update(press("x"))
	if m.Version() != v {
		t.Fatal("redrawn without a change")
	}
	m.Update(press("h"))
	if m.Version() == v {
		t.Fatal("a new selection must redraw")
	}
}
