package providers

import "time"

// StaleError is a provider failure that older data covers: the data that
// came with it is the last good data, fetched at Updated. Its kind is the
// failure's (offline, rate limited, sign in again), so an account shows
// the failure while its data stays on screen.
type StaleError struct {
	Err     error
	Updated time.Time // when the data shown was fetched; zero: never
}

func (e *StaleError) Error() string { return e.Line(time.Local) }
func (e *StaleError) Unwrap() error { return e.Err }

// Line says what happened, with times in loc: "offline, last updated
// 14:05", "rate limited until 15:00, last updated 14:05" (or "request
// budget spent until", "request budget not shared: why"), and for
// failures the person must act on, the provider's own message (what
// happened and what to do). "never updated" when nothing was ever
// fetched; "" without a failure.
func (e *StaleError) Line(loc *time.Location) string {
	if e.Err == nil {
		return ""
	}
	if loc == nil {
		loc = time.Local
	}
	updated := "never updated"
	if !e.Updated.IsZero() {
		updated = "last updated " + e.Updated.In(loc).Format("15:04")
	}
	pe, _ := AsError(e.Err)
	switch KindOf(e.Err) {
	case KindRateLimited:
		// "rate limited until 15:00", "request budget spent until 15:00",
		// "request budget not shared: why", in loc like updated.
		return pe.Text(loc) + ", " + updated
	case KindSignIn, KindGone, KindBadData:
		return e.Err.Error() + " (" + updated + ")"
	}
	return "offline, " + updated
}
