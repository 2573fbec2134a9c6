package wire

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

func TestNumber(t *testing.T) {
	good := map[string]float64{`72350`: 72350, `"18.2"`: 18.2, `2315.6`: 2315.6, `1234`: 1234, `"1234"`: 1234, `" 64.2 "`: 64.2, `-3.5`: -3.5, `null`: 0, `""`: 0, `"1e3"`: 1000}
	for in, want := range good {
		n := Number(7)
		if err := json.Unmarshal([]byte(in), &n); err != nil || float64(n) != want {
			t.Errorf("%s = %v, %v", in, n, err)
		}
	}
	for _, bad := range []string{`true`, `{}`, `[]`, `"x"`, `"NaN"`, `"Infinity"`, `"12abc"`} {
		var n Number
		err := json.Unmarshal([]byte(bad), &n)
		if err == nil {
			t.Errorf("%s accepted as %v", bad, n)
			continue
		}
		// The message names the type, never the value.
		if v := strings.Trim(bad, `"`); len(v) > 2 && strings.Contains(err.Error(), v) {
			t.Errorf("%s: message %q repeats the value", bad, err)
		}
	}
	var n Number
	if err := json.Unmarshal([]byte(`true`), &n); err == nil || err.Error() != "expected a number, got a boolean" {
		t.Errorf("boolean: %v", err)
	}
}

func TestNumberConversions(t *testing.T) {
	if v, err := Number(72.6).Int("bpm"); v != 73 || err != nil {
		t.Errorf("Int: %d %v", v, err)
	}
	if v, err := Number(-4).Int("offset"); v != -4 || err != nil {
		t.Errorf("Int negative: %d %v", v, err)
	}
	if _, err := Number(2e12).Int("steps"); err == nil || err.Error() != "steps out of range" {
		t.Errorf("Int out of range: %v", err)
	}
	if v, err := Number(99.5).Count("steps"); v != 100 || err != nil {
		t.Errorf("Count: %d %v", v, err)
	}
	for _, bad := range []Number{-1, 2e12} {
		if _, err := bad.Count("steps"); err == nil || err.Error() != "steps is not a count" {
			t.Errorf("Count(%v): %v", bad, err)
		}
	}
	if v, err := Number(12.25).Quantity("km", 1e9); v != 12.25 || err != nil {
		t.Errorf("Quantity: %v %v", v, err)
	}
	for _, bad := range []Number{-0.5, 2e9} {
		if _, err := bad.Quantity("km", 1e9); err == nil || err.Error() != "km is not a count" {
			t.Errorf("Quantity(%v): %v", bad, err)
		}
	}
}

func TestInt(t *testing.T) {
	good := map[string]int64{`"87"`: 87, `87`: 87, `"-3"`: -3, `72.0`: 72, `"1e3"`: 1000, `null`: 0, `""`: 0,
		`"9007199254740993"`: 9007199254740993}
	for in, want := range good {
		var n Int
		if err := json.Unmarshal([]byte(in), &n); err != nil || int64(n) != want {
			t.Errorf("%s = %d, %v", in, n, err)
		}
	}
	for _, bad := range []string{`"x"`, `true`, `{}`, `[]`, `"1.5"`, `1.5`, `"NaN"`, `1e300`} {
		var n Int
		if err := json.Unmarshal([]byte(bad), &n); err == nil {
			t.Errorf("%s accepted as %d", bad, n)
		}
	}
}

func TestKindAndUnquote(t *testing.T) {
	kinds := map[string]string{`"a"`: "a string", `{}`: "an object", `[1]`: "an array", `false`: "a boolean",
		`null`: "null", ` 12`: "a number", ``: "nothing"}
	for in, want := range kinds {
		if got := Kind([]byte(in)); got != want {
			t.Errorf("Kind(%q) = %q", in, got)
		}
	}
	if s, ok := Unquote([]byte(`"a\"b"`)); !ok || s != `a"b` {
		t.Errorf("Unquote escaped: %q %v", s, ok)
	}
	if _, ok := Unquote([]byte(`12`)); ok {
		t.Error("Unquote of a number")
	}
}

func TestByDayAndSortByTime(t *testing.T) {
	type v struct {
		at time.Time
		n  int
	}
	t0 := time.Date(2026, 3, 5, 23, 0, 0, 0, time.UTC)
	vals := []v{{t0.Add(2 * time.Hour), 1}, {t0, 2}, {t0.Add(2 * time.Hour), 3}}
	SortByTime(vals, func(x v) time.Time { return x.at })
	if vals[0].n != 2 || vals[1].n != 1 || vals[2].n != 3 {
		t.Fatalf("sorted %v (equal times keep their order)", vals)
	}
	days := ByDay(vals, func(x v) providers.Date { return providers.DateOf(x.at) })
	if len(days) != 2 || len(days[providers.DateOf(t0)]) != 1 || len(days[providers.DateOf(t0).AddDays(1)]) != 2 {
		t.Fatalf("by day %v", days)
	}
}
