// Package history is the history pane: a person's days over 7 days, 30
// days, 90 days or a year, with a cursor day whose numbers are shown.
// The default view charts steps, resting heart rate and sleep; the metric
// key cycles through one chart per metric (the daily series, weight with
// body fat, and the health metrics HRV, SpO2, breathing rate, skin
// temperature, VO2 max and zone minutes) and a list of the range's
// workouts; the date key jumps to a typed date.
//
// Every chart has a value scale (round ticks with units), time labels
// under it, the goal as a line where there is one and the average of the
// complete days (today, not over yet, is left out). Charts are drawn when
// the data, the window, the cursor, the view or the size change, and kept.
package history

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/layout"
	"github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/textfmt"
)

// Range is a window length the range key cycles through.
type Range struct {
	Days int
	Name string
}

// Ranges in the order the range key cycles them.
var Ranges = []Range{{7, "7d"}, {30, "30d"}, {90, "90d"}, {365, "1y"}}

// MaxBack is how far before today the window may go.
const MaxBack = 5 * 366

// Model is the history pane.
type Model struct {
	ctx   *program.Context
	state *state.Dashboard
	acct  int

	rng   int            // index into Ranges
	view  int            // index into views
	end   providers.Date // last day of the window
	sel   providers.Date // selected day, inside the window
	today providers.Date // the account's today; zero until known
	w, h  int

	prompt prompt // the date prompt of the date key

	drawn    bool
	drawnFor drawKey
	content  string
	title    string
	version  uint64
}

type drawKey struct {
	acct          int
	hist          uint64
	w, h, rng     int
	view          int
	end, sel, day providers.Date
	pending       bool
	goals         providers.Goals
	prompt        string
}

// New makes the pane showing account acct.
func New(ctx *program.Context, s *state.Dashboard, acct int) *Model {
	return &Model{ctx: ctx, state: s, acct: acct}
}

// Title implements layout.Pane.
func (m *Model) Title() string { return m.title }

// Version implements layout.Pane.
func (m *Model) Version() uint64 { return m.version }

// View implements layout.Pane.
func (m *Model) View() string { return m.content }

// ShortHelp implements layout.Pane.
func (m *Model) ShortHelp() []key.Binding {
	if m.prompt.open {
		k := m.ctx.Keys
		return []key.Binding{withHelp(k.Submit, "enter", "go"), withHelp(k.Cancel, "esc", "cancel")}
	}
	return m.ctx.Keys.ShortHistory()
}

func withHelp(b key.Binding, k, desc string) key.Binding {
	b.SetHelp(k, desc)
	return b
}

// Range is the current range.
func (m *Model) Range() Range { return Ranges[m.rng] }

// Selected is the selected day.
func (m *Model) Selected() providers.Date { return m.sel }

// Metric is the name of the view the metric key shows ("overview",
// "HRV", "workouts").
func (m *Model) Metric() string { return views[m.view].name }

// Prompting reports whether the date prompt is open: it takes every key
// until enter or esc.
func (m *Model) Prompting() bool { return m.prompt.open }

// WantsHealth reports whether the view charts health metrics or lists
// workouts, so the history request asks for them too.
func (m *Model) WantsHealth() bool { return views[m.view].health() }

// Window is the first and last day shown.
func (m *Model) Window() (from, to providers.Date) {
	return m.end.AddDays(-(Ranges[m.rng].Days - 1)), m.end
}

// SetAccount shows account i, whose today is day (zero when unknown).
func (m *Model) SetAccount(i int, day providers.Date) {
	m.acct = i
	m.SetToday(day)
	m.Refresh()
}

// SetToday tells the pane the shown account's date. At the first call, and
// when the window ended on the old today, the window follows the new one.
func (m *Model) SetToday(day providers.Date) {
	if day.IsZero() || day == m.today {
		return
	}
	old := m.today
	m.today = day
	if old.IsZero() || m.end == old || m.end.After(day) {
		followSel := m.sel == old || m.sel.After(day) || old.IsZero()
		m.end = day
		if followSel {
			m.sel = day
		}
	}
	m.clamp()
	m.Refresh()
}

// Show moves the cursor (and the window with it) to day, as far as the
// pane goes (an imported archive opens on its newest day).
func (m *Model) Show(day providers.Date) {
	if day.IsZero() {
		return
	}
	m.sel, m.end = day, day
	m.clamp()
	m.Refresh()
}

