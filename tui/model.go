package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/data"
	"github.com/fittui/fittui/tui/format"
	"github.com/fittui/fittui/tui/layout"
	"github.com/fittui/fittui/tui/login"
	"github.com/fittui/fittui/tui/panes/accounts"
	"github.com/fittui/fittui/tui/panes/history"
	"github.com/fittui/fittui/tui/panes/today"
	"github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/wiring"
)

// DefaultRefresh is the ticker interval when Options.Refresh is 0.
const DefaultRefresh = time.Minute

// slowEvery is how long between refreshes of the slow data (every account's
// profile, last night's sleep, weight); the ticker counts it in ticks.
const slowEvery = 5 * time.Minute

// clockInterval is how often the "updated Xs ago" texts are recomputed.
const clockInterval = time.Second

// Pane indices, in focus order.
const (
	PaneAccounts = iota
	PaneToday
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

// tickMsg is the refresh ticker; clockMsg the one-second clock for ages.
type (
	tickMsg  struct{}
	clockMsg struct{}
)

// idleMsg asks whether no provider call is running; the answer goes to
// reply. Tests use it to wait until the dashboard has settled.
type idleMsg struct{ reply chan<- bool }

// Model is the root model: a small state machine that routes messages to
// the panes, owns the ticker and keeps the finished frame.
type Model struct {
	ctx    *program.Context
	store  *state.Dashboard
	layout *layout.Manager

	accounts *accounts.Model
	today    *today.Model
	history  *history.Model
	help     help.Model
	login    login.Options

	selected  int
	showHelp  bool
	screen    Screen
	sized     bool
	notice    string
	ticks     int
	slowTicks int
	noTimers  bool // tests drive ticks themselves

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
	accs := make([]*state.Account, len(opts.Accounts))
	for i, a := range opts.Accounts {
		accs[i] = accountOf(a)
	}
	st := state.New(accs)
	m := &Model{ctx: ctx, store: st, notice: opts.Notice, login: opts.Login}
	m.accounts = accounts.New(ctx, st)
	m.today = today.New(ctx, st, 0)
	m.history = history.New(ctx, st, 0)
	m.layout = layout.New(ctx, PaneToday, m.accounts, m.today, m.history)
	m.help = help.New()
	m.help.Styles = ctx.Styles.Help
	m.slowTicks = max(1, min(10, int(slowEvery/ctx.Refresh)))
	m.accounts.SetSelected(0)
	m.today.Refresh()
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

// Init fetches every account's profile and starts the ticker and clock.
// Today and history follow once the selected account's time zone is known.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.tick(), m.clock()}
	for i := range m.store.Accounts {
		cmds = append(cmds, m.fetchProfile(i))
	}
	return tea.Batch(cmds...)
}

func (m *Model) tick() tea.Cmd {
	if m.noTimers {
		return nil
	}
	return tea.Tick(m.ctx.Refresh, func(time.Time) tea.Msg { return tickMsg{} })
}

func (m *Model) clock() tea.Cmd {
	if m.noTimers {
		return nil
	}
	return tea.Tick(clockInterval, func(time.Time) tea.Msg { return clockMsg{} })
}

// Update routes msg and then refreshes the kept frame.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.render()
	return m, cmd
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
		return tea.Batch(m.onTick(), m.tick())
	case clockMsg:
		m.accounts.Refresh()
		m.today.Refresh()
		return m.clock()
	case data.ProfileMsg:
		return m.onProfile(msg)
	case data.TodayMsg:
		return m.onToday(msg)
	case data.HistoryMsg:
		return m.onHistory(msg)
	case data.Streamed:
		return tea.Batch(m.update(msg.Msg), msg.Next)
	case data.SkipMsg:
		if m.store.ApplySkip(msg) {
			m.accounts.Refresh()
		}
	case data.ManualMsg:
		return m.onManual(msg)
	case idleMsg:
		msg.reply <- m.idle()
	default:
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
		return m.refreshNow()
	case key.Matches(msg, k.Account):
		return m.selectAccount(int(msg.Runes[0] - '1'))
	default:
		cmd := m.layout.Focused().Update(msg)
		if m.layout.Focus() == PaneHistory {
			return tea.Batch(cmd, m.fetchHistoryIfWanted())
		}
		return cmd
	}
	return nil
}

func (m *Model) signingIn(account string, on bool) {
	if a := m.store.Get(m.store.Index(account)); a != nil && a.SigningIn != on {
		a.SigningIn = on
		a.Version++
		m.accounts.Refresh()
	}
}

