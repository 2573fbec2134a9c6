package day

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/textfmt"
)

// dayMinutes is the length of the whole-day charts, in minutes.
const dayMinutes = 24 * 60

// block is one chart's share of the rows: its chart rows, and whether
// its title, time axis and workout marks show.
type block struct {
	rows        int
	title, axis bool
	marks       bool
	maxRows     int
}

func (b block) need() int {
	n := b.rows
	if b.title {
		n++
	}
	if b.axis {
		n++
	}
	if b.marks {
		n++
	}
	return n
}

// plan shares n rows between the heart-rate, steps and (when there is a
// stage timeline) sleep charts: titles, axes and two rows each first,
// then more rows up to each chart's most, then blank lines between them.
// Short of rows the sleep chart goes first, then the axes and the marks,
// then rows, then the steps chart.
func plan(n int, sleepRows int, marks bool) (heart, steps, sleep block, gaps bool) {
	heart = block{rows: 2, title: true, axis: true, marks: marks, maxRows: 6}
	steps = block{rows: 2, title: true, axis: true, maxRows: 5}
	sleep = block{rows: 1, title: true, axis: true, maxRows: sleepRows}
	total := func() int { return heart.need() + steps.need() + sleep.need() }
	if sleepRows == 0 {
		sleep = block{}
	}
	shrink := []func(){
		func() { sleep = block{} },
		func() { heart.marks = false },
		func() { steps.axis = false },
		func() { heart.axis = false },
		func() { steps.rows = 1 },
		func() { heart.rows = 1 },
		func() { steps = block{} },
		func() { heart.title = false },
	}
	for _, f := range shrink {
		if total() <= n {
			break
		}
		f()
	}
	if total() > n {
		return block{}, block{}, block{}, false
	}
	// Grow the heart and steps charts to three rows, then the hypnogram
	// to a row per stage (it is one row or that), then the rest.
	grow := func(limit int) {
		for grew := true; grew; {
			grew = false
			for _, b := range []*block{&heart, &steps} {
				if b.rows > 0 && b.rows < min(b.maxRows, limit) && total() < n {
					b.rows++
					grew = true
				}
			}
		}
	}
	grow(3)
	if sleep.rows == 1 && sleep.maxRows > 1 && total()+sleep.maxRows-1 <= n {
		sleep.rows = sleep.maxRows
	}
	grow(99)
	blocks := 1
	if steps.rows > 0 {
		blocks++
	}
	if sleep.rows > 0 {
		blocks++
	}
	gaps = total()+blocks-1 <= n
	return heart, steps, sleep, gaps
}

// charts draws the heart-rate, steps and sleep charts in width x n cells
// (fewer rows when they need fewer).
func (m *Model) charts(t *state.Today, past bool, width, n int) []string {
	if width < 8 || n <= 0 {
		return nil
	}
	sleepRows := 0
	if sl := t.Slow; sl.HasSleep && len(sl.Sleep.Segments) > 0 {
		sleepRows = len(stageOrder(sl.Sleep.Classic))
	}
	hv := m.heartView(t, past)
	hb, sb, zb, gaps := plan(n, sleepRows, hv.hasMarks())
	var out []string
	sep := func() {
		if gaps && len(out) > 0 {
			out = append(out, "")
		}
	}
	if hb.rows > 0 {
		out = append(out, m.heartBlock(t, past, hv, hb, width)...)
	}
	if sb.rows > 0 {
		sep()
		out = append(out, m.stepsBlock(t, past, sb, width)...)
	}
	if zb.rows > 0 {
		sep()
		out = append(out, m.sleepBlock(t.Slow.Sleep, zb, width)...)
	}
	return out
}

// heartSpan is the heart-rate chart's input: values over from..to, and
// the workouts inside it.
type heartSpan struct {
	values   []float64
	from, to time.Time
	day      bool // the whole day from midnight (axis labels 0:00–24:00)
	workouts []providers.Workout
}

func (h heartSpan) hasMarks() bool { return len(h.workouts) > 0 }

