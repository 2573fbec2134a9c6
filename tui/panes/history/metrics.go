package history

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/theme"
	"github.com/fittui/fittui/tui/textfmt"
)

// day is what the pane knows of one day: its daily values and, when
// asked for, its health metrics.
type day struct {
	v providers.DailyValues
	h providers.HealthDay
}

// metric is one charted series: how to read it off a day, draw it and
// label it. A value of 0 is "not known" (as in DailyValues); a metric
// whose real values may be 0 or negative (skin temperature) is shifted
// by offset before charting.
type metric struct {
	name  string // in the header and the day line ("steps")
	title string // the section's title ("Steps")
	line  bool   // a line between min and max, else bars from zero
	// minSpan is the least vertical range of a line chart, in the
	// metric's unit, so a small change looks small.
	minSpan float64
	offset  float64
	// health is the health metric behind it (its data is asked for only
	// while charted); "" for the daily series.
	health providers.HealthMetric
	// daily marks the totals only some providers' daily series hold
	// (distance, calories, active minutes, floors).
	daily bool

	value func(d day) float64
	tick  func(v float64) string // an axis label
	text  func(v float64) string // a value in a sentence, with its unit
	per   string                 // after the average: " a day", " a night"
	goal  func(g providers.Goals) float64
	style func(s *theme.Styles) lipgloss.Style
}

func (m *metric) get(d day) float64 {
	v := m.value(d)
	if v == 0 && m.offset == 0 {
		return 0
	}
	return v + m.offset
}

func ptr[T int | float64](p *T) float64 {
	if p == nil {
		return 0
	}
	return float64(*p)
}

