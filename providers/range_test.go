package providers

import (
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
