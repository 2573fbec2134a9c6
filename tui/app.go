// Package tui is fittui's Bubble Tea dashboard: a root model (a small state
// machine over the screens: starting, dashboard, too small, help, a modal
// screen such as the login) over a pane manager and three panes
// (accounts, today, history). When to ask which provider for what is the
// refresh engine's (tui/engine); what is known per account lives in
// tui/state; the panes draw it and keep their strings.
package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/fittui/fittui/theme"
	"github.com/fittui/fittui/tui/login"
	"github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/wiring"
)

// Options configure the dashboard.
type Options struct {
	// Context ends the dashboard when done (SIGHUP, SIGTERM); nil: only
	// the person quits it.
	Context context.Context
	// Accounts are the accounts shown, opened (wiring.Setup.Open), each
	// with its scheduler when it has a request budget.
	Accounts []wiring.Opened
	Refresh  time.Duration    // ticker interval; 0 means the default (1m)
	Theme    string           // theme name (see theme.Names); "" means default
	Now      func() time.Time // clock; nil means time.Now
	// Notice is shown once in the footer at start, e.g. "no accounts
	// configured: showing demo data".
	Notice string
	// Login signs accounts in from the dashboard: `a` in the accounts
	// pane, and `s` (or enter) on an account that must sign in again. A
	// nil Login.Service turns that off (--demo).
	Login login.Options
}

// NewContext resolves opts' theme (honouring NO_COLOR), clock and refresh
// interval into the program context every component shares. The theme's
// colours are fixed for this terminal's colour profile and background,
// which are decided here once, without querying the terminal.
func NewContext(opts Options) (*program.Context, error) {
	th, err := theme.ForEnv(opts.Theme, os.Getenv)
	if err != nil {
		return nil, err
	}
	dark := theme.SetupBackground(os.Getenv)
	if th.Mono && os.Getenv("NO_COLOR") != "" && lipgloss.ColorProfile() == termenv.Ascii &&
		termenv.NewOutput(os.Stdout).ColorProfile() != termenv.Ascii {
		// NO_COLOR asks for no colour, not for no bold, faint or reverse:
		// lipgloss drops every attribute under it, so give the mono theme
		// (which has no colours) a profile that keeps attributes.
		lipgloss.SetColorProfile(termenv.ANSI)
	}
	th = theme.Resolve(th, lipgloss.ColorProfile(), dark)
	refresh := opts.Refresh
	if refresh <= 0 {
		refresh = DefaultRefresh
	}
	return program.New(th, opts.Now, refresh), nil
}

// frameRate caps how often the renderer looks for a changed frame. Bubble
// Tea's default of 60 wakes the process 60 times a second even when nothing
// changes, which alone costs about 0.5% of a core; a dashboard that changes
// once a second does not need it, and 30 keeps keys feeling immediate.
const frameRate = 30

// Run starts the dashboard and blocks until the person quits.
//
// The first frame is painted before any data arrives: all provider calls
// run in commands, and the terminal's background is decided up front from
// COLORFGBG (dark when unknown) so lipgloss never stalls on a terminal
// query.
func Run(opts Options) error {
	ctx, err := NewContext(opts)
	if err != nil {
		return err
	}
	// The dashboard is event-driven and does little work per event; a
	// second scheduler thread only adds hand-offs on every frame tick
	// (measured: about a tenth of the idle CPU). An explicit GOMAXPROCS wins.
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
	teaOpts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithFPS(frameRate)}
	if opts.Context != nil {
		teaOpts = append(teaOpts, tea.WithContext(opts.Context))
	}
	p := tea.NewProgram(NewModel(opts, ctx), teaOpts...)
	if _, err := p.Run(); err != nil {
		if errors.Is(err, tea.ErrProgramKilled) && opts.Context != nil && opts.Context.Err() != nil {
			return nil // asked to stop (a signal): not a failure
		}
		return fmt.Errorf("dashboard: %w", err)
	}
	return nil
}
