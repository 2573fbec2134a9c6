package day

import (
	"strings"
	"testing"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/layout"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/textfmt"
)

// A day the provider holds nothing for (outside an imported archive)
// shows "–" like the history pane's "steps –", never "Steps 0".
func TestUnknownIsADashNotZero(t *testing.T) {
	m, s, _ := setup(t)
	apply(s, state.TodayAnswer{HasSummary: true, HasIntraday: true, Live: state.Live{Steps15: make([]float64, 96)}})
	m.Update(layout.SizeMsg{Width: 76, Height: 20})
	v := view(m)
	for _, want := range []string{"Steps     –", "Distance  –", "Calories  –", "Active    –", "no steps yet"} {
		if !strings.Contains(v, want) {
			t.Errorf("missing %q in\n%s", want, v)
		}
	}
	for _, not := range []string{"Steps     0", "0.00", "0 kcal"} {
		if strings.Contains(v, not) {
			t.Errorf("%q in\n%s", not, v)
		}
	}
}

// A total without intraday steps (Misfit) does not sit above "no steps
// yet": the chart says the detail is missing.
func TestTotalWithoutDetail(t *testing.T) {
	m, s, _ := setup(t)
	apply(s, state.TodayAnswer{HasSummary: true, HasIntraday: true, Live: state.Live{
		Summary: providers.DaySummary{Steps: 5264, DistanceKm: 3.9, Calories: 1900, ActiveMinutes: 21},
		Steps15: make([]float64, 96)}})
	m.Update(layout.SizeMsg{Width: 76, Height: 20})
	v := view(m)
	if !strings.Contains(v, "Steps     5,264") || !strings.Contains(v, "daily total only") || strings.Contains(v, "no steps yet") {
		t.Errorf("total and chart disagree:\n%s", v)
	}
}

// A provider's note that does not fit is wrapped at words, not cut
// mid-word ("Jawbone UP reports one resting heart rate a…").
func TestNoteWrapsAtWords(t *testing.T) {
	m, s, _ := setup(t)
	a := full(8432)
	a.Live.Note = "Jawbone UP reports one resting heart rate a day and no heart-rate samples; steps are hourly totals"
	apply(s, a)
	m.Update(layout.SizeMsg{Width: 120, Height: 30})
	v := view(m)
	if strings.Contains(v, "rate a…") || !strings.Contains(v, "Jawbone UP reports one resting heart rate a ") ||
		!strings.Contains(v, "day and no heart-rate samples; steps are") {
		t.Errorf("note:\n%s", v)
	}
}

// The configuration's goals stand over the provider's (and where it has
// none), and imperial units show miles and pounds.
func TestConfiguredGoalsAndUnits(t *testing.T) {
	m, s, _ := setup(t)
	a := s.Get(0)
	a.Goals = providers.Goals{Steps: 8000, Floors: 10, SleepMinutes: 480}
	a.Units = textfmt.Imperial
	apply(s, full(8432))
	m.Update(layout.SizeMsg{Width: 76, Height: 20})
	v := view(m)
	for _, want := range []string{"Steps     8,432 / 8,000", "105%", "Distance  3.80 / 4.97 mi", "Calories  2,104 / 2,600 kcal",
		"Floors    12 / 10", "120%", "Weight    157.2 lb · May 12", "Sleep     7:12 / 8:00 90% · 23:03–07:03"} {
		if !strings.Contains(v, want) {
			t.Errorf("missing %q in\n%s", want, v)
		}
	}
}
