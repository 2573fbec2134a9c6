package tui

import (
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/engine"
	"github.com/fittui/fittui/tui/layout"
	"github.com/fittui/fittui/tui/login"
	"github.com/fittui/fittui/tui/panes/accounts"
	"github.com/fittui/fittui/tui/panes/day"
	"github.com/fittui/fittui/tui/panes/history"
	"github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/textfmt"
)

// DefaultRefresh is the ticker interval when Options.Refresh is 0.
const DefaultRefresh = time.Minute

// Pane indices, in focus order.
const (
	PaneAccounts = iota
	PaneDay
	PaneHistory
)

// State is what the root model shows.
type State int

const (
	StateStarting  State = iota // no terminal size yet: a one-line placeholder
	StateDashboard              // the panes (data may still be loading)
	StateTooSmall               // below layout.MinWidth x layout.MinHeight
	StateHelp                   // the full key help over the body
	StateModal                  // a Screen (e.g. the login screen) has the terminal
)

// tickMsg is the refresh ticker.
type tickMsg struct{}

// wakeMsg is the clock: it comes when a text on screen changes with time
// alone ("updated 10s ago" becoming "20s ago"); see planWake. gen tells a
// wake whose timer the model still counts on from one it gave up.
type wakeMsg struct{ gen uint64 }

// idleMsg asks to hear when no provider call is running: true goes to
// reply then (at once when none is). Tests use it to wait until the
// dashboard has settled.
type idleMsg struct{ reply chan<- bool }

// Model is the root model: a small state machine that routes keys and
// messages to the panes and the modal screen, hands the answers of
// provider calls to the refresh engine, owns the ticker and keeps the
// finished frame. It does no I/O and decides no fetching: the engine
// does (tui/engine).
type Model struct {
	ctx    *program.Context
	engine *engine.Engine
	state  *state.Dashboard
	layout *layout.Manager

	accounts *accounts.Model
	day      *day.Model
	history  *history.Model
	help     help.Model
	login    login.Options

	showHelp bool
	screen   Screen
	sized    bool
	notice   string
	noTimers bool // tests drive ticks themselves
	// idleWaits are the idleMsg replies owed once the engine is idle.
	idleWaits []chan<- bool

	// The clock (planWake): due is when the first pane text changes with
	// time alone, wakeAt when the timer is set for (the first visible
	// one; zero: none), wakeStop stops that timer, wakeGen names it.
	due      time.Time
	wakeAt   time.Time
	wakeStop chan struct{}
	wakeGen  uint64

	// Kept strings: View returns frame; it is rebuilt only when the body,
	// the footer or the overlay changed.
	footer     string
	footerKey  string
	helpView   string
	frame      string
	frameState State
}

// NewModel builds the root model for opts with the given theme styles in
// the context. It starts no I/O: Init does.
func NewModel(opts Options, ctx *program.Context) *Model {
	m := &Model{ctx: ctx, notice: opts.Notice, login: opts.Login}
	m.engine = engine.New(ctx, opts.Accounts, engineView{m})
	st := m.engine.State()
	m.state = st
	m.accounts = accounts.New(ctx, st)
	m.day = day.New(ctx, st, 0)
	m.history = history.New(ctx, st, 0)
	m.layout = layout.New(ctx, PaneDay, m.accounts, m.day, m.history)
	m.help = help.New()
	m.help.Styles = ctx.Styles.Help
	m.accounts.SetSelected(0)
	m.day.Refresh()
	m.history.Refresh()
	m.render()
	return m
}

// State reports what the model shows.
func (m *Model) State() State {
	switch {
	case !m.sized:
		return StateStarting
	case m.layout.Mode() == layout.ModeTooSmall:
		return StateTooSmall
	case m.screen != nil:
		return StateModal
	case m.showHelp:
		return StateHelp
	}
	return StateDashboard
}

// Init fetches every account's profile and starts the ticker. Today and
// history follow once the selected account's time zone is known.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.tick(), m.engine.Start())
}

func (m *Model) tick() tea.Cmd {
	if m.noTimers {
		return nil
	}
	return tea.Tick(m.ctx.Refresh, func(time.Time) tea.Msg { return tickMsg{} })
}

