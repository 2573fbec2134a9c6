package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/state"
)

var day = providers.Date{Year: 2025, Month: time.May, Day: 14}

func at(h, m, s int) time.Time { return time.Date(2025, 5, 14, h, m, s, 0, time.UTC) }

func TestHeartBinsAverageByTime(t *testing.T) {
	// Irregular readings: two in the newest minute, one three minutes
	// earlier, one outside the window, one zero (no reading).
	s := providers.Series{Samples: []providers.Sample{
		{Time: at(9, 0, 0), Value: 50},   // > 3 h before the newest: outside
		{Time: at(13, 0, 30), Value: 70}, // bin n-4
		{Time: at(13, 2, 0), Value: 0},   // no data
		{Time: at(13, 3, 10), Value: 80},
		{Time: at(13, 3, 50), Value: 90},
	}}
	bins, from, to, bin := heartBins(s)
	if bin != time.Minute || len(bins) != 180 {
		t.Fatalf("bin %v, %d bins", bin, len(bins))
	}
	if !to.Equal(at(13, 4, 0)) || !from.Equal(at(10, 4, 0)) {
		t.Fatalf("window %v..%v", from, to)
	}
	if bins[179] != 85 || bins[176] != 70 || bins[177] != 0 || bins[178] != 0 {
		t.Fatalf("last bins %v", bins[175:])
	}
	for i, v := range bins[:176] {
		if v != 0 {
			t.Fatalf("bin %d = %v, want empty", i, v)
		}
	}
}

func TestHeartBinsFollowCoarseResolution(t *testing.T) {
	s := providers.Series{Resolution: 15 * time.Minute, Samples: []providers.Sample{
		{Time: at(12, 0, 0), Value: 60}, {Time: at(12, 15, 0), Value: 62},
	}}
	bins, _, _, bin := heartBins(s)
	if bin != 15*time.Minute || len(bins) != 12 || bins[11] != 62 || bins[10] != 60 {
		t.Fatalf("bin %v bins %v", bin, bins)
	}
	if b, _, _, _ := heartBins(providers.Series{}); b != nil {
		t.Fatal("an empty series has no bins")
	}
}

func TestStepsPer15SumsFromMidnight(t *testing.T) {
	loc := time.FixedZone("UTC+2", 2*3600)
	s := providers.Series{Resolution: time.Minute}
	for m := range 30 { // 00:00..00:29 local
		s.Samples = append(s.Samples, providers.Sample{Time: day.In(loc).Add(time.Duration(m) * time.Minute), Value: 2})
	}
	s.Samples = append(s.Samples, providers.Sample{Time: day.In(loc).Add(23*time.Hour + 59*time.Minute), Value: 7})
	out, reached := stepsPer15(s, day)
	if len(out) != 96 || out[0] != 30 || out[1] != 30 || out[2] != 0 || out[95] != 7 {
		t.Fatalf("slots %v", out)
	}
	if reached != 96 {
		t.Fatalf("reached %d slots, want 96", reached)
	}
	s.Samples = s.Samples[:30]
	if _, reached = stepsPer15(s, day); reached != 2 {
		t.Fatalf("half an hour of data reaches %d slots, want 2", reached)
	}
}

func TestMainSleepPrefersMainThenLongest(t *testing.T) {
	nap := providers.SleepSession{Date: day, Start: at(13, 0, 0), End: at(14, 30, 0)}
	main := providers.SleepSession{Date: day, Start: at(0, 0, 0), End: at(6, 0, 0), Main: true}
	other := providers.SleepSession{Date: day.AddDays(-1), Start: at(0, 0, 0), End: at(9, 0, 0), Main: true}
	got, ok := mainSleep([]providers.SleepSession{other, nap, main}, day)
	if !ok || !got.Main || !got.End.Equal(main.End) {
		t.Fatalf("got %+v", got)
	}
	got, ok = mainSleep([]providers.SleepSession{nap}, day)
	if !ok || !got.End.Equal(nap.End) {
		t.Fatal("a nap is the sleep when there is no main one")
	}
	if _, ok := mainSleep([]providers.SleepSession{other}, day); ok {
		t.Fatal("a sleep of another day is not today's")
	}
}

// stub answers from functions; nil functions return zero values.
type stub struct {
	summary func() (providers.DaySummary, error)
	intra   func() (providers.Intraday, error)
	series  func(from, to providers.Date) ([]providers.DailyValues, error)
	sleep   func() ([]providers.SleepSession, error)
	profile func(ctx context.Context) (providers.Profile, error)
}

func (s *stub) Kind() string { return "stub" }
func (s *stub) Profile(ctx context.Context) (providers.Profile, error) {
	if s.profile == nil {
		return providers.Profile{}, nil
	}
	return s.profile(ctx)
}
func (s *stub) DaySummary(context.Context, providers.Date) (providers.DaySummary, error) {
	if s.summary == nil {
		return providers.DaySummary{}, nil
	}
	return s.summary()
}
func (s *stub) Intraday(context.Context, providers.Date) (providers.Intraday, error) {
	if s.intra == nil {
		return providers.Intraday{}, nil
	}
	return s.intra()
}
func (s *stub) DailySeries(_ context.Context, from, to providers.Date) ([]providers.DailyValues, error) {
	if s.series == nil {
		return nil, nil
	}
	return s.series(from, to)
}
func (s *stub) Sleep(context.Context, providers.Date, providers.Date) ([]providers.SleepSession, error) {
	if s.sleep == nil {
		return nil, nil
	}
	return s.sleep()
}

