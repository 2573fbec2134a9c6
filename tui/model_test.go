package tui

import (
	"errors"
	"flag"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/layout"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/textfmt"
)

func setup(t *testing.T, w, h int) (*fake, *fake, *Model) {
	t.Helper()
	a := newFake("alpha", 8432, func() time.Time { return pinned })
	b := newFake("bravo", 1234, func() time.Time { return pinned })
	m := newModel(t, fakeAccounts(a, b), func() time.Time { return pinned })
	start(m, w, h)
	return a, b, m
}

func TestFirstFrameBeforeAnyData(t *testing.T) {
	a := newFake("alpha", 8432, func() time.Time { return pinned })
	m := newModel(t, fakeAccounts(a), func() time.Time { return pinned })
	if m.State() != StateStarting || m.View() == "" {
		t.Fatalf("before a size: state %v view %q", m.State(), m.View())
	}
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if a.count("Profile") != 0 {
		t.Fatal("sizing must not call the provider")
	}
	contains(t, m.View(), "Day", "loading…")
	if got := len(strings.Split(m.View(), "\n")); got != 24 {
		t.Fatalf("skeleton has %d lines, want 24", got)
	}
}

func TestStartLoadsProfilesThenTodayAndHistory(t *testing.T) {
	a, b, m := setup(t, 140, 45)
	if a.count("Profile") != 1 || b.count("Profile") != 1 {
		t.Errorf("profiles: alpha %d, bravo %d calls; want 1 each", a.count("Profile"), b.count("Profile"))
	}
	if a.count("DaySummary") != 1 || a.count("Intraday") != 1 || a.count("Sleep") != 1 {
		t.Errorf("today of the selected account: %v", a.calls)
	}
	if b.count("DaySummary") != 0 {
		t.Errorf("bravo is not shown and must not be fetched: %v", b.calls)
	}
	contains(t, m.View(), "8,432 / 10,000", "84%", "Band alpha 80%", "ok", "History · alpha",
		"resting HR", "updated just now", "deep 1:30", "REM 2:10")
}

func TestFocusMovesWithTabAndShiftTab(t *testing.T) {
	_, _, m := setup(t, 80, 24)
	if m.layout.Focus() != PaneDay {
		t.Fatalf("start focus %d, want today", m.layout.Focus())
	}
	want := []int{PaneHistory, PaneAccounts, PaneDay}
	for _, w := range want {
		press(m, "tab")
		if m.layout.Focus() != w {
			t.Fatalf("after tab focus %d, want %d", m.layout.Focus(), w)
		}
	}
	press(m, "shift+tab")
	if m.layout.Focus() != PaneAccounts {
		t.Fatalf("after shift+tab focus %d, want accounts", m.layout.Focus())
	}
	// Narrow: the focused pane is the tab shown.
	contains(t, m.View(), "Accounts", "› 1 alpha")
	lacks(t, m.View(), "Steps")
}

func TestAccountSwitchingWithKeys(t *testing.T) {
	a, b, m := setup(t, 140, 45)
	press(m, "2")
	if m.engine.Selected() != 1 {
		t.Fatalf("2 selected %d", m.engine.Selected())
	}
	contains(t, m.View(), "Day · bravo", "History · bravo", "1,234")
	if b.count("DaySummary") != 1 {
		t.Errorf("bravo's today fetched %d times, want 1", b.count("DaySummary"))
	}
	// 1 back: alpha's data is kept, shown at once, not fetched again.
	press(m, "1")
	contains(t, m.View(), "Day · alpha", "8,432")
	if a.count("DaySummary") != 1 {
		t.Errorf("alpha refetched although fresh: %d calls", a.count("DaySummary"))
	}
	// 9 is no account: nothing changes.
	press(m, "9")
	if m.engine.Selected() != 0 {
		t.Errorf("9 changed the selection to %d", m.engine.Selected())
	}
	// j/k move the cursor, enter selects, in the accounts pane.
	press(m, "tab", "tab") // today -> history -> accounts
	if m.layout.Focus() != PaneAccounts {
		t.Fatalf("focus %d", m.layout.Focus())
	}
	press(m, "j")
	if m.accounts.Cursor() != 1 || m.engine.Selected() != 0 {
		t.Fatalf("j: cursor %d selected %d", m.accounts.Cursor(), m.engine.Selected())
	}
	press(m, "enter")
	if m.engine.Selected() != 1 {
		t.Fatalf("enter selected %d", m.engine.Selected())
	}
	press(m, "k", "up", "k")
	if m.accounts.Cursor() != 0 {
		t.Fatalf("k: cursor %d", m.accounts.Cursor())
	}
	press(m, "down", "enter")
	contains(t, m.View(), "Day · bravo")
}