// Update routes msg, redraws the texts whose time has come, refreshes the
// kept frame and sets the clock for the next change.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if len(m.idleWaits) > 0 && m.engine.Idle() {
		for _, r := range m.idleWaits {
			r <- true
		}
		m.idleWaits = nil
	}
	if !m.due.IsZero() && !m.ctx.Now().Before(m.due) {
		m.accounts.Refresh()
		m.day.Refresh()
	}
	m.render()
	if wake := m.planWake(); wake != nil {
		cmd = tea.Batch(cmd, wake)
	}
	return m, cmd
}

// ageing is a pane whose view changes with the clock alone.
type ageing interface {
	NextChange(now time.Time) time.Time
}

// planWake sets the clock for the first moment a text on screen changes
// with time alone, and for nothing else. A message that changes nothing
// is not free: after it, Bubble Tea's renderer copies and compares the
// whole frame on every frame tick until the frame changes again, so a
// once-a-second clock kept an idle dashboard well above the framework's
// floor. Panes hidden behind another tab count for due (they are redrawn
// when they show) but do not set the timer.
func (m *Model) planWake() tea.Cmd {
	now := m.ctx.Now()
	var due, at time.Time
	for i, p := range m.layout.Panes() {
		a, ok := p.(ageing)
		if !ok {
			continue
		}
		next := a.NextChange(now)
		due = textfmt.Earliest(due, next)
		if m.layout.Visible(i) {
			at = textfmt.Earliest(at, next)
		}
	}
	m.due = due
	if m.State() != StateDashboard {
		at = time.Time{} // the panes are covered: the next message redraws what is due
	}
	if at.Equal(m.wakeAt) && (at.IsZero() || m.wakeStop != nil) {
		return nil
	}
	m.wakeAt = at
	if m.wakeStop != nil {
		close(m.wakeStop)
		m.wakeStop = nil
	}
	if at.IsZero() || m.noTimers {
		return nil
	}
	m.wakeGen++
	gen, stop := m.wakeGen, make(chan struct{})
	m.wakeStop = stop
	// A floor keeps a clock that reads earlier than the timers' (a wall
	// clock stepped back) from spinning.
	d := max(at.Sub(now), 10*time.Millisecond)
	return func() tea.Msg {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return wakeMsg{gen: gen}
		case <-stop:
			return nil // Bubble Tea drops a nil message: no frame, no compare
		}
	}
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.resize(msg.Width, msg.Height)
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && m.screen == nil {
			// Keys typed faster than they are read arrive as one message
			// ("hhh" from a held key); each is a key press of its own.
			cmds := make([]tea.Cmd, 0, len(msg.Runes))
			for _, r := range msg.Runes {
				cmds = append(cmds, m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
			}
			return tea.Batch(cmds...)
		}
		return m.key(msg)
	case OpenScreenMsg:
		m.screen = msg.Screen
		if m.screen != nil && m.sized {
			var cmd tea.Cmd
			m.screen, cmd = m.screen.Update(tea.WindowSizeMsg{Width: m.ctx.ScreenWidth, Height: m.ctx.ScreenHeight})
			return cmd
		}
	case CloseScreenMsg:
		m.screen = nil
	case accounts.SelectMsg:
		return m.selectAccount(msg.Index)
	case SigningInMsg:
		m.signingIn(msg.Account, msg.On)
	case AddAccountMsg:
		return m.addAccount(msg.Account)
	case accounts.AddMsg:
		if !m.login.Enabled() {
			m.notice = loginOff
			return nil
		}
		return m.openLogin(login.New(m.ctx, m.login))
	case accounts.SignInMsg:
		return m.signInAgain(msg.Index)
	case login.SigningInMsg:
		m.signingIn(msg.Account, msg.On)
	case login.SignedInMsg:
		return m.signedIn(msg.Saved)
	case login.ClosedMsg:
		m.signingIn(msg.Account, false)
		m.screen = nil
	case tickMsg:
		return tea.Batch(m.engine.Tick(), m.tick())
	case wakeMsg:
		if msg.gen == m.wakeGen {
			m.wakeStop = nil // that timer is spent; planWake sets the next
		}
	case idleMsg:
		m.idleWaits = append(m.idleWaits, msg.reply) // answered in Update
	default:
		if cmd, ok := m.engine.Update(msg); ok {
			return cmd
		}
		if m.screen != nil {
			var cmd tea.Cmd
			m.screen, cmd = m.screen.Update(msg)
			return cmd
		}
	}
	return nil
}