// heartView picks the whole day or (with the span key, or today without a
// whole-day series) the last three hours.
func (m *Model) heartView(t *state.Today, past bool) heartSpan {
	l := t.Live
	var h heartSpan
	if (m.lastHours || len(l.HeartDay) == 0) && len(l.Heart) > 0 {
		h = heartSpan{values: l.Heart, from: l.HeartFrom, to: l.HeartTo}
	} else if len(l.HeartDay) > 0 {
		loc := l.Latest.Time.Location()
		midnight := t.Day.In(loc)
		h = heartSpan{values: l.HeartDay, from: midnight, to: midnight.Add(dayMinutes * time.Minute), day: true}
	}
	for _, w := range t.Slow.Health.Workouts {
		if w.End.After(h.from) && w.Start.Before(h.to) {
			h.workouts = append(h.workouts, w)
		}
	}
	return h
}

func (m *Model) heartBlock(t *state.Today, past bool, hv heartSpan, b block, width int) []string {
	s := m.ctx.Styles
	l := t.Live
	var out []string
	span := "whole day"
	if !hv.day {
		span = "last " + fmt.Sprintf("%d h", int(state.HeartWindow/time.Hour))
	}
	gw := gutterWidth(b.rows, "bpm", "000")
	cw := width - gw
	cols := spread(hv.values, cw)
	lo, hi, has := minMax(hv.values) // the bins', not the columns' means
	if has && hv.day && l.HeartHi > 0 {
		lo, hi = l.HeartLo, l.HeartHi // the day's real lowest and highest reading
	}
	latest := l.HasLatest && !past && !l.Latest.Time.Before(hv.from)
	if has && latest {
		lo, hi = math.Min(lo, l.Latest.Value), math.Max(hi, l.Latest.Value)
	}
	if b.title {
		right := ""
		if has {
			right = fmt.Sprintf("%.0f–%.0f bpm", lo, hi)
			if latest {
				right += fmt.Sprintf(" · %.0f at %s", l.Latest.Value, l.Latest.Time.Format("15:04"))
			}
		}
		out = append(out, titled(s.Title.Render, s.Muted.Render, []string{"Heart rate · " + span, "Heart · " + span, "Heart"}, right, width))
	}
	if !has {
		msg := "no heart-rate data yet"
		if past {
			msg = "no heart-rate data"
		}
		if !t.HasLive {
			msg = loadingText(t)
		}
		return append(out, pad(s.Muted.Render(msg), b.rows)...)
	}
	sLo, sHi := scale(lo, hi, 5, 20)
	marks := make([]bool, cw)
	for _, w := range hv.workouts {
		a, z := colOf(w.Start, hv.from, hv.to, cw), colOf(w.End, hv.from, hv.to, cw)
		for x := max(a, 0); x <= min(z, cw-1); x++ {
			marks[x] = true
		}
	}
	key := append(append([]float64{sLo, sHi}, cols...), boolsAsFloats(marks)...)
	chart := m.heartChart.draw(key, cw, b.rows, func() string {
		return strings.Join(columnChart(cols, sLo, sHi, b.rows, 1, marks, s.Heart, s.ChartSelect), "\n")
	})
	out = append(out, withGutter(textfmt.Lines(chart), gw, fmt.Sprintf("%.0f", sHi), "bpm", fmt.Sprintf("%.0f", sLo), s.Muted)...)
	if b.marks {
		out = append(out, strings.Repeat(" ", gw)+m.markLine(hv.workouts, hv.from, hv.to, cw))
	}
	if b.axis {
		if hv.day {
			out = append(out, m.dayAxis(gw, cw))
		} else {
			out = append(out, m.clockAxis(gw, cw, hv.from, hv.to))
		}
	}
	return out
}

// titled is a chart's title line: the longest of titles that fits beside
// right.
func titled(title, muted func(...string) string, titles []string, right string, width int) string {
	t := titles[len(titles)-1]
	for _, c := range titles {
		if textfmt.Width(c)+1+textfmt.Width(right) <= width {
			t = c
			break
		}
	}
	return textfmt.Columns(title(t), muted(right), width)
}

// markLine marks each workout's span under the heart-rate chart, its type
// written in when the span is wide enough.
func (m *Model) markLine(ws []providers.Workout, from, to time.Time, cw int) string {
	row := []rune(strings.Repeat(" ", cw))
	for _, w := range ws {
		a, z := max(colOf(w.Start, from, to, cw), 0), min(colOf(w.End, from, to, cw), cw-1)
		for x := a; x <= z; x++ {
			row[x] = '▔'
		}
		name := []rune(strings.ToLower(workoutTitle(w.Type)))
		if z-a+1 >= len(name)+2 {
			copy(row[a+1:], name)
		}
	}
	return m.ctx.Styles.ChartSelect.Render(string(row))
}

