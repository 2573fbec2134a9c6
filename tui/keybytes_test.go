package tui

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// The bytes a key press costs are counted on Bubble Tea's own standard
// renderer: the dashboard runs in a real tea.Program whose output is a
// writer that hands every write to the test. The renderer flushes on its
// frame ticker, so a test cannot know by itself which flush carries a key;
// a marker line drawn above the dashboard says so. The program's terminal
// is one row taller than the dashboard's, so the marker row shifts every
// dashboard row by one without changing a byte of what the renderer writes
// for them.

// markMsg sets the marker and, when key is set, delivers key in the same
// update, so that the key's frame and the marker leave in one flush.
type markMsg struct {
	n   int
	key tea.Msg
}

// marked is the model under test with the marker row above it.
type marked struct {
	m    *Model
	mark int
}

func (w *marked) Init() tea.Cmd { return nil } // the model has loaded already

func (w *marked) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case markMsg:
		w.mark = msg.n
		if msg.key != nil {
			_, cmd = w.m.Update(msg.key)
		}
	case tea.WindowSizeMsg:
		_, cmd = w.m.Update(tea.WindowSizeMsg{Width: msg.Width, Height: msg.Height - 1})
	default:
		_, cmd = w.m.Update(msg)
	}
	return w, cmd
}

func markLine(n int) string { return fmt.Sprintf("mark %06d", n) }

func (w *marked) View() string { return markLine(w.mark) + "\n" + w.m.View() }

// chanWriter hands each write of the renderer to the test.
type chanWriter chan []byte

func (c chanWriter) Write(p []byte) (int, error) {
	c <- bytes.Clone(p)
	return len(p), nil
}

// keyBytes measures what the renderer writes for each key, the frames the
// key's commands lead to included, on the demo dashboard at w x h.
type keyBytes struct {
	t      *testing.T
	p      *tea.Program
	out    chanWriter
	mark   int
	markOn int // bytes of a flush in which only the marker changed
}

func newKeyBytes(t *testing.T, theme string, profile termenv.Profile, w, h int) *keyBytes {
	t.Helper()
	prev := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(profile)
	t.Cleanup(func() { lipgloss.SetColorProfile(prev) })

	now := func() time.Time { return pinned }
	opts := Options{Accounts: demoAccounts(t, now), Now: now, Refresh: time.Minute, Theme: theme}
	ctx, err := NewContext(opts)
	if err != nil {
		t.Fatal(err)
	}
	m := NewModel(opts, ctx)
	m.noTimers = true
	start(m, w, h)

	k := &keyBytes{t: t, out: make(chanWriter, 64)}
	k.p = tea.NewProgram(&marked{m: m}, tea.WithOutput(k.out), tea.WithInput(nil),
		tea.WithAltScreen(), tea.WithoutSignalHandler(), tea.WithFPS(120))
	done := make(chan error, 1)
	go func() { _, err := k.p.Run(); done <- err }()
	t.Cleanup(func() {
		k.p.Quit()
		for {
			select {
			case err := <-done:
				if err != nil {
					t.Error(err)
				}
				return
			case <-k.out: // drain the last writes
			}
		}
	})
	k.p.Send(tea.WindowSizeMsg{Width: w, Height: h + 1})
	k.until(k.next())
	// A flush that changes only the marker: what every later marker costs.
	k.markOn = k.until(k.next())
	return k
}

func (k *keyBytes) next() int {
	k.mark++
	return k.mark
}

// until reads the renderer's writes up to the one that draws marker n and
// returns how many bytes were written, that write included.
func (k *keyBytes) until(n int) int {
	k.t.Helper()
	if n == k.mark && n > 0 {
		k.p.Send(markMsg{n: n})
	}
	return k.read(n)
}

func (k *keyBytes) read(n int) int {
	k.t.Helper()
	want := []byte(markLine(n))
	total := 0
	guard := time.After(10 * time.Second) // a broken renderer, not a timing heuristic
	for {
		select {
		case b := <-k.out:
			total += len(b)
			if bytes.Contains(b, want) {
				return total
			}
		case <-guard:
			k.t.Fatalf("the renderer never drew marker %d", n)
		}
	}
}

// press sends key with a new marker and returns the bytes its frame cost
// (the marker row's own bytes taken off) and what the frames its commands
// led to cost after it.
func (k *keyBytes) press(key string) (frame, after int) {
	k.t.Helper()
	n := k.next()
	k.p.Send(markMsg{n: n, key: keyMsg(key)})
	frame = k.read(n) - len(markLine(n)+ansi.EraseLineRight+"\r\n")
	k.settle()
	after = k.until(k.next()) - k.markOn
	return frame, max(after, 0)
}

// settle waits until no provider call the key started is on its way.
func (k *keyBytes) settle() {
	for {
		reply := make(chan bool, 1)
		k.p.Send(idleMsg{reply: reply})
		if <-reply {
			return
		}
	}
}

var _ io.Writer = chanWriter(nil)

// TestKeyPressBytes: a key press sends the terminal what changed, not a
// whole frame. At 120x40 moving focus costs under 2 KB and a day step
// under 1.5 KB, in every theme.
// The figures are logged (-v) for the README.
func TestKeyPressBytes(t *testing.T) {
	keys := []struct {
		name, key string
		limit     int
	}{
		{"tab (today -> history)", "tab", 2048},
		{"day step (h)", "h", 1536},
		{"day step (l)", "l", 1536},
		{"range (t)", "t", 0},
		{"account switch (2)", "2", 0},
		{"shift+tab (history -> today)", "shift+tab", 2048},
	}
	for _, tc := range []struct {
		theme   string
		profile termenv.Profile
	}{
		{"default", termenv.TrueColor},
		{"default", termenv.ANSI256},
		{"high-contrast", termenv.TrueColor},
		{"mono", termenv.ANSI},
	} {
		t.Run(tc.theme+"/"+tc.profile.Name(), func(t *testing.T) {
			k := newKeyBytes(t, tc.theme, tc.profile, 120, 40)
			for _, key := range keys {
				frame, after := k.press(key.key)
				t.Logf("%-30s %5d bytes (then %d)", key.name, frame, after)
				if key.limit > 0 && frame+after > key.limit {
					t.Errorf("%s wrote %d bytes, more than %d", key.name, frame+after, key.limit)
				}
			}
		})
	}
}
