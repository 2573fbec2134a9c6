package takeouttest

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// lists collects JSON list files by name.
type lists struct {
	order []string
	bufs  map[string]*bytes.Buffer
}

func (l *lists) item(name string) *bytes.Buffer {
	if l.bufs == nil {
		l.bufs = map[string]*bytes.Buffer{}
	}
	b := l.bufs[name]
	if b == nil {
		b = &bytes.Buffer{}
		b.WriteString("[")
		l.bufs[name] = b
		l.order = append(l.order, name)
	} else {
		b.WriteString(",\n")
	}
	return b
}

func (l *lists) flush(g *gen) {
	for _, name := range l.order {
		b := l.bufs[name]
		b.WriteString("]\n")
		g.add(name, b.Bytes())
	}
}

// tables collects CSV files by name, each with its header.
type tables struct {
	order []string
	bufs  map[string]*bytes.Buffer
}

func (t *tables) row(name, header, format string, args ...any) {
	if t.bufs == nil {
		t.bufs = map[string]*bytes.Buffer{}
	}
	b := t.bufs[name]
	if b == nil {
		b = &bytes.Buffer{}
		b.WriteString(header + "\n")
		t.bufs[name] = b
		t.order = append(t.order, name)
	}
	fmt.Fprintf(b, format+"\n", args...)
}

func (t *tables) flush(g *gen) {
	for _, name := range t.order {
		g.add(name, t.bufs[name].Bytes())
	}
}

// Heart-rate zones the generated zone files use (bpm lower bounds of fat
// burn, cardio and peak).
const zone1, zone2, zone3 = 98, 137, 166

func zoneOf(bpm int) int {
	switch {
	case bpm >= zone3:
		return 3
	case bpm >= zone2:
		return 2
	case bpm >= zone1:
		return 1
	}
	return 0
}

var azmNames = [4]string{"", "FAT_BURN", "CARDIO", "PEAK"}

// pa is the path of a Physical Activity_GoogleData family file.
func (g *gen) pa(family, name string) string {
	p := g.base + "Physical Activity_GoogleData/"
	if g.o.GoogleHealth {
		p += family + "/"
	}
	return p + name
}

func utcDay(t time.Time) string   { return t.UTC().Format(time.DateOnly) }
func utcMonth(t time.Time) string { return t.UTC().Format("2006-01") + "-01" }
func zulu(t time.Time) string     { return t.UTC().Format("2006-01-02T15:04:05Z") }

func offset(t time.Time) string { return t.Format("-07:00") }