// stepSlots picks the slot size for the day's 96 quarter hours in cw
// columns: 15 minutes when they fit, else 30 minutes, an hour, two hours.
func stepSlots(cw int) (per int) {
	for _, per = range []int{1, 2, 4, 8} {
		if 96/per <= cw {
			return per
		}
	}
	return per
}

func slotName(per int) string {
	switch per {
	case 1:
		return "15 min"
	case 2:
		return "30 min"
	case 4:
		return "hour"
	}
	return fmt.Sprintf("%d hours", per/4)
}

func (m *Model) stepsBlock(t *state.Today, past bool, b block, width int) []string {
	s := m.ctx.Styles
	l := t.Live
	gw := gutterWidth(b.rows, "steps", "0.0k")
	cw := width - gw
	per := stepSlots(cw)
	slots := make([]float64, 96/per)
	for i, v := range l.Steps15 {
		if i/per < len(slots) {
			slots[i/per] += v
		}
	}
	_, peak, has := minMax(slots)
	var out []string
	if b.title {
		right := ""
		if has {
			right = "max " + textfmt.Int(int(peak))
		}
		out = append(out, textfmt.Columns(s.Title.Render("Steps per "+slotName(per)), s.Muted.Render(right), width))
	}
	if !has {
		// A total without intraday detail says so, never "no steps".
		msg := state.StepsChartEmpty(l.Summary, !past)
		if !t.HasLive {
			msg = loadingText(t)
		}
		return append(out, pad(s.Muted.Render(msg), b.rows)...)
	}
	colW := max(cw/len(slots), 1)
	top := stepsTop(peak)
	chart := m.stepsChart.draw(append([]float64{top, float64(colW)}, slots...), cw, b.rows, func() string {
		return strings.Join(columnChart(slots, 0, top, b.rows, colW, nil, s.Steps, s.Steps), "\n")
	})
	lines := textfmt.Lines(chart)
	for i := range lines {
		lines[i] = textfmt.Fit(lines[i], cw)
	}
	out = append(out, withGutter(lines, gw, shortInt(top), "steps", "0", s.Muted)...)
	if b.axis {
		out = append(out, m.dayAxis(gw, len(slots)*colW))
	}
	return out
}

// stepsTop is the steps chart's top: the peak rounded up to a number a
// tick label says plainly.
func stepsTop(peak float64) float64 {
	for _, step := range []float64{10, 50, 100, 500, 1000} {
		if peak <= step*10 {
			return math.Ceil(peak/step) * step
		}
	}
	return math.Ceil(peak/1000) * 1000
}

// shortInt is n for a tick label: "800", "2.5k", "12k".
func shortInt(v float64) string {
	switch {
	case v >= 10000:
		return fmt.Sprintf("%.0fk", v/1000)
	case v >= 1000:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", v/1000), ".0") + "k"
	}
	return fmt.Sprintf("%.0f", v)
}

// sleepBlock is the night's stage timeline (hypnogram) from bed to wake:
// a row per stage (awake at the top, deep sleep at the bottom), or one row
// whose block heights say the stage.
func (m *Model) sleepBlock(ss providers.SleepSession, b block, width int) []string {
	s := m.ctx.Styles
	var out []string
	if b.title {
		out = append(out, titled(s.Title.Render, s.Muted.Render, []string{"Sleep · bed " + ss.Start.Format("15:04") + ", up " + ss.End.Format("15:04"),
			"Sleep " + ss.Start.Format("15:04") + "–" + ss.End.Format("15:04"), "Sleep"}, textfmt.HM(asleep(ss))+" asleep", width))
	}
	order := stageOrder(ss.Classic)
	gw := 0
	if b.rows > 1 {
		gw = 9
	}
	cw := width - gw
	stages := make([]int, cw) // index into order per column, -1 none
	span := ss.End.Sub(ss.Start)
	for x := range stages {
		stages[x] = -1
		if span <= 0 {
			continue
		}
		at := ss.Start.Add(time.Duration((float64(x) + 0.5) / float64(cw) * float64(span)))
		for _, seg := range ss.Segments {
			if !at.Before(seg.Start) && at.Before(seg.Start.Add(seg.Duration)) {
				stages[x] = slices.Index(order, seg.Stage)
				break
			}
		}
	}
	key := make([]float64, 0, cw+1)
	key = append(key, float64(len(order)))
	for _, v := range stages {
		key = append(key, float64(v))
	}
	chart := m.sleepChart.draw(key, cw, b.rows, func() string {
		return strings.Join(m.hypnogram(stages, order, b.rows), "\n")
	})
	lines := textfmt.Lines(chart)
	if gw > 0 {
		for i := range lines {
			label := ""
			if i < len(order) {
				label = stageName(order[i])
			}
			lines[i] = m.stageStyle(order[min(i, len(order)-1)]).Render(textfmt.Fit(label, gw-1)) + " " + lines[i]
		}
	}
	out = append(out, lines...)
	if b.axis {
		out = append(out, m.clockAxis(gw, cw, ss.Start, ss.End))
	}
	return out
}