func TestHistoryRangeAndWindow(t *testing.T) {
	_, _, m := setup(t, 80, 24)
	press(m, "tab")
	if m.layout.Focus() != PaneHistory {
		t.Fatal("history not focused")
	}
	h := m.history
	today := providers.DateOf(pinned)
	if h.Selected() != today || h.Range().Days != 7 {
		t.Fatalf("start: sel %v range %v", h.Selected(), h.Range())
	}
	contains(t, m.View(), "[7d]", "May 8 – May 14 2025", "Wed May 14 2025")
	for _, want := range []int{30, 90, 365, 7} {
		press(m, "t")
		if h.Range().Days != want {
			t.Fatalf("t: range %d, want %d", h.Range().Days, want)
		}
	}
	press(m, "right", "l")
	if h.Selected() != today {
		t.Fatalf("moved past today to %v", h.Selected())
	}
	press(m, "h", "left")
	if h.Selected() != today.AddDays(-2) {
		t.Fatalf("h h: %v", h.Selected())
	}
	from, to := h.Window()
	if to != today || from != today.AddDays(-6) {
		t.Fatalf("window moved without need: %v..%v", from, to)
	}
	// Walk past the window's first day: the window scrolls with the selection.
	press(m, "h", "h", "h", "h", "h")
	from, to = h.Window()
	if h.Selected() != today.AddDays(-7) || from != today.AddDays(-7) || to != today.AddDays(-1) {
		t.Fatalf("scroll: sel %v window %v..%v", h.Selected(), from, to)
	}
	contains(t, m.View(), "Wed May 7 2025", "steps 5,700")
	// H and L move a whole range.
	press(m, "H")
	if h.Selected() != today.AddDays(-14) {
		t.Fatalf("H: %v", h.Selected())
	}
	press(m, "pgdown")
	if h.Selected() != today.AddDays(-7) {
		t.Fatalf("pgdown: %v", h.Selected())
	}
	press(m, "end")
	if from, to := h.Window(); h.Selected() != today || to != today || from != today.AddDays(-6) {
		t.Fatalf("end: sel %v window %v..%v", h.Selected(), from, to)
	}
}

func TestKeysReadTogetherCountOneByOne(t *testing.T) {
	_, _, m := setup(t, 80, 24)
	press(m, "tab")
	send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("hhh")})
	if got := m.history.Selected(); got != providers.DateOf(pinned).AddDays(-3) {
		t.Fatalf("hhh moved to %v", got)
	}
	if quit := send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("hq")}); !quit {
		t.Fatal("the q in hq must quit")
	}
}

func TestHistoryFetchesOnlyWhatIsMissing(t *testing.T) {
	a, _, m := setup(t, 80, 24)
	press(m, "tab")
	n := a.count("DailySeries")
	// Moving inside what was loaded (a range of margin) asks nothing.
	press(m, "h", "h", "h", "h", "h", "h", "h", "h")
	if got := a.count("DailySeries"); got != n {
		t.Fatalf("moving inside loaded days fetched %d times", got-n)
	}
	// 30 days, 90 days and a year each need more days: one fetch each.
	press(m, "t", "t", "t")
	if got := a.count("DailySeries"); got != n+3 {
		t.Fatalf("30d, 90d, 1y: %d fetches, want 3", got-n)
	}
	press(m, "h", "h", "l")
	if got := a.count("DailySeries"); got != n+3 {
		t.Fatalf("moving in the year fetched again")
	}
	// Back to 7 days: all loaded.
	press(m, "t")
	if got := a.count("DailySeries"); got != n+3 {
		t.Fatalf("7d after a year fetched again")
	}
	from, to := m.history.Window()
	if !m.state.Get(0).History.Covers(from, to) {
		t.Fatal("year window not loaded")
	}
}

