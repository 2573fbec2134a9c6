package engine

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/wiring"
)

// slowEvery is how long between refreshes of the slow data (every account's
// profile, last night's sleep, weight); the ticker counts it in ticks.
const slowEvery = 5 * time.Minute

// Panes says which panes' data an answer changed.
type Panes int

const (
	Accounts Panes = 1 << iota
	Today
	History
)

// View is the dashboard as the engine sees it: where to say what
// changed, and the history window. The root model is one.
type View interface {
	// Redraw says the data of panes p changed.
	Redraw(p Panes)
	// Notify puts a notice in the footer.
	Notify(notice string)
	// Window is the history pane's window.
	Window() Window
	// ShowDay says the day pane (and the history cursor) moves to day:
	// an imported archive opens on its newest day with data.
	ShowDay(day providers.Date)
}

// Window is the history pane's window of days (history.Model).
type Window interface {
	// SetToday moves the window's end to day (the account's today).
	SetToday(day providers.Date)
	// Window is the range the pane shows.
	Window() (from, to providers.Date)
	// Wanted is the range to ask for, when the pane lacks days of it.
	Wanted() (from, to providers.Date, ok bool)
}

// wantsHealth reports whether the history window charts health metrics
// or workouts (a Window may say so with WantsHealth), so the history
// request asks for them too; the default view costs no health request.
func wantsHealth(w Window) bool {
	h, ok := w.(interface{ WantsHealth() bool })
	return ok && h.WantsHealth()
}

// account is what the engine asks for one account.
type account struct {
	src    cache.Source // nil: nothing to ask
	sched  Scheduler    // nil: every tick asks
	warned string       // the warning last said in the footer
	// archive says an imported archive's newest day (nil: a live account).
	archive func() (providers.Date, bool)
}

// archived is a provider serving an imported archive (takeout).
type archived interface {
	LastDay() (providers.Date, bool)
}

// Engine owns when the dashboard asks which account's source for what:
// the first paint from the cache, the ticker's refreshes through each
// account's scheduler, the person's refresh, and applying the answers to
// the state (dropping those no longer wanted, by generation id). All its
// I/O runs in the tea.Cmds it returns.
type Engine struct {
	ctx      *program.Context
	state    *state.Dashboard
	view     View
	accounts []account // by index, as in state.Accounts
	selected int       // the account the today and history panes show
	// shown is the day the day pane shows for the selected account when
	// it is not today (zero: today).
	shown providers.Date

	ticks     int
	slowTicks int
}

// New makes the engine of the opened accounts, shown by view.
func New(ctx *program.Context, opened []wiring.Opened, view View) *Engine {
	e := &Engine{ctx: ctx, view: view, slowTicks: max(1, min(10, int(slowEvery/ctx.Refresh)))}
	accs := make([]*state.Account, len(opened))
	for i, o := range opened {
		accs[i] = stateOf(o)
		e.accounts = append(e.accounts, accountOf(o))
	}
	e.state = state.New(accs)
	return e
}

// State is what the dashboard knows; the panes draw it.
func (e *Engine) State() *state.Dashboard { return e.state }

func stateOf(o wiring.Opened) *state.Account {
	prov := o.Spec.Provider
	if o.Provider != nil {
		prov = o.Provider.Kind()
	}
	return &state.Account{Name: o.Spec.Name, Provider: prov, Goals: o.Goals, Units: o.Units}
}

func accountOf(o wiring.Opened) account {
	a := account{src: o.Source}
	if o.Scheduler != nil {
		a.sched = o.Scheduler
	}
	if ar, ok := providers.Find[archived](o.Provider); ok {
		a.archive = ar.LastDay
	}
	return a
}

func (e *Engine) account(i int) account {
	if i < 0 || i >= len(e.accounts) {
		return account{}
	}
	return e.accounts[i]
}

// Start fetches every account's profile. Today and history follow once
// the selected account's time zone is known.
func (e *Engine) Start() tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(e.state.Accounts))
	for i := range e.state.Accounts {
		cmds = append(cmds, e.fetchProfile(i))
	}
	return tea.Batch(cmds...)
}

