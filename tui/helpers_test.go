package tui

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
	"github.com/fittui/fittui/tui/wiring"
)

// pinned is the tests' clock: 14:03 UTC is 15:03 in London (runner),
// 10:03 in New York (office) and 23:03 in Tokyo (nightshift).
var pinned = time.Date(2025, 5, 14, 14, 3, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Unsetenv("NO_COLOR")
	os.Exit(m.Run())
}

// clock is a settable clock for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// newModel builds a root model whose ticker and clock the test drives.
func newModel(t testing.TB, accs []wiring.Opened, now func() time.Time) *Model {
	t.Helper()
	opts := Options{Accounts: accs, Now: now, Refresh: time.Minute}
	ctx, err := NewContext(opts)
	if err != nil {
		t.Fatal(err)
	}
	m := NewModel(opts, ctx)
	m.noTimers = true
	return m
}

// demoAccounts opens the demo accounts on the given clock.
func demoAccounts(t testing.TB, now func() time.Time) []wiring.Opened {
	t.Helper()
	var out []wiring.Opened
	for _, spec := range demo.Accounts() {
		p, err := providers.Open(spec, providers.Env{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, wiring.Uncached(spec, p, now))
	}
	return out
}

// run executes cmd and every command that follows from it, synchronously,
// feeding each message to m. It returns true when a command quit.
func run(m *Model, cmd tea.Cmd) (quit bool) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			quit = true
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
	return quit
}

// collect executes cmd's commands (expanding batches) without feeding the
// messages to the model, so a test can deliver them in any order.
func collect(cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			out = append(out, msg)
		}
	}
	return out
}

// send delivers msg and runs what follows.
func send(m *Model, msg tea.Msg) bool {
	_, cmd := m.Update(msg)
	return run(m, cmd)
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "end":
		return tea.KeyMsg{Type: tea.KeyEnd}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// press sends keys one after the other, running what follows each.
func press(m *Model, keys ...string) (quit bool) {
	for _, k := range keys {
		quit = send(m, keyMsg(k)) || quit
	}
	return quit
}

// start sizes the model and runs Init to the end.
func start(m *Model, w, h int) {
	send(m, tea.WindowSizeMsg{Width: w, Height: h})
	run(m, m.Init())
}

// plain is the view without styles.
func plain(s string) string { return ansi.Strip(s) }

// fake is a scriptable provider: numbers that move with each call (so a
// test can tell answers apart), failures from a given call on, and a gate
// that holds answers back.
type fake struct {
	name string
	loc  *time.Location
	now  func() time.Time

	mu       sync.Mutex
	calls    map[string]int
	steps    int   // steps of the first DaySummary answer
	grow     int   // added per further DaySummary call
	failFrom int   // calls from this number on fail (0: never)
	err      error // what they fail with
}

func newFake(name string, steps int, now func() time.Time) *fake {
	return &fake{name: name, loc: time.UTC, now: now, calls: map[string]int{}, steps: steps}
}

func (f *fake) call(method string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[method]++
	n := f.calls[method]
	if f.failFrom > 0 && n >= f.failFrom {
		return n, f.err
	}
	return n, nil
}

func (f *fake) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

func (f *fake) Kind() string { return "fake" }

func (f *fake) Profile(ctx context.Context) (providers.Profile, error) {
	if _, err := f.call("Profile"); err != nil {
		return providers.Profile{}, err
	}
	return providers.Profile{DisplayName: f.name, Location: f.loc, Devices: []providers.Device{
		{ID: "1", Name: "Band " + f.name, Kind: "tracker", BatteryPercent: 80},
	}}, nil
}

func (f *fake) DaySummary(ctx context.Context, day providers.Date) (providers.DaySummary, error) {
	n, err := f.call("DaySummary")
	if err != nil {
		return providers.DaySummary{}, err
	}
	steps := f.steps + f.grow*(n-1)
	if day.Before(providers.DateOf(f.now().In(f.loc))) {
		steps = 100*day.Day + 7 // a past day: May 11 walked 1,107 steps
	}
	return providers.DaySummary{Date: day, Steps: steps, DistanceKm: 5.5, Calories: 2100,
		ActiveMinutes: 35, RestingHeartRate: 58,
		Goals: providers.Goals{Steps: 10000, DistanceKm: 8, Calories: 2500, ActiveMinutes: 30}}, nil
}

func (f *fake) Intraday(ctx context.Context, day providers.Date) (providers.Intraday, error) {
	if _, err := f.call("Intraday"); err != nil {
		return providers.Intraday{}, err
	}
	start := day.In(f.loc)
	end := f.now()
	in := providers.Intraday{Date: day,
		HeartRate: providers.Series{Resolution: time.Minute},
		Steps:     providers.Series{Resolution: time.Minute}}
	for t, i := start, 0; !t.After(end); t, i = t.Add(time.Minute), i+1 {
		in.HeartRate.Samples = append(in.HeartRate.Samples, providers.Sample{Time: t, Value: float64(60 + i%30)})
		in.Steps.Samples = append(in.Steps.Samples, providers.Sample{Time: t, Value: float64(i % 50)})
	}
	return in, nil
}

func (f *fake) DailySeries(ctx context.Context, from, to providers.Date) ([]providers.DailyValues, error) {
	if _, err := f.call("DailySeries"); err != nil {
		return nil, err
	}
	var out []providers.DailyValues
	for d := from; !d.After(to); d = d.AddDays(1) {
		out = append(out, providers.DailyValues{Date: d, Steps: 5000 + 100*d.Day, RestingHeartRate: 55 + d.Day%5,
			SleepMinutes: 400 + d.Day, WeightKg: 70 + float64(d.Day)/10})
	}
	return out, nil
}

func (f *fake) Sleep(ctx context.Context, from, to providers.Date) ([]providers.SleepSession, error) {
	if _, err := f.call("Sleep"); err != nil {
		return nil, err
	}
	end := to.In(f.loc).Add(6*time.Hour + 30*time.Minute)
	st := end.Add(-7 * time.Hour)
	return []providers.SleepSession{{Date: to, Start: st, End: end, Main: true, Asleep: 6*time.Hour + 40*time.Minute,
		Segments: []providers.SleepSegment{
			{Stage: providers.StageLight, Start: st, Duration: 3 * time.Hour},
			{Stage: providers.StageDeep, Start: st.Add(3 * time.Hour), Duration: 90 * time.Minute},
			{Stage: providers.StageREM, Start: st.Add(270 * time.Minute), Duration: 130 * time.Minute},
			{Stage: providers.StageWake, Start: st.Add(400 * time.Minute), Duration: 20 * time.Minute},
		}}}, nil
}

func fakeAccounts(fs ...*fake) []wiring.Opened {
	out := make([]wiring.Opened, len(fs))
	for i, f := range fs {
		out[i] = wiring.Uncached(providers.AccountSpec{Name: f.name, Provider: "fake"}, f, f.now)
	}
	return out
}

// contains fails the test unless the plain view holds every want.
func contains(t *testing.T, view string, want ...string) {
	t.Helper()
	p := plain(view)
	for _, w := range want {
		if !strings.Contains(p, w) {
			t.Fatalf("view lacks %q:\n%s", w, p)
		}
	}
}

func lacks(t *testing.T, view string, bad ...string) {
	t.Helper()
	p := plain(view)
	for _, w := range bad {
		if strings.Contains(p, w) {
			t.Fatalf("view has %q but must not:\n%s", w, p)
		}
	}
}