// signInAgain opens the login screen for account i, which starts at once.
func (m *Model) signInAgain(i int) tea.Cmd {
	a := m.store.Get(i)
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
	if i := m.store.Index(s.Spec.Name); i != m.selected {
		cmd = tea.Batch(cmd, m.selectAccount(i))
	}
	return cmd
}

// addAccount adds (or renews) an account and asks for all of it.
func (m *Model) addAccount(acc wiring.Opened) tea.Cmd {
	i := m.store.Add(accountOf(acc))
	m.accounts.Refresh()
	if i == m.selected {
		return m.refreshNow()
	}
	return m.fetchProfile(i)
}

// selectAccount shows account i in the today and history panes. Data kept
// for i is shown at once; what is missing or stale is fetched.
func (m *Model) selectAccount(i int) tea.Cmd {
	a := m.store.Get(i)
	if a == nil {
		return nil
	}
	m.selected = i
	m.accounts.SetSelected(i)
	m.today.SetAccount(i)
	m.history.SetAccount(i, m.dayOf(a))
	return m.ensureLoaded(i, false)
}

// dayOf is the account's today, or zero while its time zone is coming.
func (m *Model) dayOf(a *state.Account) providers.Date {
	if m.waitingForProfile(a) {
		return providers.Date{}
	}
	return a.TodayAt(m.ctx.Now())
}

func (m *Model) waitingForProfile(a *state.Account) bool {
	i := m.indexOf(a)
	return !a.HasProfile && a.Err() == nil && m.store.InFlight(i, data.KindProfile)
}

func (m *Model) indexOf(a *state.Account) int {
	for i, x := range m.store.Accounts {
		if x == a {
			return i
		}
	}
	return -1
}

