package accounts

import (
	"fmt"
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

var now = time.Date(2025, 5, 14, 14, 3, 0, 0, time.UTC)

func setup(t *testing.T, n int) (*Model, *state.Dashboard) {
	t.Helper()
	lipgloss.SetColorProfile(termenv.Ascii)
	th, _ := theme.Lookup("default")
	ctx := program.New(th, func() time.Time { return now }, time.Minute)
	var accs []*state.Account
	for i := range n {
		accs = append(accs, &state.Account{Name: fmt.Sprintf("acct%02d", i+1), Provider: "demo"})
	}
	s := state.New(accs)
	for i := range accs {
		g := s.Begin(i, state.KindProfile)
		s.ApplyProfile(state.ProfileAnswer{Account: i, Gen: g, At: now.Add(-2 * time.Minute), Profile: providers.Profile{
			Location: time.UTC, Devices: []providers.Device{{Name: "Band", BatteryPercent: 10 * (i + 1)}, {Name: "Scale", BatteryPercent: -1, BatteryLevel: "High"}},
		}})
	}
	m := New(ctx, s)
	m.Update(layout.FocusMsg{Focused: true})
	return m, s
}

func lines(m *Model) []string { return strings.Split(ansi.Strip(m.View()), "\n") }

func TestShowsStatusAgeAndBattery(t *testing.T) {
	m, s := setup(t, 2)
	m.Update(layout.SizeMsg{Width: 40, Height: 20})
	v := ansi.Strip(m.View())
	for _, want := range []string{"› 1 acct01 ◂", "2 acct02", "● ok · 2m ago", "Band 10% low", "Band 20% low", "Scale high"} {
		if !strings.Contains(v, want) {
			t.Errorf("missing %q in\n%s", want, v)
		}
	}
	g := s.Begin(1, state.KindToday)
	s.ApplyToday(state.TodayAnswer{Account: 1, Gen: g, Err: providers.ErrRateLimited("demo", now.Add(27*time.Minute)), At: now})
	m.Refresh()
	if v := ansi.Strip(m.View()); !strings.Contains(v, "◷ rate limited until 14:30 · 2m ago") {
		t.Errorf("rate limit not shown:\n%s", v)
	}
}

func TestExactSizeAndRicherDetailWhenRoomy(t *testing.T) {
	m, _ := setup(t, 3)
	for _, sz := range [][2]int{{30, 15}, {36, 8}, {76, 20}, {20, 3}, {1, 1}} {
		m.Update(layout.SizeMsg{Width: sz[0], Height: sz[1]})
		ls := lines(m)
		if len(ls) != sz[1] {
			t.Fatalf("%v: %d lines", sz, len(ls))
		}
		for _, l := range ls {
			if ansi.StringWidth(l) != sz[0] {
				t.Fatalf("%v: line %q", sz, l)
			}
		}
	}
	m.Update(layout.SizeMsg{Width: 40, Height: 20})
	if !strings.Contains(m.View(), "    Scale high") {
		t.Error("roomy: one line per device")
	}
	m.Update(layout.SizeMsg{Width: 60, Height: 6})
	if v := ansi.Strip(m.View()); !strings.Contains(v, "ok · 2m ago · Band 10% low · Scale high") {
		t.Errorf("tight: status and devices on one line:\n%s", v)
	}
}

func TestCursorScrollsAndEnterSelects(t *testing.T) {
	m, _ := setup(t, 12)
	m.Update(layout.SizeMsg{Width: 40, Height: 6})
	for range 11 {
		m.Update(tea.KeyMsg{Type: tea.KeyDown})
	}
	if m.Cursor() != 11 {
		t.Fatalf("cursor %d", m.Cursor())
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "›   acct12") || strings.Contains(v, "acct01") {
		t.Fatalf("cursor not scrolled into view (accounts past 9 have no number):\n%s", v)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyDown}) // stays on the last
	cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if msg, ok := cmd().(SelectMsg); !ok || msg.Index != 11 {
		t.Fatalf("enter: %#v", cmd())
	}
	for range 20 {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("k")})
	}
	if m.Cursor() != 0 {
		t.Fatalf("k to the top: %d", m.Cursor())
	}
}

func TestRefreshRedrawsOnlyOnChange(t *testing.T) {
	m, s := setup(t, 2)
	m.Update(layout.SizeMsg{Width: 40, Height: 20})
	v := m.Version()
	m.Refresh()
	m.Refresh()
	if m.Version() != v {
		t.Fatal("redrawn without a change")
	}
	g := s.Begin(0, state.KindProfile)
	s.ApplyProfile(state.ProfileAnswer{Account: 0, Gen: g, Err: providers.ErrSignIn("demo", "acct01", nil), At: now})
	m.Refresh()
	if m.Version() == v || !strings.Contains(ansi.Strip(m.View()), "✗ sign in again") {
		t.Fatalf("status change not drawn:\n%s", ansi.Strip(m.View()))
	}
}

