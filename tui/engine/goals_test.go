package engine

import (
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
	"github.com/fittui/fittui/theme"
	"github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/textfmt"
	"github.com/fittui/fittui/tui/wiring"
)

// The configuration's goals and units reach the account's state, and
// its goals stand over the provider's in the stored summary.
func TestConfiguredGoalsReachTheState(t *testing.T) {
	th, err := theme.Lookup("mono")
	if err != nil {
		t.Fatal(err)
	}
	spec := providers.AccountSpec{Name: "runner", Provider: "demo", Options: map[string]string{"persona": "runner"}}
	d, err := demo.New(spec, providers.Env{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	o := wiring.Uncached(spec, d, now)
	o.Goals, o.Units = providers.Goals{Steps: 4321, SleepMinutes: 450}, textfmt.Imperial
	v := &view{window: &window{}}
	e := New(program.New(th, now, time.Minute), []wiring.Opened{o}, v)
	v.window.state = e.State()
	drain(e, e.Start())
	a := e.State().Get(0)
	g := a.Today.Live.Summary.Goals
	if a.Units != textfmt.Imperial || g.Steps != 4321 || g.SleepMinutes != 450 || g.Calories == 0 {
		t.Errorf("units %q goals %+v: want steps 4321, sleep 450 and the demo's calorie goal", a.Units, g)
	}
}
