package state

import (
	"reflect"

	"github.com/fittui/fittui/providers"
)

// HasHealth reports whether the health metrics and workouts of every day
// of from..to were asked for and arrived.
func (h *History) HasHealth(from, to providers.Date) bool {
	for d := from; !d.After(to); d = d.AddDays(1) {
		if _, ok := h.Health[d]; !ok {
			return false
		}
	}
	return true
}

// applyHealth stores the health part of a history answer; it reports
// whether anything the pane draws changed. A failed health request keeps
// the days already known.
func (h *History) applyHealth(m HistoryAnswer) bool {
	if !m.Health {
		return false
	}
	changed := false
	if !sameErr(h.HealthErr, m.HealthErr) {
		h.HealthErr, changed = m.HealthErr, true
	}
	if m.HealthErr != nil {
		return changed
	}
	if h.Health == nil {
		h.Health = map[providers.Date]providers.HealthDay{}
		h.Workouts = map[providers.Date][]providers.Workout{}
	}
	if h.HealthServed != m.HealthServed || h.WorkoutsMissing != m.WorkoutsMissing {
		h.HealthServed, h.WorkoutsMissing, changed = m.HealthServed, m.WorkoutsMissing, true
	}
	byDay := map[providers.Date][]providers.Workout{}
	for _, w := range m.Workouts {
		byDay[w.Date] = append(byDay[w.Date], w)
	}
	got := map[providers.Date]providers.HealthDay{}
	for _, d := range m.HealthDays {
		got[d.Date] = d
	}
	for d := m.From; !d.After(m.To); d = d.AddDays(1) {
		nd, ok := got[d]
		if !ok {
			nd = providers.HealthDay{Date: d}
		}
		if old, had := h.Health[d]; !had || !reflect.DeepEqual(old, nd) {
			h.Health[d], changed = nd, true
		}
		if old := h.Workouts[d]; !reflect.DeepEqual(old, byDay[d]) {
			h.Workouts[d], changed = byDay[d], true
		}
	}
	return changed
}
