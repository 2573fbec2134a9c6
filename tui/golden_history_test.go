package tui

import (
	"strings"
	"testing"
)

// m presses the metric key n times.
func m(n int) []string { return strings.Split(strings.Repeat("m", n), "") }

// The history pane's views (issues 12 and 13): a scale, time labels,
// goal and averages on every chart; each metric; the workouts list; a
// metric an account does not measure; the date prompt.
func TestGoldenHistoryViews(t *testing.T) {
	all := append(append(append([]string{}, todayLoaded...), historyLoaded...), accountsLoaded...)
	t.Run("runner_30d_hrv_80x24", func(t *testing.T) {
		golden(t, 80, 24, todayLoaded, append([]string{"tab", "t"}, m(9)...), []string{"[30d]", "Heart-rate variability"})
	})
	t.Run("bad_date_80x24", func(t *testing.T) {
		golden(t, 80, 24, todayLoaded, []string{"tab", "g", "2", "0", "2", "5", "-", "1", "3", "-", "0", "1", "enter"},
			[]string{"no month 13"})
	})
	t.Run("runner_back_a_week_80x24", func(t *testing.T) {
		golden(t, 80, 24, todayLoaded, []string{"tab", "g", "-", "7", "d", "enter"}, []string{"Wed May 7 2025"})
	})
	t.Run("office_90d_weight_120x40", func(t *testing.T) {
		golden(t, 120, 40, all, append([]string{"2", "tab", "t", "t"}, m(8)...), []string{"[90d]", "Body fat"})
	})
	t.Run("runner_workouts_120x40", func(t *testing.T) {
		golden(t, 120, 40, all, append([]string{"tab", "t"}, m(15)...), []string{"[30d]", "Workouts"})
	})
	t.Run("office_30d_distance_120x40", func(t *testing.T) {
		golden(t, 120, 40, all, append([]string{"2", "tab", "t"}, m(2)...), []string{"[30d]", "Distance"})
	})
	t.Run("nightshift_year_200x60", func(t *testing.T) {
		golden(t, 200, 60, all, []string{"3", "tab", "t", "t", "t"}, []string{"[1y]"})
	})
	t.Run("nightshift_spo2_not_measured_200x60", func(t *testing.T) {
		golden(t, 200, 60, all, append([]string{"3", "tab"}, m(10)...), []string{"SpO2", "not measured"})
	})
}
