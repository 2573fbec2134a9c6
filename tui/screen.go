package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/tui/login"
	"github.com/fittui/fittui/tui/wiring"
)

// Screen is a full-screen modal that takes every key and the whole view
// until it sends CloseScreenMsg. The account-adding login screen plugs in
// here: open it with OpenScreenMsg.
type Screen interface {
	Update(tea.Msg) (Screen, tea.Cmd)
	View() string
}

// OpenScreenMsg shows a modal screen.
type OpenScreenMsg struct{ Screen Screen }

// CloseScreenMsg closes the modal screen and returns to the dashboard.
type CloseScreenMsg struct{}

// SigningInMsg marks the named account as signing in (the accounts pane
// says so) or, with On false, as done.
type SigningInMsg struct {
	Account string
	On      bool
}

// AddAccountMsg adds an account, or gives an existing one of the same name
// its new provider (after signing in again), and loads it.
type AddAccountMsg struct{ Account wiring.Opened }

// loginScreen is the login screen (package login) as the modal Screen.
type loginScreen struct{ m *login.Model }

func (s loginScreen) Update(msg tea.Msg) (Screen, tea.Cmd) { return s, s.m.Update(msg) }
func (s loginScreen) View() string                         { return s.m.View() }

// loginOff is the notice when the dashboard cannot sign in (--demo).
const loginOff = "Signing in is off with --demo: run fittui without it, or `fittui auth login PROVIDER`."

func (m *Model) signingIn(account string, on bool) {
	if a := m.state.Get(m.state.Index(account)); a != nil && a.SigningIn != on {
		a.SigningIn = on
		a.Version++
		m.accounts.Refresh()
	}
}

// signInAgain opens the login screen for account i, which starts at once.
func (m *Model) signInAgain(i int) tea.Cmd {
	a := m.state.Get(i)
	switch {
	case a == nil:
		return nil
	case !login.SignsIn(a.Provider):
		m.notice = fmt.Sprintf("%s is a %s account: it needs no sign-in.", a.Name, a.Provider)
		return nil
	case !m.login.Enabled():
		m.notice = loginOff
		return nil
	}
	return m.openLogin(login.Again(m.ctx, m.login, a.Name, a.Provider))
}

// openLogin shows the login screen at once (not through OpenScreenMsg), so
// the answers of the commands it starts always find it.
func (m *Model) openLogin(lm *login.Model) tea.Cmd {
	m.screen = loginScreen{lm}
	cmds := []tea.Cmd{lm.Init()}
	if m.sized {
		cmds = append(cmds, lm.Update(tea.WindowSizeMsg{Width: m.ctx.ScreenWidth, Height: m.ctx.ScreenHeight}))
	}
	return tea.Batch(cmds...)
}

// signedIn closes the login screen, adds (or renews) the account and
// shows it.
func (m *Model) signedIn(s login.Saved) tea.Cmd {
	m.screen = nil
	cmd := m.addAccount(s.Opened)
	m.signingIn(s.Spec.Name, false)
	m.notice = "Signed in to " + s.Spec.Name
	if s.Unreadable != "" {
		m.notice += " (the token is kept, but this build cannot show its data)"
	}
	if i := m.state.Index(s.Spec.Name); i != m.engine.Selected() {
		cmd = tea.Batch(cmd, m.selectAccount(i))
	}
	return cmd
}

// addAccount adds (or renews) an account and asks for all of it.
func (m *Model) addAccount(acc wiring.Opened) tea.Cmd { return m.engine.Add(acc) }