// hypnogram draws stages (index into order per column) in rows rows:
// one per stage, or a single row of heights.
func (m *Model) hypnogram(stages []int, order []providers.SleepStage, rows int) []string {
	heights := []rune{'█', '▆', '▄', '▂'}
	if len(order) == 3 {
		heights = []rune{'█', '▅', '▂'}
	}
	out := make([]string, rows)
	var b strings.Builder
	for r := range rows {
		b.Reset()
		run, runStage := []rune{}, -2
		flush := func() {
			if len(run) == 0 {
				return
			}
			if runStage < 0 {
				b.WriteString(string(run))
			} else {
				b.WriteString(m.stageStyle(order[runStage]).Render(string(run)))
			}
			run = run[:0]
		}
		for _, st := range stages {
			ch, cls := ' ', -1
			switch {
			case st < 0:
			case rows == 1:
				ch, cls = heights[st], st
			case st == r:
				ch, cls = '█', st
			}
			if cls != runStage {
				flush()
				runStage = cls
			}
			run = append(run, ch)
		}
		flush()
		out[r] = b.String()
	}
	return out
}

func (m *Model) stageStyle(st providers.SleepStage) lipgloss.Style {
	s := m.ctx.Styles
	switch st {
	case providers.StageDeep:
		return s.Deep
	case providers.StageREM:
		return s.REM
	case providers.StageWake, providers.StageAwake, providers.StageRestless:
		return s.Wake
	}
	return s.Light
}

// columnChart draws values as columns colW cells wide from lo (empty) to
// hi (full height) in eighth blocks, rows high; a value at or below lo
// that is data still shows the lowest eighth. Marked columns take the
// mark style.
func columnChart(values []float64, lo, hi float64, rows, colW int, marks []bool, style, mark lipgloss.Style) []string {
	const glyphs = " ▁▂▃▄▅▆▇█"
	g := []rune(glyphs)
	out := make([]string, rows)
	var b strings.Builder
	for r := range rows {
		b.Reset()
		base := (rows - 1 - r) * 8
		run, runMarked := []rune{}, false
		flush := func() {
			if len(run) == 0 {
				return
			}
			if runMarked {
				b.WriteString(mark.Render(string(run)))
			} else {
				b.WriteString(style.Render(string(run)))
			}
			run = run[:0]
		}
		for i, v := range values {
			e := 0
			if v > 0 {
				e = max(int(math.Round((v-lo)/(hi-lo)*float64(rows*8))), 1)
			}
			cell := g[min(max(e-base, 0), 8)]
			marked := i < len(marks) && marks[i]
			if marked != runMarked {
				flush()
				runMarked = marked
			}
			for range colW {
				run = append(run, cell)
			}
		}
		flush()
		out[r] = b.String()
	}
	return out
}

// scale widens lo..hi to multiples of step, at least span wide, so a
// small change looks small.
func scale(lo, hi, step, span float64) (float64, float64) {
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if hi-lo < span {
		mid := (lo + hi) / 2
		lo = math.Floor((mid-span/2)/step) * step
		hi = lo + span
	}
	if lo < 0 {
		lo, hi = 0, hi-lo
	}
	return lo, hi
}

// gutterWidth is the width of a chart's value labels: the widest label
// and a space.
func gutterWidth(rows int, unit, widest string) int {
	w := len(widest)
	if rows >= 3 {
		w = max(w, len(unit))
	}
	return w + 1
}

