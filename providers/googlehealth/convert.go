package googlehealth

// Converters from wire points to the domain model. Every instant keeps the
// UTC offset the device recorded (or the account's zone when the API sends
// bare UTC, as rollups do); missing required fields are errors, omitted
// values are zeros.

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/fittui/fittui/providers"
)

// local returns utc as local time: in loc when loc has offset off at that
// instant (or off is unknown), else in a fixed zone of off, so a sample
// recorded while travelling keeps the offset it was recorded in.
func local(utc time.Time, off *wireDuration, loc *time.Location) time.Time {
	t := utc.In(loc)
	if off == nil {
		return t
	}
	o := int(time.Duration(*off) / time.Second)
	if _, lo := t.Zone(); lo == o {
		return t
	}
	return utc.In(time.FixedZone("", o))
}

// sampleInstant reads a sample time; physicalTime is required.
func sampleInstant(st *obsSample, loc *time.Location) (time.Time, error) {
	if st == nil || st.PhysicalTime == nil || st.PhysicalTime.IsZero() {
		return time.Time{}, errors.New("sample without sampleTime.physicalTime")
	}
	return local(st.PhysicalTime.Time, st.UtcOffset, loc), nil
}

// interval reads an interval's ends; both are required and in order.
func (iv *obsInterval) span(loc *time.Location) (start, end time.Time, err error) {
	if iv == nil || iv.StartTime == nil || iv.EndTime == nil || iv.StartTime.IsZero() || iv.EndTime.IsZero() {
		return start, end, errors.New("interval without startTime or endTime")
	}
	start = local(iv.StartTime.Time, iv.StartUtcOffset, loc)
	end = local(iv.EndTime.Time, iv.EndUtcOffset, loc)
	if end.Before(start) {
		return start, end, errors.New("interval ends before it starts")
	}
	return start, end, nil
}

// sleepStage maps Google's stage names; classic sleeps call being awake
// AWAKE too, which fittui keeps apart from a staged sleep's wake.
func sleepStage(t string, classic bool) (providers.SleepStage, bool) {
	switch t {
	case "DEEP":
		return providers.StageDeep, true
	case "LIGHT":
		return providers.StageLight, true
	case "REM":
		return providers.StageREM, true
	case "ASLEEP":
		return providers.StageAsleep, true
	case "RESTLESS":
		return providers.StageRestless, true
	case "AWAKE":
		if classic {
			return providers.StageAwake, true
		}
		return providers.StageWake, true
	}
	return "", false
}

func asleepStage(s providers.SleepStage) bool {
	switch s {
	case providers.StageWake, providers.StageAwake, providers.StageRestless:
		return false
	}
	return true
}

// convertSleep turns a sleep data point into a session; ok is false when
// the point holds no sleep member.
func convertSleep(p *point, loc *time.Location) (s providers.SleepSession, ok bool, err error) {
	var v sleepValue
	if ok, err = member(p, dtSleep, &v); !ok || err != nil {
		return s, ok, err
	}
	if s.Start, s.End, err = v.Interval.span(loc); err != nil {
		return s, true, fmt.Errorf("sleep: %w", err)
	}
	s.Date = providers.DateOf(s.End)
	if v.Interval.CivilEndTime != nil && v.Interval.CivilEndTime.Date != nil {
		if d, derr := v.Interval.CivilEndTime.Date.date(); derr == nil {
			s.Date = d
		}
	}
	if v.Metadata != nil {
		s.Main = v.Metadata.MainSleep
	}
	s.Classic = v.Type == "CLASSIC"
	if v.Type == "" || v.Type == "SLEEP_TYPE_UNSPECIFIED" {
		for _, st := range v.Stages {
			if st.Type == "ASLEEP" || st.Type == "RESTLESS" {
				s.Classic = true
			}
		}
	}
	var asleep time.Duration
	for i, st := range v.Stages {
		stage, known := sleepStage(st.Type, s.Classic)
		if !known {
			continue
		}
		if st.StartTime == nil || st.EndTime == nil {
			return s, true, fmt.Errorf("sleep stage %d without startTime or endTime", i)
		}
		start := local(st.StartTime.Time, st.StartUtcOffset, loc)
		d := st.EndTime.Sub(st.StartTime.Time)
		if d < 0 || d > 24*time.Hour {
			return s, true, fmt.Errorf("sleep stage %d has an impossible length", i)
		}
		s.Segments = append(s.Segments, providers.SleepSegment{Stage: stage, Start: start, Duration: d})
		if asleepStage(stage) {
			asleep += d
		}
	}
	sort.SliceStable(s.Segments, func(i, j int) bool { return s.Segments[i].Start.Before(s.Segments[j].Start) })
	s.Asleep = asleep
	if v.Summary != nil && v.Summary.MinutesAsleep > 0 {
		if v.Summary.MinutesAsleep > 24*60 {
			return s, true, errors.New("sleep summary minutesAsleep over a day")
		}
		s.Asleep = time.Duration(v.Summary.MinutesAsleep) * time.Minute
	}
	return s, true, nil
}

