package export

import (
	"context"
	"time"

	"github.com/fittui/fittui/providers"
)

// Health metrics: one row per day with a value (hrv, spo2, breathing,
// temperature, vo2max, zones), a row per minute that earned zone minutes
// (zones at 1min, where the provider gives intervals), and a row per
// workout. A metric the account did not share is said once (Options.Note)
// and leaves its days out.

// IsHealth reports whether m is a health metric (providers.HealthReader).
func (m Metric) IsHealth() bool {
	switch m {
	case HRV, SpO2, Breathing, Temperature, VO2Max, Zones, Workouts:
		return true
	}
	return false
}

// WorkoutColumns are the columns of a workout row, the keys of a workout
// in `fittui today --json`.
var WorkoutColumns = []string{"type", "name", "start", "end", "active_minutes", "distance_km", "steps", "calories",
	"avg_heart_rate", "zone_minutes"}

// summaryHealthColumns end the summary's columns.
var summaryHealthColumns = []string{"hrv_ms", "spo2_pct", "breathing_rate", "skin_temp_delta_c", "vo2_max",
	"cardio_fitness", "zone_minutes", "body_fat_pct"}

func healthColumns(m Metric, r Resolution) []string {
	switch m {
	case HRV:
		return []string{"date", "hrv_ms"}
	case SpO2:
		return []string{"date", "spo2_pct", "spo2_low_pct", "spo2_high_pct"}
	case Breathing:
		return []string{"date", "breathing_rate"}
	case Temperature:
		return []string{"date", "skin_temp_delta_c"}
	case VO2Max:
		return []string{"date", "vo2_max", "cardio_fitness"}
	case Zones:
		if r == Minute {
			return []string{"time", "fat_burn", "cardio", "peak", "total"}
		}
		return []string{"date", "fat_burn", "cardio", "peak", "total",
			"minutes_light", "minutes_fat_burn", "minutes_cardio", "minutes_peak"}
	case Workouts:
		return WorkoutColumns
	}
	return nil
}

// healthSpan fetches sp's health days, by date; empty for a provider
// without health metrics.
func (x *run) healthSpan(ctx context.Context, sp span) (map[providers.Date]providers.HealthDay, error) {
	if !x.healthy {
		return nil, nil
	}
	var hs []providers.HealthDay
	err := x.call(ctx, sp.from, func(ctx context.Context) (err error) {
		hs, err = x.health.Health(ctx, sp.from, sp.to)
		return err
	})
	m := make(map[providers.Date]providers.HealthDay, len(hs))
	for _, h := range hs {
		m[h.Date] = h
		for metric, why := range h.Missing {
			x.note("missing "+string(metric), metric.Title()+": "+why)
		}
	}
	return m, err
}

