package googlehealth

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/internal/httpapi"
)

// Health metrics and workouts. Daily types are asked for by range, in the
// same blocks as the daily series (today and the 30 days before it, then
// 90-day blocks): one request per type per block, shared by the day pane,
// its personal ranges and the history. The intraday types (HRV through
// the night, Active Zone Minutes minute by minute) are asked for the day
// shown only. A type whose scope the person did not grant leaves its
// metric unknown with a note saying which scope and how to grant it; the
// rest still shows.

var _ providers.HealthReader = (*Provider)(nil)

// A daily health type and the metric a refused scope takes away
// ("" : the metric has other sources and stays without a note).
type healthType struct {
	dt     dataType
	metric providers.HealthMetric
}

// healthLists are read with list, filtered on their date.
var healthLists = []healthType{
	{dtDailyHRV, providers.HealthHRV},
	{dtDailySpO2, providers.HealthSpO2},
	{dtDailyBreath, providers.HealthBreathing},
	{dtDailyTemp, providers.HealthTemperature},
	{dtDailyVO2Max, providers.HealthVO2Max},
	{dtDailyZones, ""}, // zone bounds: the zone minutes say what is missing
}

// healthRollups are read with dailyRollUp (they have no daily type).
var healthRollups = []healthType{
	{dtZoneMinutes, providers.HealthZones},
	{dtZoneTime, ""},
	{dtBodyFat, providers.HealthBodyFat},
}

// scopeTitle is how the consent screen names a scope.
func scopeTitle(scope string) string {
	switch scope {
	case ScopeMetrics:
		return "health metrics and measurements"
	case ScopeActivity:
		return "activity and fitness"
	case ScopeSleep:
		return "sleep"
	}
	return scope
}

// notGranted says a scope is missing and how to grant it.
func (p *Provider) notGranted(scope string) string {
	return fmt.Sprintf("not granted: scope %s; run `fittui auth login %s --account %s` and allow %s",
		scope, Name, p.account, scopeTitle(scope))
}

