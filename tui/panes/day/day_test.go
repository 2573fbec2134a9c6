package day

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/theme"
	"github.com/fittui/fittui/tui/layout"
	"github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/state"
)

var (
	day = providers.Date{Year: 2025, Month: time.May, Day: 14}
	t0  = time.Date(2025, 5, 14, 14, 3, 0, 0, time.UTC)
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func setup(t *testing.T) (*Model, *state.Dashboard, *clock) {
	t.Helper()
	lipgloss.SetColorProfile(termenv.Ascii)
	th, _ := theme.Lookup("default")
	c := &clock{t0}
	ctx := program.New(th, c.now, time.Minute)
	s := state.New([]*state.Account{{Name: "runner", Provider: "demo"}})
	return New(ctx, s, 0), s, c
}

func apply(s *state.Dashboard, m state.TodayAnswer) {
	m.Account, m.Gen, m.Day = 0, s.Begin(0, state.KindToday), day
	if m.At.IsZero() {
		m.At = t0
	}
	s.ApplyToday(m)
}

func full(steps int) state.TodayAnswer {
	heart := make([]float64, 180)
	for i := range heart {
		heart[i] = float64(60 + i%40)
	}
	steps15 := make([]float64, 96)
	steps15[40], steps15[41] = 1200, 800
	return state.TodayAnswer{
		HasSummary: true, HasIntraday: true, HasSleep: true, HasWght: true,
		Live: state.Live{
			Summary: providers.DaySummary{Steps: steps, DistanceKm: 6.12, Calories: 2104, ActiveMinutes: 34,
				Floors: 12, HasFloors: true, RestingHeartRate: 58,
				Goals: providers.Goals{Steps: 10000, DistanceKm: 8, Calories: 2600, ActiveMinutes: 30}},
			Heart: heart, HeartFrom: t0.Add(-3 * time.Hour), HeartTo: t0, HeartBin: time.Minute,
			Latest: providers.Sample{Time: t0, Value: 72}, HasLatest: true, Steps15: steps15, StepsSlots: 42,
			HeartKey: state.SeriesKey{N: 1, Last: providers.Sample{Time: t0, Value: 72}},
		},
		Slow: state.Slow{HasSleep: true, Weight: 71.3, WeightDay: day.AddDays(-2), Sleep: providers.SleepSession{
			Date: day, Main: true, Start: t0.Add(-15 * time.Hour), End: t0.Add(-7 * time.Hour), Asleep: 7*time.Hour + 12*time.Minute,
			Segments: []providers.SleepSegment{{Stage: providers.StageDeep, Duration: 62 * time.Minute},
				{Stage: providers.StageLight, Duration: 238 * time.Minute}, {Stage: providers.StageREM, Duration: 91 * time.Minute},
				{Stage: providers.StageWake, Duration: 41 * time.Minute}},
		}},
	}
}

func view(m *Model) string { return ansi.Strip(m.View()) }

func checkSize(t *testing.T, m *Model, w, h int) {
	t.Helper()
	ls := strings.Split(m.View(), "\n")
	if m.View() == "" {
		ls = nil
	}
	if len(ls) != h {
		t.Fatalf("%dx%d: %d lines", w, h, len(ls))
	}
	for _, l := range ls {
		if ansi.StringWidth(l) != w {
			t.Fatalf("%dx%d: line %q is %d wide", w, h, ansi.Strip(l), ansi.StringWidth(l))
		}
	}
}

func TestShowsTheDay(t *testing.T) {
	m, s, _ := setup(t)
	apply(s, full(8432))
	m.Update(layout.SizeMsg{Width: 100, Height: 24})
	v := view(m)
	for _, want := range []string{
		"Steps     8,432 / 10,000", "84%", "Distance  6.12 / 8.00 km", "Calories  2,104 / 2,600 kcal",
		"Active    34 / 30 min", "113%", "Floors    12", "72 bpm at 14:03", "Resting   58 bpm",
		"Sleep     7:12 asleep · 23:03–07:03", "deep 1:02  light 3:58  REM 1:31  wake 0:41",
		"Weight    71.3 kg · May 12", "Heart rate · last 3 h", "60–99 bpm · 72 at 14:03", "Steps per hour", "max 2,000",
		"updated just now",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("missing %q in\n%s", want, v)
		}
	}
	if m.Title() != "Day · runner · today, Wed May 14" {
		t.Errorf("title %q", m.Title())
	}
}

