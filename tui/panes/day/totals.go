package day

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/textfmt"
)

const (
	labelW = 10
	textW  = 19
)

// ZoneGoal is the daily Active Zone Minutes goal: Fitbit's default (150
// a week), since no provider serves the person's own.
const ZoneGoal = 22

// textLines are the day's totals against their goals, the heart rate,
// the night's sleep and the weight, each fitted to width.
func (m *Model) textLines(t *state.Today, past bool, width int) []line {
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
	}
	if z := t.Slow.Health.Day.ZoneMinutes; z != nil {
		add(3, "Zone min", goal(float64(z.Total()), ZoneGoal,
			s.Value.Render(textfmt.Int(z.Total()))+s.Muted.Render(" / "+textfmt.Int(ZoneGoal))))
	}
	if t.HasLive {
		add(0, "Heart", m.heartText(t, past, width-labelW))
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
			if st := m.stages(sl.Sleep, "  "); st != "" {
				// Under the label column if it fits; in a narrow column
				// less indent and single spaces before an ellipsis.
				indent := labelW
				if labelW+textfmt.Width(st) > width {
					indent = 2
				}
				if indent+textfmt.Width(st) > width {
					st = m.stages(sl.Sleep, " ")
					indent = max(0, min(2, width-textfmt.Width(st)))
				}
				out = append(out, line{strings.Repeat(" ", indent) + st, 5})
			}
		} else if past {
			add(1, "Sleep", s.Muted.Render("none recorded"))
		} else {
			add(1, "Sleep", s.Muted.Render("none recorded yet"))
		}
		if sl.Weight > 0 {
			w, unit := m.units().Weight(sl.Weight)
			text := s.Value.Render(fmt.Sprintf("%.1f", w)) + s.Muted.Render(" "+unit)
			if sl.BodyFat > 0 {
				text += s.Muted.Render(" · ") + s.Value.Render(fmt.Sprintf("%.1f%%", sl.BodyFat)) + s.Muted.Render(" fat")
			}
			add(3, "Weight", text+s.Muted.Render(" · "+sl.WeightDay.In(time.UTC).Format("Jan 2")))
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

// heartText is the day's heart rate in words: today the latest reading,
// and the day's lowest and highest reading (resting is in the health
// block, against its range). In a narrow column it takes the shorter
// form ("62 at 21:38 · 43–159 bpm") rather than lose the maximum to an
// ellipsis.
func (m *Model) heartText(t *state.Today, past bool, avail int) string {
	s := m.ctx.Styles
	l := t.Live
	latest := l.HasLatest && !past
	if !latest && l.HeartHi <= 0 {
		if past {
			return s.Muted.Render("no heart-rate data")
		}
		return s.Muted.Render("no heart-rate data yet")
	}
	v := func(f float64) string { return s.Value.Render(fmt.Sprintf("%.0f", f)) }
	dot := s.Muted.Render(" · ")
	var long, short []string
	if latest {
		at := l.Latest.Time.Format("15:04")
		long = append(long, v(l.Latest.Value)+s.Muted.Render(" bpm at "+at))
		short = append(short, v(l.Latest.Value)+s.Muted.Render(" at "+at))
	}
	if l.HeartHi > 0 {
		long = append(long, s.Muted.Render("min ")+v(l.HeartLo)+s.Muted.Render(" max ")+v(l.HeartHi))
		short = append(short, v(l.HeartLo)+s.Muted.Render("–")+v(l.HeartHi)+s.Muted.Render(" bpm"))
	} else if len(short) > 0 {
		short[0] += s.Muted.Render(" bpm")
	}
	if text := strings.Join(long, dot); textfmt.Width(text) <= avail {
		return text
	}
	return strings.Join(short, dot)
}

func asleep(ss providers.SleepSession) time.Duration {
	if ss.Asleep > 0 {
		return ss.Asleep
	}
	return ss.End.Sub(ss.Start)
}

// stageOrder is the order stages are listed and drawn in, top (awake)
// to bottom (deepest).
func stageOrder(classic bool) []providers.SleepStage {
	if classic {
		return []providers.SleepStage{providers.StageAwake, providers.StageRestless, providers.StageAsleep}
	}
	return []providers.SleepStage{providers.StageWake, providers.StageREM, providers.StageLight, providers.StageDeep}
}

// stageName is a stage's short name for people.
func stageName(st providers.SleepStage) string {
	if st == providers.StageREM {
		return "REM"
	}
	return string(st)
}

// stages is the sleep's stage breakdown, deepest first, e.g.
// "deep 1:02  light 3:58  REM 1:31  wake 0:41".
func (m *Model) stages(ss providers.SleepSession, sep string) string {
	s := m.ctx.Styles
	tot := ss.StageTotals()
	order := stageOrder(ss.Classic)
	var parts []string
	for i := len(order) - 1; i >= 0; i-- {
		st := order[i]
		d, ok := tot[st]
		if !ok {
			continue
		}
		parts = append(parts, m.stageStyle(st).Render(stageName(st))+" "+s.Value.Render(textfmt.HM(d)))
	}
	return strings.Join(parts, sep)
}
