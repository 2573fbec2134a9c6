package history

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/charts"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/textfmt"
)

func send(m *Model, ks ...string) {
	for _, k := range ks {
		switch k {
		case "enter":
			m.Update(tea.KeyMsg{Type: tea.KeyEnter})
		case "esc":
			m.Update(tea.KeyMsg{Type: tea.KeyEsc})
		default:
			m.Update(press(k))
		}
	}
}

func TestDatePromptGoesOrSaysWhy(t *testing.T) {
	m, s := setup(t)
	load(s, today.AddDays(-60), today)
	send(m, "g", "-", "7", "d", "enter")
	if m.Prompting() || m.Selected() != today.AddDays(-7) {
		t.Fatalf("-7d: cursor %v, prompting %v", m.Selected(), m.Prompting())
	}
	from, to := m.Window()
	if m.Selected().Before(from) || m.Selected().After(to) {
		t.Fatalf("cursor %v outside the window %v..%v", m.Selected(), from, to)
	}
	// A bad date says why, keeps the prompt and changes nothing.
	sel, end := m.Selected(), m.end
	send(m, "g", "2", "0", "2", "5", "-", "0", "2", "-", "3", "0", "enter")
	if !m.Prompting() || m.Selected() != sel || m.end != end {
		t.Fatal("a bad date moved the cursor or closed the prompt")
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "February 2025 has 28 days") {
		t.Errorf("no reason shown:\n%s", v)
	}
	send(m, "esc")
	if m.Prompting() || m.Selected() != sel {
		t.Fatal("esc must close the prompt and leave the cursor")
	}
	send(m, "g", "q", "enter") // q is a letter in the prompt, not quit
	if !m.Prompting() {
		t.Fatal("q closed the prompt")
	}
	send(m, "esc", "g", "2", "0", "3", "0", "-", "0", "1", "-", "0", "1", "enter")
	if !strings.Contains(ansi.Strip(m.View()), "after today") || m.Selected() != sel {
		t.Errorf("a future date:\n%s", ansi.Strip(m.View()))
	}
}

func TestMetricKeyCyclesAndAsksForHealthOnlyWhenShown(t *testing.T) {
	m, s := setup(t)
	load(s, today.AddDays(-13), today)
	if m.Metric() != "overview" || m.WantsHealth() {
		t.Fatalf("default view %q wants health %v", m.Metric(), m.WantsHealth())
	}
	if _, _, ok := m.Wanted(); ok {
		t.Fatal("the default view asked again with its days loaded")
	}
	var seen []string
	for range views {
		send(m, "m")
		seen = append(seen, m.Metric())
	}
	if seen[len(seen)-1] != "overview" || !strings.Contains(strings.Join(seen, ","), "HRV,SpO2,breathing,skin temp,VO2 max,zone minutes,workouts") {
		t.Fatalf("cycle: %v", seen)
	}
	send(m, "M")
	if m.Metric() != "workouts" || !m.WantsHealth() {
		t.Fatalf("M from the overview: %q", m.Metric())
	}
	if _, _, ok := m.Wanted(); !ok {
		t.Fatal("a health view with no health data loaded must ask")
	}
}

// An account whose provider reads no health metrics says so in one line:
// no chart, no zero.
func TestHealthNotMeasuredIsOneLine(t *testing.T) {
	m, s := setup(t)
	from, to := today.AddDays(-13), today
	g := s.BeginHistory(0, from, to)
	s.ApplyHistory(state.HistoryAnswer{Account: 0, Gen: g, From: from, To: to, Health: true, HealthServed: false,
		Days: []providers.DailyValues{{Date: today, Steps: 100}}})
	showView(t, m, "HRV")
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "not measured by this account's provider") || strings.Contains(v, "┤") || strings.Contains(v, "avg") {
		t.Errorf("HRV on a provider without it:\n%s", v)
	}
}