func (g *gen) build() error {
	ctx := context.Background()
	o := g.o
	n := o.From.DaysUntil(o.To) + 1
	series, err := g.p.DailySeries(ctx, o.From, o.To)
	if err != nil {
		return err
	}
	js, cs := &g.js, &g.cs
	exLogs := 0
	var exercises bytes.Buffer
	exPage := func() {
		if exercises.Len() > 0 {
			exercises.WriteString("]\n")
			g.add(fmt.Sprintf("%sexercise-%d.json", g.dir, (exLogs-1)/100*100), append([]byte(nil), exercises.Bytes()...))
			exercises.Reset()
		}
	}
	takeout := o.Layout == GoogleTakeout
	gd := o.GoogleData && takeout
	sleepID := int64(7_000_000_000_000_000_000)

	for i := range n {
		d := o.From.AddDays(i)
		chunk := g.chunkStart(d).String() + ".json"
		csvOnly := g.csvOnly(d)
		sum, err := g.p.DaySummary(ctx, d)
		if err != nil {
			return err
		}
		in, err := g.p.Intraday(ctx, d)
		if err != nil {
			return err
		}
		midnight := usTime(d.In(g.wear))
		hrName := g.dir + "heart_rate-" + d.String() + ".json"
		stepsName, distName, calName, altName := g.dir+"steps-"+chunk, g.dir+"distance-"+chunk, g.dir+"calories-"+chunk, g.dir+"altitude-"+chunk
		g.or.HasFloors = g.or.HasFloors || sum.HasFloors
		civil := g.day(d)

		// Heart rate: one file a local day, stamped in the file clock.
		var last time.Time
		var zoneSecs [4]float64
		azm := map[time.Time]int{} // minute -> zone reached
		for k, s := range in.HeartRate.Samples {
			if k%o.HREvery != 0 {
				continue
			}
			t := g.worn(s.Time)
			if !t.After(last) { // a daylight-saving gap folded two wall times into one
				continue
			}
			last = t
			bpm := int(math.Round(s.Value))
			z := zoneOf(bpm)
			zoneSecs[z] += float64(o.HREvery)
			if z > 0 {
				m := t.Truncate(time.Minute)
				azm[m] = max(azm[m], z)
			}
			rt := g.sample(t)
			if !csvOnly {
				b := js.item(hrName)
				b.WriteString(`{"dateTime":"`)
				b.Write(g.stamp(t))
				b.WriteString(`","value":{"bpm":`)
				b.WriteString(strconv.Itoa(bpm))
				b.WriteString(`,"confidence":`)
				b.WriteString(strconv.Itoa(k / o.HREvery % 4))
				b.WriteString("}}")
			} else {
				rt = g.exact(t)
			}
			if gd {
				cs.row(g.pa("Heart Rate", "heart_rate_"+utcDay(t)+".csv"), "timestamp,beats per minute,data source", "%s,%d.0,Charge 6", zulu(t), bpm)
				g.or.CSVRows++
				if !csvOnly {
					g.or.Duplicates++
				}
			}
			x := g.day(providers.DateOf(rt))
			x.HRSamples++
			x.LastHR = providers.Sample{Time: rt, Value: float64(bpm)}
		}
		// Time in heart-rate zones: one file a day, minutes as numbers.
		zb := js.item(g.dir + "time_in_heart_rate_zones-" + d.String() + ".json")
		keys := [4]string{"hr_zone_below_minutes", "hr_zone_fat_burn_minutes", "hr_zone_cardio_minutes", "hr_zone_peak_minutes"}
		var zm [4]float64
		for z := range zm {
			zm[z] = math.Round(zoneSecs[z]/60*10) / 10
			civil.metric(keys[z], zm[z])
		}
		fmt.Fprintf(zb, `{"dateTime":"%s","value":{"valuesInZones":{"BELOW_DEFAULT_ZONE_1":%s,"IN_DEFAULT_ZONE_1":%s,"IN_DEFAULT_ZONE_2":%s,"IN_DEFAULT_ZONE_3":%s}}}`,
			midnight, num1(zm[0]), num1(zm[1]), num1(zm[2]), num1(zm[3]))
		// Active zone minutes, per minute: the AZM folder (local, no zone)
		// and its Google data copy (UTC).
		if takeout {
			mins := make([]time.Time, 0, len(azm))
			for m := range azm {
				mins = append(mins, m)
			}
			sort.Slice(mins, func(a, b int) bool { return mins[a].Before(mins[b]) })
			for _, m := range mins {
				z := azm[m]
				credit := min(z, 2) // fat burn earns 1 a minute, cardio and peak 2
				if !csvOnly {
					cs.row(g.base+"Active Zone Minutes (AZM)/Active Zone Minutes - "+m.In(g.wear).Format("2006-01")+"-01.csv",
						"date_time,heart_zone_id,total_minutes", "%s,%s,%d", m.In(g.wear).Format("2006-01-02T15:04"), azmNames[z], credit)
				}
				if gd {
					cs.row(g.pa("Active Zone Minutes", "active_zone_minutes_"+utcMonth(m)+".csv"), "timestamp,heart rate zone,total minutes,data source",
						"%s,%s,%d,Charge 6", zulu(m), azmNames[z], credit)
					if !csvOnly {
						g.or.Duplicates++
					}
				}
			}
			for _, m := range mins {
				x, at := civil, g.wall(m) // the AZM folder: local wall clock, so the civil day
				if csvOnly {
					at = g.exact(m) // only the UTC copy
					x = g.day(providers.DateOf(at))
				}
				x.ZoneMinutes = append(x.ZoneMinutes, providers.ZoneMinute{Start: at, Length: time.Minute,
					Zone: providers.HeartZone(azm[m]), Earned: min(azm[m], 2)})
				credit := float64(min(azm[m], 2))
				for _, k := range []string{"azm_fat_burn", "azm_cardio", "azm_peak"} {
					x.metric(k, x.Metrics[k])
				}
				k := "azm_" + strings.ToLower(azmNames[azm[m]])
				x.metric(k, x.Metrics[k]+credit)
				x.metric("azm_total", x.Metrics["azm_total"]+credit)
			}
		}

		// Steps, distance (centimetres), calories and altitude (feet) per
		// minute, values as strings, in ~30-day files.
		kmPerStep := 0.0
		if sum.Steps > 0 {
			kmPerStep = sum.DistanceKm / float64(sum.Steps)
		}
		floorAt := floorMinutes(in.Steps.Samples, sum.Floors)
		kcal := 0.0
		if len(in.Steps.Samples) > 0 {
			kcal = math.Round(float64(sum.Calories)/float64(len(in.Steps.Samples))*1e4) / 1e4
		}
		last = time.Time{}
		for mi, s := range in.Steps.Samples {
			t := g.worn(s.Time)
			if !t.After(last) {
				continue
			}
			last = t
			st := int(s.Value)
			cm := math.Round(float64(st) * kmPerStep * 1e5)
			floor := floorAt[mi]
			rt := g.sample(t)
			if !csvOnly {
				stamp := g.stamp(t)
				fmt.Fprintf(js.item(stepsName), `{"dateTime":"%s","value":"%d"}`, stamp, st)
				fmt.Fprintf(js.item(distName), `{"dateTime":"%s","value":"%s"}`, stamp, strconv.FormatFloat(cm, 'f', -1, 64))
				fmt.Fprintf(js.item(calName), `{"dateTime":"%s","value":"%s"}`, stamp, strconv.FormatFloat(kcal, 'f', -1, 64))
				if floor {
					fmt.Fprintf(js.item(altName), `{"dateTime":"%s","value":"10"}`, stamp)
				}
			} else {
				rt = g.exact(t)
			}
			if gd {
				month := utcMonth(t)
				cs.row(g.pa("Steps", "steps_"+month+".csv"), "timestamp,steps,data source", "%s,%d,Charge 6", zulu(t), st)
				cs.row(g.pa("Distance", "distance_"+month+".csv"), "timestamp,distance,data source", "%s,%.2f,Charge 6", zulu(t), cm/100)
				cs.row(g.pa("Calories", "calories_"+month+".csv"), "timestamp,calories,data source", "%s,%s,Charge 6", zulu(t), strconv.FormatFloat(kcal, 'f', -1, 64))
				rows := 3
				if floor { // header assumed: no checked file showed it
					cs.row(g.pa("Floors", "floors_"+month+".csv"), "timestamp,floors,data source", "%s,1,Charge 6", zulu(t))
					rows++
				}
				g.or.CSVRows++ // the steps row
				if !csvOnly {
					g.or.Duplicates += rows
				}
			}
			x := g.day(providers.DateOf(rt))
			x.StepMinutes++
			x.Steps += st
			x.DistanceKm += cm / 1e5
			x.Calories += kcal
			if floor {
				x.Floors++
			}
		}
		g.exercises(d, in, &exercises, &exLogs, exPage)

		// Active minutes: daily, civil dates, values as strings.
		v := sum.ActiveMinutes / 3
		for _, lv := range []struct {
			name string
			n    int
		}{{"very_active_minutes-", v}, {"moderately_active_minutes-", sum.ActiveMinutes - v}, {"lightly_active_minutes-", 180}, {"sedentary_minutes-", 1440 - 180 - sum.ActiveMinutes}} {
			fmt.Fprintf(js.item(g.dir+lv.name+chunk), `{"dateTime":"%s","value":"%d"}`, midnight, lv.n)
		}
		civil.ActiveMinutes = sum.ActiveMinutes

		// Resting heart rate: written with the year's file below; every
		// 7th day is "no data". The Google data copy is a date as written.
		if i%7 != 6 && sum.RestingHeartRate > 0 {
			civil.RestingHR = sum.RestingHeartRate
			if gd {
				cs.row(g.pa("Daily Resting Heart Rate", "daily_resting_heart_rate.csv"), "timestamp,beats per minute,data source",
					"%sT00:00:00Z,%d.382,Fitbit App", d, sum.RestingHeartRate)
				if !csvOnly {
					g.or.Duplicates++
				}
			}
		}
		// VO2 max: daily, civil.
		vo2 := 38 + float64(i%10)/10
		fmt.Fprintf(js.item(g.dir+"demographic_vo2_max-"+fmt.Sprint(d.Year)+"-01-01.json"),
			`{"dateTime":"%s","value":{"demographicVO2Max":%s,"demographicVO2MaxError":3.1,"filteredDemographicVO2Max":%s,"filteredDemographicVO2MaxError":2.2}}`,
			midnight, strconv.FormatFloat(vo2+0.35, 'f', -1, 64), strconv.FormatFloat(vo2, 'f', -1, 64))
		civil.metric("vo2_max", vo2)
		civil.metric("vo2_max_error", 2.2)
		if gd {
			g.dailyCSVs(d, i, civil)
		}

		// Sleep: local times, mainSleep, levels with shortData and summary.
		sleeps, err := g.p.Sleep(ctx, d, d)
		if err != nil {
			return err
		}
		for k, s := range sleeps {
			sleepID++
			g.sleep(chunk, int64(1e10)+int64(i)*10+int64(k), sleepID, s, csvOnly, gd)
		}

		// Weight: numbers, in the account's unit, local date and time.
		if kg := series[i].WeightKg; kg > 0 {
			g.weight(chunk, d, kg, csvOnly, gd)
		}
	}
	exPage()
	g.resting()
	js.item(g.dir + "height-" + o.From.String() + ".json").WriteString(fmt.Sprintf(`{"dateTime":"%s","value":"%d"}`, usTime(o.From.In(g.wear)), HeightMM))
	js.flush(g)
	cs.flush(g)
	g.add(g.dir+"README.txt", []byte("not data\n"))
	if takeout {
		// Families fittui leaves out, in their real shapes.
		g.add(g.dir+"estimated_oxygen_variation-"+o.From.String()+".csv", []byte("timestamp,Infrared to Red Signal Ratio\n"+string(usTime(o.From.In(g.wear)))+",0.62\n"))
		g.add(g.dir+"swim_lengths_data-"+o.From.String()+".json", []byte("[]\n"))
		g.add(g.base+"Stress Score/Stress Score.csv", []byte("DATE,UPDATED_AT,STRESS_SCORE,SLEEP_POINTS,MAX_SLEEP_POINTS,RESPONSIVENESS_POINTS,MAX_RESPONSIVENESS_POINTS,EXERTION_POINTS,MAX_EXERTION_POINTS,STATUS,CALCULATION_FAILED\n"))
		g.or.Ignored += 3
	}
	g.or.Ignored++ // README.txt
	return nil
}

