// Command barebt is the yardstick scripts/bench measures fittui against: a
// Bubble Tea program (the version go.mod pins) that does nothing but show a
// static full-screen view, with the settings fittui runs with (alternate
// screen, 30 frames a second, one scheduler thread). Its idle CPU and first
// frame are the framework's floor on the machine of the run.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// frameRate is fittui's (tui.frameRate).
const frameRate = 30

type model struct{ view string }

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if msg.String() == "q" || msg.String() == "ctrl+c" {
			return m, tea.Quit
		}
	case tea.WindowSizeMsg:
		m.view = screen(msg.Width, msg.Height)
	}
	return m, nil
}

func (m model) View() string { return m.view }

// screen is a static view filling w x h cells.
func screen(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	line := strings.Repeat(" ", w)
	lines := make([]string, h)
	for i := range lines {
		lines[i] = line
	}
	title := "bare bubbletea: a static view, q quits"
	if len(title) > w {
		title = title[:w]
	}
	lines[0] = title + line[len(title):]
	return strings.Join(lines, "\n")
}

func main() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
	p := tea.NewProgram(model{}, tea.WithAltScreen(), tea.WithFPS(frameRate))
	if _, err := p.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "barebt:", err)
		os.Exit(1)
	}
}