func TestHelpToggle(t *testing.T) {
	_, _, m := setup(t, 80, 24)
	press(m, "?")
	if m.State() != StateHelp {
		t.Fatalf("state %v after ?", m.State())
	}
	contains(t, m.View(), "Keys", "next pane", "range 7d/30d/90d/1y", "esc close help")
	press(m, "?")
	if m.State() != StateDashboard {
		t.Fatalf("state %v after second ?", m.State())
	}
	press(m, "?", "esc")
	if m.State() != StateDashboard {
		t.Fatalf("esc did not close help")
	}
	contains(t, m.View(), "Day · alpha")
}

func TestQuit(t *testing.T) {
	for _, keys := range [][]string{{"q"}, {"ctrl+c"}, {"?", "q"}, {"tab", "ctrl+c"}} {
		_, _, m := setup(t, 80, 24)
		if !press(m, keys...) {
			t.Errorf("%v did not quit", keys)
		}
	}
	_, _, m := setup(t, 80, 24)
	if press(m, "r", "t", "j", "?", "?") {
		t.Error("a key other than q and ctrl+c quit")
	}
}

func TestNoticeUntilFirstKey(t *testing.T) {
	a := newFake("alpha", 1, func() time.Time { return pinned })
	opts := Options{Accounts: fakeAccounts(a), Now: func() time.Time { return pinned },
		Notice: "no accounts configured: showing demo data"}
	ctx, _ := NewContext(opts)
	m := NewModel(opts, ctx)
	m.noTimers = true
	start(m, 100, 30)
	contains(t, m.View(), "no accounts configured: showing demo data")
	press(m, "tab")
	lacks(t, m.View(), "no accounts configured")
	contains(t, m.View(), "q quit")
}

// The newer of two requests wins even when the older answers last.
func TestStaleGenerationIsDropped(t *testing.T) {
	a, _, m := setup(t, 140, 45)
	a.grow = 1000
	_, first := m.Update(keyMsg("r"))
	_, second := m.Update(keyMsg("r"))
	newer := collect(second) // the provider answers the newer request first...
	older := collect(first)  // ...and the older one after it, with other numbers
	for _, msg := range newer {
		m.Update(msg)
	}
	contains(t, m.day.View(), "9,432")
	for _, msg := range older {
		m.Update(msg)
	}
	contains(t, m.day.View(), "9,432")
	lacks(t, m.day.View(), "10,432")
	if got := m.state.Get(0).Today.Live.Summary.Steps; got != 9432 {
		t.Fatalf("store holds %d steps from a stale answer", got)
	}
}

// An answer for an account that is no longer shown lands in that account's
// store, never in the panes showing the other one.
func TestLateAnswerForAnotherAccount(t *testing.T) {
	a, _, m := setup(t, 140, 45)
	a.grow = 1000
	_, late := m.Update(keyMsg("r")) // alpha's refresh, answer held back
	press(m, "2")                    // bravo is shown now
	for _, msg := range collect(late) {
		m.Update(msg)
	}
	contains(t, m.View(), "Day · bravo", "1,234", "History · bravo")
	lacks(t, m.day.View(), "9,432")
	if got := m.state.Get(0).Today.Live.Summary.Steps; got != 9432 {
		t.Fatalf("alpha's store has %d steps; the late answer was its newest and belongs there", got)
	}
	press(m, "1")
	contains(t, m.day.View(), "9,432")
}