func num1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// floorMinutes spreads a day's floors over its walking minutes.
func floorMinutes(steps []providers.Sample, floors int) map[int]bool {
	var walk []int
	for i, s := range steps {
		if s.Value >= 60 {
			walk = append(walk, i)
		}
	}
	out := map[int]bool{}
	if floors <= 0 || len(walk) == 0 {
		return out
	}
	for k := range min(floors, len(walk)) {
		out[walk[k*len(walk)/min(floors, len(walk))]] = true
	}
	return out
}

// dailyCSVs writes the day's HRV, respiratory rate and SpO2 summaries
// (Takeout only): ISO times without a zone for HRV, with a Z for SpO2;
// either way the date as written is the day.
func (g *gen) dailyCSVs(d providers.Date, i int, x *Day) {
	rmssd, nrem, ent := 30+float64(i%9), 55+float64(i%5), 2.1+float64(i%3)/10
	day := d.String()
	if i%2 == 1 { // some real names put the day in parentheses
		day = fmt.Sprintf("%04d-%02d-(%02d)", d.Year, d.Month, d.Day)
	}
	g.add(g.base+"Heart Rate Variability/Daily Heart Rate Variability Summary - "+day+".csv",
		[]byte(fmt.Sprintf("timestamp,rmssd,nremhr,entropy\n%sT00:00:00,%s,%s,%s\n", d, num1(rmssd), num1(nrem), num1(ent))))
	x.metric("hrv_rmssd_ms", rmssd)
	x.metric("hrv_nrem_hr", nrem)
	x.metric("hrv_entropy", ent)
	// The night's readings: every five minutes of sleep, local times
	// without a zone (none in an hour repeated when clocks go back: a
	// reader could not place it).
	if hi, err := g.p.HealthIntraday(context.Background(), d); err == nil && len(hi.HRV.Samples) > 0 {
		var b strings.Builder
		b.WriteString("timestamp,rmssd,coverage,low_frequency,high_frequency\n")
		for k, s := range hi.HRV.Samples {
			t := g.worn(s.Time)
			if repeated(t) {
				continue
			}
			fmt.Fprintf(&b, "%s,%s,%s,%s,%s\n", t.Format("2006-01-02T15:04:05"), strconv.FormatFloat(s.Value, 'f', -1, 64),
				num1(0.9+float64(k%10)/100), num1(400+float64(k%7)*10), num1(250+float64(k%5)*10))
			at := g.wall(t)
			n := g.day(providers.DateOf(at.Add(6 * time.Hour)))
			n.HRV = append(n.HRV, providers.Sample{Time: at, Value: s.Value})
		}
		g.add(g.base+"Heart Rate Variability/Heart Rate Variability Details - "+d.String()+".csv", []byte(b.String()))
	}
	rr := 14 + float64(i%4)/2
	g.add(g.base+"Heart Rate Variability/Daily Respiratory Rate Summary - "+d.String()+".csv",
		[]byte(fmt.Sprintf("timestamp,daily_respiratory_rate\n%sT00:00:00,%s\n", d, num1(rr))))
	x.metric("respiratory_rate", rr)
	avg := 95 + float64(i%3)/2
	g.spo2 = append(g.spo2, fmt.Sprintf("%sT00:00:00Z,%s,%s,%s", d, num1(avg), num1(avg-2), num1(avg+1.5)))
	x.metric("spo2_avg_pct", avg)
	x.metric("spo2_lower_pct", avg-2)
	x.metric("spo2_upper_pct", avg+1.5)
}

