package charts

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// dataKinds are the awkward inputs every chart must survive.
var dataKinds = []struct {
	name string
	gen  func(r *rand.Rand) []float64
}{
	{"nil", func(*rand.Rand) []float64 { return nil }},
	{"empty", func(*rand.Rand) []float64 { return []float64{} }},
	{"zeros", func(r *rand.Rand) []float64 { return make([]float64, r.IntN(400)) }},
	{"single", func(r *rand.Rand) []float64 { return []float64{r.Float64() * 100} }},
	{"flat", func(r *rand.Rand) []float64 { return fill(r.IntN(400)+1, func(int) float64 { return 72 }) }},
	{"nan inf", func(r *rand.Rand) []float64 {
		odd := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, 5}
		return fill(r.IntN(400), func(int) float64 { return odd[r.IntN(len(odd))] })
	}},
	{"only nan", func(r *rand.Rand) []float64 {
		return fill(r.IntN(50)+1, func(int) float64 { return math.NaN() })
	}},
	{"negative", func(r *rand.Rand) []float64 {
		return fill(r.IntN(400), func(int) float64 { return -r.Float64() * 1000 })
	}},
	{"huge", func(r *rand.Rand) []float64 {
		big := []float64{math.MaxFloat64, -math.MaxFloat64, 1e308, -1e308, 1}
		return fill(r.IntN(400), func(int) float64 { return big[r.IntN(len(big))] })
	}},
	{"tiny", func(r *rand.Rand) []float64 {
		return fill(r.IntN(400), func(int) float64 { return math.SmallestNonzeroFloat64 * float64(r.IntN(3)) })
	}},
	{"random", func(r *rand.Rand) []float64 {
		return fill(r.IntN(4000), func(int) float64 {
			if r.IntN(10) == 0 {
				return 0
			}
			return r.NormFloat64()*20 + 70
		})
	}},
}

func fill(n int, f func(int) float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = f(i)
	}
	return v
}

// Every size from 0x0 to 200x20, with a deterministic random mix of data,
// styles and selections, gives exactly the asked size and never panics.
// (Under -race only widths 0..8 and every tenth width are drawn.)
func TestChartsExactSizeForAnyInput(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 42))
	tc := trueColor()
	styles := []lipgloss.Style{
		noStyle,
		lipgloss.NewStyle().Foreground(lipgloss.Color("#ff0000")),
		tc.NewStyle().Foreground(lipgloss.Color("#00ff00")),
		tc.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#000000", Dark: "#ffffff"}).
			Padding(1, 3).Border(lipgloss.RoundedBorder()).Width(30).Margin(2).Bold(true),
	}
	aggs := []Agg{Mean, Max, Sum, Agg(-1)}
	calls := 0
	for w := 0; w <= 200; w++ {
		if raceEnabled && w > 8 && w%10 != 0 {
			continue
		}
		for h := 0; h <= 20; h++ {
			kind := dataKinds[r.IntN(len(dataKinds))]
			v := kind.gen(r)
			st, sel := styles[r.IntN(len(styles))], styles[r.IntN(len(styles))]
			selected := r.IntN(len(v)+4) - 2
			name := func(f string) string {
				return f + "(" + kind.name + ")"
			}
			check(t, name("Sparkline"), w, h, func() string { return Sparkline(v, w, h, st) })
			check(t, name("Bars"), w, h, func() string { return Bars(v, w, h, aggs[r.IntN(len(aggs))], st, sel, selected) })
			check(t, name("Line"), w, h, func() string { return Line(v, w, h, st, sel, selected) })
			calls += 3
		}
	}
	t.Logf("%d chart calls", calls)
}

// Small and negative sizes, crossed with every kind of data.
func TestChartsTinyAndNegativeSizes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for _, kind := range dataKinds {
		v := kind.gen(r)
		for w := -2; w <= 3; w++ {
			for h := -2; h <= 3; h++ {
				for _, selected := range []int{-5, -1, 0, len(v) - 1, len(v), math.MaxInt} {
					check(t, "Sparkline("+kind.name+")", w, h, func() string { return Sparkline(v, w, h, noStyle) })
					check(t, "Bars("+kind.name+")", w, h, func() string { return Bars(v, w, h, Sum, noStyle, noStyle, selected) })
					check(t, "Line("+kind.name+")", w, h, func() string { return Line(v, w, h, noStyle, noStyle, selected) })
				}
			}
		}
	}
	if got := Sparkline([]float64{1, 2}, math.MinInt, math.MaxInt, noStyle); got != "" {
		t.Errorf("Sparkline(MinInt x MaxInt) = %q", got)
	}
}