// ensureLoaded fetches account i's today (when it is not today's or is
// older than a refresh interval) and the history window, unless already
// on the way. force refetches regardless.
func (m *Model) ensureLoaded(i int, force bool) tea.Cmd {
	a := m.store.Get(i)
	if a == nil || a.Source == nil || m.waitingForProfile(a) {
		return nil
	}
	day := a.TodayAt(m.ctx.Now())
	var cmds []tea.Cmd
	stale := a.Today.Day != day || m.ctx.Now().Sub(a.Today.UpdatedAt) >= m.ctx.Refresh
	if force || (stale && !m.store.InFlight(i, data.KindToday)) {
		cmd := m.fetchToday(i, day, true)
		if force && a.Sched != nil {
			cmd = data.Finishing(a.Sched, cmd) // the refresh AskManual started
		}
		cmds = append(cmds, cmd)
	}
	if i == m.selected {
		m.history.SetToday(day)
		if force {
			from, to := m.history.Window()
			gen := m.store.BeginHistory(i, from, to)
			cmds = append(cmds, data.FetchHistory(a.Source, i, gen, from, to, m.ctx.Now))
		} else {
			cmds = append(cmds, m.fetchHistoryIfWanted())
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) fetchProfile(i int) tea.Cmd {
	a := m.store.Get(i)
	if a == nil || a.Source == nil {
		return nil
	}
	gen := m.store.Begin(i, data.KindProfile)
	fetch := data.FetchProfile(a.Source, i, gen, m.ctx.Now)
	if a.HasProfile {
		return fetch
	}
	// First load: paint from the cache, then ask.
	return data.PeekThen(data.PeekProfile(a.Source, i, gen, m.ctx.Now), fetch)
}

// fetchToday asks for account i's day. When nothing of that day is shown
// yet it paints what the cache holds first.
func (m *Model) fetchToday(i int, day providers.Date, full bool) tea.Cmd {
	a := m.store.Get(i)
	gen := m.store.Begin(i, data.KindToday)
	fetch := data.FetchToday(a.Source, i, gen, day, full, m.ctx.Now)
	if a.Today.Day == day && a.Today.HasLive {
		return fetch
	}
	return data.PeekThen(data.PeekToday(a.Source, i, gen, day, full, m.ctx.Now), fetch)
}

// scheduledToday is the ticker's refresh of account i: at once for
// providers without a scheduler (demo), else when the scheduler says it
// is due (the budget allows, no backoff is running).
func (m *Model) scheduledToday(i int, day providers.Date, full bool) tea.Cmd {
	a := m.store.Get(i)
	if a.Sched == nil {
		return m.fetchToday(i, day, full)
	}
	gen := m.store.Begin(i, data.KindToday)
	return data.Scheduled(a.Sched, i, gen, data.FetchToday(a.Source, i, gen, day, full, m.ctx.Now))
}

// fetchHistoryIfWanted asks for the history pane's window if it is missing.
func (m *Model) fetchHistoryIfWanted() tea.Cmd {
	a := m.store.Get(m.selected)
	if a == nil || a.Source == nil {
		return nil
	}
	from, to, ok := m.history.Wanted()
	if !ok {
		return nil
	}
	gen := m.store.BeginHistory(m.selected, from, to)
	return data.FetchHistory(a.Source, m.selected, gen, from, to, m.ctx.Now)
}

// refreshNow is the `r` key: everything of the selected account, now. An
// account with a scheduler first asks it (in a command: it reads the
// shared budget), which may say the budget is spent.
func (m *Model) refreshNow() tea.Cmd {
	if a := m.store.Get(m.selected); a != nil && a.Sched != nil {
		return data.AskManual(a.Sched, m.selected)
	}
	return m.refreshAll(m.selected)
}

func (m *Model) refreshAll(i int) tea.Cmd {
	return tea.Batch(m.fetchProfile(i), m.ensureLoaded(i, true))
}

// onManual starts the refresh the scheduler allowed, or says why not.
func (m *Model) onManual(msg data.ManualMsg) tea.Cmd {
	a := m.store.Get(msg.Account)
	if a == nil {
		return nil
	}
	if !msg.OK {
		m.notice = fmt.Sprintf("%s: the request budget is spent until %s; showing what is cached.",
			a.Name, msg.Until.In(a.Location(time.Local)).Format("15:04"))
		return nil
	}
	return m.refreshAll(msg.Account)
}

// onTick refreshes the selected account's today; every slowTicks ticks also
// sleep, weight and every account's profile. Accounts that cannot answer
// (signed out, gone, rate limited) and requests still running are skipped.
func (m *Model) onTick() tea.Cmd {
	m.ticks++
	slow := m.ticks%m.slowTicks == 0
	var cmds []tea.Cmd
	if slow {
		for i, a := range m.store.Accounts {
			if m.canAsk(a) && !m.store.InFlight(i, data.KindProfile) {
				cmds = append(cmds, m.fetchProfile(i))
			}
		}
	}
	i := m.selected
	a := m.store.Get(i)
	if a == nil || a.Source == nil || !m.canAsk(a) || m.waitingForProfile(a) {
		return tea.Batch(cmds...)
	}
	day := a.TodayAt(m.ctx.Now())
	if day != a.Today.Day {
		// The date rolled over: new day, new window.
		m.history.SetToday(day)
		from, to := m.history.Window()
		gen := m.store.BeginHistory(i, from, to)
		cmds = append(cmds, m.fetchToday(i, day, true),
			data.FetchHistory(a.Source, i, gen, from, to, m.ctx.Now))
	} else if !m.store.InFlight(i, data.KindToday) {
		cmds = append(cmds, m.scheduledToday(i, day, slow || !a.Today.HasSlow))
	}
	return tea.Batch(cmds...)
}

// idle reports whether no request of any account is on its way.
func (m *Model) idle() bool {
	for i := range m.store.Accounts {
		for k := data.Kind(0); k < data.NumKinds; k++ {
			if m.store.InFlight(i, k) {
				return false
			}
		}
	}
	return true
}

// canAsk says whether the ticker may ask the account's provider now.
func (m *Model) canAsk(a *state.Account) bool {
	err := a.Err()
	switch providers.KindOf(err) {
	case providers.KindSignIn, providers.KindGone:
		return false
	case providers.KindRateLimited:
		pe, _ := providers.AsError(err)
		return pe == nil || !m.ctx.Now().Before(pe.RetryAt)
	}
	return true
}

func (m *Model) onProfile(msg data.ProfileMsg) tea.Cmd {
	if !m.store.ApplyProfile(msg) {
		return nil
	}
	m.accounts.Refresh()
	if msg.Account != m.selected {
		return nil
	}
	// The time zone is known (or failed): today and history can start.
	m.today.Refresh()
	return m.ensureLoaded(m.selected, false)
}

func (m *Model) onToday(msg data.TodayMsg) tea.Cmd {
	accepted, changed := m.store.ApplyToday(msg)
	if !accepted {
		return nil
	}
	m.accounts.Refresh()
	if msg.Account == m.selected {
		m.today.Refresh()
		if changed {
			m.history.Refresh() // today's bar follows today's totals
		}
	}
	return nil
}

func (m *Model) onHistory(msg data.HistoryMsg) tea.Cmd {
	accepted, _ := m.store.ApplyHistory(msg)
	if !accepted {
		return nil
	}
	m.accounts.Refresh()
	if msg.Account == m.selected {
		m.history.Refresh()
		if msg.Err == nil {
			// The window may have moved on while this was on its way.
			return m.fetchHistoryIfWanted()
		}
	}
	return nil
}

// View returns the kept frame.
func (m *Model) View() string { return m.frame }

// render rebuilds the kept frame from the kept pieces that changed.
func (m *Model) render() {
	w, h := m.ctx.ScreenWidth, m.ctx.ScreenHeight
	st := m.State()
	force := st != m.frameState || m.frame == ""
	m.frameState = st
	switch st {
	case StateStarting:
		m.frame = "fittui · loading…"
		return
	case StateTooSmall:
		m.frame = tooSmall(m, w, h)
		return
	case StateModal:
		m.frame = m.screen.View()
		return
	}
	bodyChanged := m.layout.Render()
	footerChanged := m.renderFooter()
	if st == StateHelp {
		if m.helpView == "" {
			m.helpView = m.renderHelp(w, h-layout.FooterRows)
			force = true
		}
		if force || footerChanged {
			m.frame = m.helpView + "\n" + m.footer
		}
		return
	}
	if force || bodyChanged || footerChanged {
		m.frame = m.layout.View() + "\n" + m.footer
	}
}

// renderFooter redraws the footer when what it shows changed: the start
// notice, else the short help of the global keys and the focused pane's.
func (m *Model) renderFooter() bool {
	w := m.ctx.ScreenWidth
	k := fmt.Sprintf("%d|%d|%v|%s", w, m.layout.Focus(), m.showHelp, m.notice)
	if k == m.footerKey {
		return false
	}
	m.footerKey = k
	s := m.ctx.Styles
	var line string
	switch {
	case m.notice != "":
		line = s.Notice.Render(m.notice)
	case m.showHelp:
		line = m.help.ShortHelpView([]key.Binding{m.ctx.Keys.CloseHelp, m.ctx.Keys.Quit})
	default:
		keys := append(m.layout.Focused().ShortHelp(), m.ctx.Keys.ShortGlobal()...)
		line = m.help.ShortHelpView(keys)
	}
	m.footer = format.Fit(line, w)
	return true
}

// renderHelp is the full key help in a box over the body.
func (m *Model) renderHelp(w, h int) string {
	s := m.ctx.Styles
	fw, fh := s.HelpBox.GetHorizontalFrameSize(), s.HelpBox.GetVerticalFrameSize()
	cw, ch := w-fw, h-fh
	if cw < 1 || ch < 1 {
		return strings.Join(format.Block(nil, w, h), "\n")
	}
	hm := m.help
	hm.Width = cw
	lines := []string{s.Title.Render("Keys"), ""}
	lines = append(lines, format.Lines(hm.FullHelpView(m.ctx.Keys.FullHelp()))...)
	lines = append(lines, "",
		s.Muted.Render(fmt.Sprintf("Side by side from %dx%d, tabs below that; needs at least %dx%d.",
			layout.WideWidth, layout.WideHeight, layout.MinWidth, layout.MinHeight)),
		s.Muted.Render("History: the range key cycles 7 days, 30 days, 90 days and a year."))
	box := s.HelpBox.Render(strings.Join(format.Block(lines, cw, ch), "\n"))
	return strings.Join(format.Block(format.Lines(box), w, h), "\n")
}

// accountOf is the dashboard's state of an opened account.
func accountOf(o wiring.Opened) *state.Account {
	prov := o.Spec.Provider
	if o.Provider != nil {
		prov = o.Provider.Kind()
	}
	a := &state.Account{Name: o.Spec.Name, Provider: prov, Source: o.Source}
	if o.Scheduler != nil {
		a.Sched = o.Scheduler
	}
	return a
}

// tooSmall is the notice shown below the minimum size.
func tooSmall(m *Model, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	msg := fmt.Sprintf("terminal too small (need %dx%d, have %dx%d)", layout.MinWidth, layout.MinHeight, w, h)
	lines := strings.Split(ansi.Wrap(msg, w, " "), "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	top := (h - len(lines)) / 2
	out := make([]string, 0, h)
	for range top {
		out = append(out, "")
	}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		pad := max((w-format.Width(l))/2, 0)
		out = append(out, strings.Repeat(" ", pad)+m.ctx.Styles.TooSmall.Render(l))
	}
	return strings.Join(out, "\n")
}
