// Package today is the today pane: the day's totals against goals, heart
// rate, last night's sleep, weight, and sparklines of heart rate over the
// last hours and of steps through the day.
//
// Everything but the "updated Xs ago" line is drawn only when the shown
// account's data or the pane's size change, and kept; a clock tick redraws
// that one line.
package today

import (
	"fmt"
	"math"
	"slices"
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

// TwoColumnWidth is the content width from which numbers and charts sit
// side by side.
const TwoColumnWidth = 84

// leftWidth is the numbers column in the two-column layout.
const leftWidth = 44

// Model is the today pane.
type Model struct {
	ctx   *program.Context
	state *state.Dashboard
	acct  int
	w, h  int

	// Render cache.
	drawn    bool
	drawnFor struct {
		acct    int
		version uint64
		w, h    int
	}
	body    string // everything above the age line
	setW    int    // size content was last built for
	setH    int
	age     string
	content string
	title   string
	version uint64

	heartChart, stepsChart chartMemo
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

// ShortHelp implements layout.Pane: the pane has no keys of its own.
func (m *Model) ShortHelp() []key.Binding { return nil }

// Update handles the size message.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if msg, ok := msg.(layout.SizeMsg); ok && (msg.Width != m.w || msg.Height != m.h) {
		m.w, m.h = msg.Width, msg.Height
		m.Refresh()
	}
	return nil
}

// SetAccount shows account i.
func (m *Model) SetAccount(i int) {
	m.acct = i
	m.Refresh()
}

// Refresh redraws what changed: the body when the account's today data or
// the size changed, the age line when its text changed. Nothing else.
func (m *Model) Refresh() {
	a := m.state.Get(m.acct)
	if a == nil {
		m.set("Today", "", "")
		return
	}
	f := m.drawnFor
	if !m.drawn || f.acct != m.acct || f.version != a.Today.Version || f.w != m.w || f.h != m.h {
		m.drawn = true
		m.drawnFor.acct, m.drawnFor.version, m.drawnFor.w, m.drawnFor.h = m.acct, a.Today.Version, m.w, m.h
		title, body := m.drawBody(a)
		m.set(title, body, m.ageLine(a))
		return
	}
	m.set(m.title, m.body, m.ageLine(a))
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
	return textfmt.AgoChanges(now, a.Today.UpdatedAt)
}

func (m *Model) ageLine(a *state.Account) string {
	s := m.ctx.Styles
	if m.w <= 0 {
		return ""
	}
	t := a.Today
	if t.UpdatedAt.IsZero() {
		if a.Today.Err != nil {
			return textfmt.Fit(s.Muted.Render("no data yet"), m.w)
		}
		return textfmt.Fit(s.Muted.Render("loading…"), m.w)
	}
	return textfmt.Fit(s.Muted.Render("updated "+textfmt.Ago(m.ctx.Now(), t.UpdatedAt)), m.w)
}

// line is a text line with a priority: when rows are short the highest
// numbers go first.
type line struct {
	text string
	prio int
}

// drawBody draws the title and everything above the age line.
func (m *Model) drawBody(a *state.Account) (title, body string) {
	s := m.ctx.Styles
	t := &a.Today
	title = "Today · " + a.Name
	if !t.Day.IsZero() {
		title += " · " + t.Day.In(time.UTC).Format("Mon Jan 2")
	}
	if m.w <= 0 || m.h <= 1 {
		return title, ""
	}
	avail := m.h - 1 // the age line
	var errLines []string
	if t.Err != nil || (a.Err() != nil && !t.HasLive) {
		err := t.Err
		if err == nil {
			err = a.Err()
		}
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
	case !t.HasLive && !t.HasSlow:
		if t.Err == nil && a.Err() == nil {
			rows = []string{s.Muted.Render("loading…")}
		}
	case m.w >= TwoColumnWidth:
		rows = m.twoColumns(t, avail)
	default:
		rows = m.oneColumn(t, avail)
	}
	rows = textfmt.Block(rows, m.w, avail)
	return title, strings.Join(append(rows, textfmt.Block(errLines, m.w, len(errLines))...), "\n")
}

func (m *Model) oneColumn(t *state.Today, avail int) []string {
	text := m.textLines(t, m.w)
	const minCharts = 4
	budget := avail
	if avail >= minCharts+2 {
		budget = avail - minCharts
	}
	picked := pick(text, budget)
	rest := avail - len(picked)
	if rest < minCharts {
		return picked
	}
	return append(picked, m.charts(t, m.w, rest)...)
}

