package day

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/textfmt"
)

// healthValueW is the value column of the health block.
const healthValueW = 11

// healthLines are the health block: resting heart rate, HRV, SpO2,
// breathing rate and skin temperature, each beside its personal 30-day
// range (a value outside it marked ↑ or ↓, as the Fitbit app marks it),
// cardio fitness, why a metric is missing (a scope not granted, and how
// to grant it), and the day's workouts one line each. A metric the
// account does not have shows nothing.
func (m *Model) healthLines(t *state.Today, width int) []line {
	s := m.ctx.Styles
	if !t.HasSlow && !t.HasLive {
		return nil
	}
	h := t.Slow.Health
	d := h.Day
	var out []line
	ranged := false
	metric := func(prio int, label string, v float64, format, unit string, r state.Range) {
		if r.Step > 0 {
			v = math.Round(v/r.Step) * r.Step // shown as compared: fmt rounds halves to even
		}
		val := s.Value.Render(fmt.Sprintf(format, v)) + s.Muted.Render(unit)
		mark := " "
		switch {
		case r.Outside(v) && v < r.Lo:
			mark = s.Warn.Render("↓")
		case r.Outside(v):
			mark = s.Warn.Render("↑")
		}
		text := s.Label.Render(textfmt.Fit(label, labelW)) + textfmt.Fit(val, healthValueW) + mark
		if r.OK && width >= labelW+healthValueW+8 {
			text += s.Muted.Render(" " + fmt.Sprintf(format, r.Lo) + "–" + fmt.Sprintf(format, r.Hi))
			ranged = true
		}
		out = append(out, line{text, prio})
	}
	if rhr := t.Live.Summary.RestingHeartRate; rhr > 0 {
		metric(1, "Resting", float64(rhr), "%.0f", " bpm", t.Slow.RestingRange)
	}
	if d.HRV != nil {
		metric(2, "HRV", *d.HRV, "%.0f", " ms", h.Ranges[providers.HealthHRV])
	}
	if d.SpO2 != nil {
		metric(3, "SpO2", d.SpO2.AvgPct, "%.0f", "%", h.Ranges[providers.HealthSpO2])
	}
	if d.BreathingRate != nil {
		metric(3, "Breathing", *d.BreathingRate, "%.1f", " /min", h.Ranges[providers.HealthBreathing])
	}
	if d.SkinTempDelta != nil {
		metric(3, "Skin temp", *d.SkinTempDelta, "%+.1f", " °C", h.Ranges[providers.HealthTemperature])
	}
	if ranged {
		head := s.Title.Render("Health") + s.Muted.Render(strings.Repeat(" ", labelW-6+healthValueW+2)+"30-day range")
		out = append([]line{{head, 5}}, out...)
	}
	if v := d.VO2Max; v != nil {
		text := s.Value.Render(fmt.Sprintf("%.0f", v.Value))
		if v.Level != "" {
			text += s.Muted.Render(" · " + v.Level.Title())
		}
		out = append(out, line{s.Label.Render(textfmt.Fit("VO2 max", labelW)) + text, 6})
	}
	for i, w := range h.Workouts {
		out = append(out, line{m.workoutLine(w, width), 2 + min(i, 1)*2})
	}
	for _, note := range missing(d, h) {
		for _, l := range strings.Split(ansi.Wrap(note, width, " "), "\n") {
			out = append(out, line{s.Muted.Render(l), 6})
		}
	}
	return out
}

// workoutLine is one workout: type, start, duration, distance and average
// heart rate, what is known of them.
func (m *Model) workoutLine(w providers.Workout, width int) string {
	s := m.ctx.Styles
	dur := w.End.Sub(w.Start)
	if w.Active != nil {
		dur = *w.Active
	}
	parts := []string{s.Value.Render(w.Start.Format("15:04")), s.Value.Render(textfmt.HM(dur.Round(time.Minute)))}
	if w.DistanceKm != nil && *w.DistanceKm > 0 {
		d, unit := m.units().Distance(*w.DistanceKm)
		parts = append(parts, s.Value.Render(fmt.Sprintf("%.2f", d))+s.Muted.Render(" "+unit))
	}
	if w.AvgHeartRate != nil && *w.AvgHeartRate > 0 {
		parts = append(parts, s.Value.Render(fmt.Sprint(*w.AvgHeartRate))+s.Muted.Render(" bpm"))
	}
	name := workoutTitle(w.Type)
	return textfmt.Fit(s.Heart.Render("▔ ")+s.Label.Render(textfmt.Fit(name, labelW-2))+strings.Join(parts, "  "), width)
}

// workoutTitle is a workout type for people ("Run", "HIIT").
func workoutTitle(t providers.WorkoutType) string {
	switch t {
	case providers.WorkoutHIIT:
		return "HIIT"
	case "":
		return "Workout"
	}
	return strings.ToUpper(string(t[:1])) + string(t[1:])
}

// missing says why metrics are unknown, one note per reason with the
// metrics it covers: "SpO2, breathing rate: not granted: scope …; run …".
func missing(d providers.HealthDay, h state.Health) []string {
	byWhy := map[string][]string{}
	var order []string
	add := func(metric providers.HealthMetric, why string) {
		if _, ok := byWhy[why]; !ok {
			order = append(order, why)
		}
		byWhy[why] = append(byWhy[why], metric.Title())
	}
	for _, metric := range providers.HealthMetrics() {
		if why, ok := d.Missing[metric]; ok && why != "" {
			add(metric, why)
		}
	}
	if h.WorkoutsMissing != "" {
		add(providers.HealthWorkouts, h.WorkoutsMissing)
	}
	out := make([]string, 0, len(order))
	for _, why := range order {
		names := slices.Compact(byWhy[why])
		out = append(out, strings.Join(names, ", ")+": "+why)
	}
	return out
}