func TestStaleMessagesOfEveryKindAreDropped(t *testing.T) {
	_, _, m := setup(t, 140, 45)
	before := m.View()
	m.Update(state.TodayAnswer{Account: 0, Gen: 1, Day: providers.DateOf(pinned), HasSummary: true,
		Live: state.Live{Summary: providers.DaySummary{Steps: 99999}}})
	m.Update(state.HistoryAnswer{Account: 0, Gen: 2, From: providers.DateOf(pinned), To: providers.DateOf(pinned),
		Days: []providers.DailyValues{{Date: providers.DateOf(pinned), Steps: 77777}}})
	m.Update(state.ProfileAnswer{Account: 0, Gen: 3, Err: errors.New("old failure")})
	m.Update(state.TodayAnswer{Account: 7, Gen: 999}) // no such account
	if m.View() != before {
		t.Fatalf("stale messages changed the view:\n%s", plain(m.View()))
	}
}

func TestErrorKeepsLastGoodData(t *testing.T) {
	a, _, m := setup(t, 140, 45)
	a.failFrom = 2
	a.err = providers.ErrUnreachable("fake", errors.New("dial tcp: connection refused"))
	press(m, "r")
	contains(t, m.View(), "8,432 / 10,000", "cannot reach the provider", "offline", "resting HR")
	// History keeps its days too.
	if len(m.state.Get(0).History.Days) == 0 {
		t.Fatal("history lost its days")
	}
	// Rate limits say until when, sign-in says what to run.
	a.err = providers.ErrRateLimited("fake", time.Date(2025, 5, 14, 14, 30, 0, 0, time.UTC))
	press(m, "r")
	contains(t, m.View(), "rate limited until 14:30", "8,432")
	a.err = providers.ErrSignIn("fake", "alpha", nil)
	press(m, "r")
	contains(t, m.View(), "sign in again", "fittui auth login fake --account alpha", "8,432")
	a.err = providers.ErrGone("fake", "this API was shut down; export your data with Takeout")
	press(m, "r")
	contains(t, m.View(), "provider gone", "8,432")
}

func TestErrorBeforeAnyData(t *testing.T) {
	a := newFake("alpha", 1, func() time.Time { return pinned })
	a.failFrom = 1
	a.err = providers.ErrUnreachable("fake", nil)
	m := newModel(t, fakeAccounts(a), func() time.Time { return pinned })
	start(m, 80, 24)
	contains(t, m.View(), "cannot reach the provider", "no data yet")
	press(m, "shift+tab")
	contains(t, m.View(), "offline")
}

// A tick whose answer is the same as what is shown redraws nothing.
func TestTickWithoutChangeRedrawsNothing(t *testing.T) {
	_, _, m := setup(t, 120, 40)
	frame := m.View()
	tv, hv, av := m.day.Version(), m.history.Version(), m.accounts.Version()
	for range 3 {
		send(m, tickMsg{})
		send(m, wakeMsg{})
	}
	if m.day.Version() != tv || m.history.Version() != hv || m.accounts.Version() != av {
		t.Errorf("versions moved: today %d->%d history %d->%d accounts %d->%d",
			tv, m.day.Version(), hv, m.history.Version(), av, m.accounts.Version())
	}
	if m.View() != frame {
		t.Error("frame changed on ticks that changed nothing")
	}
}

func TestTickRefreshesAndAgeAdvances(t *testing.T) {
	c := newClock(pinned)
	a := newFake("alpha", 8432, c.Now)
	a.grow = 10
	m := newModel(t, fakeAccounts(a), c.Now)
	start(m, 120, 40)
	c.Set(pinned.Add(30 * time.Second))
	send(m, wakeMsg{})
	contains(t, m.View(), "updated 30s ago")
	c.Set(pinned.Add(time.Minute))
	send(m, tickMsg{})
	contains(t, m.View(), "8,442", "updated just now")
	if a.count("Sleep") != 1 {
		t.Errorf("sleep fetched %d times; only every few ticks", a.count("Sleep"))
	}
}

