package providers

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// CheckRange refuses ranges that end before they start or span more than
// 20 years, and clamps the end to today.
func TestCheckRangeAndEmptyDays(t *testing.T) {
	today := Date{Year: 2026, Month: time.March, Day: 5}
	if end, any, err := CheckRange("x", today.AddDays(-3), today.AddDays(4), today); err != nil || !any || end != today {
		t.Errorf("clamped: %v %v %v", end, any, err)
	}
	if _, any, err := CheckRange("x", today.AddDays(1), today.AddDays(4), today); err != nil || any {
		t.Errorf("all in the future: %v %v", any, err)
	}
	if _, _, err := CheckRange("x", today, today.AddDays(-1), today); err == nil || !strings.HasPrefix(err.Error(), "x: date range ") ||
		!strings.Contains(err.Error(), "ends before it starts") {
		t.Errorf("backwards: %v", err)
	}
	if _, _, err := CheckRange("x", today.AddDays(-MaxRangeDays), today, today); err == nil || !strings.Contains(err.Error(), "longer than 20 years") {
		t.Errorf("too long: %v", err)
	}
	if _, _, err := CheckRange("x", today.AddDays(-MaxRangeDays+1), today, today); err != nil {
		t.Errorf("the longest range: %v", err)
	}
	days := EmptyDays(today.AddDays(-2), today)
	if len(days) != 3 || days[0].Date != today.AddDays(-2) || days[2].Date != today || days[1].Steps != 0 {
		t.Errorf("empty days %+v", days)
	}
	if len(EmptyDays(today, today.AddDays(-1))) != 0 {
		t.Error("empty days of a backwards range")
	}
	if (Env{}).Clock() == nil || (Env{Now: func() time.Time { return time.Time{} }}).Clock()().IsZero() == false {
		t.Error("Env.Clock")
	}
}

// SpanOf: "today" is the account's, in the zone locate finds; a zone that
// cannot be found is the error.
func TestSpanOf(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	now := func() time.Time { return time.Date(2026, time.March, 5, 20, 0, 0, 0, time.UTC) } // 6 March in Tokyo
	in := func(loc *time.Location) func(context.Context) (*time.Location, error) {
		return func(context.Context) (*time.Location, error) { return loc, nil }
	}
	march := func(d int) Date { return Date{Year: 2026, Month: time.March, Day: d} }
	sp, err := SpanOf(context.Background(), "x", now, in(tokyo), march(1), march(9))
	if err != nil || sp != (Span{From: march(1), To: march(6), Loc: tokyo, Any: true}) {
		t.Errorf("Tokyo: %+v %v", sp, err)
	}
	if sp, err := SpanOf(context.Background(), "x", now, in(time.UTC), march(6), march(9)); err != nil || sp.Any {
		t.Errorf("UTC, all after today: %+v %v", sp, err)
	}
	lost := errors.New("no profile")
	failing := func(context.Context) (*time.Location, error) { return nil, lost }
	if _, err := SpanOf(context.Background(), "x", now, failing, march(1), march(2)); !errors.Is(err, lost) {
		t.Errorf("no zone: %v", err)
	}
}

type idSleep struct {
	ID string
	SleepSession
}

func TestSessions(t *testing.T) {
	day := Date{Year: 2026, Month: time.March, Day: 5}
	got := Sessions([]idSleep{{"a", SleepSession{Date: day}}, {"b", SleepSession{Date: day.AddDays(1), Main: true}}})
	if len(got) != 2 || got[0].Date != day || !got[1].Main {
		t.Errorf("%+v", got)
	}
	if Sessions([]idSleep(nil)) != nil {
		t.Error("nil sleeps gave sessions")
	}
}
