package takeouttest

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// seg is one stretch of a sleep timeline.
type seg struct {
	stage providers.SleepStage
	start time.Time
	dur   time.Duration
	short bool // a short wake (shortData), 3 minutes or less
}

// timeline is the sleep as it really went: the demo's segments, worn in the
// wearer's zone, with the export's 30-second granularity. A stages sleep's
// brief wakes (3 minutes or less, not the first or last segment) become
// short wakes half a minute later and shorter, and every other long light
// stretch gets a 90-second wake in its middle, as real logs have.
func (g *gen) timeline(s providers.SleepSession) []seg {
	var out []seg
	lights := 0
	// Instants run on from the worn start (relabelling each segment's
	// wall clock would fold a night that crosses a clock change).
	t0 := g.worn(s.Start)
	for k, x := range s.Segments {
		sg := seg{stage: x.Stage, start: t0.Add(x.Start.Sub(s.Start)), dur: x.Duration}
		switch {
		case s.Classic:
		case repeated(sg.start) || repeated(sg.start.Add(sg.dur)):
			// In the hour repeated when clocks go back a local time cannot
			// say which hour it means: no short wake is written there (a
			// reader could not place it).
		case x.Stage == providers.StageWake && k > 0 && k < len(s.Segments)-1 && x.Duration <= 3*time.Minute:
			const half = 30 * time.Second
			sg.short, sg.start, sg.dur = true, sg.start.Add(half), sg.dur-half
			out[len(out)-1].dur += half
		case x.Stage == providers.StageLight && x.Duration >= 20*time.Minute:
			if lights++; lights%2 == 1 {
				h := x.Duration / 2 / time.Minute * time.Minute
				w := 90 * time.Second
				out = append(out, seg{stage: x.Stage, start: sg.start, dur: h},
					seg{stage: providers.StageWake, start: sg.start.Add(h), dur: w, short: true})
				sg.start, sg.dur = sg.start.Add(h+w), x.Duration-h-w
			}
		}
		out = append(out, sg)
	}
	return out
}

// repeated reports whether t's wall clock occurs twice in its zone.
func repeated(t time.Time) bool {
	for _, d := range []time.Duration{-2 * time.Hour, -time.Hour, -30 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour} {
		u := t.Add(d)
		if u.Format("2006-01-02 15:04:05") == t.Format("2006-01-02 15:04:05") {
			return true
		}
	}
	return false
}

// levels splits a timeline into the export's levels.data (short wakes
// folded into the stretch before them) and levels.shortData.
func levels(tl []seg) (data, short []seg) {
	for _, x := range tl {
		switch n := len(data); {
		case x.short:
			data[n-1].dur += x.dur
			short = append(short, x)
		case n > 0 && data[n-1].stage == x.stage:
			data[n-1].dur += x.dur
		default:
			data = append(data, x)
		}
	}
	return data, short
}

func asleepStage(st providers.SleepStage) bool {
	switch st {
	case providers.StageWake, providers.StageAwake, providers.StageRestless:
		return false
	}
	return true
}

const iso = "2006-01-02T15:04:05.000"

