package datearg

import (
	"strings"
	"testing"

	"github.com/fittui/fittui/providers"
)

func TestParse(t *testing.T) {
	today := providers.Date{Year: 2024, Month: 5, Day: 31}
	for _, c := range []struct {
		in   string
		want string
	}{
		{"2024-02-29", "2024-02-29"},
		{" 2023-12-01 ", "2023-12-01"},
		{"today", "2024-05-31"},
		{"Yesterday", "2024-05-30"},
		{"-0d", "2024-05-31"},
		{"-7d", "2024-05-24"},
		{"-31d", "2024-04-30"},
		{"-2w", "2024-05-17"},
		{"-3m", "2024-02-29"}, // May 31 less 3 months: the last day of February
		{"-5m", "2023-12-31"},
		{"-1y", "2023-05-31"},
		{"-12m", "2023-05-31"},
	} {
		got, err := Parse(c.in, today)
		if err != nil || got.String() != c.want {
			t.Errorf("Parse(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	leap := providers.Date{Year: 2024, Month: 2, Day: 29}
	if got, _ := Parse("-1y", leap); got.String() != "2023-02-28" {
		t.Errorf("Parse(-1y) from Feb 29 = %v, want 2023-02-28", got)
	}
}

func TestParseErrorsSayWhy(t *testing.T) {
	today := providers.Date{Year: 2024, Month: 5, Day: 31}
	for _, c := range []struct{ in, want string }{
		{"", "no date given"},
		{"2024-13-01", "no month 13"},
		{"2023-02-29", "February 2023 has 28 days"},
		{"2024-1-1x", "YYYY-MM-DD"},
		{"-7", "not an offset"},
		{"-7x", "no unit"},
		{"--7d", "not an offset"},
		{"-999999d", "too far back"},
		{"last tuesday", "is not a date"},
	} {
		_, err := Parse(c.in, today)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) error = %v; want it to say %q", c.in, err, c.want)
		}
	}
}