// resting writes one resting-heart-rate file per calendar year touched,
// a record for every day of the year: "no data" where there is none.
func (g *gen) resting() {
	o, js := g.o, &g.js
	for y := o.From.Year; y <= o.To.Year; y++ {
		name := fmt.Sprintf("%sresting_heart_rate-%04d-01-01.json", g.dir, y)
		for d := (providers.Date{Year: y, Month: time.January, Day: 1}); d.Year == y; d = d.AddDays(1) {
			b := js.item(name)
			mid := usTime(d.In(g.wear))
			if x := g.or.Days[d]; x != nil && x.RestingHR > 0 && !g.csvOnly(d) && !d.Before(o.From) && !d.After(o.To) {
				fmt.Fprintf(b, `{"dateTime":"%s","value":{"date":"%s","value":%d.382,"error":6.5}}`, mid, mid[:8], x.RestingHR)
				continue
			}
			fmt.Fprintf(b, `{"dateTime":"%s","value":{"date":null,"value":0.0,"error":0.0}}`, mid)
		}
	}
	if len(g.spo2) > 0 {
		g.add(fmt.Sprintf("%sOxygen Saturation (SpO2)/Daily SpO2 - %s-%s.csv", g.base, o.From, o.To),
			[]byte("timestamp,average_value,lower_bound,upper_bound\n"+strings.Join(g.spo2, "\n")+"\n"))
	}
}