// convertRestingHR reads a daily-resting-heart-rate point.
func convertRestingHR(p *point) (day providers.Date, bpm int, ok bool, err error) {
	var v restingHRValue
	if ok, err = member(p, dtRestingHR, &v); !ok || err != nil {
		return day, 0, ok, err
	}
	if day, err = v.Date.date(); err != nil {
		return day, 0, true, fmt.Errorf("daily resting heart rate: %w", err)
	}
	if v.BeatsPerMinute < 0 || v.BeatsPerMinute > 300 {
		return day, 0, true, errors.New("daily resting heart rate out of range")
	}
	return day, int(v.BeatsPerMinute), true, nil
}

// convertHeartRate reads a raw heart-rate sample.
func convertHeartRate(p *point, loc *time.Location) (s providers.Sample, ok bool, err error) {
	var v heartRateValue
	if ok, err = member(p, dtHeartRate, &v); !ok || err != nil {
		return s, ok, err
	}
	if s.Time, err = sampleInstant(v.SampleTime, loc); err != nil {
		return s, true, fmt.Errorf("heart rate: %w", err)
	}
	if v.BeatsPerMinute < 0 || v.BeatsPerMinute > 300 {
		return s, true, errors.New("heart rate out of range")
	}
	s.Value = float64(v.BeatsPerMinute)
	return s, true, nil
}

// convertWeight reads a weight sample, in kilograms.
func convertWeight(p *point, loc *time.Location) (s providers.Sample, ok bool, err error) {
	var v weightValue
	if ok, err = member(p, dtWeight, &v); !ok || err != nil {
		return s, ok, err
	}
	if s.Time, err = sampleInstant(v.SampleTime, loc); err != nil {
		return s, true, fmt.Errorf("weight: %w", err)
	}
	if v.WeightGrams < 0 || v.WeightGrams > 1e6 {
		return s, true, errors.New("weight out of range")
	}
	s.Value = float64(v.WeightGrams) / 1000
	return s, true, nil
}

// convertBodyFat reads a body-fat sample, in percent.
func convertBodyFat(p *point, loc *time.Location) (s providers.Sample, ok bool, err error) {
	var v bodyFatValue
	if ok, err = member(p, dtBodyFat, &v); !ok || err != nil {
		return s, ok, err
	}
	if s.Time, err = sampleInstant(v.SampleTime, loc); err != nil {
		return s, true, fmt.Errorf("body fat: %w", err)
	}
	if v.Percentage < 0 || v.Percentage > 100 {
		return s, true, errors.New("body fat out of range")
	}
	s.Value = float64(v.Percentage)
	return s, true, nil
}

// window reads a rollUp point's window.
func (p *point) window(loc *time.Location) (start, end time.Time, err error) {
	if p.StartTime == nil || p.EndTime == nil || p.StartTime.IsZero() || p.EndTime.IsZero() {
		return start, end, errors.New("rollup window without startTime or endTime")
	}
	if !p.EndTime.After(p.StartTime.Time) {
		return start, end, errors.New("rollup window ends before it starts")
	}
	return p.StartTime.In(loc), p.EndTime.In(loc), nil
}

// day reads a dailyRollUp point's civil day.
func (p *point) day() (providers.Date, error) {
	if p.CivilStartTime == nil || p.CivilStartTime.Date == nil {
		return providers.Date{}, errors.New("daily rollup without civilStartTime.date")
	}
	d, err := p.CivilStartTime.Date.date()
	if err != nil {
		return d, fmt.Errorf("daily rollup: %w", err)
	}
	return d, nil
}

