package history

import (
	"strconv"
	"strings"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/charts"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/textfmt"
)

// section is one metric's part of the pane: a chart, or one line saying
// why there is none.
type section struct {
	mt    *metric
	vals  []float64 // one per day of the window, 0 unknown
	note  string    // instead of the chart
	sc    charts.Scale
	goal  float64
	right string // beside the title: range, goal, average
	rows  int
	ticks []string
}

// grid is how the window's days map onto chart columns: perCol days a
// column (1 where the width allows), the oldest column padded by pad
// empty days so every column holds exactly perCol.
type grid struct {
	n, perCol, cols, pad int
	width                int // the chart's width, without the axis
}

func newGrid(n, width int) grid {
	g := grid{n: n, perCol: 1, width: width}
	if width > 0 && n > width {
		g.perCol = (n + width - 1) / width
	}
	g.cols = (n + g.perCol - 1) / g.perCol
	g.pad = g.cols*g.perCol - n
	return g
}

// col is the column of day i of the window.
func (g grid) col(i int) int {
	if i < 0 || i >= g.n {
		return -1
	}
	return (i + g.pad) / g.perCol
}

// columns averages vals (one per day) into one value per column.
func (g grid) columns(vals []float64) []float64 {
	if g.perCol == 1 {
		return vals
	}
	padded := make([]float64, g.cols*g.perCol)
	copy(padded[g.pad:], vals)
	return charts.Downsample(padded, g.cols, charts.Mean)
}

// firstDay is the window index of column c's first real day.
func (g grid) firstDay(c int) int { return max(c*g.perCol-g.pad, 0) }

func (m *Model) lines(a *state.Account) []string {
	s := m.ctx.Styles
	if m.w <= 0 || m.h <= 0 {
		return nil
	}
	if m.today.IsZero() {
		return []string{s.Muted.Render("loading…")}
	}
	h := &a.History
	v := views[m.view]
	from, to := m.Window()
	n := Ranges[m.rng].Days

	var bottom []string
	if h.Err != nil {
		bottom = append(bottom, s.Error.Render(textfmt.Shorten("⚠ "+a.Message(h.Err), m.w))) // at a word
	}
	if v.health() && h.HealthErr != nil {
		bottom = append(bottom, s.Error.Render(textfmt.Shorten("⚠ health metrics: "+a.Message(h.HealthErr), m.w)))
	}
	if m.prompt.open {
		bottom = append(bottom, m.promptLines()...)
	} else {
		bottom = append(bottom, m.dayLine(h, v))
	}
	avail := m.h - 1 - len(bottom)

	var body []string
	perCol := 1
	switch {
	case v.workouts:
		body = m.workoutLines(a, from, to, avail)
	default:
		var g grid
		body, g = m.chartLines(a, v, from, n, avail)
		perCol = g.perCol
	}
	out := append([]string{m.header(from, to, perCol)}, body...)
	out = textfmt.Block(out, m.w, m.h-len(bottom))
	return append(out, bottom...)
}