func TestEverySizeIsExact(t *testing.T) {
	m, s, _ := setup(t)
	apply(s, full(8432))
	for w := 0; w <= 140; w += 3 {
		for h := 0; h <= 30; h++ {
			m.Update(layout.SizeMsg{Width: w, Height: h})
			if w == 0 || h == 0 {
				if m.View() != "" {
					t.Fatalf("%dx%d: %q", w, h, m.View())
				}
				continue
			}
			checkSize(t, m, w, h)
		}
	}
}

func TestSmallKeepsTheKeyNumbers(t *testing.T) {
	m, s, _ := setup(t)
	apply(s, full(8432))
	m.Update(layout.SizeMsg{Width: 36, Height: 8})
	v := view(m)
	for _, want := range []string{"Steps", "8,432", "72 bpm", "Heart", "Steps per hour", "updated"} {
		if !strings.Contains(v, want) {
			t.Errorf("36x8 lacks %q:\n%s", want, v)
		}
	}
}

func TestClassicSleepAndNoGoals(t *testing.T) {
	m, s, _ := setup(t)
	msg := full(500)
	msg.Live.Summary.Goals = providers.Goals{}
	msg.Slow.Sleep.Classic = true
	msg.Slow.Sleep.Segments = []providers.SleepSegment{{Stage: providers.StageAsleep, Duration: 6 * time.Hour},
		{Stage: providers.StageRestless, Duration: 20 * time.Minute}, {Stage: providers.StageAwake, Duration: 5 * time.Minute}}
	apply(s, msg)
	m.Update(layout.SizeMsg{Width: 100, Height: 24})
	v := view(m)
	if !strings.Contains(v, "asleep 6:00  restless 0:20  awake 0:05") || strings.Contains(v, "░") || strings.Contains(v, "%") {
		t.Errorf("classic stages / no goal bars:\n%s", v)
	}
}

func TestErrorShownOverLastData(t *testing.T) {
	m, s, _ := setup(t)
	apply(s, full(8432))
	m.Update(layout.SizeMsg{Width: 60, Height: 20})
	apply(s, state.TodayAnswer{Err: providers.ErrSignIn("demo", "runner", nil), At: t0.Add(time.Minute)})
	m.Refresh()
	v := view(m)
	if !strings.Contains(v, "8,432") || !strings.Contains(v, "needs signing in again: run `fittui auth") || !strings.Contains(v, "login demo --account runner`") {
		t.Errorf("error with data:\n%s", v)
	}
	checkSize(t, m, 60, 20)
}

func TestLoadingAndEmpty(t *testing.T) {
	m, s, _ := setup(t)
	m.Update(layout.SizeMsg{Width: 60, Height: 10})
	if !strings.Contains(view(m), "loading…") {
		t.Fatal("no loading text")
	}
	apply(s, state.TodayAnswer{HasSummary: true, HasIntraday: true})
	m.Refresh()
	v := view(m)
	if !strings.Contains(v, "no heart-rate data yet") || !strings.Contains(v, "no steps yet") || strings.Contains(v, "0:00") {
		t.Errorf("empty day:\n%s", v)
	}
	checkSize(t, m, 60, 10)
}

func TestOnlyTheAgeLineFollowsTheClock(t *testing.T) {
	m, s, c := setup(t)
	apply(s, full(8432))
	m.Update(layout.SizeMsg{Width: 100, Height: 17})
	body, v := m.body, m.Version()
	c.t = t0.Add(5 * time.Second)
	m.Refresh()
	if m.Version() != v {
		t.Fatal("nothing visible changed within 10 s")
	}
	c.t = t0.Add(25 * time.Second)
	m.Refresh()
	if m.Version() == v || m.body != body || !strings.Contains(view(m), "updated 20s ago") {
		t.Fatalf("age line: version %d->%d\n%s", v, m.Version(), view(m))
	}
}

