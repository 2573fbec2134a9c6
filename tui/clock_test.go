package tui

import (
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// walkClock moves the clock from now to until one second at a time, as a
// person watching an idle dashboard would see it. When the model's clock
// is due it delivers the wake, as the timer would, and counts it (and the
// wakes that changed nothing); otherwise it redraws the ageing panes as
// of that second and fails if the frame changed: the clock slept through
// a change on screen.
func walkClock(t *testing.T, m *Model, c *clock, until time.Time) (wakes, wasted int) {
	t.Helper()
	frame := m.View()
	for now := c.Now().Add(time.Second); !now.After(until); now = now.Add(time.Second) {
		c.Set(now)
		if !m.wakeAt.IsZero() && !now.Before(m.wakeAt) {
			send(m, wakeMsg{gen: m.wakeGen})
			wakes++
			if m.View() == frame {
				wasted++
			}
			frame = m.View()
			continue
		}
		m.accounts.Refresh()
		m.day.Refresh()
		m.render()
		if m.View() != frame {
			t.Fatalf("at %v the frame changed, but the clock sleeps until %v:\n%s",
				now.Format("15:04:05"), m.wakeAt.Format("15:04:05"), plain(m.View()))
		}
	}
	return wakes, wasted
}

// TestClockWakesOnlyForChanges: an idle dashboard wakes exactly when a text
// on screen changes with the clock ("updated 10s ago", the accounts' ages,
// "not checked for 5m", a rate limit ending) and at no other time: over
// two hours without a refresh, every wake changes the frame and no change
// waits for one.
func TestClockWakesOnlyForChanges(t *testing.T) {
	c := newClock(pinned)
	m := newModel(t, demoAccounts(t, c.Now), c.Now)
	start(m, 120, 40)
	wakes, wasted := walkClock(t, m, c, pinned.Add(2*time.Hour))
	if wasted > 0 {
		t.Errorf("%d of %d wakes changed nothing on screen", wasted, wakes)
	}
	// At least "updated": 5 steps of 10 s, then a minute's each, then hours.
	if wakes < 5+59+1 || wakes > 7200/10 {
		t.Errorf("%d wakes in two hours", wakes)
	}
	t.Logf("%d wakes in two idle hours (the one-second clock: 7,200)", wakes)

	// A rate limit that ends: "until 14:05" becomes "ended 14:05" at 14:05:17
	// (between the ages' steps, which fall on whole minutes here).
	c = newClock(pinned)
	a := newFake("alpha", 8432, c.Now)
	m = newModel(t, fakeAccounts(a), c.Now)
	start(m, 120, 40)
	a.failFrom, a.err = 1, providers.ErrRateLimited("fake", pinned.Add(2*time.Minute+17*time.Second))
	send(m, tickMsg{})
	c.Set(pinned.Add(time.Minute))
	send(m, tickMsg{})
	contains(t, m.View(), "rate limited until 14:05")
	if _, wasted := walkClock(t, m, c, pinned.Add(30*time.Minute)); wasted > 0 {
		t.Errorf("%d wakes changed nothing", wasted)
	}
	contains(t, m.View(), "rate limit ended 14:") // cut to the pane's width
}

// TestClockInTabs: a pane behind another tab does not wake the dashboard,
// and shows its texts as of now when its tab comes up.
func TestClockInTabs(t *testing.T) {
	c := newClock(pinned)
	m := newModel(t, demoAccounts(t, c.Now), c.Now)
	start(m, 80, 24)
	press(m, "tab") // the history tab: no ageing text on screen
	if !m.wakeAt.IsZero() {
		t.Fatalf("the history tab wakes at %v", m.wakeAt)
	}
	c.Set(pinned.Add(90 * time.Second))
	press(m, "shift+tab") // back to today
	contains(t, m.View(), "updated 1m ago")
	if !m.wakeAt.Equal(pinned.Add(2 * time.Minute)) {
		t.Errorf("today's tab wakes at %v, want 14:05", m.wakeAt)
	}
}