// kilo labels steps: "10k", "7.5k", "800".
func kilo(v float64) string {
	if math.Abs(v) >= 1000 {
		return strconv.FormatFloat(v/1000, 'f', -1, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

var (
	mSteps = &metric{name: "steps", title: "Steps",
		value: func(d day) float64 { return float64(d.v.Steps) },
		tick:  kilo,
		text:  func(v float64) string { return textfmt.Int(int(math.Round(v))) },
		goal:  func(g providers.Goals) float64 { return float64(g.Steps) },
		per:   " a day",
		style: func(s *theme.Styles) lipgloss.Style { return s.Steps }}
	mDistance = &metric{daily: true, name: "distance", title: "Distance",
		value: func(d day) float64 { return d.v.DistanceKm },
		tick:  func(v float64) string { return num(v) },
		text:  func(v float64) string { return fmt.Sprintf("%.2f km", v) },
		goal:  func(g providers.Goals) float64 { return g.DistanceKm },
		per:   " a day",
		style: func(s *theme.Styles) lipgloss.Style { return s.Steps }}
	// mDistanceMi is mDistance in miles (units = "imperial").
	mDistanceMi = &metric{daily: true, name: "distance", title: "Distance",
		value: func(d day) float64 { v, _ := textfmt.Imperial.Distance(d.v.DistanceKm); return v },
		tick:  func(v float64) string { return num(v) },
		text:  func(v float64) string { return fmt.Sprintf("%.2f mi", v) },
		goal:  func(g providers.Goals) float64 { v, _ := textfmt.Imperial.Distance(g.DistanceKm); return v },
		per:   " a day",
		style: func(s *theme.Styles) lipgloss.Style { return s.Steps }}
	mCalories = &metric{daily: true, name: "calories", title: "Calories burned",
		value: func(d day) float64 { return float64(d.v.Calories) },
		tick:  kilo,
		text:  func(v float64) string { return textfmt.Int(int(math.Round(v))) + " kcal" },
		goal:  func(g providers.Goals) float64 { return float64(g.Calories) },
		per:   " a day",
		style: func(s *theme.Styles) lipgloss.Style { return s.Heart }}
	mActive = &metric{daily: true, name: "active", title: "Active minutes",
		value: func(d day) float64 { return float64(d.v.ActiveMinutes) },
		tick:  func(v float64) string { return num(v) },
		text:  func(v float64) string { return fmt.Sprintf("%.0f min", v) },
		goal:  func(g providers.Goals) float64 { return float64(g.ActiveMinutes) },
		per:   " a day",
		style: func(s *theme.Styles) lipgloss.Style { return s.Steps }}
	mFloors = &metric{daily: true, name: "floors", title: "Floors",
		value: func(d day) float64 { return float64(d.v.Floors) },
		tick:  func(v float64) string { return num(v) },
		text:  func(v float64) string { return fmt.Sprintf("%.0f", v) },
		goal:  func(g providers.Goals) float64 { return float64(g.Floors) },
		per:   " a day",
		style: func(s *theme.Styles) lipgloss.Style { return s.Steps }}
	mResting = &metric{name: "resting HR", title: "Resting heart rate", line: true, minSpan: 10,
		value: func(d day) float64 { return float64(d.v.RestingHeartRate) },
		tick:  func(v float64) string { return num(v) },
		text:  func(v float64) string { return fmt.Sprintf("%.0f bpm", v) },
		style: func(s *theme.Styles) lipgloss.Style { return s.Heart }}
	mSleep = &metric{name: "sleep", title: "Sleep",
		value: func(d day) float64 { return float64(d.v.SleepMinutes) / 60 },
		tick:  func(v float64) string { return num(v) + "h" },
		text:  func(v float64) string { return textfmt.HM(time.Duration(v * float64(time.Hour))) },
		goal:  func(g providers.Goals) float64 { return float64(g.SleepMinutes) / 60 },
		per:   " a night",
		style: func(s *theme.Styles) lipgloss.Style { return s.Sleep }}
	mWeight = &metric{name: "weight", title: "Weight", line: true, minSpan: 3,
		value: func(d day) float64 { return d.v.WeightKg },
		tick:  func(v float64) string { return num(v) },
		text:  func(v float64) string { return fmt.Sprintf("%.1f kg", v) },
		style: func(s *theme.Styles) lipgloss.Style { return s.Weight }}
	// mWeightLb is mWeight in pounds (units = "imperial").
	mWeightLb = &metric{name: "weight", title: "Weight", line: true, minSpan: 6,
		value: func(d day) float64 { w, _ := textfmt.Imperial.Weight(d.v.WeightKg); return w },
		tick:  func(v float64) string { return num(v) },
		text:  func(v float64) string { return fmt.Sprintf("%.1f lb", v) },
		style: func(s *theme.Styles) lipgloss.Style { return s.Weight }}
	mBodyFat = &metric{name: "body fat", title: "Body fat", line: true, minSpan: 3, health: providers.HealthBodyFat,
		value: func(d day) float64 { return ptr(d.h.BodyFatPct) },
		tick:  func(v float64) string { return num(v) + "%" },
		text:  func(v float64) string { return fmt.Sprintf("%.1f%%", v) },
		style: func(s *theme.Styles) lipgloss.Style { return s.Weight }}
	mHRV = &metric{name: "HRV", title: "Heart-rate variability", line: true, minSpan: 20, health: providers.HealthHRV,
		value: func(d day) float64 { return ptr(d.h.HRV) },
		tick:  func(v float64) string { return num(v) },
		text:  func(v float64) string { return fmt.Sprintf("%.0f ms", v) },
		style: func(s *theme.Styles) lipgloss.Style { return s.Heart }}
	mSpO2 = &metric{name: "SpO2", title: "Blood oxygen (SpO2)", line: true, minSpan: 4, health: providers.HealthSpO2,
		value: func(d day) float64 {
			if d.h.SpO2 == nil {
				return 0
			}
			return d.h.SpO2.AvgPct
		},
		tick:  func(v float64) string { return num(v) + "%" },
		text:  func(v float64) string { return fmt.Sprintf("%.1f%%", v) },
		style: func(s *theme.Styles) lipgloss.Style { return s.Sleep }}
	mBreathing = &metric{name: "breathing", title: "Breathing rate", line: true, minSpan: 4, health: providers.HealthBreathing,
		value: func(d day) float64 { return ptr(d.h.BreathingRate) },
		tick:  func(v float64) string { return num(v) },
		text:  func(v float64) string { return fmt.Sprintf("%.1f /min", v) },
		style: func(s *theme.Styles) lipgloss.Style { return s.Sleep }}
	mTemp = &metric{name: "skin temp", title: "Skin temperature vs. baseline", line: true, minSpan: 2, offset: 100,
		health: providers.HealthTemperature,
		// A delta of exactly 0 is a value: it is charted through offset.
		value: func(d day) float64 {
			if d.h.SkinTempDelta == nil {
				return -100 // shifted to 0: unknown
			}
			return *d.h.SkinTempDelta
		},
		tick: func(v float64) string {
			if v == 100 {
				return "0°"
			}
			return fmt.Sprintf("%+.1f°", v-100)
		},
		text:  func(v float64) string { return fmt.Sprintf("%+.1f °C", v-100) },
		style: func(s *theme.Styles) lipgloss.Style { return s.Sleep }}
	mVO2 = &metric{name: "VO2 max", title: "Cardio fitness (VO2 max)", line: true, minSpan: 6, health: providers.HealthVO2Max,
		value: func(d day) float64 {
			if d.h.VO2Max == nil {
				return 0
			}
			return d.h.VO2Max.Value
		},
		tick:  func(v float64) string { return num(v) },
		text:  func(v float64) string { return fmt.Sprintf("%.1f", v) },
		style: func(s *theme.Styles) lipgloss.Style { return s.Heart }}
	mZones = &metric{name: "zone minutes", title: "Active Zone Minutes", health: providers.HealthZones,
		value: func(d day) float64 {
			if d.h.ZoneMinutes == nil {
				return 0
			}
			return float64(d.h.ZoneMinutes.Total())
		},
		tick:  func(v float64) string { return num(v) },
		text:  func(v float64) string { return fmt.Sprintf("%.0f min", v) },
		per:   " a day",
		style: func(s *theme.Styles) lipgloss.Style { return s.Heart }}
)

// unit is said once beside each chart's title, so the axis labels stay
// narrow.
func (m *metric) unit() string {
	switch m {
	case mResting:
		return "bpm"
	case mWeight:
		return "kg"
	case mWeightLb:
		return "lb"
	case mDistance:
		return "km"
	case mDistanceMi:
		return "mi"
	case mCalories:
		return "kcal"
	case mActive:
		return "min"
	case mHRV:
		return "ms"
	case mBreathing:
		return "breaths/min"
	case mTemp:
		return "°C"
	case mVO2:
		return "ml/kg/min"
	case mZones:
		return "min"
	}
	return ""
}

// inUnits is mt as the account's units show it (weight in lb).
func inUnits(mt *metric, u textfmt.Units) *metric {
	if u == textfmt.Imperial {
		switch mt {
		case mWeight:
			return mWeightLb
		case mDistance:
			return mDistanceMi
		}
	}
	return mt
}

// view is what one press of the metric key shows: charts of metrics, or
// the workouts list.
type view struct {
	name     string
	metrics  []*metric
	workouts bool
}

// views in the order the metric key cycles them; the first is the
// default.
var views = []view{
	{name: "overview", metrics: []*metric{mSteps, mResting, mSleep}},
	{name: "steps", metrics: []*metric{mSteps}},
	{name: "distance", metrics: []*metric{mDistance}},
	{name: "calories", metrics: []*metric{mCalories}},
	{name: "active minutes", metrics: []*metric{mActive}},
	{name: "floors", metrics: []*metric{mFloors}},
	{name: "resting HR", metrics: []*metric{mResting}},
	{name: "sleep", metrics: []*metric{mSleep}},
	{name: "weight", metrics: []*metric{mWeight, mBodyFat}},
	{name: "HRV", metrics: []*metric{mHRV}},
	{name: "SpO2", metrics: []*metric{mSpO2}},
	{name: "breathing", metrics: []*metric{mBreathing}},
	{name: "skin temp", metrics: []*metric{mTemp}},
	{name: "VO2 max", metrics: []*metric{mVO2}},
	{name: "zone minutes", metrics: []*metric{mZones}},
	{name: "workouts", workouts: true},
}

// health reports whether v needs the health metrics or workouts.
func (v view) health() bool {
	if v.workouts {
		return true
	}
	for _, m := range v.metrics {
		if m.health != "" {
			return true
		}
	}
	return false
}
