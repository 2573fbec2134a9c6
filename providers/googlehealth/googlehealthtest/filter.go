package googlehealthtest

import (
	"fmt"
	"strings"
	"time"
)

// clause is one comparison of an AIP-160 filter: field op "literal".
type clause struct {
	field string // after the type prefix, e.g. "interval.civil_start_time"
	op    string // ">=" or "<"
	at    time.Time
}

// filterError is a 400 with a reason.
type filterError struct{ reason, msg string }

func (e *filterError) Error() string { return e.msg }

func ferr(reason, format string, args ...any) *filterError {
	return &filterError{reason, "Invalid data point filter: " + fmt.Sprintf(format, args...)}
}

// allowedFields are the filterable fields per record kind; sleep filters
// on its end time only.
func allowedFields(dt string) map[string]string {
	switch recordKind(dt) {
	case "sample":
		return map[string]string{"sample_time.physical_time": "physical", "sample_time.civil_time": "civil"}
	case "daily":
		return map[string]string{"date": "date"}
	case "session":
		if dt == "sleep" {
			return map[string]string{"interval.end_time": "physical", "interval.civil_end_time": "civil"}
		}
		return map[string]string{"interval.civil_start_time": "civil"}
	}
	return map[string]string{"interval.start_time": "physical", "interval.civil_start_time": "civil"}
}

// parseFilter reads filter for data type dt (path spelling). Only >= and
// <, joined with AND; literals in double quotes; physical times need a
// zone, civil ones must not have one.
func parseFilter(dt, filter string) ([]clause, error) {
	filter = strings.TrimSpace(filter)
	if filter == "" {
		return nil, nil
	}
	snake := strings.ReplaceAll(dt, "-", "_")
	fields := allowedFields(dt)
	var out []clause
	for _, part := range splitAnd(filter) {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, ferr("INVALID_DATA_POINT_FILTER_SYNTAX", "empty comparison")
		}
		if strings.Contains(part, " OR ") {
			return nil, ferr("INVALID_DATA_POINT_FILTER", "OR is not supported here")
		}
		var field, op, lit string
		for _, o := range []string{">=", "<=", "!=", ">", "<", "="} {
			if i := strings.Index(part, o); i > 0 {
				field, op, lit = strings.TrimSpace(part[:i]), o, strings.TrimSpace(part[i+len(o):])
				break
			}
		}
		if op == "" {
			return nil, ferr("INVALID_DATA_POINT_FILTER_SYNTAX", "no comparison in %q", part)
		}
		if op != ">=" && op != "<" {
			return nil, ferr("INVALID_DATA_POINT_FILTER", "operator %s is not supported; use >= and <", op)
		}
		if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
			return nil, ferr("INVALID_DATA_POINT_FILTER_SYNTAX", "the value of %s must be in double quotes", field)
		}
		lit = lit[1 : len(lit)-1]
		typ, rest, ok := strings.Cut(field, ".")
		if !ok {
			return nil, ferr("INVALID_DATA_POINT_FILTER_SYNTAX", "field %q has no data type", field)
		}
		if typ != snake {
			return nil, ferr("INVALID_DATA_POINT_FILTER_DATA_TYPE_RESTRICTION",
				"field %q does not belong to data type %s (filters spell it %s)", field, dt, snake)
		}
		kind, ok := fields[rest]
		if !ok {
			return nil, ferr("INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER", "%s cannot be filtered on %q", dt, rest)
		}
		at, err := parseLiteral(kind, lit)
		if err != nil {
			return nil, ferr("INVALID_DATA_POINT_FILTER", "%s: %v", field, err)
		}
		out = append(out, clause{field: rest, op: op, at: at})
	}
	// A window that is empty by construction.
	for _, lo := range out {
		for _, hi := range out {
			if lo.field == hi.field && lo.op == ">=" && hi.op == "<" && !lo.at.Before(hi.at) {
				return nil, ferr("INVALID_TIME_RANGE", "INVALID_TIME_RANGE")
			}
		}
	}
	return out, nil
}

func splitAnd(s string) []string {
	var out []string
	for {
		i := strings.Index(s, " AND ")
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i])
		s = s[i+5:]
	}
}

func parseLiteral(kind, lit string) (time.Time, error) {
	switch kind {
	case "physical":
		t, err := time.Parse(time.RFC3339Nano, lit)
		if err != nil {
			return t, fmt.Errorf("%q is not an RFC 3339 time with a zone", lit)
		}
		return t, nil
	case "date":
		t, err := time.Parse(time.DateOnly, lit)
		if err != nil {
			return t, fmt.Errorf("%q is not a date YYYY-MM-DD", lit)
		}
		return t, nil
	}
	for _, layout := range []string{time.DateOnly, "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, lit); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a civil time YYYY-MM-DD[THH:mm:ss] without a zone", lit)
}

// value is the item's value of field.
func (it *item) value(field string) time.Time {
	switch field {
	case "interval.start_time", "sample_time.physical_time":
		return it.physStart
	case "interval.end_time":
		return it.physEnd
	case "interval.civil_end_time":
		return it.civilEnd
	}
	return it.civilStart // civil start, civil sample time, date
}

func matches(it *item, cs []clause) bool {
	for _, c := range cs {
		v := it.value(c.field)
		if c.op == ">=" && v.Before(c.at) || c.op == "<" && !v.Before(c.at) {
			return false
		}
	}
	return true
}

// dayBounds turns the clauses into a generous range of record days to
// generate (the exact test is matches).
func (d *dataset) dayBounds(cs []clause) (lo, hi providersDate) {
	lo, hi = d.first(), d.today()
	for _, c := range cs {
		var day providersDate
		if c.field == "interval.start_time" || c.field == "interval.end_time" || c.field == "sample_time.physical_time" {
			day = dateOf(c.at.In(d.loc))
		} else {
			day = dateOf(c.at)
		}
		if c.op == ">=" {
			if b := day.AddDays(-1); b.After(lo) {
				lo = b
			}
		} else if b := day.AddDays(1); b.Before(hi) {
			hi = b
		}
	}
	return lo, hi
}

func dateOf(t time.Time) providersDate {
	y, m, d := t.Date()
	return providersDate{Year: y, Month: m, Day: d}
}