// The average leaves out today (not over) and an empty range says "no
// data", not "avg 0".
func TestAverageOfCompleteDaysAndNoData(t *testing.T) {
	m, s := setup(t)
	from, to := today.AddDays(-13), today
	g := s.BeginHistory(0, from, to)
	days := []providers.DailyValues{
		{Date: today.AddDays(-2), Steps: 10000}, {Date: today.AddDays(-1), Steps: 6000}, {Date: today, Steps: 500},
	}
	s.ApplyHistory(state.HistoryAnswer{Account: 0, Gen: g, From: from, To: to, Days: days})
	m.Refresh()
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "avg 8,000 a day") {
		t.Errorf("average with today's 500 left out should be 8,000:\n%s", v)
	}
	if !strings.Contains(v, "Sleep") || strings.Contains(v, "avg 0") || !strings.Contains(v, "no data") {
		t.Errorf("an empty sleep range:\n%s", v)
	}
	if !strings.Contains(v, "10k┤") {
		t.Errorf("no value scale on the steps chart:\n%s", v)
	}
	if !strings.Contains(v, "Thu") || !strings.Contains(v, "Wed") {
		t.Errorf("no weekday labels at 7 days:\n%s", v)
	}
}

// At a year in a narrow pane a column holds several days and says how
// many; h moves the cursor one day all the same.
func TestYearColumnsSayHowManyDays(t *testing.T) {
	m, s := setup(t)
	load(s, today.AddDays(-400), today)
	send(m, "t", "t", "t")
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "1 col = 6 days") {
		t.Errorf("76 columns for 365 days:\n%s", v)
	}
	sel := m.Selected()
	send(m, "h")
	if m.Selected() != sel.AddDays(-1) {
		t.Fatalf("h moved from %v to %v", sel, m.Selected())
	}
}

// The configuration's units and goals show: weight in pounds, the sleep
// goal (config sleep_minutes) as a line with its value.
func TestUnitsAndConfiguredGoals(t *testing.T) {
	m, s := setup(t)
	s.Accounts[0].Units = textfmt.Imperial
	s.Accounts[0].Goals = providers.Goals{SleepMinutes: 480}
	load(s, today.AddDays(-13), today)
	m.Refresh()
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "goal 8:00") || !strings.Contains(v, string(charts.GoalRune)) {
		t.Errorf("no sleep goal:\n%s", v)
	}
	if !strings.Contains(v, "weight 154.3 lb") {
		t.Errorf("weight not in pounds in the day line:\n%s", v)
	}
	showView(t, m, "weight")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Weight · lb") || !strings.Contains(v, "154.3 lb") {
		t.Errorf("weight view not in pounds:\n%s", v)
	}
}

// showView presses the metric key until the view is name.
func showView(t *testing.T, m *Model, name string) {
	t.Helper()
	for range views {
		if m.Metric() == name {
			return
		}
		send(m, "m")
	}
	t.Fatalf("no view %q", name)
}

// Distance, calories, active minutes and floors: from the daily series,
// in the account's units, against their goals; a provider whose daily
// series lacks one says so instead of charting zeros.
func TestDailyTotalsViews(t *testing.T) {
	m, s := setup(t)
	from, to := today.AddDays(-13), today
	g := s.BeginHistory(0, from, to)
	var days []providers.DailyValues
	for d := from; !d.After(to); d = d.AddDays(1) {
		days = append(days, providers.DailyValues{Date: d, Steps: 9000, DistanceKm: 8.05, Calories: 2400})
	}
	s.ApplyHistory(state.HistoryAnswer{Account: 0, Gen: g, From: from, To: to, Days: days})
	s.Accounts[0].Goals = providers.Goals{DistanceKm: 8, Floors: 10}
	showView(t, m, "distance")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "goal 8.00 km · avg 8.05 km a day") || !strings.Contains(v, "┤") {
		t.Errorf("distance view:\n%s", v)
	}
	s.Accounts[0].Units = textfmt.Imperial
	m.drawn = false
	m.Refresh()
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Distance · mi") || !strings.Contains(v, "avg 5.00 mi a day") {
		t.Errorf("distance in miles:\n%s", v)
	}
	showView(t, m, "active minutes") // only today's, from the summary
	s.Accounts[0].History.Days[today] = providers.DailyValues{Date: today, ActiveMinutes: 42}
	m.drawn = false
	m.Refresh()
	if v := ansi.Strip(m.View()); !strings.Contains(v, "not in this account's daily history (today 42 min)") {
		t.Errorf("active minutes known for today only:\n%s", v)
	}
	showView(t, m, "floors")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "not in this account's daily history") || strings.Contains(v, "avg") {
		t.Errorf("floors the series lacks:\n%s", v)
	}
}
