package fitbittest

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// Maximum days per request, as the real API (reference §1.6).
const (
	maxActivityDays = 1095
	maxHeartDays    = 365
	maxSleepDays    = 100
	maxWeightDays   = 31
	maxFatDays      = 30
)

// HeightM is the served person's height, for BMI.
const HeightM = 1.78

// Big ids beyond 2^53 (real activity log ids are about 6.4e18): a client
// that decodes them through float64 gets them wrong.
const (
	sleepIDBase  uint64 = 6389969899346115001
	weightIDBase uint64 = 7389969899346117003
	fatIDBase    uint64 = 8389969899346119005
	activityID   uint64 = 6389969899346115321
)

func dayNumber(d providers.Date) uint64 {
	return uint64(providers.Date{Year: 2000, Month: 1, Day: 1}.DaysUntil(d)+100000) * 7
}

// SleepLogID is the logId of the k-th sleep (0: main) on d.
func SleepLogID(d providers.Date, k int) string {
	return strconv.FormatUint(sleepIDBase+dayNumber(d)+uint64(k), 10)
}

// WeightLogID is the logId of d's weigh-in.
func WeightLogID(d providers.Date) string {
	return strconv.FormatUint(weightIDBase+dayNumber(d), 10)
}

// FatLogID is the logId of d's body-fat measurement.
func FatLogID(d providers.Date) string {
	return strconv.FormatUint(fatIDBase+dayNumber(d), 10)
}

// BodyFat is the body-fat percentage served for a weigh-in on d.
func BodyFat(d providers.Date) float64 {
	return 18 + float64(dayNumber(d)%37)/10
}

// WeighInTime is the local time of day of every weigh-in.
const WeighInTime = "06:52:10"

// DeviceID is the Fitbit id served for a demo device.
func DeviceID(demoID string) string {
	return strconv.FormatUint(fnv64(demoID)%1e10, 10)
}

func fnv64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// local formats t as Fitbit's floating local time in loc.
func local(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02T15:04:05.000")
}

// date reads a path date: YYYY-MM-DD or "today" (in the account's zone).
func (s *Server) date(v string) (providers.Date, bool) {
	if v == "today" {
		return providers.DateOf(s.Data.Now().In(s.Data.Loc)), true
	}
	d, err := providers.ParseDate(v)
	return d, err == nil
}

// span reads a start/end pair and checks the API's limit.
func (s *Server) span(w http.ResponseWriter, a, b string, maxDays int) (from, to providers.Date, ok bool) {
	from, ok1 := s.date(a)
	to, ok2 := s.date(b)
	switch {
	case !ok1 || !ok2:
		badRequest(w, "date", "Invalid date: use yyyy-MM-dd or today.")
		return from, to, false
	case to.Before(from):
		badRequest(w, "endDate", "Invalid date range: the end date is before the start date.")
		return from, to, false
	case from.DaysUntil(to)+1 > maxDays:
		badRequest(w, "endDate", fmt.Sprintf("Invalid date range: the maximum range is %d days.", maxDays))
		return from, to, false
	}
	return from, to, true
}

