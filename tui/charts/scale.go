package charts

import (
	"math"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Scale is a chart's vertical range: Lo at the bottom edge, Hi at the top,
// with a tick every Step from Lo. Scales are chosen so ticks fall on
// round numbers a person reads at a glance ("5k", "10k"; "50", "55").
type Scale struct {
	Lo, Hi, Step float64
	// Bars are scaled from zero (Lo is 0); lines between Lo and Hi.
	Bars bool
}

// Valid reports whether s spans a range.
func (s Scale) Valid() bool { return s.Hi > s.Lo && s.Step > 0 }

// niceSteps are the tick steps, times a power of ten, scales choose from.
var niceSteps = []float64{1, 2, 2.5, 4, 5}

// niceAbove returns the smallest nice step >= x (x > 0).
func niceAbove(x float64, steps []float64) float64 {
	if !(x > 0) || math.IsInf(x, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for range 2 {
		for _, s := range steps {
			if s*p >= x*(1-1e-9) {
				return s * p
			}
		}
		p *= 10
	}
	return 10 * p
}

// BarScale is the scale of a bar chart whose largest value (or goal) is
// top: from zero to a round top of two or three steps, the tighter one.
// top <= 0 gives a scale of 0..1.
func BarScale(top float64) Scale {
	if !(top > 0) || math.IsInf(top, 0) {
		return Scale{Lo: 0, Hi: 1, Step: 0.5, Bars: true}
	}
	best := Scale{Bars: true}
	for _, n := range []float64{2, 3} {
		step := niceAbove(top/n, niceSteps)
		hi := math.Ceil(top/step*(1-1e-9)) * step
		if best.Hi == 0 || hi < best.Hi {
			best.Hi, best.Step = hi, step
		}
	}
	return best
}

// LineScale is the scale of a line chart of values lo..hi: at least
// minSpan tall (so a change of 1 looks like 1, not like a cliff), centred
// on the values, from and to round ticks two or three steps apart.
func LineScale(lo, hi, minSpan float64) Scale {
	if hi < lo {
		lo, hi = hi, lo
	}
	if span := hi - lo; span < minSpan {
		mid := lo + span/2
		lo, hi = mid-minSpan/2, mid+minSpan/2
	}
	if !(hi > lo) {
		lo, hi = lo-0.5, hi+0.5
	}
	var best Scale
	for _, n := range []float64{2, 3} {
		step := niceAbove((hi-lo)/n, []float64{1, 2, 5})
		for range 4 { // a range straddling a tick may need the next step
			l := math.Floor(lo/step) * step
			h := l + n*step
			if h >= hi-1e-9*math.Abs(hi) {
				if !best.Valid() || h-l < best.Hi-best.Lo {
					best = Scale{Lo: l, Hi: h, Step: step}
				}
				break
			}
			step = niceAbove(step*1.01, []float64{1, 2, 5})
		}
	}
	return best
}

// Ticks are the values labelled, top first: every step from Hi down to
// Lo (a bar chart's zero left out: the bars stand on it).
func (s Scale) Ticks() []float64 {
	if !s.Valid() {
		return nil
	}
	var out []float64
	for i := 0; i < 8; i++ {
		v := s.Hi - float64(i)*s.Step
		if v < s.Lo+s.Step*1e-6 {
			if !s.Bars {
				out = append(out, s.Lo)
			}
			break
		}
		out = append(out, v)
	}
	return out
}

// Row is the row (0 at the top) of a chart height rows tall on which v
// is drawn: for bars the row where a bar of v ends, for lines the row of
// its point. -1 when v is outside the scale.
func (s Scale) Row(v float64, height int) int {
	if height <= 0 || !s.Valid() || v < s.Lo || v > s.Hi*(1+1e-9) {
		return -1
	}
	if s.Bars {
		cells := int(math.Round(v / s.Hi * float64(height)))
		return min(max(height-cells, 0), height-1)
	}
	y := int(math.Round(unit(v, s.Lo, s.Hi) * float64(4*height-1)))
	return height - 1 - y/4
}

// AxisLabels places the labels of s's ticks on the rows of a chart height
// rows tall: the top tick first, then the bottom one, then the others, at
// most three, none on a row next to another label. label formats a
// value; rows without a label are "".
func AxisLabels(s Scale, height int, label func(v float64) string) []string {
	out := make([]string, max(height, 0))
	ticks := s.Ticks()
	if len(ticks) == 0 || height <= 0 {
		return out
	}
	order := []float64{ticks[0]}
	if len(ticks) > 1 {
		order = append(order, ticks[len(ticks)-1])
		order = append(order, ticks[1:len(ticks)-1]...)
	}
	taken := make([]bool, height)
	n := 0
	for _, v := range order {
		r := s.Row(v, height)
		if r < 0 || taken[r] || (r > 0 && taken[r-1]) || (r+1 < height && taken[r+1]) {
			continue
		}
		taken[r] = true
		out[r] = label(v)
		if n++; n == 3 {
			break
		}
	}
	return out
}

// Axis renders labels (from AxisLabels) as a left axis exactly width
// cells wide: each label right-aligned, then "┤" on a labelled row and
// "│" on the others. style colours the whole axis.
func Axis(labels []string, width int, style lipgloss.Style) []string {
	out := make([]string, len(labels))
	if width <= 0 {
		return out
	}
	for i, l := range labels {
		tick := "│"
		if l != "" {
			tick = "┤"
		}
		l = truncate(l, width-1)
		out[i] = style.Render(strings.Repeat(" ", max(width-1-lipgloss.Width(l), 0)) + l + tick)
	}
	return out
}

// LabelWidth is the widest label's width: the axis is one more.
func LabelWidth(labels []string) int {
	w := 0
	for _, l := range labels {
		w = max(w, lipgloss.Width(l))
	}
	return w
}

func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	r := []rune(s)
	if len(r) > w {
		return string(r[:w])
	}
	return s
}