// Health implements providers.HealthReader.
func (p *Provider) Health(ctx context.Context, from, to providers.Date) ([]providers.HealthDay, error) {
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	_, today, err := p.clock(ctx)
	if err != nil {
		return nil, err
	}
	out := providers.EmptyHealth(from, to)
	at := func(d providers.Date) *providers.HealthDay {
		if i := from.DaysUntil(d); i >= 0 && i < len(out) {
			return &out[i]
		}
		return nil
	}
	type part struct {
		ht      healthType
		pts     []point
		refused bool
	}
	var parts []*part
	g, _ := httpapi.NewGroup(ctx, 0)
	for _, b := range blocksFor(today, from, to) {
		for _, ht := range healthLists {
			pt := &part{ht: ht}
			parts = append(parts, pt)
			g.Go(func(ctx context.Context) (err error) {
				pt.pts, err = p.listPoints(ctx, ht.dt, dateFilter(ht.dt.filter()+".date", b.lo, b.hi), 0)
				if isScopeErr(err) {
					pt.refused = true
					return nil
				}
				return err
			})
		}
		for _, ht := range healthRollups {
			pt := &part{ht: ht}
			parts = append(parts, pt)
			g.Go(func(ctx context.Context) (err error) {
				pt.pts, err = p.dailyPoints(ctx, ht.dt, b.lo, b.hi)
				if isScopeErr(err) {
					pt.refused = true
					return nil
				}
				return err
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	refused := map[providers.HealthMetric]string{}
	for _, pt := range parts {
		dt := pt.ht.dt
		if pt.refused {
			if pt.ht.metric != "" {
				refused[pt.ht.metric] = dt.scope
			}
			continue
		}
		rollup := dt == dtZoneMinutes || dt == dtZoneTime || dt == dtBodyFat
		for i := range pt.pts {
			var err error
			if rollup {
				var day providers.Date
				if day, err = pt.pts[i].day(); err == nil {
					if h := at(day); h != nil {
						err = convertHealthRollup(&pt.pts[i], dt, h)
					}
				}
			} else {
				err = convertDailyHealth(&pt.pts[i], dt, at)
			}
			if err != nil {
				return nil, badData(dt.id, err)
			}
		}
	}
	for i := range out {
		if out[i].Date.After(today) {
			continue
		}
		for m, scope := range refused {
			out[i].Note(m, p.notGranted(scope))
		}
	}
	return out, nil
}

// HealthIntraday implements providers.HealthReader: the night's HRV
// readings (civil times from 18:00 the evening before to 18:00 on day:
// the night that ended on day) and the day's Active Zone Minutes
// intervals, each one list.
func (p *Provider) HealthIntraday(ctx context.Context, day providers.Date) (providers.HealthIntraday, error) {
	out := providers.HealthIntraday{Date: day, HRV: providers.Series{Resolution: 5 * time.Minute}}
	loc, today, err := p.clock(ctx)
	if err != nil {
		return out, err
	}
	if day.After(today) {
		return out, nil
	}
	var hrv, zones []point
	var hrvRefused, zonesRefused bool
	g, _ := httpapi.NewGroup(ctx, 0)
	g.Go(func(ctx context.Context) (err error) {
		field := dtHRV.filter() + ".sample_time.civil_time"
		filter := fmt.Sprintf(`%s >= "%sT18:00:00" AND %s < "%sT18:00:00"`, field, day.AddDays(-1), field, day)
		hrv, err = p.listPoints(ctx, dtHRV, filter, 0)
		if isScopeErr(err) {
			hrvRefused = true
			return nil
		}
		return err
	})
	g.Go(func(ctx context.Context) (err error) {
		zones, err = p.listPoints(ctx, dtZoneMinutes, dateFilter(dtZoneMinutes.filter()+".interval.civil_start_time", day, day), 0)
		if isScopeErr(err) {
			zonesRefused = true
			return nil
		}
		return err
	})
	if err := g.Wait(); err != nil {
		return out, err
	}
	note := func(m providers.HealthMetric, scope string) {
		if out.Missing == nil {
			out.Missing = map[providers.HealthMetric]string{}
		}
		out.Missing[m] = p.notGranted(scope)
	}
	if hrvRefused {
		note(providers.HealthHRV, dtHRV.scope)
	}
	if zonesRefused {
		note(providers.HealthZones, dtZoneMinutes.scope)
	}
	for i := range hrv {
		s, ok, err := convertHRVSample(&hrv[i], loc)
		if err != nil {
			return out, badData("heart rate variability", err)
		}
		if ok {
			out.HRV.Samples = append(out.HRV.Samples, s)
		}
	}
	sortSamples(out.HRV.Samples)
	out.HRV.Samples = dedupeSamples(out.HRV.Samples)
	for i := range zones {
		z, ok, err := convertZoneMinute(&zones[i], loc)
		if err != nil {
			return out, badData("active zone minutes", err)
		}
		if ok && z.Earned > 0 {
			out.Zones = append(out.Zones, z)
		}
	}
	sort.SliceStable(out.Zones, func(i, j int) bool { return out.Zones[i].Start.Before(out.Zones[j].Start) })
	return out, nil
}

// Workouts implements providers.HealthReader: exercise sessions by their
// civil start, per block, in pages of 25.
func (p *Provider) Workouts(ctx context.Context, from, to providers.Date) ([]providers.Workout, error) {
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	loc, today, err := p.clock(ctx)
	if err != nil {
		return nil, err
	}
	bs := blocksFor(today, from, to)
	parts := make([][]point, len(bs))
	g, _ := httpapi.NewGroup(ctx, 0)
	for i, b := range bs {
		g.Go(func(ctx context.Context) (err error) {
			parts[i], err = p.listPoints(ctx, dtExercise, dateFilter(dtExercise.filter()+".interval.civil_start_time", b.lo, b.hi), 25)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		if isScopeErr(err) {
			return nil, &providers.NotGrantedError{Provider: Name, Metric: providers.HealthWorkouts, Scope: dtExercise.scope,
				How: fmt.Sprintf("run `fittui auth login %s --account %s` and allow %s", Name, p.account, scopeTitle(dtExercise.scope))}
		}
		return nil, err
	}
	var out []providers.Workout
	for _, pts := range parts {
		for i := range pts {
			w, ok, err := convertExercise(&pts[i], loc)
			if err != nil {
				return nil, badData("exercise", err)
			}
			if ok && !w.Date.Before(from) && !w.Date.After(to) {
				out = append(out, w)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}