// Update handles size and the pane's keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case layout.SizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyMsg:
		if m.today.IsZero() {
			return nil
		}
		if m.prompt.open {
			if d, ok := m.prompt.key(msg, m.ctx.Keys, m.today, m.today.AddDays(-MaxBack)); ok {
				m.goTo(d)
			}
			break
		}
		k := m.ctx.Keys
		n := Ranges[m.rng].Days
		switch {
		case key.Matches(msg, k.Range):
			m.rng = (m.rng + 1) % len(Ranges)
			m.center()
		case key.Matches(msg, k.PrevDay):
			m.sel = m.sel.AddDays(-1)
		case key.Matches(msg, k.NextDay):
			m.sel = m.sel.AddDays(1)
		case key.Matches(msg, k.PrevWindow):
			m.sel, m.end = m.sel.AddDays(-n), m.end.AddDays(-n)
		case key.Matches(msg, k.NextWindow):
			m.sel, m.end = m.sel.AddDays(n), m.end.AddDays(n)
		case key.Matches(msg, k.LastDay):
			m.sel, m.end = m.today, m.today
		case key.Matches(msg, k.Metric):
			m.view = (m.view + 1) % len(views)
		case key.Matches(msg, k.PrevMetric):
			m.view = (m.view + len(views) - 1) % len(views)
		case key.Matches(msg, k.GoTo):
			m.prompt = prompt{open: true}
		default:
			return nil
		}
		m.clamp()
	default:
		return nil
	}
	m.Refresh()
	return nil
}

// goTo puts the cursor on d, with the window around it.
func (m *Model) goTo(d providers.Date) {
	m.sel = d
	m.center()
	m.clamp()
}

// center places the window so the cursor is in view, as far right as
// the data allows.
func (m *Model) center() {
	m.end = minDate(m.sel.AddDays(Ranges[m.rng].Days/2), m.today)
	if m.end.Before(m.sel) {
		m.end = m.sel
	}
}

// clamp keeps the window and the selection between MaxBack and today and
// the selection inside the window (the window scrolls to it).
func (m *Model) clamp() {
	if m.today.IsZero() {
		return
	}
	n := Ranges[m.rng].Days
	first := m.today.AddDays(-MaxBack)
	m.sel = maxDate(minDate(m.sel, m.today), first)
	m.end = minDate(m.end, m.today)
	if m.end.Before(first.AddDays(n - 1)) {
		m.end = first.AddDays(n - 1)
	}
	from := m.end.AddDays(-(n - 1))
	switch {
	case m.sel.Before(from):
		m.end = m.sel.AddDays(n - 1)
	case m.sel.After(m.end):
		m.end = m.sel
	}
}

// Wanted returns the days to fetch for the window (with a range of margin
// before and after so scrolling stays instant), or ok false when they are
// loaded, on their way, or asking again would not help yet. While the
// view needs health metrics, days without them count as missing.
func (m *Model) Wanted() (from, to providers.Date, ok bool) {
	a := m.state.Get(m.acct)
	if a == nil || m.today.IsZero() {
		return from, to, false
	}
	h := &a.History
	health := m.WantsHealth()
	wf, wt := m.Window()
	if h.Covers(wf, wt) && (!health || h.HasHealth(wf, wt)) {
		return from, to, false
	}
	if h.Pending && !h.PendFrom.After(wf) && !h.PendTo.Before(wt) {
		return from, to, false
	}
	if h.Err != nil && !m.retryable(h.Err) {
		return from, to, false
	}
	if health && h.Covers(wf, wt) && h.HealthErr != nil && !m.retryable(h.HealthErr) {
		return from, to, false
	}
	n := Ranges[m.rng].Days
	from, to = wf.AddDays(-n), minDate(wt.AddDays(n), m.today)
	has := func(d providers.Date) bool {
		if _, ok := h.Days[d]; !ok {
			return false
		}
		_, ok := h.Health[d]
		return ok || !health
	}
	// Leave out what is already loaded at either end.
	for from.Before(to) && has(from) {
		from = from.AddDays(1)
	}
	for to.After(from) && has(to) {
		to = to.AddDays(-1)
	}
	return from, to, true
}

// retryable says whether asking again after err makes sense without the
// person pressing refresh: not when signed out, gone or rate limited.
func (m *Model) retryable(err error) bool {
	switch providers.KindOf(err) {
	case providers.KindSignIn, providers.KindGone:
		return false
	case providers.KindRateLimited:
		pe, _ := providers.AsError(err)
		return pe != nil && !m.ctx.Now().Before(pe.RetryAt)
	}
	return true
}

// goals are the account's daily targets, as its provider gives them with
// today's totals.
// The configuration's goals stand over the provider's (state.GoalsOver).
func goals(a *state.Account) providers.Goals { return a.GoalsOver(a.Today.Live.Summary.Goals) }