func TestNoAccounts(t *testing.T) {
	m, _ := setup(t, 0)
	m.Update(layout.SizeMsg{Width: 30, Height: 5})
	if !strings.Contains(m.View(), "no accounts configured") || m.Update(tea.KeyMsg{Type: tea.KeyEnter}) != nil {
		t.Fatal("empty list")
	}
}

// msgs runs cmd (expanding batches) and returns its messages.
func msgs(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, msgs(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func TestAddAndSignInKeys(t *testing.T) {
	m, s := setup(t, 2)
	m.Update(layout.SizeMsg{Width: 60, Height: 20})
	if got := msgs(m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a")})); len(got) != 1 || got[0] != (AddMsg{}) {
		t.Fatalf("a: %v", got)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyDown})
	if got := msgs(m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s")})); len(got) != 1 || got[0] != (SignInMsg{Index: 1}) {
		t.Fatalf("s: %v", got)
	}
	// enter on an account that is fine only shows it.
	if got := msgs(m.Update(tea.KeyMsg{Type: tea.KeyEnter})); len(got) != 1 || got[0] != (SelectMsg{Index: 1}) {
		t.Fatalf("enter: %v", got)
	}
	// enter on one that must sign in again shows it and signs it in.
	g := s.Begin(1, state.KindToday)
	s.ApplyToday(state.TodayAnswer{Account: 1, Gen: g, Err: providers.ErrSignIn("demo", "acct02", nil), At: now})
	m.Refresh()
	if v := ansi.Strip(m.View()); !strings.Contains(v, "✗ sign in again · press s") {
		t.Fatalf("no hint:\n%s", v)
	}
	got := msgs(m.Update(tea.KeyMsg{Type: tea.KeyEnter}))
	if len(got) != 2 || got[0] != (SelectMsg{Index: 1}) || got[1] != (SignInMsg{Index: 1}) {
		t.Fatalf("enter on sign in again: %v", got)
	}
}

// The status ages with the clock: a rate limit that has passed says it
// ended, and an account nobody asked for a while does not read "ok" next
// to one on the same dead server that reads "offline".
func TestStatusAgesWithTheClock(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	th, _ := theme.Lookup("default")
	at := now
	ctx := program.New(th, func() time.Time { return at }, time.Minute)
	s := state.New([]*state.Account{{Name: "a", Provider: "fitbit"}, {Name: "b", Provider: "fitbit"}})
	for i := range 2 {
		g := s.Begin(i, state.KindProfile)
		s.ApplyProfile(state.ProfileAnswer{Account: i, Gen: g, At: now, Profile: providers.Profile{Location: time.UTC}})
	}
	m := New(ctx, s)
	m.Update(layout.SizeMsg{Width: 40, Height: 20})
	g := s.Begin(0, state.KindToday)
	s.ApplyToday(state.TodayAnswer{Account: 0, Gen: g, Err: providers.ErrRateLimited("fitbit", now.Add(2*time.Minute)), At: now})
	m.Refresh()
	if v := ansi.Strip(m.View()); !strings.Contains(v, "rate limited until 14:05") || !strings.Contains(v, "● ok · just now") {
		t.Fatalf("at 14:03:\n%s", v)
	}
	at = now.Add(4 * time.Minute)
	m.Refresh()
	if v := ansi.Strip(m.View()); !strings.Contains(v, "rate limit ended 14:05") || strings.Contains(v, "until 14:05") {
		t.Errorf("at 14:07 the limit is over:\n%s", v)
	}
	// The selected account is asked again and finds the server gone; the
	// other was last answered 6 minutes ago.
	at = now.Add(6 * time.Minute)
	g = s.Begin(0, state.KindToday)
	s.ApplyToday(state.TodayAnswer{Account: 0, Gen: g, Err: providers.ErrUnreachable("fitbit", nil), At: at})
	m.Refresh()
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "offline") || !strings.Contains(v, "○ not checked for 6m") || strings.Contains(v, "ok") {
		t.Errorf("at 14:09:\n%s", v)
	}
	s.Begin(1, state.KindProfile)
	m.Refresh()
	if v := ansi.Strip(m.View()); !strings.Contains(v, "checking…") {
		t.Errorf("asking b again:\n%s", v)
	}
}