func TestDateRollover(t *testing.T) {
	c := newClock(time.Date(2025, 5, 14, 23, 59, 0, 0, time.UTC))
	a := newFake("alpha", 100, c.Now)
	m := newModel(t, fakeAccounts(a), c.Now)
	start(m, 120, 40)
	contains(t, m.View(), "Wed May 14")
	c.Set(time.Date(2025, 5, 15, 0, 1, 0, 0, time.UTC))
	send(m, tickMsg{})
	contains(t, m.View(), "Day · alpha · today, Thu May 15", "May 9 – May 15 2025", "Thu May 15 2025")
	if m.history.Selected() != providers.DateOf(c.Now()) {
		t.Errorf("selection stayed on %v", m.history.Selected())
	}
}

func TestTooSmallNotice(t *testing.T) {
	_, _, m := setup(t, 80, 24)
	send(m, tea.WindowSizeMsg{Width: 100, Height: 11})
	if m.State() != StateTooSmall {
		t.Fatalf("state %v", m.State())
	}
	contains(t, m.View(), "terminal too small (need 40x12, have 100x11)")
	send(m, tea.WindowSizeMsg{Width: 39, Height: 30})
	contains(t, strings.ReplaceAll(m.View(), "\n", " "), "need 40x12", "39x30")
	send(m, tea.WindowSizeMsg{Width: 40, Height: 12})
	if m.State() != StateDashboard {
		t.Fatalf("40x12 is big enough, state %v", m.State())
	}
}

// checkFrame asserts the frame fills exactly w x h cells when the dashboard
// is shown, and never more in any state.
func checkFrame(t *testing.T, m *Model, w, h int) {
	t.Helper()
	v := m.View()
	lines := strings.Split(v, "\n")
	if v == "" {
		lines = nil
	}
	exact := m.State() == StateDashboard || m.State() == StateHelp
	if len(lines) > h || (exact && len(lines) != h) {
		t.Fatalf("%dx%d (state %v): %d lines", w, h, m.State(), len(lines))
	}
	for i, l := range lines {
		lw := textfmt.Width(l)
		if lw > w || (exact && lw != w) {
			t.Fatalf("%dx%d (state %v): line %d is %d wide: %q", w, h, m.State(), i, lw, plain(l))
		}
	}
}

var allSizes = flag.Bool("allsizes", false, "sweep every size from 0x0 to 200x60 (slow)")

// TestSizesFromZeroTo200x60 sweeps terminal sizes: every width with the
// heights around each threshold, and every height at the widths around
// each threshold; -allsizes sweeps all 12,261 sizes.
func TestSizesFromZeroTo200x60(t *testing.T) {
	c := newClock(pinned)
	m := newModel(t, demoAccounts(t, c.Now), c.Now)
	start(m, 120, 40)
	press(m, "tab") // history shown in tabs too
	heights := []int{0, 1, 2, 3, 5, 11, 12, 13, 20, 23, 24, 25, 29, 30, 31, 40, 45, 60}
	widths := []int{0, 1, 2, 5, 39, 40, 41, 60, 79, 80, 83, 84, 87, 88, 119, 120, 121, 140, 200}
	try := func(w, h int) {
		send(m, tea.WindowSizeMsg{Width: w, Height: h})
		checkFrame(t, m, w, h)
	}
	step := 1
	if raceEnabled && !*allSizes {
		step = 6
	}
	for w := 0; w <= 200; w++ {
		for h := 0; h <= 60; h++ {
			if *allSizes || (slices.Contains(heights, h) && w%step == 0) || slices.Contains(widths, w) {
				try(w, h)
			}
		}
	}
}

func TestResizeStorm(t *testing.T) {
	c := newClock(pinned)
	m := newModel(t, demoAccounts(t, c.Now), c.Now)
	start(m, 120, 40)
	r := rand.New(rand.NewPCG(1, 2))
	keys := []string{"tab", "shift+tab", "t", "h", "l", "H", "L", "j", "k", "enter", "1", "2", "3", "?", "end"}
	n := 1000
	if raceEnabled {
		n = 200
	}
	for i := range n {
		w, h := r.IntN(260), r.IntN(90)
		if i%10 == 0 {
			w, h = r.IntN(3), r.IntN(3)
		}
		send(m, tea.WindowSizeMsg{Width: w, Height: h})
		if r.IntN(3) == 0 {
			press(m, keys[r.IntN(len(keys))])
		}
		if r.IntN(20) == 0 {
			c.Set(c.Now().Add(time.Duration(r.IntN(3600)) * time.Second))
			send(m, tickMsg{})
		}
		checkFrame(t, m, w, h)
	}
}