// chartLines draws the view's sections in avail rows.
func (m *Model) chartLines(a *state.Account, v view, from providers.Date, n, avail int) ([]string, grid) {
	s := m.ctx.Styles
	h := &a.History
	todayIdx := from.DaysUntil(m.today)
	if todayIdx >= n {
		todayIdx = -1
	}
	loadedAny := false
	secs := make([]*section, len(v.metrics))
	for i, mt := range v.metrics {
		secs[i] = m.plan(a, inUnits(mt, a.Units), from, n, todayIdx)
	}
	for i := range n {
		if _, ok := h.Days[from.AddDays(i)]; ok {
			loadedAny = true
		}
	}
	if !loadedAny && h.Pending {
		return []string{s.Muted.Render("loading…")}, newGrid(n, m.w)
	}

	charted, notes := 0, 0
	for _, sec := range secs {
		if sec.note != "" {
			notes++
		} else {
			charted++
		}
	}
	free := avail - notes
	titles, axis, marker := charted > 0, true, free >= 10
	need := func() int {
		r := 0
		if titles {
			r += charted
		}
		if axis {
			r++
		}
		if marker {
			r++
		}
		return r
	}
	// Give up the marker, the time labels and the titles, in that order,
	// before a chart gets less than a row.
	for _, drop := range []*bool{&marker, &axis, &titles} {
		if free-need() >= max(charted, 1)*2 || (drop == &titles && free-need() >= charted) {
			break
		}
		*drop = false
	}
	if charted == 0 {
		axis, marker = false, false
	}
	hint := charted == 0 && len(v.metrics) == 1 && free > 1
	rows := free - need()
	if charted > 0 && rows < charted {
		// Not even a row each: the charts go, their titles say the numbers.
		rows, axis, marker = 0, false, false
		for _, sec := range secs {
			if sec.note == "" {
				sec.note = "–"
				notes++
			}
		}
		charted = 0
	}
	// Share the rows; the first chart gets what does not divide.
	k := 0
	for _, sec := range secs {
		if sec.note != "" {
			continue
		}
		sec.rows = rows / max(charted, 1)
		if k < rows%max(charted, 1) {
			sec.rows++
		}
		k++
	}

	// The axis is as wide as the widest label of any chart, so the
	// charts' columns line up with each other and the time labels. The
	// scales follow the columns' values (a column may average days), and
	// the columns the axis' width: guess, then measure once more.
	gutter := 5
	var g grid
	for pass := 0; pass < 2; pass++ {
		g = newGrid(n, m.w-gutter)
		gutter = 0
		for _, sec := range secs {
			if sec.note != "" {
				continue
			}
			sec.scale(g)
			sec.ticks = charts.AxisLabels(sec.sc, sec.rows, sec.mt.tick)
			// The goal's row says its value, when no tick took it.
			if r := sec.sc.Row(sec.goal, sec.rows); sec.goal > 0 && r >= 0 && sec.ticks[r] == "" {
				sec.ticks[r] = sec.mt.tick(sec.goal)
			}
			gutter = max(gutter, charts.LabelWidth(sec.ticks)+1)
		}
		if gutter > m.w/3 {
			gutter = 0
		}
		if newGrid(n, m.w-gutter).perCol == g.perCol {
			break
		}
	}
	g = newGrid(n, m.w-gutter)
	selCol, todayCol := g.col(from.DaysUntil(m.sel)), g.col(todayIdx)

	var out []string
	for _, sec := range secs {
		title := s.Title.Render(sec.mt.title)
		if u := sec.mt.unit(); u != "" {
			title += s.Muted.Render(" · " + u)
		}
		if sec.note != "" {
			out = append(out, textfmt.Columns(title, s.Muted.Render(sec.note), m.w))
			continue
		}
		if titles {
			out = append(out, textfmt.Columns(title, s.Muted.Render(sec.right), m.w))
		}
		// The cursor's day is the ▲ row and the day line, not a
		// recoloured bar: a day step then changes two rows, not every
		// row of every chart (the terminal is sent whole changed lines).
		mk := charts.Marks{Selected: -1, Today: todayCol, Goal: sec.goal,
			Style: sec.mt.style(s), SelStyle: s.ChartSelect, GoalStyle: s.Good, TodayStyle: s.Muted}
		vals := g.columns(sec.vals)
		var chart string
		if sec.mt.line {
			chart = charts.ScaledLine(vals, g.width, sec.rows, sec.sc, mk)
		} else {
			chart = charts.ScaledBars(vals, g.width, sec.rows, charts.Mean, sec.sc, mk)
		}
		ax := charts.Axis(sec.ticks, gutter, s.Muted)
		for r, line := range textfmt.Lines(chart) {
			if gutter > 0 {
				line = ax[r] + line
			}
			out = append(out, line)
		}
	}
	if hint {
		out = append(out, s.Muted.Render("m shows the next metric"))
	}
	pad := strings.Repeat(" ", gutter)
	if axis {
		out = append(out, pad+s.Muted.Render(m.timeLabels(g, from)))
	}
	if marker {
		if c0, c1, ok := charts.Columns(selCol, g.cols, g.width); ok {
			out = append(out, pad+strings.Repeat(" ", charts.Mid(c0, c1))+s.ChartSelect.Render("▲"))
		}
	}
	return out, g
}