func (m *Model) resize(w, h int) tea.Cmd {
	m.sized = true
	m.ctx.ScreenWidth, m.ctx.ScreenHeight = max(w, 0), max(h, 0)
	m.layout.Resize(w, h)
	m.help.Width = max(w, 0)
	m.helpView = ""
	m.footerKey = ""
	if m.screen != nil {
		var cmd tea.Cmd
		m.screen, cmd = m.screen.Update(tea.WindowSizeMsg{Width: w, Height: h})
		return cmd
	}
	return nil
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.ctx.Keys
	m.notice = "" // the start notice stays until the first key
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	if m.screen != nil {
		var cmd tea.Cmd
		m.screen, cmd = m.screen.Update(msg)
		return cmd
	}
	if m.showHelp {
		switch {
		case key.Matches(msg, k.Quit):
			return tea.Quit
		case key.Matches(msg, k.Help, k.CloseHelp):
			m.showHelp = false
		}
		return nil
	}
	if m.layout.Focus() == PaneHistory && m.history.Prompting() {
		// The date prompt takes every key ("q" is a letter there).
		return tea.Batch(m.history.Update(msg), m.engine.History())
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp = true
		m.helpView = ""
	case key.Matches(msg, k.NextPane):
		m.layout.Next()
	case key.Matches(msg, k.PrevPane):
		m.layout.Prev()
	case key.Matches(msg, k.Refresh):
		return m.engine.Refresh()
	case key.Matches(msg, k.Account):
		return m.selectAccount(int(msg.Runes[0] - '1'))
	case m.layout.Focus() == PaneHistory && key.Matches(msg, k.OpenDay):
		return m.openDay(m.history.Selected())
	case (m.layout.Focus() == PaneHistory || m.layout.Focus() == PaneDay) && key.Matches(msg, k.LastDay):
		// Both panes back to today.
		m.history.Update(msg)
		return tea.Batch(m.openDay(providers.Date{}), m.engine.History())
	default:
		cmd := m.layout.Focused().Update(msg)
		if m.layout.Focus() == PaneHistory {
			return tea.Batch(cmd, m.engine.History())
		}
		return cmd
	}
	return nil
}

// openDay shows day (zero: today) in the day pane and asks for what of
// it is not kept. With tabs, the day's tab comes to the front.
func (m *Model) openDay(d providers.Date) tea.Cmd {
	cmd := m.engine.ShowDay(d)
	m.day.SetDay(m.engine.Day())
	if !d.IsZero() && m.layout.Mode() == layout.ModeTabs {
		m.layout.SetFocus(PaneDay)
	}
	return cmd
}

// selectAccount shows account i in the day and history panes. Data kept
// for i is shown at once; what is missing or stale is fetched.
func (m *Model) selectAccount(i int) tea.Cmd {
	if m.state.Get(i) == nil {
		return nil
	}
	m.accounts.SetSelected(i)
	m.day.SetAccount(i)
	m.history.SetAccount(i, m.engine.Today(i))
	cmd := m.engine.Select(i)
	m.day.SetDay(m.engine.Day())
	if d := m.engine.Day(); !d.IsZero() {
		m.history.Show(d)
	}
	return cmd
}

// engineView is the model as the engine sees it (engine.View).
type engineView struct{ m *Model }

func (v engineView) Notify(notice string)  { v.m.notice = notice }
func (v engineView) Window() engine.Window { return v.m.history }
func (v engineView) ShowDay(d providers.Date) {
	v.m.day.SetDay(d)
	v.m.history.Show(d)
}
func (v engineView) Redraw(p engine.Panes) {
	if p&engine.Accounts != 0 {
		v.m.accounts.Refresh()
	}
	if p&engine.Today != 0 {
		v.m.day.Refresh()
	}
	if p&engine.History != 0 {
		v.m.history.Refresh()
	}
}
