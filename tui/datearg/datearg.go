// Package datearg reads the dates a person types: in the history pane's
// date prompt and after `fittui today --date`. It knows the calendar date
// "YYYY-MM-DD", the words "today" and "yesterday", and offsets back from
// today: "-7d" (days), "-2w" (weeks), "-3m" (months), "-1y" (years).
package datearg

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// maxOffset bounds the number in an offset: more than this is a typo, not
// a date anyone has data for (and it keeps the arithmetic small).
const maxOffset = 100000

// Help is one line naming the forms Parse accepts, for prompts and flags.
const Help = "YYYY-MM-DD, today, yesterday, -7d, -2w, -3m or -1y"

// Parse returns the date s names, relative to today. Surrounding spaces
// and letter case do not matter. The error says what was wrong and which
// forms are accepted; it never echoes more than the input.
func Parse(s string, today providers.Date) (providers.Date, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	switch in {
	case "":
		return providers.Date{}, errors.New("no date given; type " + Help)
	case "today", "t":
		return today, nil
	case "yesterday", "y":
		return today.AddDays(-1), nil
	}
	if strings.HasPrefix(in, "-") {
		return offset(s, in[1:], today)
	}
	if d, err := calendar(in); err == nil {
		return d, nil
	} else if looksLikeDate(in) {
		return providers.Date{}, err
	}
	return providers.Date{}, fmt.Errorf("%q is not a date: type %s", strings.TrimSpace(s), Help)
}

// calendar parses YYYY-MM-DD, saying which part is wrong.
func calendar(in string) (providers.Date, error) {
	t, err := time.Parse(time.DateOnly, in)
	if err == nil {
		return providers.DateOf(t), nil
	}
	parts := strings.Split(in, "-")
	if len(parts) == 3 {
		y, ey := strconv.Atoi(parts[0])
		m, em := strconv.Atoi(parts[1])
		d, ed := strconv.Atoi(parts[2])
		switch {
		case ey != nil || em != nil || ed != nil || len(parts[0]) != 4:
		case m < 1 || m > 12:
			return providers.Date{}, fmt.Errorf("%q: there is no month %d", in, m)
		case d < 1 || d > daysIn(y, time.Month(m)):
			return providers.Date{}, fmt.Errorf("%q: %s %d has %d days", in, time.Month(m), y, daysIn(y, time.Month(m)))
		}
	}
	return providers.Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", in)
}

func looksLikeDate(in string) bool {
	return strings.Count(in, "-") == 2 && len(in) >= 8 && in[0] >= '0' && in[0] <= '9'
}

// offset reads "7d", "2w", "3m" or "1y" (the part after the minus).
func offset(orig, in string, today providers.Date) (providers.Date, error) {
	bad := func(why string) (providers.Date, error) {
		return providers.Date{}, fmt.Errorf("%q %s: type -7d (days), -2w (weeks), -3m (months) or -1y (years)", strings.TrimSpace(orig), why)
	}
	if len(in) < 2 {
		return bad("is not an offset")
	}
	unit := in[len(in)-1]
	n, err := strconv.Atoi(in[:len(in)-1])
	switch {
	case err != nil || strings.ContainsAny(in[:len(in)-1], "+-"):
		return bad("is not an offset")
	case n > maxOffset:
		return bad("is too far back")
	}
	switch unit {
	case 'd':
		return today.AddDays(-n), nil
	case 'w':
		return today.AddDays(-7 * n), nil
	case 'm':
		return addMonths(today, -n), nil
	case 'y':
		return addMonths(today, -12*n), nil
	}
	return bad("has no unit d, w, m or y")
}

// addMonths moves d by n calendar months, keeping the day of the month
// where the target month has it and otherwise taking its last day
// (May 31 - 3 months is Feb 28 or 29, not Mar 3).
func addMonths(d providers.Date, n int) providers.Date {
	idx := d.Year*12 + int(d.Month) - 1 + n
	y, m := idx/12, time.Month(idx%12+1)
	if idx < 0 { // far before year 0: keep the arithmetic sane
		y, m = 0, time.January
	}
	return providers.Date{Year: y, Month: m, Day: min(d.Day, daysIn(y, m))}
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}