// weight writes a weigh-in at 07:38:14 local: the JSON log (pounds or
// kilograms, with bmi from HeightMM) and, with the Google data, its copy
// in grams at the UTC instant.
func (g *gen) weight(chunk string, d providers.Date, kg float64, csvOnly, gd bool) {
	t := time.Date(d.Year, d.Month, d.Day, 7, 38, 14, 0, g.wear)
	pounds := g.o.Pounds || g.o.Imperial
	raw := math.Round(kg*10) / 10
	if pounds {
		raw = math.Round(kg/0.45359237*10) / 10
	}
	js, cs := &g.js, &g.cs
	h := float64(HeightMM) / 1000
	bmi := math.Round(kg/(h*h)*100) / 100
	if !csvOnly {
		mid := usTime(t)
		// The scale's body fat, when it measured one: an optional "fat".
		fat := ""
		if h, err := g.p.Health(context.Background(), d, d); err == nil && h[0].BodyFatPct != nil {
			fat = `,"fat":` + strconv.FormatFloat(*h[0].BodyFatPct, 'f', -1, 64)
			g.day(providers.DateOf(g.wall(t))).FatPct = *h[0].BodyFatPct
		}
		fmt.Fprintf(js.item(g.dir+"weight-"+chunk), `{"logId":%d,"weight":%s,"bmi":%s%s,"date":"%s","time":"07:38:14","source":"Aria"}`,
			t.UnixMilli(), strconv.FormatFloat(raw, 'f', -1, 64), strconv.FormatFloat(bmi, 'f', -1, 64), fat, mid[:8])
		x := g.day(providers.DateOf(g.wall(t)))
		x.WeightRaw = raw
		x.WeightKg = raw
		if pounds {
			x.WeightKg = raw * 0.45359237
		}
	}
	if gd {
		grams := math.Round(kg * 1000)
		name := "weight_" + utcMonth(t) + ".csv"
		if g.o.GoogleHealth {
			name = "weight.csv"
		}
		cs.row(g.pa("Weight", name), "timestamp,weight grams,data source", "%s,%s,Aria", zulu(t), strconv.FormatFloat(grams, 'f', -1, 64))
		if !csvOnly {
			g.or.Duplicates++
		} else {
			x := g.day(providers.DateOf(g.exact(t)))
			x.WeightKg = grams / 1000
			x.WeightRaw = grams
		}
	}
}

