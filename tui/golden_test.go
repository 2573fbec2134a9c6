package tui

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// golden runs the real program on the demo accounts with a pinned clock at
// w x h, presses keys once everything in waitFor has been painted, waits
// for after, quits and compares the final model's View (not the output
// stream, whose chunks vary) with testdata/<test name>.golden. Run
// `go test ./tui/... -update` to rewrite the files.
func golden(t *testing.T, w, h int, waitFor []string, keys []string, after []string) {
	t.Helper()
	now := func() time.Time { return pinned }
	m := newModel(t, demoAccounts(t, now), now)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	waitAll(t, tm, waitFor)
	waitIdle(t, tm)
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
	waitAll(t, tm, after)
	waitIdle(t, tm)
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	teatest.RequireEqualOutput(t, []byte(final.View()))
}

// waitIdle waits until no provider call is on its way: the keys sent before
// are handled (messages are handled in order) and what they asked for is in.
func waitIdle(t *testing.T, tm *teatest.TestModel) {
	t.Helper()
	reply := make(chan bool, 1)
	tm.Send(idleMsg{reply: reply})
	select {
	case <-reply:
	case <-time.After(10 * time.Second):
		t.Fatal("the dashboard did not settle within 10s")
	}
}

func waitAll(t *testing.T, tm *teatest.TestModel, want []string) {
	t.Helper()
	if len(want) == 0 {
		return
	}
	seen := make([]bool, len(want))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		all := true
		for i, w := range want {
			seen[i] = seen[i] || bytes.Contains(b, []byte(w))
			all = all && seen[i]
		}
		return all
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// Painted once the data is in: the today pane's age, the history's sleep
// average and every demo account's device.
var (
	todayLoaded    = []string{"updated just now"}
	historyLoaded  = []string{"a night"}
	accountsLoaded = []string{"Sense 2", "Charge 6", "Inspire 3"}
)

func TestGoldenTabs80x24(t *testing.T) {
	t.Run("today", func(t *testing.T) {
		golden(t, 80, 24, todayLoaded, nil, nil)
	})
	t.Run("history", func(t *testing.T) {
		golden(t, 80, 24, todayLoaded, []string{"tab"}, historyLoaded)
	})
	t.Run("accounts", func(t *testing.T) {
		golden(t, 80, 24, todayLoaded, []string{"shift+tab"}, accountsLoaded)
	})
}

func TestGoldenWide140x45(t *testing.T) {
	all := append(append(append([]string{}, todayLoaded...), historyLoaded...), accountsLoaded...)
	t.Run("dashboard", func(t *testing.T) {
		golden(t, 140, 45, all, nil, nil)
	})
	t.Run("office_30d_back_a_week", func(t *testing.T) {
		golden(t, 140, 45, all, []string{"2", "tab", "t", "h", "h", "h", "h", "h", "h", "h"},
			[]string{"[30d]", "Wed May 7 2025"})
	})
	t.Run("nightshift_year", func(t *testing.T) {
		golden(t, 140, 45, all, []string{"3", "tab", "t", "t", "t"}, []string{"[1y]", "Wed May 14 2025"})
	})
}

func TestGoldenOtherScreens(t *testing.T) {
	t.Run("wide_120x40", func(t *testing.T) {
		golden(t, 120, 40, append(append([]string{}, todayLoaded...), historyLoaded...), nil, nil)
	})
	t.Run("help_80x24", func(t *testing.T) {
		golden(t, 80, 24, todayLoaded, []string{"?"}, []string{"Keys"})
	})
	t.Run("smallest_40x12", func(t *testing.T) {
		golden(t, 40, 12, todayLoaded, nil, nil)
	})
	t.Run("too_small_39x11", func(t *testing.T) {
		golden(t, 39, 11, []string{"too small"}, nil, nil)
	})
}

var _ tea.Model = (*Model)(nil)

// The day pane at 80x24, 120x40 and 200x60: today with its health block
// and a workout (runner), a past day opened from the history cursor
// (office, with the scale's body fat), and the night-shift persona whose
// tracker has no SpO2 sensor.
func TestGoldenDay(t *testing.T) {
	all := append(append([]string{}, todayLoaded...), historyLoaded...)
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}, {200, 60}} {
		name := func(s string) string { return fmt.Sprintf("%s_%dx%d", s, size.w, size.h) }
		all := all
		if size.w < 120 {
			all = todayLoaded // tabs: the history is behind its tab
		}
		t.Run(name("today_health_workout"), func(t *testing.T) {
			golden(t, size.w, size.h, all, nil, nil)
		})
		t.Run(name("past_day"), func(t *testing.T) {
			golden(t, size.w, size.h, all, []string{"2", "tab", "h", "h", "enter"}, []string{"Mon May 12 2025"})
		})
		t.Run(name("no_spo2"), func(t *testing.T) {
			golden(t, size.w, size.h, all, []string{"3"}, []string{"Day · nightshift"})
		})
	}
}