// healthDays writes a row per day that has the metric.
func (x *run) healthDays(ctx context.Context) error {
	m := x.q.Metric
	return x.spans(ctx, func(ctx context.Context, sp span) error {
		days, err := x.healthSpan(ctx, sp)
		if err != nil {
			return err
		}
		for d := sp.from; !d.After(sp.to); d = d.AddDays(1) {
			h := days[d]
			if !hasHealth(m, h) {
				continue
			}
			if err := x.write(func(r *Row) {
				x.dateCell(r, d)
				healthCells(r, m, h)
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

func hasHealth(m Metric, h providers.HealthDay) bool {
	switch m {
	case HRV:
		return h.HRV != nil
	case SpO2:
		return h.SpO2 != nil
	case Breathing:
		return h.BreathingRate != nil
	case Temperature:
		return h.SkinTempDelta != nil
	case VO2Max:
		return h.VO2Max != nil
	case Zones:
		return h.ZoneMinutes != nil || h.ZoneTime != nil
	}
	return false
}

// healthCells adds the cells after the date of m's day row.
func healthCells(r *Row, m Metric, h providers.HealthDay) {
	switch m {
	case HRV:
		r.Float(*h.HRV)
	case SpO2:
		r.Float(h.SpO2.AvgPct)
		r.FloatOrNull(h.SpO2.LowPct)
		r.FloatOrNull(h.SpO2.HighPct)
	case Breathing:
		r.Float(*h.BreathingRate)
	case Temperature:
		r.Float(*h.SkinTempDelta)
	case VO2Max:
		r.Float(h.VO2Max.Value)
		if h.VO2Max.Level == "" {
			r.Null()
		} else {
			r.String(string(h.VO2Max.Level))
		}
	case Zones:
		if z := h.ZoneMinutes; z != nil {
			r.Int(z.FatBurn)
			r.Int(z.Cardio)
			r.Int(z.Peak)
			r.Int(z.Total())
		} else {
			r.Null()
			r.Null()
			r.Null()
			r.Null()
		}
		for zone := range providers.NumZones {
			if h.ZoneTime == nil {
				r.Null()
			} else {
				r.Int(h.ZoneTime[zone])
			}
		}
	}
}

// summaryHealthCells adds the summary's health cells of h (all null for a
// day or provider without them).
func summaryHealthCells(r *Row, h providers.HealthDay) {
	opt := func(v *float64) {
		if v == nil {
			r.Null()
		} else {
			r.Float(*v)
		}
	}
	opt(h.HRV)
	if h.SpO2 != nil {
		r.Float(h.SpO2.AvgPct)
	} else {
		r.Null()
	}
	opt(h.BreathingRate)
	opt(h.SkinTempDelta)
	if v := h.VO2Max; v != nil {
		r.Float(v.Value)
		if v.Level != "" {
			r.String(string(v.Level))
		} else {
			r.Null()
		}
	} else {
		r.Null()
		r.Null()
	}
	if z := h.ZoneMinutes; z != nil {
		r.Int(z.Total())
	} else {
		r.Null()
	}
	opt(h.BodyFatPct)
}

// zoneMinutes writes a row per interval that earned zone minutes, one
// day at a time.
func (x *run) zoneMinutes(ctx context.Context) error {
	loc := x.q.Location
	return x.each(ctx, func(ctx context.Context, d providers.Date) error {
		var hi providers.HealthIntraday
		if err := x.call(ctx, d, func(ctx context.Context) (err error) {
			hi, err = x.health.HealthIntraday(ctx, d)
			return err
		}); err != nil {
			return err
		}
		for metric, why := range hi.Missing {
			x.note("missing "+string(metric), metric.Title()+": "+why)
		}
		for _, z := range hi.Zones {
			if err := x.write(func(r *Row) {
				r.Time(z.Start, loc)
				var cells [3]int
				switch z.Zone {
				case providers.ZoneFatBurn:
					cells[0] = z.Earned
				case providers.ZoneCardio:
					cells[1] = z.Earned
				case providers.ZonePeak:
					cells[2] = z.Earned
				}
				r.Int(cells[0])
				r.Int(cells[1])
				r.Int(cells[2])
				r.Int(z.Earned)
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

// workouts writes a row per workout, oldest first.
func (x *run) workouts(ctx context.Context) error {
	loc := x.q.Location
	return x.spans(ctx, func(ctx context.Context, sp span) error {
		var ws []providers.Workout
		err := x.call(ctx, sp.from, func(ctx context.Context) (err error) {
			ws, err = x.health.Workouts(ctx, sp.from, sp.to)
			return err
		})
		if providers.IsNotGranted(err) {
			x.note("missing workouts", err.Error())
			return nil
		}
		if err != nil {
			return err
		}
		for _, w := range ws {
			if w.Date.Before(sp.from) || w.Date.After(sp.to) {
				continue // another span has it
			}
			if err := x.write(func(r *Row) { WorkoutRow(r, w, loc) }); err != nil {
				return err
			}
		}
		return nil
	})
}

// WorkoutRow adds w's cells (WorkoutColumns), times in loc.
func WorkoutRow(r *Row, w providers.Workout, loc *time.Location) {
	r.String(string(w.Type))
	r.String(w.Name)
	r.Time(w.Start, loc)
	r.Time(w.End, loc)
	if w.Active != nil {
		r.Float(w.Active.Minutes())
	} else {
		r.Null()
	}
	if w.DistanceKm != nil {
		r.Float(*w.DistanceKm)
	} else {
		r.Null()
	}
	for _, p := range []*int{w.Steps, w.Calories, w.AvgHeartRate, w.ZoneMinutes} {
		if p == nil {
			r.Null()
		} else {
			r.Int(*p)
		}
	}
}