// exercises writes the day's walks and runs (10 minutes or more at 90
// steps a minute or faster) as exercise logs, 100 to a file, start times
// in the per-sample clock.
func (g *gen) exercises(d providers.Date, in providers.Intraday, b *bytes.Buffer, n *int, page func()) {
	steps := in.Steps.Samples
	var worn []time.Time // the heart rate's wear-zone times, made once a day
	var sorted bool
	for i := 0; i < len(steps); {
		if steps[i].Value < 90 {
			i++
			continue
		}
		j := i
		total := 0
		for j < len(steps) && steps[j].Value >= 90 {
			total += int(steps[j].Value)
			j++
		}
		if j-i < 10 {
			i = j
			continue
		}
		start := g.worn(steps[i].Time)
		end := start.Add(time.Duration(j-i) * time.Minute)
		if worn == nil {
			worn = make([]time.Time, len(in.HeartRate.Samples))
			for k, s := range in.HeartRate.Samples {
				worn[k] = g.worn(s.Time)
			}
			sorted = slices.IsSortedFunc(worn, time.Time.Compare)
		}
		// The readings in [start, end): found by halving while the
		// wear-zone times are in order (a daylight-saving fold is not).
		lo, hi := 0, len(worn)
		if sorted {
			lo, _ = slices.BinarySearchFunc(worn, start, time.Time.Compare)
			hi, _ = slices.BinarySearchFunc(worn, end, time.Time.Compare)
		}
		var hr, cnt float64
		for k := lo; k < hi; k++ {
			if t := worn[k]; !t.Before(start) && t.Before(end) {
				hr += in.HeartRate.Samples[k].Value
				cnt++
			}
		}
		avg := 0
		if cnt > 0 {
			avg = int(math.Round(hr / cnt))
		}
		name, typ := "Walk", 90013
		if total/(j-i) >= 140 {
			name, typ = "Run", 90009
		}
		if *n%100 == 0 {
			page()
			b.WriteString("[")
		} else {
			b.WriteString(",\n")
		}
		*n++
		id := int64(2e10) + int64(*n)
		dur := time.Duration(j-i) * time.Minute
		cal := (j - i) * 7
		fmt.Fprintf(b, `{"logId":%d,"activityName":%q,"activityTypeId":%d,"activityLevel":[{"minutes":0,"name":"sedentary"},{"minutes":%d,"name":"lightly"},{"minutes":0,"name":"fairly"},{"minutes":0,"name":"very"}],"averageHeartRate":%d,"calories":%d,"duration":%d,"activeDuration":%d,"steps":%d,"logType":"auto_detected","lastModified":"%s","startTime":"%s","originalStartTime":"%s","originalDuration":%d,"elevationGain":0.0,"hasGps":false,"shouldFetchDetails":false,"hasActiveZoneMinutes":false}`,
			id, name, typ, j-i, avg, cal, dur.Milliseconds(), dur.Milliseconds(), total, g.stamp(end), g.stamp(start), g.stamp(start), dur.Milliseconds())
		rs := g.sample(start)
		g.or.Exercises = append(g.or.Exercises, Exercise{LogID: id, Name: name, Start: rs, Duration: dur, Steps: total, Calories: cal, AvgHR: avg})
		g.day(providers.DateOf(rs)).Exercises++
		if name == "Run" {
			fmt.Fprintf(g.js.item(fmt.Sprintf("%srun_vo2_max-%04d-01-01.json", g.dir, d.Year)), `{"dateTime":"%s","value":{"exerciseId":%d,"runVO2Max":47.42,"runVO2MaxError":2.5,"filteredRunVO2Max":47.1,"filteredRunVO2MaxError":1.9}}`, usTime(d.In(g.wear)), id)
			g.day(d).metric("run_vo2_max", 47.1)
			g.day(d).metric("run_vo2_max_error", 1.9)
		}
		i = j
	}
}