// route answers a GET: the JSON value and 200, or writes an error and
// returns its status.
func (s *Server) route(w http.ResponseWriter, r *http.Request) (any, int) {
	seg := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	last := len(seg) - 1
	if !strings.HasSuffix(seg[last], ".json") || len(seg) < 4 || seg[1] != "user" {
		return notFound(w)
	}
	seg[last] = strings.TrimSuffix(seg[last], ".json")
	if seg[2] != "-" && seg[2] != EncodedUserID {
		writeErrors(w, http.StatusForbidden, "insufficient_permissions", "", "You do not have access to this user's data.")
		return nil, http.StatusForbidden
	}
	ctx := r.Context()
	v, rest := seg[0], seg[3:]
	switch {
	case v == "1" && len(rest) == 1 && rest[0] == "profile":
		return s.profile(), http.StatusOK
	case v == "1" && len(rest) == 1 && rest[0] == "devices":
		return s.devices(ctx), http.StatusOK
	case v == "1" && len(rest) == 3 && rest[0] == "activities" && rest[1] == "date":
		d, ok := s.date(rest[2])
		if !ok {
			return badRequest(w, "date", "Invalid date: use yyyy-MM-dd or today.")
		}
		return s.summary(ctx, d), http.StatusOK
	case v == "1" && len(rest) == 6 && rest[0] == "activities" && rest[2] == "date" && rest[4] == "1d":
		return s.intraday(ctx, w, rest[1], rest[3], rest[5])
	case v == "1" && len(rest) == 5 && rest[0] == "activities" && rest[2] == "date":
		switch rest[1] {
		case "steps":
			from, to, ok := s.span(w, rest[3], rest[4], maxActivityDays)
			if !ok {
				return nil, http.StatusBadRequest
			}
			return s.stepsSeries(ctx, from, to), http.StatusOK
		case "heart":
			from, to, ok := s.span(w, rest[3], rest[4], maxHeartDays)
			if !ok {
				return nil, http.StatusBadRequest
			}
			return s.heartSeries(ctx, from, to), http.StatusOK
		}
	case v == "1.2" && (len(rest) == 3 || len(rest) == 4) && rest[0] == "sleep" && rest[1] == "date":
		end := rest[len(rest)-1]
		from, to, ok := s.span(w, rest[2], end, maxSleepDays)
		if !ok {
			return nil, http.StatusBadRequest
		}
		return s.sleep(ctx, from, to), http.StatusOK
	case v == "1" && (len(rest) == 5 || len(rest) == 6) && rest[0] == "body" && rest[1] == "log" && rest[3] == "date":
		end := rest[len(rest)-1]
		switch rest[2] {
		case "weight":
			from, to, ok := s.span(w, rest[4], end, maxWeightDays)
			if !ok {
				return nil, http.StatusBadRequest
			}
			return s.weight(ctx, from, to), http.StatusOK
		case "fat":
			from, to, ok := s.span(w, rest[4], end, maxFatDays)
			if !ok {
				return nil, http.StatusBadRequest
			}
			return s.fat(ctx, from, to), http.StatusOK
		}
	}
	return notFound(w)
}

func notFound(w http.ResponseWriter) (any, int) {
	writeErrors(w, http.StatusNotFound, "not_found", "", "The API you are requesting could not be found.")
	return nil, http.StatusNotFound
}

func (s *Server) profile() any {
	prof := s.Data.Profile(context.Background())
	_, off := s.Data.Now().In(s.Data.Loc).Zone()
	return map[string]any{"user": map[string]any{
		"encodedId": EncodedUserID, "displayName": prof.DisplayName, "fullName": prof.DisplayName,
		"firstName": strings.Fields(prof.DisplayName)[0], "gender": "NA", "dateOfBirth": "1990-01-01", "age": 36,
		"height": HeightM * 100, "heightUnit": "METRIC", "weightUnit": "METRIC", "distanceUnit": "METRIC",
		"glucoseUnit": "METRIC", "waterUnit": "METRIC", "swimUnit": "METRIC", "temperatureUnit": "METRIC",
		"locale": "en_US", "languageLocale": "en_US", "startDayOfWeek": "MONDAY",
		"timezone": s.Data.Loc.String(), "offsetFromUTCMillis": off * 1000,
		"memberSince": "2019-04-01", "averageDailySteps": 8000,
		"strideLengthWalking": 72.1, "strideLengthRunning": 101.3,
		"avatar":                 "https://static0.fitbit.com/images/profile/defaultProfile_100.png",
		"clockTimeDisplayFormat": "24hour", "features": map[string]any{"exerciseGoal": true},
	}}
}

func batteryWord(pct int) string {
	switch {
	case pct > 60:
		return "High"
	case pct > 25:
		return "Medium"
	case pct > 0:
		return "Low"
	}
	return "Empty"
}