func check(t *testing.T, name string, w, h int, draw func() string) {
	t.Helper()
	var s string
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("%s at %dx%d panicked: %v", name, w, h, p)
			}
		}()
		s = draw()
	}()
	assertSize(t, s, w, h)
}

// A style is used for its foreground only: padding, borders, margins, a
// width or a background never reach the chart.
func TestStylesAreColourOnly(t *testing.T) {
	fat := func(r *lipgloss.Renderer, c string) lipgloss.Style {
		return r.NewStyle().Foreground(lipgloss.Color(c)).Background(lipgloss.Color("#333333")).
			Padding(2, 4).Margin(1).Border(lipgloss.DoubleBorder()).Width(40).Height(9).
			Bold(true).Underline(true).Reverse(true).Align(lipgloss.Center).
			Transform(strings.ToUpper).SetString("prefix")
	}
	v := []float64{3, 5, 0, 8, 2, 9, 4}

	// ASCII profile: no escape sequences at all, same cells as unstyled.
	ascii := lipgloss.NewRenderer(nil)
	ascii.SetColorProfile(termenv.Ascii)
	for name, got := range map[string][2]string{
		"sparkline": {Sparkline(v, 12, 3, fat(ascii, "#ff0000")), Sparkline(v, 12, 3, noStyle)},
		"bars":      {Bars(v, 12, 3, Sum, fat(ascii, "#ff0000"), fat(ascii, "#0000ff"), 3), Bars(v, 12, 3, Sum, noStyle, noStyle, 3)},
		"line":      {Line(v, 12, 3, fat(ascii, "#ff0000"), fat(ascii, "#0000ff"), 3), Line(v, 12, 3, noStyle, noStyle, 3)},
	} {
		assertSize(t, got[0], 12, 3)
		if got[0] != got[1] {
			t.Errorf("%s under ASCII: styled %q differs from plain %q", name, got[0], got[1])
		}
	}

	// TrueColor: the foreground, nothing else (no background 48;, bold 1,
	// underline 4 or reverse 7), and the cells are unchanged.
	tc := trueColor()
	red, blue := fat(tc, "#ff0000"), fat(tc, "#0000ff")
	for name, got := range map[string][2]string{
		"sparkline": {Sparkline(v, 12, 3, red), Sparkline(v, 12, 3, noStyle)},
		"bars":      {Bars(v, 12, 3, Sum, red, blue, 3), Bars(v, 12, 3, Sum, noStyle, noStyle, 3)},
		"line":      {Line(v, 12, 3, red, blue, 3), Line(v, 12, 3, noStyle, noStyle, 3)},
	} {
		assertSize(t, got[0], 12, 3)
		if stripped(got[0]) != got[1] {
			t.Errorf("%s under TrueColor: cells %q differ from plain %q", name, stripped(got[0]), got[1])
		}
		if !strings.Contains(got[0], redSGR) {
			t.Errorf("%s under TrueColor has no red foreground: %q", name, got[0])
		}
		for _, row := range colours(got[0]) {
			for _, c := range row {
				if c != "" && c != redSGR && c != blueSGR {
					t.Fatalf("%s: cell styled %q, want only a foreground", name, c)
				}
			}
		}
	}
}

// The package-level renderer's profile (lipgloss.SetColorProfile) applies
// to styles made with lipgloss.NewStyle.
func TestDefaultRendererProfile(t *testing.T) {
	prev := lipgloss.ColorProfile()
	t.Cleanup(func() { lipgloss.SetColorProfile(prev) })
	red := lipgloss.NewStyle().Foreground(lipgloss.Color("#ff0000"))
	v := []float64{1, 2, 3}

	lipgloss.SetColorProfile(termenv.Ascii)
	if s := Sparkline(v, 5, 2, red); strings.Contains(s, "\x1b") {
		t.Errorf("ASCII profile emitted escapes: %q", s)
	}
	lipgloss.SetColorProfile(termenv.TrueColor)
	s := Sparkline(v, 5, 2, red)
	assertSize(t, s, 5, 2)
	if !strings.Contains(s, redSGR) {
		t.Errorf("TrueColor profile: no red in %q", s)
	}
	lipgloss.SetColorProfile(termenv.ANSI256)
	s = Bars(v, 5, 2, Sum, red, red, 0)
	assertSize(t, s, 5, 2)
	if !strings.Contains(s, "38;5;196") {
		t.Errorf("ANSI256 profile: no colour 196 in %q", s)
	}
}