// The steps chart covers the whole day at every width: slots grow
// instead of the chart cropping.
func TestStepSlotsGrowToFitTheWholeDay(t *testing.T) {
	cases := []struct{ cw, per int }{{120, 1}, {96, 1}, {95, 2}, {48, 2}, {47, 4}, {24, 4}, {23, 8}, {5, 8}}
	for _, c := range cases {
		if got := stepSlots(c.cw); got != c.per {
			t.Errorf("stepSlots(%d) = %d, want %d", c.cw, got, c.per)
		}
	}
	m, s, _ := setup(t)
	apply(s, full(8432))
	for _, w := range []int{36, 60, 76, 100, 140} {
		m.Update(layout.SizeMsg{Width: w, Height: 24})
		v := view(m)
		if !strings.Contains(v, "0:00") || !strings.Contains(v, "24:00") {
			t.Errorf("%d wide: the steps axis does not run 0:00 to 24:00:\n%s", w, v)
		}
	}
}

// A new latest reading changes the text but not the charts' input: the
// charts are not drawn again, and the new reading is on screen.
func TestNewReadingDoesNotRedrawCharts(t *testing.T) {
	m, s, _ := setup(t)
	apply(s, full(8432))
	m.Update(layout.SizeMsg{Width: 100, Height: 20})
	heart, steps := m.heartChart.draws, m.stepsChart.draws
	if heart == 0 || steps == 0 {
		t.Fatalf("charts never drawn: heart %d steps %d", heart, steps)
	}
	next := full(8432)
	next.Live.Latest.Value = 77
	next.Live.HeartKey.N = 2 // a new sample arrived
	apply(s, next)
	m.Refresh()
	if !strings.Contains(view(m), "77 bpm") {
		t.Fatalf("the new reading is not shown:\n%s", view(m))
	}
	if m.heartChart.draws != heart || m.stepsChart.draws != steps {
		t.Fatalf("charts redrawn: heart %d->%d, steps %d->%d", heart, m.heartChart.draws, steps, m.stepsChart.draws)
	}
	next.Live.Heart = append([]float64(nil), next.Live.Heart...)
	next.Live.Heart[179] = 150 // a minute completed with a new value
	next.Live.HeartKey.N = 3
	apply(s, next)
	m.Refresh()
	if m.heartChart.draws != heart+1 || m.stepsChart.draws != steps {
		t.Fatalf("after a new minute: heart %d->%d (want +1), steps %d->%d (want same)", heart, m.heartChart.draws, steps, m.stepsChart.draws)
	}
}

// At 80 columns the left column is about 40 wide: the heart line and the
// stage breakdown take their short forms rather than lose the day's
// maximum or the last stage to an ellipsis.
func TestNarrowColumnTakesShortForms(t *testing.T) {
	m, s, _ := setup(t)
	a := full(8432)
	a.Live.HeartLo, a.Live.HeartHi = 43, 159
	apply(s, a)
	m.Update(layout.SizeMsg{Width: 78, Height: 22})
	v := view(m)
	for _, want := range []string{"72 at 14:03 · 43–159 bpm", "deep 1:02 light 3:58 REM 1:31 wake 0:41"} {
		if !strings.Contains(v, want) {
			t.Errorf("78 wide lacks %q:\n%s", want, v)
		}
	}
	m.Update(layout.SizeMsg{Width: 120, Height: 30})
	if v := view(m); !strings.Contains(v, "72 bpm at 14:03 · min 43 max 159") || !strings.Contains(v, "deep 1:02  light 3:58  REM 1:31  wake 0:41") {
		t.Errorf("120 wide should keep the long forms:\n%s", v)
	}
}