// Add adds an account, or gives an existing one of the same name its new
// source and scheduler (after signing in again), and asks for all of it.
func (e *Engine) Add(o wiring.Opened) tea.Cmd {
	i := e.state.Add(stateOf(o))
	if i == len(e.accounts) {
		e.accounts = append(e.accounts, accountOf(o))
	} else {
		e.accounts[i] = accountOf(o)
	}
	e.view.Redraw(Accounts)
	if i == e.selected {
		return e.Refresh()
	}
	return e.fetchProfile(i)
}

// Today is account i's today, or zero while its time zone is coming.
func (e *Engine) Today(i int) providers.Date {
	a := e.state.Get(i)
	if a == nil || e.waitingForProfile(i) {
		return providers.Date{}
	}
	return a.TodayAt(e.ctx.Now())
}

func (e *Engine) waitingForProfile(i int) bool {
	a := e.state.Get(i)
	return !a.HasProfile && a.Err() == nil && e.state.InFlight(i, state.KindProfile)
}

// Select makes account i the one the today and history panes show (the
// one the ticker and the person's refresh ask for) and asks for what it
// lacks.
func (e *Engine) Select(i int) tea.Cmd {
	e.selected = i
	e.shown = providers.Date{}
	if a := e.state.Get(i); a != nil && !a.Through.IsZero() {
		e.shown = a.Through // an archive opens on its newest day
	}
	return tea.Batch(e.Load(i), e.loadShown(false))
}

// Day is the day the day pane shows for the selected account: today
// (zero) or the past day opened with ShowDay.
func (e *Engine) Day() providers.Date { return e.shown }

// ShowDay makes day the day pane's day for the selected account (zero or
// today's date: today) and asks for it when it is not there yet.
func (e *Engine) ShowDay(day providers.Date) tea.Cmd {
	if a := e.state.Get(e.selected); a == nil || day == a.TodayAt(e.ctx.Now()) {
		day = providers.Date{}
	}
	e.shown = day
	return e.loadShown(false)
}

// loadShown asks for the selected account's past day when it is shown
// and not kept (force: again, the person's refresh). Like every fetch
// it goes through the account's cache (settled days come from disk, an
// archive's from its index) and its request budget; the generation id
// drops an answer for a day or an account no longer shown.
func (e *Engine) loadShown(force bool) tea.Cmd {
	i, day := e.selected, e.shown
	a, src := e.state.Get(i), e.account(i).src
	if a == nil || src == nil || day.IsZero() {
		return nil
	}
	p := &a.Past
	if !force && p.Day == day && (p.HasLive || p.HasSlow) && p.Err == nil {
		return nil
	}
	if !force && p.Day == day && e.state.InFlight(i, state.KindPast) {
		return nil
	}
	gen := e.state.Begin(i, state.KindPast)
	fetch := askToday(src, cache.Ask, i, gen, day, true, true, e.ctx.Now)
	if p.Day == day && p.HasLive {
		return fetch
	}
	return peekThen(askToday(src, cache.Peek, i, gen, day, true, true, e.ctx.Now), fetch)
}

// Selected is the account the today and history panes show.
func (e *Engine) Selected() int { return e.selected }

// Load asks for what account i's panes lack: today when it is not
// today's or older than a refresh interval, and (when i is selected) the
// history window, unless already on the way.
func (e *Engine) Load(i int) tea.Cmd { return e.load(i, false) }

// load is Load; force refetches regardless.
func (e *Engine) load(i int, force bool) tea.Cmd {
	a, acc := e.state.Get(i), e.account(i)
	if a == nil || acc.src == nil || e.waitingForProfile(i) {
		return nil
	}
	day := a.TodayAt(e.ctx.Now())
	var cmds []tea.Cmd
	stale := a.Today.Day != day || e.ctx.Now().Sub(a.Today.UpdatedAt) >= e.ctx.Refresh
	if force || (stale && !e.state.InFlight(i, state.KindToday)) {
		cmd := e.fetchToday(i, day, true)
		if force && acc.sched != nil {
			cmd = finishing(acc.sched, cmd) // the refresh askManual started
		}
		cmds = append(cmds, cmd)
	}
	if i == e.selected {
		w := e.view.Window()
		w.SetToday(day)
		if force {
			from, to := w.Window()
			gen := e.state.BeginHistory(i, from, to)
			cmds = append(cmds, askHistory(acc.src, i, gen, from, to, wantsHealth(w), e.ctx.Now))
		} else {
			cmds = append(cmds, e.History())
		}
	}
	return tea.Batch(cmds...)
}

