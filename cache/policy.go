package cache

import (
	"time"

	"github.com/fittui/fittui/providers"
)

// Defaults of Policy.
const (
	DefaultRefresh   = time.Minute
	DefaultYesterday = 3 * time.Hour
	DefaultProfile   = 30 * time.Minute
)

// Policy says how long cached data stays fresh.
//
// Freshness goes by the age of the data, counted in the account's time
// zone, not by the age of the entry alone:
//
//   - Today (and any later day) is re-fetched once its entry is older than
//     Refresh (the dashboard's refresh interval, 1 minute by default; the
//     scheduler stretches it when the request budget runs low).
//   - Yesterday is re-fetched when its entry was written before yesterday
//     ended (it is missing the evening) or is older than Yesterday
//     (3 hours by default): devices sync late, so yesterday's numbers
//     still change during the morning.
//   - Settled days (before yesterday) are kept for good once fetched after
//     the day ended; an entry written while the day was still running is
//     re-fetched once. Only the person's refresh (`r`) fetches them again.
//   - The profile (time zone, devices, battery) is re-fetched after
//     Profile (30 minutes by default).
//
// A person's refresh makes everything fetched before it stale, whatever
// its age, except per-day entries (summaries, intraday series) of days
// more than RefreshDays ago: a year of those asked again would spend
// hours of a provider's budget, and ranges already refresh those days'
// totals.
type Policy struct {
	Refresh   time.Duration // today; 0: DefaultRefresh
	Yesterday time.Duration // yesterday; 0: DefaultYesterday
	Profile   time.Duration // profile and devices; 0: DefaultProfile
}

// DefaultPolicy is the policy with every default.
func DefaultPolicy() Policy {
	return Policy{Refresh: DefaultRefresh, Yesterday: DefaultYesterday, Profile: DefaultProfile}
}

func (p Policy) withDefaults() Policy {
	if p.Refresh <= 0 {
		p.Refresh = DefaultRefresh
	}
	if p.Yesterday <= 0 {
		p.Yesterday = DefaultYesterday
	}
	if p.Profile <= 0 {
		p.Profile = DefaultProfile
	}
	return p
}

// Fresh reports whether data about day, fetched at fetched, may still be
// served at now, for an account in loc. It is a pure function of its
// arguments.
func (p Policy) Fresh(day providers.Date, fetched, now time.Time, loc *time.Location) bool {
	p = p.withDefaults()
	if loc == nil {
		loc = time.UTC
	}
	if fetched.After(now) { // a clock that went backwards: do not trust it
		return false
	}
	age := now.Sub(fetched)
	today := providers.DateOf(now.In(loc))
	dayEnd := day.AddDays(1).In(loc)
	switch {
	case !day.Before(today):
		return age < p.Refresh
	case day == today.AddDays(-1):
		return !fetched.Before(dayEnd) && age < p.Yesterday
	default:
		return !fetched.Before(dayEnd)
	}
}

// ProfileFresh reports whether a profile fetched at fetched may still be
// served at now.
func (p Policy) ProfileFresh(fetched, now time.Time) bool {
	p = p.withDefaults()
	return !fetched.After(now) && now.Sub(fetched) < p.Profile
}

// Entry keys.
func summaryKey(d providers.Date) string  { return EntrySummary + "-" + d.String() }
func intradayKey(d providers.Date) string { return EntryIntraday + "-" + d.String() }
func dailyKey(d providers.Date) string    { return EntryDaily + "-" + d.String() }
func sleepKey(d providers.Date) string    { return EntrySleep + "-" + d.String() }

const profileKey = EntryProfile