// Refresh redraws the pane if its data, window or size changed.
func (m *Model) Refresh() {
	a := m.state.Get(m.acct)
	k := drawKey{acct: m.acct, w: m.w, h: m.h, rng: m.rng, view: m.view, end: m.end, sel: m.sel, day: m.today,
		prompt: m.prompt.sig()}
	if a != nil {
		k.hist, k.pending, k.goals = a.History.Version, a.History.Pending, goals(a)
	}
	if m.drawn && k == m.drawnFor {
		return
	}
	m.drawn, m.drawnFor = true, k
	m.version++
	m.title = "History"
	if a == nil {
		m.content = ""
		return
	}
	m.title = "History · " + a.Name
	m.content = strings.Join(textfmt.Block(m.lines(a), m.w, m.h), "\n")
}

// header shows the ranges (the current one highlighted), the view and the
// window.
func (m *Model) header(from, to providers.Date, perCol int) string {
	s := m.ctx.Styles
	var b strings.Builder
	for i, r := range Ranges {
		if i > 0 {
			b.WriteString(" ")
		}
		if i == m.rng {
			b.WriteString(s.TabActive.Render("[" + r.Name + "]"))
		} else {
			b.WriteString(s.TabInactive.Render(" " + r.Name + " "))
		}
	}
	first := "Jan 2"
	if from.Year != to.Year {
		first = "Jan 2 2006"
	}
	span := dayText(from, first) + " – " + dayText(to, "Jan 2 2006")
	if perCol > 1 {
		span += fmt.Sprintf(" · 1 col = %d days", perCol)
	}
	if a := m.state.Get(m.acct); a != nil && a.History.Pending {
		span = "loading… " + span
	}
	tabs := b.String()
	name := s.Title.Render(views[m.view].name)
	cur := s.TabActive.Render("[" + Ranges[m.rng].Name + "]") // only the current range
	short := dayText(from, "Jan 2") + "–" + dayText(to, "Jan 2")
	if perCol > 1 {
		short = fmt.Sprintf("%dd/col", perCol)
	}
	for _, c := range [][2]string{{tabs + "  " + name, span}, {cur + " " + name, span}, {tabs, span},
		{cur + " " + name, short}, {cur, short}} {
		if textfmt.Width(c[0])+1+textfmt.Width(c[1]) <= m.w {
			return textfmt.Columns(c[0], s.Muted.Render(c[1]), m.w)
		}
	}
	return textfmt.Fit(cur+" "+name, m.w)
}

// dayLine is the selected day's numbers of the metrics shown.
func (m *Model) dayLine(h *state.History, v view) string {
	s := m.ctx.Styles
	dv, ok := h.Days[m.sel]
	head := s.Selected.Render(dayText(m.sel, "Mon Jan 2 2006"))
	if !ok {
		return head + s.Muted.Render("  loading…")
	}
	sep := s.Muted.Render(" · ")
	d := day{v: dv, h: h.Health[m.sel]}
	units := textfmt.Metric
	if a := m.state.Get(m.acct); a != nil {
		units = a.Units
	}
	var parts []string
	item := func(name, value string) {
		parts = append(parts, s.Muted.Render(name+" ")+s.Value.Render(value))
	}
	switch {
	case v.workouts:
		ws := h.Workouts[m.sel]
		item("workouts", fmt.Sprint(len(ws)))
	default:
		for _, mt := range v.metrics {
			mt = inUnits(mt, units)
			if x := mt.get(d); x != 0 && mt == mResting {
				item(mt.name, fmt.Sprintf("%.0f", x)) // the shortest: the line must fit
			} else if x != 0 {
				item(mt.name, mt.text(x))
			} else {
				item(mt.name, "–")
			}
		}
		if v.name == "overview" && dv.WeightKg > 0 {
			item("weight", inUnits(mWeight, units).text(inUnits(mWeight, units).get(d)))
		}
		if v.name == "VO2 max" && d.h.VO2Max != nil && d.h.VO2Max.Level != "" {
			item("level", d.h.VO2Max.Level.Title())
		}
		if v.name == "zone minutes" && d.h.ZoneMinutes != nil {
			z := d.h.ZoneMinutes
			item("fat burn", fmt.Sprint(z.FatBurn))
			item("cardio", fmt.Sprint(z.Cardio))
			item("peak", fmt.Sprint(z.Peak))
		}
	}
	return head + "  " + strings.Join(parts, sep)
}

func dayText(d providers.Date, layout string) string { return d.In(time.UTC).Format(layout) }

func minDate(a, b providers.Date) providers.Date {
	if a.Before(b) {
		return a
	}
	return b
}

func maxDate(a, b providers.Date) providers.Date {
	if a.After(b) {
		return a
	}
	return b
}