// sleep writes one sleep: the JSON log (local times without a zone) and,
// with the Google data, its rows in UserSleeps and UserSleepStages (UTC
// with offsets) and, for a main sleep, its score.
func (g *gen) sleep(chunk string, logID, sleepID int64, s providers.SleepSession, csvOnly, gd bool) {
	tl := g.timeline(s)
	start := g.worn(s.Start)
	end := start.Add(s.End.Sub(s.Start))
	totals := map[providers.SleepStage]time.Duration{}
	counts := map[providers.SleepStage]int{}
	var asleep time.Duration
	for _, x := range tl {
		totals[x.stage] += x.dur
		counts[x.stage]++
		if asleepStage(x.stage) {
			asleep += x.dur
		}
	}
	minutes := func(d time.Duration) int { return int(math.Round(d.Minutes())) }
	asleepMin, inBed := minutes(asleep), minutes(end.Sub(start))
	order := []providers.SleepStage{providers.StageDeep, providers.StageLight, providers.StageREM, providers.StageWake}
	typ := "stages"
	if s.Classic {
		order, typ = []providers.SleepStage{providers.StageAsleep, providers.StageRestless, providers.StageAwake}, "classic"
	}
	summary := map[providers.SleepStage]int{}
	for _, st := range order {
		summary[st] = minutes(totals[st])
	}

	// What an import must find: from the JSON log, or from the CSV tables
	// on the days only they have.
	place, date := g.wall, s.Date
	if csvOnly {
		place = g.exact
	}
	want := providers.SleepSession{Date: date, Start: place(start), End: place(end), Main: s.Main, Classic: s.Classic,
		Asleep: time.Duration(asleepMin) * time.Minute}
	for _, x := range tl {
		want.Segments = append(want.Segments, providers.SleepSegment{Stage: x.stage, Start: place(x.start), Duration: x.dur})
	}
	if !csvOnly || gd {
		g.or.Sessions = append(g.or.Sessions, want)
		x := g.day(date)
		x.Sleeps++
		if s.Main {
			x.SleepMinutes += asleepMin
		} else {
			x.NapMinutes += asleepMin
		}
		if s.Main {
			x.MainSleep = want.Asleep
			x.Stages = summary
		}
	}

	if !csvOnly {
		b := g.js.item(g.dir + "sleep-" + chunk)
		fmt.Fprintf(b, `{"logId":%d,"dateOfSleep":"%s","startTime":"%s","endTime":"%s","duration":%d,"minutesToFallAsleep":0,"minutesAsleep":%d,"minutesAwake":%d,"minutesAfterWakeup":0,"timeInBed":%d,"efficiency":%d,"type":%q,"infoCode":0,"logType":"auto_detected","mainSleep":%t,"levels":{"summary":{`,
			logID, s.Date, start.Format(iso), end.Format(iso), end.Sub(start).Milliseconds(), asleepMin, inBed-asleepMin, inBed,
			int(math.Round(100*float64(asleepMin)/float64(max(inBed, 1)))), typ, s.Main)
		for k, st := range order {
			if k > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(b, `"%s":{"count":%d,"minutes":%d,"thirtyDayAvgMinutes":%d}`, st, counts[st], summary[st], summary[st]+3)
		}
		b.WriteString(`},"data":`)
		data, short := levels(tl)
		writeLevels(b, data)
		if !s.Classic { // classic logs have no shortData
			b.WriteString(`,"shortData":`)
			writeLevels(b, short)
		}
		b.WriteString("}}")
	}
	if !g.o.GoogleData || g.o.Layout != GoogleTakeout {
		return
	}
	if !csvOnly {
		g.or.Duplicates++
	}
	month := fmt.Sprintf("%04d-%02d-01", s.Date.Year, s.Date.Month)
	hf := g.base + "Health Fitness Data_GoogleData/"
	g.cs.row(hf+"UserSleeps_"+month+".csv",
		"sleep_id,sleep_type,minutes_in_sleep_period,minutes_after_wake_up,minutes_to_fall_asleep,minutes_asleep,minutes_awake,minutes_longest_awakening,minutes_to_persistent_sleep,start_utc_offset,sleep_start,end_utc_offset,sleep_end,data_source,algorithm_version,sleep_created,sleep_last_updated",
		"%d,%s,%d,0,0,%d,%d,%d,5,%s,%s,%s,%s,FITBIT,3,%s,%s",
		sleepID, strings.ToUpper(typ), inBed, asleepMin, inBed-asleepMin, 4, offset(start), zulu(start), offset(end), zulu(end), zulu(end.Add(5*time.Minute)), zulu(end.Add(5*time.Minute)))
	for k, x := range tl {
		name := strings.ToUpper(string(x.stage))
		if x.stage == providers.StageWake {
			name = "AWAKE" // the Takeout tables' word; the reference once said WAKE
		}
		e := x.start.Add(x.dur)
		g.cs.row(hf+"UserSleepStages_"+month+".csv",
			"sleep_id,sleep_stage_id,sleep_stage_type,start_utc_offset,sleep_stage_start,end_utc_offset,sleep_stage_end,data_source,algorithm_version,sleep_stage_created,sleep_stage_last_updated",
			"%d,%d,%s,%s,%s,%s,%s,FITBIT,3,,", sleepID, k, name, offset(x.start), zulu(x.start), offset(e), zulu(e))
	}
	if s.Main {
		score := 60 + int(logID%30)
		g.cs.row(g.base+"Sleep Score/sleep_score.csv",
			"sleep_log_entry_id,timestamp,overall_score,composition_score,revitalization_score,duration_score,deep_sleep_in_minutes,resting_heart_rate,restlessness",
			"%d,%s,%d,%d,%d,%d,%d,%d,%s", logID, zulu(end), score, score/4, score/5, score/2, summary[providers.StageDeep], 58, "0.0712")
		x := g.day(providers.DateOf(g.exact(end)))
		for k, v := range map[string]float64{"sleep_score": float64(score), "sleep_score_composition": float64(score / 4),
			"sleep_score_revitalization": float64(score / 5), "sleep_score_duration": float64(score / 2),
			"sleep_score_deep_minutes": float64(summary[providers.StageDeep]), "sleep_score_resting_hr": 58, "sleep_score_restlessness": 0.0712,
			"sleep_score_log_id": float64(logID)} {
			x.metric(k, v)
		}
	}
}

func writeLevels(b *bytes.Buffer, segs []seg) {
	b.WriteString("[")
	for i, x := range segs {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(b, `{"dateTime":"%s","level":%q,"seconds":%d}`, x.start.Format(iso), x.stage, int(x.dur/time.Second))
	}
	b.WriteString("]")
}