func (s *Server) devices(ctx context.Context) any {
	prof := s.Data.Profile(ctx)
	out := []any{}
	for _, d := range prof.Devices {
		typ := "TRACKER"
		if d.Kind == "scale" {
			typ = "SCALE"
		}
		dev := map[string]any{
			"deviceVersion": d.Name, "features": []any{}, "id": DeviceID(d.ID),
			"mac": strings.ToUpper(strconv.FormatUint(fnv64(d.ID)%(1<<48), 16)), "type": typ, "battery": d.BatteryLevel,
		}
		if d.BatteryPercent >= 0 {
			dev["batteryLevel"] = d.BatteryPercent
			dev["battery"] = batteryWord(d.BatteryPercent)
		}
		if !d.LastSync.IsZero() {
			dev["lastSyncTime"] = local(d.LastSync, s.Data.Loc)
		}
		out = append(out, dev)
	}
	return out
}

var zones = []map[string]any{
	{"name": "Out of Range", "min": 30, "max": 96, "minutes": 1210, "caloriesOut": 1460.5},
	{"name": "Fat Burn", "min": 96, "max": 134, "minutes": 190, "caloriesOut": 870.25},
	{"name": "Cardio", "min": 134, "max": 163, "minutes": 9, "caloriesOut": 70.5},
	{"name": "Peak", "min": 163, "max": 220, "minutes": 0, "caloriesOut": 0},
}

func (s *Server) summary(ctx context.Context, d providers.Date) any {
	sum := s.Data.Summary(ctx, d)
	very := sum.ActiveMinutes / 3
	fairly := sum.ActiveMinutes - very
	summary := map[string]any{
		"activeScore": -1, "activityCalories": max(0, sum.Calories-1600), "caloriesBMR": 1600,
		"caloriesOut": sum.Calories, "caloriesOutUnestimated": sum.Calories, "caloriesEstimationMu": 0,
		"marginalCalories": max(0, sum.Calories-1800),
		"distances": []any{
			map[string]any{"activity": "total", "distance": sum.DistanceKm},
			map[string]any{"activity": "tracker", "distance": sum.DistanceKm},
			map[string]any{"activity": "loggedActivities", "distance": 0},
			map[string]any{"activity": "veryActive", "distance": math.Round(sum.DistanceKm*30) / 100},
			map[string]any{"activity": "moderatelyActive", "distance": 0},
			map[string]any{"activity": "lightlyActive", "distance": math.Round(sum.DistanceKm*70) / 100},
			map[string]any{"activity": "sedentaryActive", "distance": 0},
		},
		"steps":                sum.Steps,
		"sedentaryMinutes":     600,
		"lightlyActiveMinutes": 200,
		"fairlyActiveMinutes":  fairly,
		"veryActiveMinutes":    very,
		"useEstimation":        true,
	}
	if sum.HasFloors {
		summary["floors"] = sum.Floors
		summary["elevation"] = float64(sum.Floors) * 3.05
	}
	if sum.RestingHeartRate > 0 {
		summary["restingHeartRate"] = sum.RestingHeartRate
		summary["heartRateZones"] = zones
	}
	goals := map[string]any{
		"activeMinutes": sum.Goals.ActiveMinutes, "caloriesOut": sum.Goals.Calories,
		"distance": sum.Goals.DistanceKm, "steps": sum.Goals.Steps,
	}
	if sum.HasFloors {
		goals["floors"] = sum.Goals.Floors
	}
	return map[string]any{
		"activities": []any{map[string]any{
			"activityId": 90013, "activityParentId": 90013, "activityParentName": "Walk", "name": "Walk",
			"description": "Walking less than 2 mph", "calories": 128, "distance": 3.36, "duration": 3600000,
			"steps": 5000, "hasActiveZoneMinutes": false, "hasStartTime": true, "isFavorite": false,
			"lastModified": d.In(time.UTC).Add(18 * time.Hour).Format("2006-01-02T15:04:05.000Z"),
			"logId":        activityID, "startDate": d.String(), "startTime": "09:00",
		}},
		"goals":   goals,
		"summary": summary,
	}
}