func TestWideAndNarrowLayouts(t *testing.T) {
	_, _, m := setup(t, 140, 45)
	if m.layout.Mode() != layout.ModeWide {
		t.Fatal("140x45 should be side by side")
	}
	contains(t, m.View(), "Accounts", "Day · alpha", "History · alpha")
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if m.layout.Mode() != layout.ModeTabs {
		t.Fatal("80x24 should be tabs")
	}
	contains(t, m.View(), "Accounts │ Day │ History", "Steps", "Heart", "bpm", "Steps per hour")
	lacks(t, m.View(), "History · alpha")
}

// stubScreen records what reaches a modal screen.
type stubScreen struct{ got []string }

func (s *stubScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		s.got = append(s.got, k.String())
		if k.String() == "esc" {
			return s, func() tea.Msg { return CloseScreenMsg{} }
		}
	}
	return s, nil
}
func (s *stubScreen) View() string { return "sign in to a new account" }

func TestModalScreenTakesKeys(t *testing.T) {
	_, _, m := setup(t, 80, 24)
	sc := &stubScreen{}
	send(m, OpenScreenMsg{Screen: sc})
	if m.State() != StateModal {
		t.Fatalf("state %v", m.State())
	}
	if press(m, "q", "tab") {
		t.Fatal("q inside a modal must go to the modal, not quit")
	}
	contains(t, m.View(), "sign in to a new account")
	press(m, "esc")
	if m.State() != StateDashboard || strings.Join(sc.got, ",") != "q,tab,esc" {
		t.Fatalf("state %v, screen got %v", m.State(), sc.got)
	}
	if m.layout.Focus() != PaneDay {
		t.Fatal("keys for the modal moved the focus")
	}
	contains(t, m.View(), "Day · alpha")
	if !press(m, "ctrl+c") {
		t.Fatal("ctrl+c must always quit")
	}
}

func TestNoAccounts(t *testing.T) {
	m := newModel(t, nil, func() time.Time { return pinned })
	start(m, 80, 24)
	press(m, "1", "r", "tab", "t", "h", "shift+tab", "shift+tab", "j", "enter")
	send(m, tickMsg{})
	checkFrame(t, m, 80, 24)
	contains(t, m.View(), "no accounts configured")
}

func TestSigningInAndAddingAccounts(t *testing.T) {
	a, _, m := setup(t, 140, 45)
	send(m, SigningInMsg{Account: "bravo", On: true})
	contains(t, m.View(), "signing in…")
	send(m, SigningInMsg{Account: "bravo", On: false})
	lacks(t, m.View(), "signing in…")

	c := newFake("charlie", 4242, func() time.Time { return pinned })
	send(m, AddAccountMsg{Account: fakeAccounts(c)[0]})
	contains(t, m.View(), "3 charlie", "Band charlie 80%")
	press(m, "3")
	contains(t, m.View(), "Day · charlie", "4,242")

	// Signing in again replaces the provider of the account with that name.
	a.failFrom, a.err = 1, providers.ErrSignIn("fake", "alpha", nil)
	press(m, "1", "r")
	contains(t, m.View(), "sign in again")
	renewed := newFake("alpha", 5555, func() time.Time { return pinned })
	send(m, AddAccountMsg{Account: fakeAccounts(renewed)[0]})
	contains(t, m.View(), "Day · alpha", "5,555")
	lacks(t, m.View(), "sign in again")
	if len(m.state.Accounts) != 3 {
		t.Fatalf("%d accounts", len(m.state.Accounts))
	}
}