func (e *Engine) fetchProfile(i int) tea.Cmd {
	a, src := e.state.Get(i), e.account(i).src
	if a == nil || src == nil {
		return nil
	}
	gen := e.state.Begin(i, state.KindProfile)
	archive := e.account(i).archive
	fetch := askProfile(src, cache.Ask, i, gen, archive, e.ctx.Now)
	if a.HasProfile {
		return fetch
	}
	// First load: paint from the cache, then ask.
	return peekThen(askProfile(src, cache.Peek, i, gen, archive, e.ctx.Now), fetch)
}

// fetchToday asks for account i's day. When nothing of that day is shown
// yet it paints what the cache holds first.
func (e *Engine) fetchToday(i int, day providers.Date, full bool) tea.Cmd {
	a, src := e.state.Get(i), e.account(i).src
	gen := e.state.Begin(i, state.KindToday)
	fetch := askToday(src, cache.Ask, i, gen, day, full, false, e.ctx.Now)
	if a.Today.Day == day && a.Today.HasLive {
		return fetch
	}
	return peekThen(askToday(src, cache.Peek, i, gen, day, full, false, e.ctx.Now), fetch)
}

// scheduledToday is the ticker's refresh of account i: at once for
// accounts without a scheduler (demo), else when the scheduler says it
// is due (the budget allows, no backoff is running).
func (e *Engine) scheduledToday(i int, day providers.Date, full bool) tea.Cmd {
	acc := e.account(i)
	if acc.sched == nil {
		return e.fetchToday(i, day, full)
	}
	gen := e.state.Begin(i, state.KindToday)
	return scheduled(acc.sched, i, gen, askToday(acc.src, cache.Ask, i, gen, day, full, false, e.ctx.Now))
}

// History asks for the selected account's history window if the pane
// lacks days of it (after the person moved it).
func (e *Engine) History() tea.Cmd {
	i := e.selected
	a, src := e.state.Get(i), e.account(i).src
	if a == nil || src == nil {
		return nil
	}
	from, to, ok := e.view.Window().Wanted()
	if !ok {
		return nil
	}
	gen := e.state.BeginHistory(i, from, to)
	return askHistory(src, i, gen, from, to, wantsHealth(e.view.Window()), e.ctx.Now)
}

// Refresh is the person's refresh: everything of the selected account,
// now. An account with a scheduler first asks it (in a command: it reads
// the shared budget), which may say the budget is spent.
func (e *Engine) Refresh() tea.Cmd {
	i := e.selected
	if sched := e.account(i).sched; e.state.Get(i) != nil && sched != nil {
		return askManual(sched, i)
	}
	return e.refreshAll(i)
}

func (e *Engine) refreshAll(i int) tea.Cmd {
	return tea.Batch(e.fetchProfile(i), e.load(i, true), e.loadShown(true))
}

// onManual starts the refresh the scheduler allowed, or says why not.
func (e *Engine) onManual(msg ManualMsg) tea.Cmd {
	a := e.state.Get(msg.Account)
	if a == nil {
		return nil
	}
	if !msg.OK {
		e.view.Notify(fmt.Sprintf("%s: the request budget is spent until %s; showing what is cached.",
			a.Name, msg.Until.In(a.Location(time.Local)).Format("15:04")))
		return nil
	}
	return e.refreshAll(msg.Account)
}

// Tick is the ticker: it refreshes the selected account's today; every
// slowTicks ticks also sleep, weight and every account's profile.
// Accounts that cannot answer (signed out, gone, rate limited) and
// requests still running are skipped.
func (e *Engine) Tick() tea.Cmd {
	e.ticks++
	slow := e.ticks%e.slowTicks == 0
	var cmds []tea.Cmd
	if slow {
		for i, a := range e.state.Accounts {
			if e.canAsk(a) && !e.state.InFlight(i, state.KindProfile) {
				cmds = append(cmds, e.fetchProfile(i))
			}
		}
	}
	i := e.selected
	a, src := e.state.Get(i), e.account(i).src
	if a == nil || src == nil || !e.canAsk(a) || e.waitingForProfile(i) {
		return tea.Batch(cmds...)
	}
	day := a.TodayAt(e.ctx.Now())
	if day != a.Today.Day {
		// The date rolled over: new day, new window.
		w := e.view.Window()
		w.SetToday(day)
		from, to := w.Window()
		gen := e.state.BeginHistory(i, from, to)
		cmds = append(cmds, e.fetchToday(i, day, true), askHistory(src, i, gen, from, to, wantsHealth(w), e.ctx.Now))
	} else if !e.state.InFlight(i, state.KindToday) {
		cmds = append(cmds, e.scheduledToday(i, day, slow || !a.Today.HasSlow))
	}
	return tea.Batch(cmds...)
}

