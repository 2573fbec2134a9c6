package takeout

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"time"

	"github.com/fittui/fittui/providers"
)

// The per-sample files (heart_rate-, steps-, distance-, calories-,
// altitude-) carry `MM/DD/YY HH:MM:SS` without a zone. In the real export
// checked they are UTC: each file covers local days, so a wearer at
// UTC+10 has heart_rate-2018-04-03.json starting at 04/02/18 14:00:00.
// Sleep, weight and the daily files are local or civil. Rather than trust
// that for every export generation, the import reads each per-sample
// family's clock from its files: where the first record of a file falls
// against local midnight of the file's date.

// Clock names.
const (
	ClockUTC   = "UTC"
	ClockLocal = "local"
)

// ClockFinding is which clock a file family was read in, and why.
type ClockFinding struct {
	Family string // heart_rate, steps, distance, calories, altitude, exercise
	Clock  string // ClockUTC or ClockLocal
	// Checked is how many files could be checked (their first record near
	// a day boundary); Agree how many of them pointed to Clock.
	Checked, Agree int
	// Why says it in words for the report.
	Why string
}

// firstRecord is a per-sample file's date (from its name) and its first
// record's time as written (a wall clock, held as UTC).
type firstRecord struct {
	day providers.Date
	t   time.Time
}

var reNameDate = regexp.MustCompile(`(\d{4}-\d{2}-\d{2})\.json$`)

// nameDate is the date in a file's name.
func nameDate(base string) (providers.Date, bool) {
	g := reNameDate.FindStringSubmatch(base)
	if g == nil {
		return providers.Date{}, false
	}
	d, err := providers.ParseDate(g[1])
	return d, err == nil
}

// nearBoundary: a first record this soon after a day's start counts as
// the file starting there (heart rate starts within seconds; minute files
// on the minute).
const nearBoundary = 30 * time.Minute

func naive(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// vote says what one file's first record points to: UTC, local, or
// nothing (the zone is UTC here, or the record is far from both starts).
func vote(f firstRecord, loc *time.Location) string {
	local := f.day.In(time.UTC)
	utc := naive(f.day.In(loc).UTC())
	if local.Equal(utc) {
		return ""
	}
	dl, du := f.t.Sub(local), f.t.Sub(utc)
	switch {
	case dl >= 0 && dl < nearBoundary && !(du >= 0 && du < dl):
		return ClockLocal
	case du >= 0 && du < nearBoundary:
		return ClockUTC
	}
	return ""
}

// offsetHint is the zone offset the files' starts suggest when they are
// read in UTC: a file named for day D starting at 14:00 the day before is
// a wearer at UTC+10. Zero when the files say nothing.
func offsetHint(fs []firstRecord) time.Duration {
	count := map[time.Duration]int{}
	for _, f := range fs {
		d := f.day.In(time.UTC).Sub(f.t.Truncate(15 * time.Minute))
		if d == 0 || d > 14*time.Hour || d < -12*time.Hour {
			continue
		}
		count[d]++
	}
	best, n := time.Duration(0), 0
	for d, c := range count {
		if c > n || c == n && d < best {
			best, n = d, c
		}
	}
	if n*2 <= len(fs) { // not most of the files: no pattern
		return 0
	}
	return best
}

// decideClocks reads each family's clock from its files' first records.
// A family whose files say nothing takes the clock most other families
// showed, else UTC (what the checked export used).
func decideClocks(firsts map[string][]firstRecord, loc *time.Location) map[string]ClockFinding {
	out := map[string]ClockFinding{}
	var undecided []string
	utcFam, localFam := 0, 0
	for fam, fs := range firsts {
		var u, l int
		for _, f := range fs {
			switch vote(f, loc) {
			case ClockUTC:
				u++
			case ClockLocal:
				l++
			}
		}
		c := ClockFinding{Family: fam, Checked: u + l}
		switch {
		case u == 0 && l == 0:
			undecided = append(undecided, fam)
			continue
		case l > u:
			c.Clock, c.Agree = ClockLocal, l
			localFam++
			c.Why = fmt.Sprintf("%d of %d files checked start at local midnight of the day they are named for", l, c.Checked)
		default:
			c.Clock, c.Agree = ClockUTC, u
			utcFam++
			c.Why = fmt.Sprintf("%d of %d files checked start at local midnight in UTC (%s)", u, c.Checked, utcStartWords(fs, loc))
		}
		out[fam] = c
	}
	sort.Strings(undecided)
	for _, fam := range undecided {
		c := ClockFinding{Family: fam, Clock: ClockUTC}
		switch {
		case localFam > utcFam:
			c.Clock, c.Why = ClockLocal, "its files could not be checked; read like the other per-sample files"
		case utcFam > 0:
			c.Why = "its files could not be checked; read like the other per-sample files"
		case loc == time.UTC:
			c.Why = "the time zone is UTC, so the clocks cannot differ"
		default:
			c.Why = "its files could not be checked; read as UTC, as in the export checked"
		}
		out[fam] = c
	}
	return out
}

// utcStartWords describes where local midnight falls in UTC, e.g.
// "13:00 or 14:00 the day before".
func utcStartWords(fs []firstRecord, loc *time.Location) string {
	seen := map[string]bool{}
	var out []string
	before := false
	for _, f := range fs {
		u := f.day.In(loc).UTC()
		before = before || providers.DateOf(u).Before(f.day)
		s := u.Format("15:04")
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	if len(out) > 3 {
		out = out[:3]
	}
	s := ""
	for i, x := range out {
		if i > 0 {
			s += " or "
		}
		s += x
	}
	if before {
		return s + " the day before"
	}
	return s + " the same day"
}

// offsetWords is "UTC+10:00".
func offsetWords(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	h := int(d / time.Hour)
	m := int(math.Round(float64(d%time.Hour) / float64(time.Minute)))
	return fmt.Sprintf("UTC%s%02d:%02d", sign, h, m)
}
