package tui

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/takeout"
	"github.com/fittui/fittui/providers/takeout/takeouttest"
	"github.com/fittui/fittui/tui/layout"
	"github.com/fittui/fittui/tui/wiring"
)

// enter in the history pane opens the cursor's day in the day pane; G
// brings both back to today.
func TestEnterOpensTheCursorsDayAndGBringsBothBack(t *testing.T) {
	_, _, m := setup(t, 140, 45)
	press(m, "tab") // day -> history
	if m.layout.Focus() != PaneHistory {
		t.Fatalf("focus %d", m.layout.Focus())
	}
	press(m, "h", "h", "h")
	contains(t, m.day.View(), "8,432") // moving the cursor alone opens nothing
	press(m, "enter")
	contains(t, m.View(), "Day · alpha · Sun May 11 2025", "Sun May 11 2025  steps")
	contains(t, m.day.View(), "1,107", "G today")
	lacks(t, m.day.View(), "8,432")
	if m.layout.Focus() != PaneHistory {
		t.Fatal("enter took the focus away in the wide layout")
	}
	press(m, "G")
	contains(t, m.View(), "Day · alpha · today, Wed May 14", "Wed May 14 2025  steps")
	contains(t, m.day.View(), "8,432")
	lacks(t, m.day.View(), "1,107", "G today")

	// From the day pane, G brings the history cursor back too.
	press(m, "h", "enter", "shift+tab")
	if m.layout.Focus() != PaneDay {
		t.Fatalf("focus %d", m.layout.Focus())
	}
	contains(t, m.day.View(), "1,307")
	press(m, "G")
	contains(t, m.View(), "today, Wed May 14", "Wed May 14 2025  steps")
}

// With tabs, enter shows the day pane's tab.
func TestEnterWithTabsShowsTheDay(t *testing.T) {
	_, _, m := setup(t, 80, 24)
	press(m, "tab", "h", "h", "enter")
	if m.layout.Mode() != layout.ModeTabs || m.layout.Focus() != PaneDay {
		t.Fatalf("mode %v focus %d", m.layout.Mode(), m.layout.Focus())
	}
	contains(t, m.View(), "Day · alpha · Mon May 12 2025", "1,207")
}

// A late answer for a day no longer shown, or for an account no longer
// shown, never lands in the day pane.
func TestLateAnswerForAnotherDay(t *testing.T) {
	_, _, m := setup(t, 140, 45)
	press(m, "tab", "h", "h", "h")
	_, late := m.Update(keyMsg("enter")) // May 11, answer held back
	press(m, "l", "enter")               // May 12 is shown now
	for _, msg := range collect(late) {
		m.Update(msg)
	}
	contains(t, m.View(), "Day · alpha · Mon May 12 2025")
	contains(t, m.day.View(), "1,207")
	lacks(t, m.day.View(), "1,107")
	if got := m.state.Get(0).Past; got.Day != (providers.Date{Year: 2025, Month: 5, Day: 12}) || got.Live.Summary.Steps != 1207 {
		t.Fatalf("past day %v with %d steps", got.Day, got.Live.Summary.Steps)
	}

	// Another account: alpha's past day arrives after bravo is shown.
	press(m, "h")
	_, late = m.Update(keyMsg("enter"))
	press(m, "2")
	for _, msg := range collect(late) {
		m.Update(msg)
	}
	contains(t, m.View(), "Day · bravo · today, Wed May 14", "1,234")
	lacks(t, m.day.View(), "1,107")
}

// An imported archive opens on its newest day with data, and its status
// says what it is, not "ok · just now".
func TestImportedArchiveOpensOnItsNewestDay(t *testing.T) {
	from := providers.Date{Year: 2024, Month: time.February, Day: 19}
	src, root := t.TempDir(), t.TempDir()
	if _, err := takeouttest.WriteDir(src, takeouttest.Options{From: from, To: from.AddDays(1), Layout: takeouttest.FitbitExport}); err != nil {
		t.Fatal(err)
	}
	if _, err := takeout.Import(context.Background(), takeout.Options{Paths: []string{src}, Account: "old", Root: root}); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return pinned }
	spec := providers.AccountSpec{Name: "old", Provider: takeout.Name, Options: map[string]string{takeout.OptionRoot: root}}
	p, err := providers.Open(spec, providers.Env{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(t, []wiring.Opened{wiring.Uncached(spec, p, now)}, now)
	start(m, 200, 60)
	contains(t, m.View(), "archive, through Feb 20 2024", "Day · old · Tue Feb 20 2024", "Tue Feb 20 2024  steps")
	lacks(t, m.View(), "ok · just now")
	send(m, tea.WindowSizeMsg{Width: 120, Height: 40}) // a narrower accounts pane says it shorter
	contains(t, m.View(), "archive · Feb 20 2024")
	press(m, "tab", "G") // today is outside the archive: back there and the day pane says so
	contains(t, m.View(), "Day · old · today, Wed May 14")
}
