// Package history is the history pane: daily steps as bars, resting heart
// rate as a line and sleep as bars over 7 days, 30 days, 90 days or a year,
// with a selected day whose numbers are shown.
//
// Charts are drawn when the data, the window, the selected day or the size
// change, and kept.
package history

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/charts"
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
	end   providers.Date // last day of the window
	sel   providers.Date // selected day, inside the window
	today providers.Date // the account's today; zero until known
	w, h  int

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
	end, sel, day providers.Date
	pending       bool
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
func (m *Model) ShortHelp() []key.Binding { return m.ctx.Keys.ShortHistory() }

// Range is the current range.
func (m *Model) Range() Range { return Ranges[m.rng] }

// Selected is the selected day.
func (m *Model) Selected() providers.Date { return m.sel }

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

// Update handles size and the pane's keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case layout.SizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyMsg:
		if m.today.IsZero() {
			return nil
		}
		k := m.ctx.Keys
		n := Ranges[m.rng].Days
		switch {
		case key.Matches(msg, k.Range):
			m.rng = (m.rng + 1) % len(Ranges)
			// Keep the selected day in view, as far right as the data allows.
			m.end = minDate(m.sel.AddDays(Ranges[m.rng].Days/2), m.today)
			if m.end.Before(m.sel) {
				m.end = m.sel
			}
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
// loaded, on their way, or asking again would not help yet.
func (m *Model) Wanted() (from, to providers.Date, ok bool) {
	a := m.state.Get(m.acct)
	if a == nil || m.today.IsZero() {
		return from, to, false
	}
	h := &a.History
	wf, wt := m.Window()
	if h.Covers(wf, wt) {
		return from, to, false
	}
	if h.Pending && !h.PendFrom.After(wf) && !h.PendTo.Before(wt) {
		return from, to, false
	}
	if h.Err != nil && !m.retryable(h.Err) {
		return from, to, false
	}
	n := Ranges[m.rng].Days
	from, to = wf.AddDays(-n), minDate(wt.AddDays(n), m.today)
	// Leave out what is already loaded at either end.
	for from.Before(to) && loaded(h, from) {
		from = from.AddDays(1)
	}
	for to.After(from) && loaded(h, to) {
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

func loaded(h *state.History, d providers.Date) bool {
	_, ok := h.Days[d]
	return ok
}

// Refresh redraws the pane if its data, window or size changed.
func (m *Model) Refresh() {
	a := m.state.Get(m.acct)
	k := drawKey{acct: m.acct, w: m.w, h: m.h, rng: m.rng, end: m.end, sel: m.sel, day: m.today}
	if a != nil {
		k.hist, k.pending = a.History.Version, a.History.Pending
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

func (m *Model) lines(a *state.Account) []string {
	s := m.ctx.Styles
	if m.w <= 0 || m.h <= 0 {
		return nil
	}
	if m.today.IsZero() {
		return []string{s.Muted.Render("loading…")}
	}
	h := &a.History
	from, to := m.Window()
	n := Ranges[m.rng].Days

	out := []string{m.header(from, to)}
	var errLine string
	if h.Err != nil {
		errLine = s.Error.Render(textfmt.Shorten("⚠ "+a.Message(h.Err), m.w)) // at a word
	}
	avail := m.h - 2 // header and the selected day
	if errLine != "" {
		avail--
	}

	steps := make([]float64, n)
	rhr := make([]float64, n)
	sleep := make([]float64, n)
	loadedAny := false
	for i := range n {
		v, ok := h.Days[from.AddDays(i)]
		loadedAny = loadedAny || ok
		steps[i] = float64(v.Steps)
		rhr[i] = float64(v.RestingHeartRate)
		sleep[i] = float64(v.SleepMinutes) / 60
	}
	sel := from.DaysUntil(m.sel)

	switch {
	case !loadedAny && h.Pending:
		out = append(out, s.Muted.Render("loading…"))
	case avail >= 3:
		titles := avail >= 6
		marker := avail >= 10 // a ▲ under the charts at the selected day
		rows := avail
		if titles {
			rows -= 3
		}
		if marker {
			rows--
		}
		hs := rows * 2 / 5
		hr := (rows - hs) / 2
		hz := rows - hs - hr
		hs, hr, hz = max(hs, 1), max(hr, 1), max(hz, 1)
		lo, hi, _ := minMax(rhr)
		avgSteps, _ := mean(steps)
		avgSleep, _ := mean(sleep)
		section := func(title, right string, chart string) {
			if titles {
				out = append(out, textfmt.Columns(s.Title.Render(title), s.Muted.Render(right), m.w))
			}
			out = append(out, textfmt.Lines(chart)...)
		}
		section("Steps", "avg "+textfmt.Int(int(avgSteps))+" a day",
			charts.Bars(steps, m.w, hs, charts.Mean, s.Steps, s.ChartSelect, sel))
		section("Resting heart rate", rangeText(lo, hi, "bpm"),
			charts.Line(rhr, m.w, hr, s.Heart, s.ChartSelect, sel))
		section("Sleep", "avg "+textfmt.HM(time.Duration(avgSleep*float64(time.Hour)))+" a night",
			charts.Bars(sleep, m.w, hz, charts.Mean, s.Sleep, s.ChartSelect, sel))
		if marker {
			out = append(out, m.marker(sel, n))
		}
	}
	out = textfmt.Block(out, m.w, m.h-1-boolInt(errLine != ""))
	if errLine != "" {
		out = append(out, errLine)
	}
	return append(out, m.dayLine(h))
}

// marker points at the selected day's column, as the charts lay it out.
func (m *Model) marker(sel, n int) string {
	from, to, ok := charts.Columns(sel, n, m.w)
	if !ok {
		return ""
	}
	x := charts.Mid(from, to)
	return strings.Repeat(" ", x) + m.ctx.Styles.ChartSelect.Render("▲")
}

// header shows the ranges (the current one highlighted) and the window.
func (m *Model) header(from, to providers.Date) string {
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
	if a := m.state.Get(m.acct); a != nil && a.History.Pending {
		span = "loading… " + span
	}
	tabs := b.String()
	if textfmt.Width(tabs)+1+textfmt.Width(span) > m.w {
		tabs = s.TabActive.Render("[" + Ranges[m.rng].Name + "]") // only the current range
	}
	return textfmt.Columns(tabs, s.Muted.Render(span), m.w)
}

// dayLine is the selected day's numbers.
func (m *Model) dayLine(h *state.History) string {
	s := m.ctx.Styles
	v, ok := h.Days[m.sel]
	head := s.Selected.Render(dayText(m.sel, "Mon Jan 2 2006"))
	if !ok {
		return head + s.Muted.Render("  loading…")
	}
	sep := s.Muted.Render(" · ")
	parts := []string{
		s.Muted.Render("steps ") + s.Value.Render(orDash(v.Steps > 0, textfmt.Int(v.Steps))),
		s.Muted.Render("resting HR ") + s.Value.Render(orDash(v.RestingHeartRate > 0, fmt.Sprint(v.RestingHeartRate))),
		s.Muted.Render("sleep ") + s.Value.Render(orDash(v.SleepMinutes > 0, textfmt.Minutes(v.SleepMinutes))),
	}
	if v.WeightKg > 0 {
		w, unit := textfmt.Metric.Weight(v.WeightKg)
		if a := m.state.Get(m.acct); a != nil {
			w, unit = a.Units.Weight(v.WeightKg) // the configuration's units
		}
		parts = append(parts, s.Muted.Render("weight ")+s.Value.Render(fmt.Sprintf("%.1f %s", w, unit)))
	}
	return head + "  " + strings.Join(parts, sep)
}

func orDash(ok bool, s string) string {
	if ok {
		return s
	}
	return "–"
}

func dayText(d providers.Date, layout string) string { return d.In(time.UTC).Format(layout) }

func rangeText(lo, hi float64, unit string) string {
	if hi == 0 {
		return "no data"
	}
	return fmt.Sprintf("%.0f–%.0f %s", lo, hi, unit)
}

func minMax(values []float64) (lo, hi float64, ok bool) {
	for _, v := range values {
		if v <= 0 {
			continue
		}
		if !ok {
			lo, hi, ok = v, v, true
			continue
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi, ok
}

func mean(values []float64) (float64, bool) {
	sum, n := 0.0, 0
	for _, v := range values {
		if v > 0 {
			sum += v
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

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

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