func (m *Model) twoColumns(t *state.Today, avail int) []string {
	left := pick(m.textLines(t, leftWidth), avail)
	rightW := m.w - leftWidth - 3
	right := m.charts(t, rightW, avail)
	out := make([]string, avail)
	for i := range out {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = textfmt.Fit(l, leftWidth) + "   " + textfmt.Fit(r, rightW)
	}
	return out
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

const (
	labelW = 10
	textW  = 19
)

// textLines are the numbers, each fitted to width.
func (m *Model) textLines(t *state.Today, width int) []line {
	s := m.ctx.Styles
	sum := t.Live.Summary
	g := sum.Goals
	var out []line
	add := func(prio int, label, rest string) {
		out = append(out, line{s.Label.Render(textfmt.Fit(label, labelW)) + rest, prio})
	}
	barW := min(10, width-labelW-textW-5)
	if barW < 4 {
		barW = 0
	}
	goal := func(v, goal float64, text string) string {
		if goal <= 0 {
			return text
		}
		return textfmt.Fit(text, textW) + m.progress(v, goal, barW)
	}
	// Unknown is "–" with no bar (state.StepsKnown, TotalsKnown), as
	// history and `fittui today` say it.
	known := func(ok bool, f func() string) string {
		if !ok {
			return s.Muted.Render(textfmt.Unknown)
		}
		return f()
	}
	totals := state.TotalsKnown(sum)
	if t.HasLive {
		add(0, "Steps", known(state.StepsKnown(sum), func() string {
			return goal(float64(sum.Steps), float64(g.Steps),
				s.Value.Render(textfmt.Int(sum.Steps))+orGoal(s.Muted.Render, textfmt.Int(g.Steps), g.Steps > 0))
		}))
		add(2, "Distance", known(totals, func() string {
			d, unit := m.units().Distance(sum.DistanceKm)
			gd, _ := m.units().Distance(g.DistanceKm)
			return goal(sum.DistanceKm, g.DistanceKm,
				s.Value.Render(fmt.Sprintf("%.2f", d))+orGoal(s.Muted.Render, fmt.Sprintf("%.2f", gd), g.DistanceKm > 0)+s.Muted.Render(" "+unit))
		}))
		add(2, "Calories", known(totals, func() string {
			return goal(float64(sum.Calories), float64(g.Calories),
				s.Value.Render(textfmt.Int(sum.Calories))+orGoal(s.Muted.Render, textfmt.Int(g.Calories), g.Calories > 0)+s.Muted.Render(" kcal"))
		}))
		add(1, "Active", known(totals, func() string {
			return goal(float64(sum.ActiveMinutes), float64(g.ActiveMinutes),
				s.Value.Render(textfmt.Int(sum.ActiveMinutes))+orGoal(s.Muted.Render, textfmt.Int(g.ActiveMinutes), g.ActiveMinutes > 0)+s.Muted.Render(" min"))
		}))
		if sum.HasFloors && totals {
			add(4, "Floors", goal(float64(sum.Floors), float64(g.Floors),
				s.Value.Render(textfmt.Int(sum.Floors))+orGoal(s.Muted.Render, textfmt.Int(g.Floors), g.Floors > 0)))
		}
		add(0, "Heart", m.heartText(t))
	}
	if t.HasSlow {
		sl := t.Slow
		if sl.HasSleep {
			span := sl.Sleep.Start.Format("15:04") + "–" + sl.Sleep.End.Format("15:04")
			if gs := g.SleepMinutes; gs > 0 { // a goal from the configuration
				pct := textfmt.Percent(asleep(sl.Sleep).Minutes(), float64(gs))
				add(1, "Sleep", s.Value.Render(textfmt.HM(asleep(sl.Sleep)))+s.Muted.Render(" / "+textfmt.Minutes(gs)+" ")+
					s.Value.Render(fmt.Sprintf("%d%%", pct))+s.Muted.Render(" · "+span))
			} else {
				add(1, "Sleep", s.Value.Render(textfmt.HM(asleep(sl.Sleep)))+s.Muted.Render(" asleep · "+span))
			}
			if st := m.stages(sl.Sleep); st != "" {
				indent := labelW
				if labelW+textfmt.Width(st) > width {
					indent = 2
				}
				out = append(out, line{strings.Repeat(" ", indent) + st, 3})
			}
		} else {
			add(1, "Sleep", s.Muted.Render("none recorded yet"))
		}
		if sl.Weight > 0 {
			w, unit := m.units().Weight(sl.Weight)
			add(3, "Weight", s.Value.Render(fmt.Sprintf("%.1f", w))+s.Muted.Render(" "+unit+" · "+
				sl.WeightDay.In(time.UTC).Format("Jan 2")))
		}
	} else if t.HasLive {
		add(5, "Sleep", s.Muted.Render("loading…"))
	}
	// A note is wrapped at words (and shortened at one), never cut mid-word.
	for _, l := range textfmt.Wrap(t.Live.Note, width, 2) {
		out = append(out, line{s.Muted.Render(l), 6})
	}
	return out
}

// units are the shown account's (the configuration's units).
func (m *Model) units() textfmt.Units {
	if a := m.state.Get(m.acct); a != nil {
		return a.Units
	}
	return textfmt.Metric
}

func orGoal(muted func(...string) string, goal string, has bool) string {
	if !has {
		return ""
	}
	return muted(" / " + goal)
}

// progress is a small bar and the percentage of goal reached.
func (m *Model) progress(v, goal float64, barW int) string {
	s := m.ctx.Styles
	pct := textfmt.Percent(v, goal)
	p := fmt.Sprintf("%4d%%", pct)
	if barW <= 0 {
		return p
	}
	full := int(math.Round(math.Min(v/goal, 1) * float64(barW)))
	bar := strings.Repeat("█", full)
	rest := strings.Repeat("░", barW-full)
	if pct >= 100 {
		return s.ProgressDone.Render(bar) + s.ProgressDone.Render(p)
	}
	return s.ProgressFull.Render(bar) + s.ProgressEmpty.Render(rest) + s.Muted.Render(p)
}

func (m *Model) heartText(t *state.Today) string {
	s := m.ctx.Styles
	l := t.Live
	var parts []string
	if l.HasLatest {
		parts = append(parts, s.Value.Render(fmt.Sprintf("%.0f", l.Latest.Value))+
			s.Muted.Render(" bpm at "+l.Latest.Time.Format("15:04")))
	}
	if rhr := l.Summary.RestingHeartRate; rhr > 0 {
		parts = append(parts, s.Muted.Render("resting ")+s.Value.Render(fmt.Sprint(rhr)))
	}
	if len(parts) == 0 {
		return s.Muted.Render("no heart-rate data yet")
	}
	return strings.Join(parts, s.Muted.Render(" · "))
}

func asleep(ss providers.SleepSession) time.Duration {
	if ss.Asleep > 0 {
		return ss.Asleep
	}
	return ss.End.Sub(ss.Start)
}

// stages is the sleep's stage breakdown, e.g. "deep 1:02 · light 3:58".
func (m *Model) stages(ss providers.SleepSession) string {
	s := m.ctx.Styles
	tot := ss.StageTotals()
	order := []providers.SleepStage{providers.StageDeep, providers.StageLight, providers.StageREM, providers.StageWake}
	if ss.Classic {
		order = []providers.SleepStage{providers.StageAsleep, providers.StageRestless, providers.StageAwake}
	}
	var parts []string
	for _, st := range order {
		d, ok := tot[st]
		if !ok {
			continue
		}
		name := string(st)
		style := s.Light
		switch st {
		case providers.StageDeep:
			style = s.Deep
		case providers.StageREM:
			name, style = "REM", s.REM
		case providers.StageWake, providers.StageAwake, providers.StageRestless:
			style = s.Wake
		}
		parts = append(parts, style.Render(name)+" "+s.Value.Render(textfmt.HM(d)))
	}
	return strings.Join(parts, "  ")
}

// chartPlan sizes the two sparkline blocks to fit n rows: chart rows, time
// axes, a blank line between; the first plan that fits wins.
func chartPlan(n int) (rows int, axis, gap bool, ok bool) {
	plans := []struct {
		rows      int
		axis, gap bool
	}{
		{6, true, true}, {5, true, true}, {4, true, true}, {3, true, true},
		{3, true, false}, {3, false, false}, {2, false, false}, {1, false, false},
	}
	for _, p := range plans {
		need := 2 * (1 + p.rows)
		if p.axis {
			need += 2
		}
		if p.gap {
			need++
		}
		if need <= n {
			return p.rows, p.axis, p.gap, true
		}
	}
	return 0, false, false, false
}

// charts draws the heart-rate and steps sparklines in width x n cells.
func (m *Model) charts(t *state.Today, width, n int) []string {
	rows, axis, gap, ok := chartPlan(n)
	if !ok || width <= 0 {
		return nil
	}
	s := m.ctx.Styles
	l := t.Live
	var out []string

	// Heart rate over the last hours, scaled between its min and max.
	lo, hi, has := minMax(l.Heart)
	title := "Heart rate · last " + hoursText(state.HeartWindow)
	right := ""
	if has {
		right = fmt.Sprintf("%.0f–%.0f bpm", lo, hi)
	}
	out = append(out, textfmt.Columns(s.Title.Render(title), s.Muted.Render(right), width))
	switch {
	case !t.HasLive:
		out = append(out, pad(s.Muted.Render("loading…"), rows)...)
	case !has:
		out = append(out, pad(s.Muted.Render("no heart-rate data yet"), rows)...)
	default:
		in := fitTo(l.Heart, width, charts.Mean)
		out = append(out, textfmt.Lines(m.heartChart.draw(in, width, rows, func() string {
			return charts.Sparkline(in, width, rows, s.Heart)
		}))...)
	}
	if axis {
		out = append(out, m.axis(width, l.HeartFrom.Format("15:04"), "", l.HeartTo.Format("15:04")))
	}
	if gap {
		out = append(out, "")
	}

	// Steps per 15 minutes: the whole day when it fits, else the newest
	// slots that fit, so the resolution never coarsens on narrow screens.
	from, to := stepsWindow(l.StepsSlots, len(l.Steps15), width)
	slots := l.Steps15[from:to]
	_, peak, hasSteps := minMax(slots)
	right = ""
	if hasSteps {
		right = "max " + textfmt.Int(int(peak))
	}
	out = append(out, textfmt.Columns(s.Title.Render("Steps per 15 min"), s.Muted.Render(right), width))
	switch {
	case !t.HasLive:
		out = append(out, pad(s.Muted.Render("loading…"), rows)...)
	case !hasSteps:
		// A total without intraday detail says so, never "no steps".
		out = append(out, pad(s.Muted.Render(state.StepsChartEmpty(l.Summary, true)), rows)...)
	default:
		in := fitTo(slots, width, charts.Sum)
		out = append(out, textfmt.Lines(m.stepsChart.draw(in, width, rows, func() string {
			return charts.Sparkline(in, width, rows, s.Steps)
		}))...)
	}
	if axis {
		mid := ""
		if from == 0 && to == len(l.Steps15) {
			mid = slotClock(len(l.Steps15) / 2)
		}
		out = append(out, m.axis(width, slotClock(from), mid, slotClock(to)))
	}
	return out
}

// chartMemo keeps a rendered chart until its input or size changes: the
// pane is rebuilt whenever any number on it changes (the latest heart rate
// every second), but a chart is drawn only when its own data moves.
type chartMemo struct {
	in    []float64
	w, h  int
	out   string
	draws int // how often render ran (tests)
}

func (c *chartMemo) draw(in []float64, w, h int, render func() string) string {
	if c.out != "" && c.w == w && c.h == h && slices.Equal(c.in, in) {
		return c.out
	}
	c.in = append(c.in[:0], in...)
	c.w, c.h = w, h
	c.out = render()
	c.draws++
	return c.out
}

// stepsWindow picks the slots [from,to) of a day of n 15-minute slots to
// draw in width columns: all of them when they fit, else the newest width
// slots up to the data's end (from midnight while the day is young).
func stepsWindow(reached, n, width int) (from, to int) {
	if width >= n || width <= 0 {
		return 0, n
	}
	to = min(max(reached, width), n)
	return to - width, to
}

// slotClock is the wall-clock time at the start of 15-minute slot i.
func slotClock(i int) string {
	return fmt.Sprintf("%d:%02d", i/4, i%4*15)
}

// axis is a line with labels at the left, middle and right.
func (m *Model) axis(width int, left, mid, right string) string {
	b := []byte(strings.Repeat(" ", width))
	put := func(x int, s string) {
		if x < 0 || x+len(s) > width {
			return
		}
		copy(b[x:], s)
	}
	put(0, left)
	if mid != "" && width >= len(left)+len(mid)+len(right)+4 {
		put((width-len(mid))/2, mid)
	}
	if width >= len(left)+len(right)+1 {
		put(width-len(right), right)
	}
	return m.ctx.Styles.Muted.Render(string(b))
}

func pad(first string, rows int) []string {
	out := make([]string, rows)
	out[0] = first
	return out
}

func hoursText(d time.Duration) string {
	return fmt.Sprintf("%d h", int(d/time.Hour))
}

// fitTo makes values exactly width long: downsampled when longer, each
// value repeated over several columns when shorter, so a time axis under
// the chart stays linear.
func fitTo(values []float64, width int, agg charts.Agg) []float64 {
	if len(values) == 0 || width <= 0 {
		return nil
	}
	if len(values) >= width {
		return charts.Downsample(values, width, agg)
	}
	out := make([]float64, width)
	for x := range out {
		out[x] = values[x*len(values)/width]
	}
	return out
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
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi, ok
}

// wrap breaks s into at most n lines of width cells at words, the last
// one shortened at a word.
func wrap(s string, width, n int) []string {
	if n <= 0 {
		return nil
	}
	return textfmt.Wrap(s, width, n)
}