func now() time.Time { return at(14, 3, 0) }

func TestFetchTodayKeepsWhatArrived(t *testing.T) {
	p := &stub{
		summary: func() (providers.DaySummary, error) { return providers.DaySummary{Steps: 42}, nil },
		intra: func() (providers.Intraday, error) {
			return providers.Intraday{}, providers.ErrUnreachable("stub", errors.New("timeout"))
		},
		series: func(from, to providers.Date) ([]providers.DailyValues, error) {
			if from != day.AddDays(-29) || to != day {
				t.Errorf("weight range %v..%v", from, to)
			}
			return []providers.DailyValues{{Date: day.AddDays(-3), WeightKg: 71.2}, {Date: day.AddDays(-1)}}, nil
		},
		sleep: func() ([]providers.SleepSession, error) { return nil, providers.ErrSignIn("stub", "me", nil) },
	}
	msg := askToday(cache.Direct(p, now), cache.Ask, 2, 7, day, true, false, now)().(state.TodayAnswer)
	if msg.Account != 2 || msg.Gen != 7 || msg.Day != day || !msg.At.Equal(now()) {
		t.Fatalf("identity %+v", msg)
	}
	if !msg.HasSummary || msg.Live.Summary.Steps != 42 || msg.HasIntraday {
		t.Fatalf("summary %v/%d intraday %v", msg.HasSummary, msg.Live.Summary.Steps, msg.HasIntraday)
	}
	if !msg.HasWght || msg.Slow.Weight != 71.2 || msg.Slow.WeightDay != day.AddDays(-3) || msg.HasSleep {
		t.Fatalf("slow %+v weight %v sleep %v", msg.Slow, msg.HasWght, msg.HasSleep)
	}
	// Sign-in beats offline: it is what the person must act on.
	if providers.KindOf(msg.Err) != providers.KindSignIn {
		t.Fatalf("err %v", msg.Err)
	}
}

func TestFetchTodayWithoutFullSkipsSlowCalls(t *testing.T) {
	called := false
	p := &stub{sleep: func() ([]providers.SleepSession, error) { called = true; return nil, nil }}
	msg := askToday(cache.Direct(p, now), cache.Ask, 0, 1, day, false, false, now)().(state.TodayAnswer)
	if called || msg.HasSleep || msg.HasWght || msg.Err != nil || !msg.HasSummary || !msg.HasIntraday {
		t.Fatalf("called %v msg %+v", called, msg)
	}
}

func TestProviderPanicBecomesAnError(t *testing.T) {
	p := &stub{summary: func() (providers.DaySummary, error) { panic("boom") }}
	msg := askToday(cache.Direct(p, now), cache.Ask, 0, 1, day, false, false, now)().(state.TodayAnswer)
	if msg.Err == nil || !strings.Contains(msg.Err.Error(), "boom") || msg.HasSummary {
		t.Fatalf("err %v", msg.Err)
	}
}

func TestFetchProfileDefaultsToUTCAndHasADeadline(t *testing.T) {
	p := &stub{profile: func(ctx context.Context) (providers.Profile, error) {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("provider call without a deadline")
		}
		return providers.Profile{DisplayName: "x"}, nil
	}}
	msg := askProfile(cache.Direct(p, now), cache.Ask, 1, 3, nil, now)().(state.ProfileAnswer)
	if msg.Err != nil || msg.Profile.Location != time.UTC || msg.Account != 1 || msg.Gen != 3 {
		t.Fatalf("%+v", msg)
	}
}

func TestFetchHistory(t *testing.T) {
	p := &stub{series: func(from, to providers.Date) ([]providers.DailyValues, error) {
		return []providers.DailyValues{{Date: from, Steps: 1}, {Date: to, Steps: 2}}, nil
	}}
	msg := askHistory(cache.Direct(p, now), 0, 9, day.AddDays(-1), day, false, now)().(state.HistoryAnswer)
	if msg.Err != nil || len(msg.Days) != 2 || msg.Gen != 9 || msg.From != day.AddDays(-1) || msg.To != day {
		t.Fatalf("%+v", msg)
	}
}

// With 1-second samples the newest minute is still filling: it is left out
// so the chart only changes once a minute; per-minute data keeps its newest
// minute, which is complete.
func TestHeartBinsLeaveOutTheFillingMinute(t *testing.T) {
	var sec providers.Series
	sec.Resolution = time.Second
	for i := range 120 { // 13:02:00 .. 13:03:59
		sec.Samples = append(sec.Samples, providers.Sample{Time: at(13, 2, 0).Add(time.Duration(i) * time.Second), Value: float64(60 + i/60*10)})
	}
	sec.Samples = sec.Samples[:90] // the newest reading is at 13:03:29
	bins, _, to, _ := heartBins(sec)
	if !to.Equal(at(13, 3, 0)) || bins[len(bins)-1] != 60 {
		t.Fatalf("1-s data: window ends %v, last bin %v; want 13:03 and 60 (the complete minute)", to, bins[len(bins)-1])
	}
	perMinute := providers.Series{Resolution: time.Minute, Samples: []providers.Sample{
		{Time: at(13, 2, 0), Value: 60}, {Time: at(13, 3, 0), Value: 70},
	}}
	bins, _, to, _ = heartBins(perMinute)
	if !to.Equal(at(13, 4, 0)) || bins[len(bins)-1] != 70 {
		t.Fatalf("per-minute data: window ends %v, last bin %v; want 13:04 and 70", to, bins[len(bins)-1])
	}
}