// buckets adds up a day's minutes into detail-long buckets from the day's
// start (by elapsed time, so DST days come out right): value(i) and
// count(i) are minute i's sum and number of readings. Buckets without
// readings are left out.
func buckets(start time.Time, minutes int, detail time.Duration, value func(i int) float64, count func(i int) int) (times []time.Time, sums []float64, counts []int) {
	per := int(detail / time.Minute)
	last := -1
	for i := range minutes {
		if count(i) == 0 {
			continue
		}
		if b := i / per; b != last {
			times = append(times, start.Add(time.Duration(b)*detail))
			sums = append(sums, 0)
			counts = append(counts, 0)
			last = b
		}
		sums[len(sums)-1] += value(i)
		counts[len(counts)-1] += count(i)
	}
	return times, sums, counts
}

// MeanHeartRate is how the fake reduces the demo's 1-second heart rate to
// minutes: the rounded mean (Fitbit's values are whole bpm).
func MeanHeartRate(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return math.Round(t / float64(len(v)))
}

func sum(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t
}

func (s *Server) intraday(ctx context.Context, w http.ResponseWriter, res, date, detail string) (any, int) {
	d, ok := s.date(date)
	if !ok {
		return badRequest(w, "date", "Invalid date: use yyyy-MM-dd or today.")
	}
	var step time.Duration
	switch detail {
	case "1sec":
		if res != "heart" {
			return badRequest(w, "detail-level", "Invalid detail level: use 1min, 5min or 15min.")
		}
		return s.seconds(ctx, w, d)
	case "1min":
		step = time.Minute
	case "5min":
		step = 5 * time.Minute
	case "15min":
		step = 15 * time.Minute
	default:
		return badRequest(w, "detail-level", "Invalid detail level: use 1sec, 1min, 5min or 15min.")
	}
	if res != "heart" && res != "steps" {
		return notFound(w)
	}
	s.mu.Lock()
	denied, omit := s.intradayDenied, s.omitIntraday
	s.mu.Unlock()
	if denied {
		writeErrors(w, http.StatusForbidden, "insufficient_permissions", "",
			"Intraday time series data is not available for this application. Personal apps or approved apps only.")
		return nil, http.StatusForbidden
	}
	// Minutes, not seconds: a minute's heart rate is the sum of its
	// 1-second readings, so the means come out as from the seconds.
	m := s.Data.Minutes(ctx, d)
	var times []time.Time
	var vals []float64
	var top map[string]any
	if res == "heart" {
		var sums []float64
		var counts []int
		times, sums, counts = buckets(m.Start, len(m.HeartSum), step,
			func(i int) float64 { return float64(m.HeartSum[i]) }, m.HeartCount)
		vals = make([]float64, len(sums))
		for i := range sums {
			vals[i] = math.Round(sums[i] / float64(counts[i])) // MeanHeartRate of the bucket's readings
		}
		mean := 0.0
		if len(vals) > 0 {
			mean = math.Round(sum(vals)/float64(len(vals))*100) / 100
		}
		top = map[string]any{"customHeartRateZones": []any{}, "dateTime": d.String(),
			"heartRateZones": zones, "value": strconv.FormatFloat(mean, 'f', -1, 64)}
	} else {
		times, vals, _ = buckets(m.Start, len(m.Steps), step,
			func(i int) float64 { return float64(m.Steps[i]) }, func(int) int { return 1 })
		top = map[string]any{"dateTime": d.String(), "value": strconv.Itoa(int(sum(vals)))}
	}
	dataset := make([]any, len(times))
	for i := range times {
		dataset[i] = map[string]any{"time": times[i].In(s.Data.Loc).Format("15:04:05"), "value": int(vals[i])}
	}
	out := map[string]any{"activities-" + res: []any{top}}
	if !omit {
		out["activities-"+res+"-intraday"] = map[string]any{
			"dataset": dataset, "datasetInterval": int(step / time.Minute), "datasetType": "minute"}
	}
	return out, http.StatusOK
}