// plan reads metric mt off the window's days and decides its scale and
// what its title says, or why it has no chart.
func (m *Model) plan(a *state.Account, mt *metric, from providers.Date, n, todayIdx int) *section {
	h := &a.History
	sec := &section{mt: mt, vals: make([]float64, n)}
	var (
		any, loaded bool
		lo, hi, sum float64
		complete    int
		missing     string
	)
	for i := range n {
		d := from.AddDays(i)
		dv, ok := h.Days[d]
		hd, hok := h.Health[d]
		if mt.health != "" {
			ok = hok
			if why := hd.Missing[mt.health]; why != "" && missing == "" {
				missing = why
			}
		}
		if !ok {
			continue
		}
		loaded = true
		x := mt.get(day{v: dv, h: hd})
		if x == 0 {
			continue
		}
		sec.vals[i] = x
		if !any {
			lo, hi, any = x, x, true
		}
		lo, hi = min(lo, x), max(hi, x)
		if i != todayIdx { // today is not over: it would pull the average down
			sum += x
			complete++
		}
	}
	switch {
	case any:
	case mt.health != "" && loaded && !h.HealthServed:
		sec.note = "not measured by this account's provider"
		return sec
	case missing != "":
		sec.note = mt.name + " " + missing
		return sec
	case !loaded:
		sec.note = "loading…"
		return sec
	case mt.health != "":
		sec.note = "not measured in these days"
		return sec
	case mt.daily:
		sec.note = "not in this account's daily history"
		return sec
	default:
		sec.note = "no data"
		return sec
	}
	if mt.daily && complete == 0 && todayIdx >= 0 && sec.vals[todayIdx] != 0 && from.DaysUntil(m.today) > 0 {
		// Only today's, from the day's totals: the series lacks it.
		sec.note = "not in this account's daily history (today " + mt.text(sec.vals[todayIdx]) + ")"
		return sec
	}
	if mt.goal != nil {
		sec.goal = mt.goal(goals(a))
	}
	var right []string
	if mt.line {
		right = append(right, rangeText(mt, lo, hi))
	}
	if sec.goal > 0 {
		right = append(right, "goal "+mt.text(sec.goal))
	}
	if complete > 0 {
		right = append(right, "avg "+mt.text(sum/float64(complete))+mt.per)
	} else {
		right = append(right, "avg: today not over")
	}
	sec.right = strings.Join(right, " · ")
	return sec
}

// scale chooses the section's scale for the values of g's columns.
func (sec *section) scale(g grid) {
	lo, hi, _ := nonZero(g.columns(sec.vals))
	if sec.mt.line {
		sec.sc = charts.LineScale(lo, hi, sec.mt.minSpan)
	} else {
		sec.sc = charts.BarScale(max(hi, sec.goal))
	}
}

func nonZero(vs []float64) (lo, hi float64, ok bool) {
	for _, v := range vs {
		if v == 0 {
			continue
		}
		if !ok {
			lo, hi, ok = v, v, true
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi, ok
}

// rangeText is "46–51 bpm": the unit said once.
func rangeText(mt *metric, lo, hi float64) string {
	a, b := mt.text(lo), mt.text(hi)
	if lo == hi {
		return a
	}
	if i := strings.LastIndexByte(a, ' '); i > 0 && strings.HasSuffix(b, a[i:]) {
		a = a[:i]
	}
	return a + "–" + b
}

// timeLabels names the columns of grid g under the charts: weekdays at
// 7 days, day numbers at 30 (month names on the 1st), month names at 90
// days and a year.
func (m *Model) timeLabels(g grid, from providers.Date) string {
	buf := []rune(strings.Repeat(" ", max(g.width, 0)))
	place := func(x int, text string, limit int) bool {
		r := []rune(text)
		if x < 0 || x+len(r) > limit {
			return false
		}
		copy(buf[x:], r)
		return true
	}
	days := Ranges[m.rng].Days
	switch {
	case days <= 7:
		for c := range g.cols {
			x0, x1, ok := charts.Columns(c, g.cols, g.width)
			if !ok {
				continue
			}
			name := from.AddDays(g.firstDay(c)).Weekday().String()
			w := min(3, max(x1-x0, 1))
			if x1-x0 >= 3 {
				x0 = charts.Mid(x0, x1) - 1 // centred under a wide bar
			}
			place(max(x0, 0), name[:w], g.width)
		}
	case days <= 31:
		// From the newest day back, so today is named; each label keeps
		// a blank after it.
		limit := g.width
		for c := g.cols - 1; c >= 0; c-- {
			x0, _, ok := charts.Columns(c, g.cols, g.width)
			d := from.AddDays(g.firstDay(c))
			text := strconv.Itoa(d.Day)
			if !ok {
				continue
			}
			if d.Day == 1 && place(x0, d.Month.String()[:3], limit) || place(x0, text, limit) {
				limit = x0 - 1
			}
		}
	default:
		limit := g.width
		for c := g.cols - 1; c >= 0; c-- {
			first, last := from.AddDays(g.firstDay(c)), from.AddDays(min(g.firstDay(c+1), g.n)-1)
			if c == g.cols-1 {
				last = from.AddDays(g.n - 1)
			}
			if first.Day != 1 && first.Month == last.Month {
				continue // the 1st of a month is not in this column
			}
			mon := last.Month
			text := mon.String()[:3]
			if mon == 1 {
				text = strconv.Itoa(last.Year)
			}
			x0, _, ok := charts.Columns(c, g.cols, g.width)
			if ok && place(x0, text, limit) {
				limit = x0 - 1
			}
		}
	}
	return string(buf)
}
