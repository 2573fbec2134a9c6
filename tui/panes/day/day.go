// Package day is the day pane: one day of the shown account in full —
// today by default, or the day opened from the history pane's cursor.
// Every total against its goal, heart rate across the whole day (or the
// last three hours) with its range, steps per 15 minutes (or per half
// hour or hour, so the whole day always fits), the night's sleep as a
// stage timeline, weight with body fat, the health block (resting heart
// rate, HRV, SpO2, breathing rate, skin temperature, each against its
// personal 30-day range) and the day's workouts.
//
// Everything but the "updated Xs ago" line is drawn only when the shown
// day's data, the day, the heart-rate span or the pane's size change, and
// kept; each chart is drawn again only when its own input changes. A
// clock tick redraws the one age line.
package day

import (
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

// TwoColumnWidth is the content width from which numbers and charts sit
// side by side; ThreeColumnWidth the one from which the health block gets
// a column of its own.
const (
	TwoColumnWidth   = 72
	ThreeColumnWidth = 130
)

// leftWidth is the numbers column in the wide layouts.
const leftWidth = 44

// healthWidth is the health column in the three-column layout.
const healthWidth = 42

// gap is the space between columns.
const gap = "   "

// Model is the day pane.
type Model struct {
	ctx   *program.Context
	state *state.Dashboard
	acct  int
	day   providers.Date // zero: today
	// lastHours shows the heart rate of the last three hours instead of
	// the whole day.
	lastHours bool
	w, h      int

	// Render cache.
	drawn    bool
	drawnFor drawKey
	body     string // everything above the age line
	setW     int    // size content was last built for
	setH     int
	age      string
	content  string
	title    string
	version  uint64

	heartChart, stepsChart, sleepChart chartMemo
}

type drawKey struct {
	acct      int
	day       providers.Date
	past      bool
	version   uint64
	w, h      int
	lastHours bool
}

// New makes the pane showing account acct's today.
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
func (m *Model) ShortHelp() []key.Binding { return m.ctx.Keys.ShortDay() }

// Day is the day shown: zero for today.
func (m *Model) Day() providers.Date { return m.day }

// Update handles the size message and the pane's keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case layout.SizeMsg:
		if msg.Width != m.w || msg.Height != m.h {
			m.w, m.h = msg.Width, msg.Height
			m.Refresh()
		}
	case tea.KeyMsg:
		if key.Matches(msg, m.ctx.Keys.HeartSpan) {
			m.lastHours = !m.lastHours
			m.Refresh()
		}
	}
	return nil
}

// SetAccount shows account i.
func (m *Model) SetAccount(i int) {
	m.acct = i
	m.Refresh()
}

// SetDay shows day (zero: today).
func (m *Model) SetDay(day providers.Date) {
	m.day = day
	m.Refresh()
}

// shown is the data of the day shown, whether it is a past day, and the
// day's date (zero while today's is unknown).
func (m *Model) shown(a *state.Account) (t *state.Today, past bool, day providers.Date) {
	day = m.day
	if day.IsZero() || day == a.Today.Day {
		return &a.Today, false, a.Today.Day
	}
	if a.Past.Day == day {
		return &a.Past, true, day
	}
	return nil, true, day
}

// Refresh redraws what changed: the body when the shown day's data, the
// day or the size changed, the age line when its text changed.
func (m *Model) Refresh() {
	a := m.state.Get(m.acct)
	if a == nil {
		m.set("Day", "", "")
		return
	}
	t, past, day := m.shown(a)
	k := drawKey{acct: m.acct, day: day, past: past, w: m.w, h: m.h, lastHours: m.lastHours}
	if t != nil {
		k.version = t.Version
	}
	if !m.drawn || k != m.drawnFor {
		m.drawn, m.drawnFor = true, k
		title, body := m.drawBody(a, t, past, day)
		m.set(title, body, m.ageLine(a, t, past))
		return
	}
	m.set(m.title, m.body, m.ageLine(a, t, past))
}

func (m *Model) set(title, body, age string) {
	if title == m.title && body == m.body && age == m.age && m.w == m.setW && m.h == m.setH && m.version > 0 {
		return
	}
	m.title, m.body, m.age, m.setW, m.setH = title, body, age, m.w, m.h
	switch {
	case m.h <= 0 || m.w <= 0:
		m.content = ""
	case body == "":
		m.content = age
	default:
		m.content = body + "\n" + age
	}
	m.version++
}

// NextChange is when the pane's view next changes with the clock alone
// (the "updated … ago" line): the root model wakes then instead of every
// second. Zero: not by the clock.
func (m *Model) NextChange(now time.Time) time.Time {
	a := m.state.Get(m.acct)
	if a == nil || m.w <= 0 {
		return time.Time{}
	}
	t, _, _ := m.shown(a)
	if t == nil {
		return time.Time{}
	}
	return textfmt.AgoChanges(now, t.UpdatedAt)
}