// SecondHeartRate is the fake's 1sec heart rate from the demo's reading
// every second: like Fitbit's, not one a second but a reading every 5 to
// 15 seconds (the gap drawn from the sample's time), whole bpm.
func SecondHeartRate(readings []providers.Sample) []providers.Sample {
	var out []providers.Sample
	var next time.Time
	for _, r := range readings {
		if !next.IsZero() && r.Time.Before(next) {
			continue
		}
		out = append(out, providers.Sample{Time: r.Time, Value: math.Round(r.Value)})
		h := fnv.New32a()
		fmt.Fprint(h, r.Time.Unix())
		next = r.Time.Add(time.Duration(5+h.Sum32()%11) * time.Second)
	}
	return out
}

// seconds answers heart-rate intraday at 1sec detail.
func (s *Server) seconds(ctx context.Context, w http.ResponseWriter, d providers.Date) (any, int) {
	s.mu.Lock()
	denied, omit := s.intradayDenied || s.secondsDenied, s.omitIntraday
	s.mu.Unlock()
	if denied {
		writeErrors(w, http.StatusForbidden, "insufficient_permissions", "",
			"Intraday time series data is not available for this application. Personal apps or approved apps only.")
		return nil, http.StatusForbidden
	}
	ds := s.secondsOf(ctx, d)
	out := map[string]any{"activities-heart": []any{map[string]any{"customHeartRateZones": []any{}, "dateTime": d.String(),
		"heartRateZones": zones, "value": strconv.FormatFloat(ds.mean, 'f', -1, 64)}}}
	if !omit {
		out["activities-heart-intraday"] = map[string]any{"dataset": ds.points, "datasetInterval": 1, "datasetType": "second"}
	}
	return out, http.StatusOK
}

// secondPoint is one entry of a 1sec dataset.
type secondPoint struct {
	Time  string `json:"time"`
	Value int    `json:"value"`
}

// secondsDay is a day's 1sec dataset, kept while the day's readings are
// the same (a past day for good; today until the next reading).
type secondsDay struct {
	readings int
	points   []secondPoint
	mean     float64
}

func (s *Server) secondsOf(ctx context.Context, d providers.Date) *secondsDay {
	in, _ := s.Data.Demo.Intraday(ctx, d)
	s.mu.Lock()
	c := s.secondsMemo[d]
	s.mu.Unlock()
	if c != nil && c.readings == len(in.HeartRate.Samples) {
		return c
	}
	samples := SecondHeartRate(in.HeartRate.Samples)
	c = &secondsDay{readings: len(in.HeartRate.Samples), points: make([]secondPoint, len(samples))}
	var total float64
	for i, x := range samples {
		c.points[i] = secondPoint{x.Time.In(s.Data.Loc).Format("15:04:05"), int(x.Value)}
		total += x.Value
	}
	if len(samples) > 0 {
		c.mean = math.Round(total/float64(len(samples))*100) / 100
	}
	s.mu.Lock()
	if s.secondsMemo == nil {
		s.secondsMemo = map[providers.Date]*secondsDay{}
	}
	s.secondsMemo[d] = c
	s.mu.Unlock()
	return c
}

func (s *Server) stepsSeries(ctx context.Context, from, to providers.Date) any {
	days := s.Data.Daily(ctx, from, to)
	out := make([]any, len(days))
	for i, d := range days {
		out[i] = map[string]any{"dateTime": d.Date.String(), "value": strconv.Itoa(d.Steps)}
	}
	return map[string]any{"activities-steps": out}
}

func (s *Server) heartSeries(ctx context.Context, from, to providers.Date) any {
	days := s.Data.Daily(ctx, from, to)
	out := make([]any, len(days))
	for i, d := range days {
		v := map[string]any{"customHeartRateZones": []any{}, "heartRateZones": zones}
		if d.RestingHeartRate > 0 {
			v["restingHeartRate"] = d.RestingHeartRate
		}
		out[i] = map[string]any{"dateTime": d.Date.String(), "value": v}
	}
	return map[string]any{"activities-heart": out}
}