// dailyValue is one day's rollup of one data type, already in domain units.
type dailyValue struct {
	steps, floors, activeMin int
	distanceKm, kcal         float64
	weightKg, bodyFat        float64
}

// convertDaily reads the member of a dailyRollUp or rollUp point for dt.
// present is false when the point has no member for dt.
func convertDaily(p *point, dt dataType) (v dailyValue, present bool, err error) {
	switch dt {
	case dtSteps, dtFloors:
		var r countRollup
		if present, err = member(p, dt, &r); err != nil {
			return v, present, err
		}
		if r.CountSum < 0 || r.CountSum > 10_000_000 {
			return v, present, fmt.Errorf("%s count out of range", dt.id)
		}
		if dt == dtSteps {
			v.steps = int(r.CountSum)
		} else {
			v.floors = int(r.CountSum)
		}
	case dtDistance:
		var r distanceRollup
		if present, err = member(p, dt, &r); err != nil {
			return v, present, err
		}
		if r.MillimetersSum < 0 || r.MillimetersSum > 1e10 {
			return v, present, errors.New("distance out of range")
		}
		v.distanceKm = float64(r.MillimetersSum) / 1e6
	case dtTotalCalories:
		var r kcalRollup
		if present, err = member(p, dt, &r); err != nil {
			return v, present, err
		}
		if r.KcalSum < 0 || r.KcalSum > 1e6 {
			return v, present, errors.New("calories out of range")
		}
		v.kcal = float64(r.KcalSum)
	case dtActiveMinutes:
		var r activeMinutesRollup
		if present, err = member(p, dt, &r); err != nil {
			return v, present, err
		}
		for _, l := range r.ByLevel {
			// Fitbit's active minutes are the fairly and very active ones;
			// light activity does not count.
			if l.ActivityLevel != "MODERATE" && l.ActivityLevel != "VIGOROUS" {
				continue
			}
			if l.ActiveMinutesSum < 0 || l.ActiveMinutesSum > 100_000 {
				return v, present, errors.New("active minutes out of range")
			}
			v.activeMin += int(l.ActiveMinutesSum)
		}
	case dtWeight:
		var r weightRollup
		if present, err = member(p, dt, &r); err != nil {
			return v, present, err
		}
		if r.WeightGramsAvg < 0 || r.WeightGramsAvg > 1e6 {
			return v, present, errors.New("weight out of range")
		}
		v.weightKg = float64(r.WeightGramsAvg) / 1000
	case dtBodyFat:
		var r bodyFatRollup
		if present, err = member(p, dt, &r); err != nil {
			return v, present, err
		}
		if r.BodyFatPercentageAvg < 0 || r.BodyFatPercentageAvg > 100 {
			return v, present, errors.New("body fat out of range")
		}
		v.bodyFat = float64(r.BodyFatPercentageAvg)
	default:
		return v, false, fmt.Errorf("no daily conversion for %s", dt.id)
	}
	return v, present, nil
}

// hrWindow is a heart-rate rollUp window: the mean of its readings and
// the lowest and highest of them.
type hrWindow struct{ mean, min, max float64 }

// convertHeartRateWindow reads a heart-rate rollUp window: the average,
// beatsPerMinuteMin and beatsPerMinuteMax (the average where a bound is
// missing).
func convertHeartRateWindow(p *point) (w hrWindow, present bool, err error) {
	var r heartRateRollup
	if present, err = member(p, dtHeartRate, &r); !present || err != nil {
		return w, present, err
	}
	w = hrWindow{float64(r.BeatsPerMinuteAvg), float64(r.BeatsPerMinuteMin), float64(r.BeatsPerMinuteMax)}
	if w.min <= 0 {
		w.min = w.mean
	}
	if w.max <= 0 {
		w.max = w.mean
	}
	for _, v := range []float64{w.mean, w.min, w.max} {
		if v < 0 || v > 300 {
			return w, true, errors.New("heart rate out of range")
		}
	}
	if w.min > w.mean || w.max < w.mean {
		return w, true, errors.New("heart rate window: minimum or maximum on the wrong side of the mean")
	}
	return w, true, nil
}
