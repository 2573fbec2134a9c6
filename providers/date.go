package providers

import (
	"context"
	"fmt"
	"time"
)

// Date is a civil date (no time, no zone). Providers report days in the
// account's own time zone, so a Date only becomes an instant together with
// that zone (see In).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns d moved by n days (n may be negative).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

// DaysUntil returns the number of days from d to o (negative if o is before d).
func (d Date) DaysUntil(o Date) int {
	a := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	b := time.Date(o.Year, o.Month, o.Day, 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// MarshalText implements encoding.TextMarshaler (YYYY-MM-DD).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler (YYYY-MM-DD).
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MaxRangeDays bounds the ranges a provider is asked for (20 years).
const MaxRangeDays = 20 * 366

// CheckRange validates a range asked of provider: it must not end before
// it starts nor be longer than MaxRangeDays. end is to clamped to today;
// any is false when the whole range is after today.
func CheckRange(provider string, from, to, today Date) (end Date, any bool, err error) {
	switch {
	case to.Before(from):
		return to, false, fmt.Errorf("%s: date range %s..%s ends before it starts", provider, from, to)
	case from.DaysUntil(to) >= MaxRangeDays:
		return to, false, fmt.Errorf("%s: date range %s..%s is longer than 20 years; ask for less", provider, from, to)
	}
	if to.After(today) {
		to = today
	}
	return to, !from.After(to), nil
}

// Span is the part of a range an account can have data for: in the
// account's zone Loc, From..To with To clipped to today; Any is false when
// all of the range is after today.
type Span struct {
	From, To Date
	Loc      *time.Location
	Any      bool
}

// SpanOf checks from..to (CheckRange) against today in the account's zone,
// which locate finds (a provider's kept zone, or its profile the first
// time); now is the provider's clock.
func SpanOf(ctx context.Context, provider string, now func() time.Time,
	locate func(context.Context) (*time.Location, error), from, to Date) (Span, error) {
	loc, err := locate(ctx)
	if err != nil {
		return Span{}, err
	}
	end, any, err := CheckRange(provider, from, to, DateOf(now().In(loc)))
	return Span{From: from, To: end, Loc: loc, Any: any}, err
}

// EmptyDays returns one DailyValues per day of from..to with only its
// date set, for a provider to fill in.
func EmptyDays(from, to Date) []DailyValues {
	out := make([]DailyValues, max(0, from.DaysUntil(to)+1))
	for i := range out {
		out[i].Date = from.AddDays(i)
	}
	return out
}