func (s *Server) sleep(ctx context.Context, from, to providers.Date) any {
	sessions := s.Data.Sleep(ctx, from, to)
	logs := make([]any, 0, len(sessions))
	k := map[providers.Date]int{}
	var totalAsleep, totalInBed int
	for _, ss := range sessions {
		typ := "stages"
		if ss.Classic {
			typ = "classic"
		}
		data := make([]any, len(ss.Segments))
		summary := map[string]any{}
		counts := map[providers.SleepStage][2]int{}
		for i, seg := range ss.Segments {
			data[i] = map[string]any{"dateTime": local(seg.Start, s.Data.Loc), "level": string(seg.Stage), "seconds": int(seg.Duration / time.Second)}
			c := counts[seg.Stage]
			counts[seg.Stage] = [2]int{c[0] + 1, c[1] + int(seg.Duration/time.Minute)}
		}
		stageNames := []providers.SleepStage{providers.StageDeep, providers.StageLight, providers.StageREM, providers.StageWake}
		if ss.Classic {
			stageNames = []providers.SleepStage{providers.StageAsleep, providers.StageRestless, providers.StageAwake}
		}
		for _, st := range stageNames {
			c := counts[st]
			e := map[string]any{"count": c[0], "minutes": c[1]}
			if !ss.Classic {
				e["thirtyDayAvgMinutes"] = c[1]
			}
			summary[string(st)] = e
		}
		inBed := int(ss.End.Sub(ss.Start) / time.Minute)
		asleep := int(ss.Asleep / time.Minute)
		totalAsleep += asleep
		totalInBed += inBed
		levels := map[string]any{"summary": summary, "data": data}
		if !ss.Classic {
			levels["shortData"] = []any{}
		}
		logs = append(logs, map[string]any{
			"dateOfSleep": ss.Date.String(), "logId": jsonNumber(SleepLogID(ss.Date, k[ss.Date])),
			"isMainSleep": ss.Main, "type": typ, "logType": "auto_detected", "infoCode": 0,
			"startTime": local(ss.Start, s.Data.Loc), "endTime": local(ss.End, s.Data.Loc),
			"duration": ss.End.Sub(ss.Start).Milliseconds(), "timeInBed": inBed,
			"efficiency": 100 * asleep / max(inBed, 1), "minutesAsleep": asleep, "minutesAwake": inBed - asleep,
			"minutesToFallAsleep": 0, "minutesAfterWakeup": 0, "levels": levels,
		})
		k[ss.Date]++
	}
	// Fitbit lists the newest sleep first.
	for i, j := 0, len(logs)-1; i < j; i, j = i+1, j-1 {
		logs[i], logs[j] = logs[j], logs[i]
	}
	return map[string]any{"sleep": logs, "summary": map[string]any{
		"totalMinutesAsleep": totalAsleep, "totalSleepRecords": len(logs), "totalTimeInBed": totalInBed}}
}

func (s *Server) weight(ctx context.Context, from, to providers.Date) any {
	days := s.Data.Daily(ctx, from, to)
	out := []any{}
	for _, d := range days {
		if d.WeightKg <= 0 {
			continue
		}
		out = append(out, map[string]any{
			"bmi": math.Round(d.WeightKg/(HeightM*HeightM)*100) / 100, "date": d.Date.String(),
			"fat": BodyFat(d.Date), "logId": jsonNumber(WeightLogID(d.Date)), "source": "Aria",
			"time": WeighInTime, "weight": d.WeightKg,
		})
	}
	return map[string]any{"weight": out}
}

func (s *Server) fat(ctx context.Context, from, to providers.Date) any {
	days := s.Data.Daily(ctx, from, to)
	out := []any{}
	for _, d := range days {
		if d.WeightKg <= 0 {
			continue
		}
		out = append(out, map[string]any{"date": d.Date.String(), "fat": BodyFat(d.Date),
			"logId": jsonNumber(FatLogID(d.Date)), "source": "Aria", "time": WeighInTime})
	}
	return map[string]any{"fat": out}
}

// jsonNumber is written by encoding/json as its digits.
type jsonNumber = json.Number