// withGutter puts the value scale left of a chart's lines: top at the
// first row, bottom at the last, the unit between them when there is a
// row for it.
func withGutter(lines []string, gw int, top, unit, bottom string, style lipgloss.Style) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		label := ""
		switch {
		case i == 0:
			label = top
		case i == len(lines)-1:
			label = bottom
		case i == (len(lines)-1)/2 && len(lines) >= 3:
			label = unit
		}
		out[i] = style.Render(fmt.Sprintf("%*s ", gw-1, label)) + l
	}
	return out
}

// colOf is the column of t in a chart of cw columns over from..to.
func colOf(t, from, to time.Time, cw int) int {
	span := to.Sub(from)
	if span <= 0 {
		return 0
	}
	return int(float64(t.Sub(from)) / float64(span) * float64(cw))
}

// dayAxis is the clock-time axis under a whole-day chart of cw columns
// after gw gutter columns: 0:00 to 24:00 with the hours between that fit.
func (m *Model) dayAxis(gw, cw int) string {
	var labels []axisLabel
	step := 24
	for _, st := range []int{3, 6, 12} {
		if cw/(24/st) >= 7 {
			step = st
			break
		}
	}
	for h := 0; h <= 24; h += step {
		labels = append(labels, axisLabel{x: h * cw / 24, text: fmt.Sprintf("%d:00", h)})
	}
	return m.axis(gw, cw, labels)
}

// clockAxis is the axis under a chart over from..to: its ends' clock
// times and the whole hours between that fit.
func (m *Model) clockAxis(gw, cw int, from, to time.Time) string {
	span := to.Sub(from)
	labels := []axisLabel{{x: 0, text: from.Format("15:04")}}
	if span > 0 {
		step := time.Hour
		for span/step > time.Duration(max(cw/7, 1)) {
			step *= 2
		}
		for at := from.Truncate(step).Add(step); at.Before(to); at = at.Add(step) {
			if at.Sub(from) < step/2 || to.Sub(at) < step/2 {
				continue
			}
			labels = append(labels, axisLabel{x: colOf(at, from, to, cw), text: at.Format("15:04")})
		}
	}
	labels = append(labels, axisLabel{x: cw, text: to.Format("15:04")})
	return m.axis(gw, cw, labels)
}

type axisLabel struct {
	x    int
	text string
}

// axis writes labels centred on their columns (the first left-aligned,
// the last right-aligned), the ends first, dropping any that would touch
// a label already written.
func (m *Model) axis(gw, cw int, labels []axisLabel) string {
	row := []byte(strings.Repeat(" ", gw+cw))
	taken := make([]bool, gw+cw)
	put := func(l axisLabel, align int) {
		n := len(l.text)
		x := l.x - n/2
		switch align {
		case -1:
			x = l.x
		case 1:
			x = l.x - n
		}
		x = min(max(x, 0), cw-n) + gw
		if x < gw || x+n > gw+cw {
			return
		}
		for i := max(x-1, gw); i < min(x+n+1, gw+cw); i++ {
			if taken[i] {
				return
			}
		}
		copy(row[x:], l.text)
		for i := x; i < x+n; i++ {
			taken[i] = true
		}
	}
	if len(labels) > 0 {
		put(labels[0], -1)
		put(labels[len(labels)-1], 1)
		for _, l := range labels[1 : len(labels)-1] {
			put(l, 0)
		}
	}
	return m.ctx.Styles.Muted.Render(string(row))
}

// spread averages values (oldest first, evenly spaced) into exactly cw
// columns: each column the mean of the non-zero values it covers, or the
// value it falls on when there are fewer values than columns.
func spread(values []float64, cw int) []float64 {
	if len(values) == 0 || cw <= 0 {
		return nil
	}
	out := make([]float64, cw)
	n := len(values)
	for x := range out {
		a, z := x*n/cw, (x+1)*n/cw
		if z <= a {
			out[x] = values[min(a, n-1)]
			continue
		}
		sum, c := 0.0, 0
		for _, v := range values[a:z] {
			if v > 0 {
				sum += v
				c++
			}
		}
		if c > 0 {
			out[x] = sum / float64(c)
		}
	}
	return out
}

func boolsAsFloats(b []bool) []float64 {
	out := make([]float64, len(b))
	for i, v := range b {
		if v {
			out[i] = 1
		}
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

// loadingText is what a chart says before its data: loading, or no data
// when the fetch failed.
func loadingText(t *state.Today) string {
	if t.Err != nil {
		return "no data"
	}
	return "loading…"
}

func pad(first string, rows int) []string {
	out := make([]string, max(rows, 1))
	out[0] = first
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