func (m *Model) ageLine(a *state.Account, t *state.Today, past bool) string {
	s := m.ctx.Styles
	if m.w <= 0 {
		return ""
	}
	hint := ""
	if past {
		hint = " · " + m.ctx.Keys.LastDay.Help().Key + " today"
	}
	switch {
	case t == nil || t.UpdatedAt.IsZero() && t.Err == nil && !t.HasSlow:
		return textfmt.Fit(s.Muted.Render("loading…"+hint), m.w)
	case t.UpdatedAt.IsZero():
		return textfmt.Fit(s.Muted.Render("no data yet"+hint), m.w)
	}
	return textfmt.Fit(s.Muted.Render("updated "+textfmt.Ago(m.ctx.Now(), t.UpdatedAt)+hint), m.w)
}

// drawBody draws the title and everything above the age line.
func (m *Model) drawBody(a *state.Account, t *state.Today, past bool, day providers.Date) (title, body string) {
	s := m.ctx.Styles
	title = "Day · " + a.Name
	if !day.IsZero() {
		if past {
			title += " · " + day.In(time.UTC).Format("Mon Jan 2 2006")
		} else {
			title += " · today, " + day.In(time.UTC).Format("Mon Jan 2")
		}
	}
	if m.w <= 0 || m.h <= 1 {
		return title, ""
	}
	avail := m.h - 1 // the age line
	var errLines []string
	var err error
	if t != nil {
		err = t.Err
	}
	if err == nil && a.Err() != nil && (t == nil || !t.HasLive) {
		err = a.Err()
	}
	if err != nil {
		errLines = wrap("⚠ "+a.Message(err), m.w, 2)
		if len(errLines) > avail/2 {
			errLines = errLines[:max(avail/2, 0)]
		}
		for i := range errLines {
			errLines[i] = s.Error.Render(errLines[i])
		}
		avail -= len(errLines)
	}

	var rows []string
	switch {
	case t == nil || !t.HasLive && !t.HasSlow:
		if err == nil {
			rows = []string{s.Muted.Render("loading…")}
		}
	case m.w >= ThreeColumnWidth:
		rows = m.threeColumns(t, past, avail)
	case m.w >= TwoColumnWidth:
		rows = m.twoColumns(t, past, avail)
	default:
		rows = m.oneColumn(t, past, avail)
	}
	rows = textfmt.Block(rows, m.w, avail)
	return title, strings.Join(append(rows, textfmt.Block(errLines, m.w, len(errLines))...), "\n")
}

func (m *Model) oneColumn(t *state.Today, past bool, avail int) []string {
	text := append(m.textLines(t, past, m.w), m.healthLines(t, m.w)...)
	const minCharts = 4
	budget := avail
	if avail >= minCharts+2 {
		budget = avail - minCharts
	}
	// Numbers first, down to the budget; the charts get what is left, and
	// give back what they do not use.
	picked := pick(text, budget)
	rest := avail - len(picked)
	if rest < minCharts {
		return picked
	}
	ch := m.charts(t, past, m.w, rest)
	if spare := rest - len(ch); spare > 0 {
		picked = pick(text, len(picked)+spare)
	}
	return append(picked, ch...)
}

func (m *Model) twoColumns(t *state.Today, past bool, avail int) []string {
	lw := min(leftWidth, m.w*52/100)
	text := append(m.textLines(t, past, lw), m.healthLines(t, lw)...)
	left := pick(text, avail)
	rightW := m.w - lw - len(gap)
	return columns([][]string{left, m.charts(t, past, rightW, avail)}, []int{lw, rightW}, avail)
}

func (m *Model) threeColumns(t *state.Today, past bool, avail int) []string {
	left := pick(m.textLines(t, past, leftWidth), avail)
	mid := pick(m.healthLines(t, healthWidth), avail)
	rightW := m.w - leftWidth - healthWidth - 2*len(gap)
	return columns([][]string{left, mid, m.charts(t, past, rightW, avail)}, []int{leftWidth, healthWidth, rightW}, avail)
}

// columns sets blocks of lines side by side, each fitted to its width.
func columns(blocks [][]string, widths []int, n int) []string {
	out := make([]string, n)
	var b strings.Builder
	for i := range out {
		b.Reset()
		for j, block := range blocks {
			if j > 0 {
				b.WriteString(gap)
			}
			l := ""
			if i < len(block) {
				l = block[i]
			}
			b.WriteString(textfmt.Fit(l, widths[j]))
		}
		out[i] = b.String()
	}
	return out
}

// line is a text line with a priority: when rows are short the lowest
// numbers stay.
type line struct {
	text string
	prio int
}

// pick keeps the most important lines that fit in n rows, in their order.
func pick(ls []line, n int) []string {
	if n <= 0 {
		return nil
	}
	keep := make([]bool, len(ls))
	count := 0
	for prio := 0; prio <= 9 && count < n; prio++ {
		for i, l := range ls {
			if l.prio == prio && count < n {
				keep[i] = true
				count++
			}
		}
	}
	out := make([]string, 0, count)
	for i, l := range ls {
		if keep[i] {
			out = append(out, l.text)
		}
	}
	return out
}

// wrap breaks s into at most n lines of width cells at words, the last
// one shortened at a word.
func wrap(s string, width, n int) []string {
	if n <= 0 {
		return nil
	}
	return textfmt.Wrap(s, width, n)
}