// canAsk says whether the ticker may ask the account's provider now.
func (e *Engine) canAsk(a *state.Account) bool {
	err := a.Err()
	switch providers.KindOf(err) {
	case providers.KindSignIn, providers.KindGone:
		return false
	case providers.KindRateLimited:
		pe, _ := providers.AsError(err)
		return pe == nil || !e.ctx.Now().Before(pe.RetryAt)
	}
	return true
}

// Idle reports whether no request of any account is on its way.
func (e *Engine) Idle() bool {
	for i := range e.state.Accounts {
		for k := state.Kind(0); k < state.NumKinds; k++ {
			if e.state.InFlight(i, k) {
				return false
			}
		}
	}
	return true
}

// Update applies msg if it is one of the engine's answers and returns
// what follows; handled is false for every other message.
func (e *Engine) Update(msg tea.Msg) (cmd tea.Cmd, handled bool) {
	switch msg := msg.(type) {
	case state.ProfileAnswer:
		e.warn(msg.Account, msg.Warn)
		return e.onProfile(msg), true
	case state.TodayAnswer:
		e.warn(msg.Account, msg.Warn)
		e.onToday(msg)
	case state.HistoryAnswer:
		e.warn(msg.Account, msg.Warn)
		return e.onHistory(msg), true
	case Streamed:
		cmd, _ := e.Update(msg.Msg)
		return tea.Batch(cmd, msg.Next), true
	case SkipMsg:
		if e.state.ApplySkip(msg.Account, msg.Gen, msg.Kind) {
			e.view.Redraw(Accounts)
		}
	case ManualMsg:
		return e.onManual(msg), true
	default:
		return nil, false
	}
	return nil, true
}

// warn says w about account i in the footer, once: again only after it
// changed or went away.
func (e *Engine) warn(i int, w error) {
	if i < 0 || i >= len(e.accounts) {
		return
	}
	text := ""
	if w != nil {
		text = w.Error()
	}
	if text == e.accounts[i].warned {
		return
	}
	e.accounts[i].warned = text
	if a := e.state.Get(i); a != nil && text != "" {
		e.view.Notify(a.Name + ": " + text)
	}
}

func (e *Engine) onProfile(msg state.ProfileAnswer) tea.Cmd {
	a := e.state.Get(msg.Account)
	var through providers.Date
	if a != nil {
		through = a.Through
	}
	if !e.state.ApplyProfile(msg) {
		return nil
	}
	e.view.Redraw(Accounts)
	if msg.Account != e.selected {
		return nil
	}
	// The time zone is known (or failed): today and history can start.
	e.view.Redraw(Today)
	load := e.Load(msg.Account)
	var shown tea.Cmd
	if a.Through != through && (e.shown.IsZero() || e.shown == through) {
		// An archive, now known: open its newest day with data (after
		// Load told the history pane its today, so the cursor stays).
		e.shown = a.Through
		e.view.ShowDay(e.shown)
		shown = e.loadShown(false)
	}
	return tea.Batch(load, shown)
}

func (e *Engine) onToday(msg state.TodayAnswer) {
	accepted, changed := e.state.ApplyToday(msg)
	if !accepted {
		return
	}
	p := Accounts
	if msg.Account == e.selected {
		p |= Today
		if changed && !msg.Past {
			p |= History // today's bar follows today's totals
		}
	}
	e.view.Redraw(p)
}

func (e *Engine) onHistory(msg state.HistoryAnswer) tea.Cmd {
	accepted, _ := e.state.ApplyHistory(msg)
	if !accepted {
		return nil
	}
	if msg.Account != e.selected {
		e.view.Redraw(Accounts)
		return nil
	}
	e.view.Redraw(Accounts | History)
	if msg.Err == nil {
		// The window may have moved on while this was on its way.
		return e.History()
	}
	return nil
}
