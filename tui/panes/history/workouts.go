package history

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/textfmt"
)

// workoutLines lists the window's workouts, newest first, from the
// cursor's day back (moving the cursor scrolls the list), under a line of
// totals per type for the whole window.
func (m *Model) workoutLines(a *state.Account, from, to providers.Date, avail int) []string {
	s := m.ctx.Styles
	h := &a.History
	title := s.Title.Render("Workouts")
	switch {
	case !h.HasHealth(from, to):
		return []string{title, s.Muted.Render("loading…")}
	case !h.HealthServed:
		return []string{textfmt.Columns(title, s.Muted.Render("not measured by this account's provider"), m.w)}
	case h.WorkoutsMissing != "":
		return []string{title, s.Muted.Render("workouts " + h.WorkoutsMissing)}
	}
	var all []providers.Workout
	for d := to; !d.Before(from); d = d.AddDays(-1) {
		ws := h.Workouts[d]
		for i := len(ws) - 1; i >= 0; i-- {
			all = append(all, ws[i])
		}
	}
	if len(all) == 0 {
		return []string{textfmt.Columns(title, s.Muted.Render("no workouts in these days"), m.w)}
	}
	slices.SortStableFunc(all, func(x, y providers.Workout) int { return y.Start.Compare(x.Start) })

	out := []string{textfmt.Columns(title, s.Muted.Render(fmt.Sprintf("%d in %d days", len(all), from.DaysUntil(to)+1)), m.w)}
	if avail >= 4 {
		out = append(out, s.Muted.Render(totals(all)))
	}
	first := 0 // the newest workout on or before the cursor's day
	for first < len(all) && all[first].Date.After(m.sel) {
		first++
	}
	room := avail - len(out)
	shown := all[first:]
	if len(shown) > room {
		shown = shown[:max(room-1, 0)]
	}
	for _, w := range shown {
		out = append(out, m.workoutLine(w, a))
	}
	if rest := len(all) - first - len(shown); rest > 0 && len(out) < avail {
		out = append(out, s.Muted.Render(fmt.Sprintf("… %d older", rest)))
	}
	if first > 0 && len(out) < avail {
		out = append(out, s.Muted.Render(fmt.Sprintf("(%d newer after the cursor's day)", first)))
	}
	return out
}

// workoutLine is one workout: day, start, type, time, distance, heart rate.
func (m *Model) workoutLine(w providers.Workout, a *state.Account) string {
	s := m.ctx.Styles
	loc := a.Location(time.UTC)
	when := dayText(w.Date, "Mon Jan _2") + " " + w.Start.In(loc).Format("15:04")
	date := s.Muted.Render(when)
	if w.Date == m.sel {
		date = s.Selected.Render(when)
	}
	name := w.Name
	if name == "" {
		name = string(w.Type)
	}
	parts := []string{fmt.Sprintf("%-14s", truncateRunes(name, 14)), textfmt.HM(active(w))}
	if w.DistanceKm != nil && *w.DistanceKm > 0 {
		parts = append(parts, fmt.Sprintf("%.1f km", *w.DistanceKm))
	}
	if w.AvgHeartRate != nil {
		parts = append(parts, fmt.Sprintf("%d bpm", *w.AvgHeartRate))
	}
	if w.Calories != nil {
		parts = append(parts, textfmt.Int(*w.Calories)+" kcal")
	}
	if w.ZoneMinutes != nil && *w.ZoneMinutes > 0 {
		parts = append(parts, fmt.Sprintf("%d AZM", *w.ZoneMinutes))
	}
	return date + "  " + s.Value.Render(strings.Join(parts, "  "))
}

// active is a workout's moving time, or its length when not given.
func active(w providers.Workout) time.Duration {
	if w.Active != nil {
		return *w.Active
	}
	return w.End.Sub(w.Start)
}

// totals are the count, time and distance of each type, most frequent
// first: "run 3 · 2h 10m · 21.3 km   walk 5 · 3h 02m".
func totals(ws []providers.Workout) string {
	type total struct {
		t    providers.WorkoutType
		n    int
		time time.Duration
		km   float64
	}
	var ts []*total
	by := map[providers.WorkoutType]*total{}
	for _, w := range ws {
		t := by[w.Type]
		if t == nil {
			t = &total{t: w.Type}
			by[w.Type] = t
			ts = append(ts, t)
		}
		t.n++
		t.time += active(w)
		if w.DistanceKm != nil {
			t.km += *w.DistanceKm
		}
	}
	slices.SortStableFunc(ts, func(a, b *total) int { return b.n - a.n })
	parts := make([]string, 0, len(ts))
	for _, t := range ts {
		p := fmt.Sprintf("%s %d× %s", t.t, t.n, textfmt.HM(t.time))
		if t.km > 0 {
			p += fmt.Sprintf(" %.1f km", t.km)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " · ")
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
