package state

import (
	"errors"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/textfmt"
)

// Status is what the accounts pane says about an account.
type Status int

const (
	StatusIdle Status = iota // nothing asked yet
	StatusLoading
	StatusOK
	StatusSigningIn
	StatusSignIn // sign in again
	StatusRateLimited
	StatusOffline
	StatusGone
	StatusBadData
	StatusError
)

// Status derives the account's status from its newest error, its requests
// in flight and whether anything ever arrived.
func (a *Account) Status() Status {
	if a.SigningIn {
		return StatusSigningIn
	}
	if err := a.Err(); err != nil {
		switch providers.KindOf(err) {
		case providers.KindSignIn:
			return StatusSignIn
		case providers.KindRateLimited:
			return StatusRateLimited
		case providers.KindGone:
			return StatusGone
		case providers.KindUnreachable:
			return StatusOffline
		case providers.KindBadData:
			return StatusBadData
		}
		return StatusError
	}
	if a.Loading() {
		return StatusLoading
	}
	if a.LastUpdate.IsZero() {
		return StatusIdle
	}
	return StatusOK
}

// StatusText is the status in words, e.g. "rate limited until 14:30".
// Times are shown in the account's zone when known.
func (a *Account) StatusText() string {
	switch st := a.Status(); st {
	case StatusIdle:
		return "waiting"
	case StatusLoading:
		return "loading…"
	case StatusOK:
		if !a.Through.IsZero() {
			return "archive, through " + a.Through.In(time.UTC).Format("Jan 2 2006")
		}
		return "ok"
	case StatusSigningIn:
		return "signing in…"
	case StatusSignIn:
		return "sign in again"
	case StatusRateLimited:
		if _, unshared := providers.BudgetUnshared(a.Err()); unshared {
			return "budget not shared"
		}
		if pe, ok := providers.AsError(a.Err()); ok && !pe.RetryAt.IsZero() {
			return "rate limited until " + pe.RetryAt.In(a.Location(pe.RetryAt.Location())).Format("15:04")
		}
		return "rate limited"
	case StatusOffline:
		return "offline"
	case StatusGone:
		return "provider gone"
	case StatusBadData:
		return "bad data"
	}
	return "error"
}

// UncheckedAfter is how long an account's last answer vouches for it on
// the dashboard refreshing every refresh: past that, "ok" would be a claim
// about the present that nobody checked (another account on the same dead
// server already reads "offline"). The engine asks every account again
// at least every 5 minutes (or every refresh, when longer); an account
// that answers directly (demo, an archive) therefore never reads
// unchecked, one whose cache still holds a fresh profile (30 minutes) does.
func UncheckedAfter(refresh time.Duration) time.Duration {
	return max(5*time.Minute, refresh) + refresh
}

// Unchecked reports how long ago the provider last answered for an
// account that reads ok, when that is after or longer.
func (a *Account) Unchecked(now time.Time, after time.Duration) (time.Duration, bool) {
	if a.Status() != StatusOK {
		return 0, false
	}
	d := now.Sub(a.LastUpdate)
	return d, d >= after
}

// StatusTextAt is StatusText as of now: a rate limit whose time has
// passed says it ended ("rate limit ended 06:37", not "until 06:37" at
// 06:39), and an ok account unanswered for after or longer says "not
// checked for 12m" ("checking…" while a request runs).
func (a *Account) StatusTextAt(now time.Time, after time.Duration) string {
	switch a.Status() {
	case StatusOK:
		if d, ok := a.Unchecked(now, after); ok {
			for _, f := range a.inflight {
				if f {
					return "checking…"
				}
			}
			return "not checked for " + textfmt.Span(d)
		}
	case StatusRateLimited:
		if pe, ok := providers.AsError(a.Err()); ok && !pe.RetryAt.IsZero() && !now.Before(pe.RetryAt) {
			if _, unshared := providers.BudgetUnshared(a.Err()); !unshared {
				return "rate limit ended " + pe.RetryAt.In(a.Location(pe.RetryAt.Location())).Format("15:04")
			}
		}
	}
	return a.StatusText()
}

// StatusTextChanges is when StatusTextAt next reads differently with the
// clock alone (a request or an answer changes it too, but those redraw by
// themselves): when "ok" becomes "not checked for 5m", each new minute of
// that, when a rate limit ends. Zero: not by the clock.
func (a *Account) StatusTextChanges(now time.Time, after time.Duration) time.Time {
	switch a.Status() {
	case StatusOK:
		d, unchecked := a.Unchecked(now, after)
		if !unchecked {
			return a.LastUpdate.Add(after)
		}
		for _, f := range a.inflight {
			if f {
				return time.Time{} // "checking…" until the answer
			}
		}
		return a.LastUpdate.Add(textfmt.SpanChanges(d))
	case StatusRateLimited:
		if pe, ok := providers.AsError(a.Err()); ok && !pe.RetryAt.IsZero() && now.Before(pe.RetryAt) {
			if _, unshared := providers.BudgetUnshared(a.Err()); !unshared {
				return pe.RetryAt
			}
		}
	}
	return time.Time{}
}

// ErrMessage is the newest error's message for a person: the provider's
// Message (which says what to do) when it is a providers.Error.
func ErrMessage(err error) string { return errText(err, nil) }

// errText is ErrMessage with the time requests resume in loc (nil: as
// the error wrote it).
func errText(err error, loc *time.Location) string {
	if err == nil {
		return ""
	}
	if pe, ok := providers.AsError(err); ok && pe.Message != "" {
		return pe.Text(loc)
	}
	return err.Error()
}

// Message is err's message for a person, for this account, with every
// time in the account's zone: a failure the cache covered with older data
// says so ("offline, last updated 14:05: …", "rate limited until 15:00,
// last updated 14:05"); one it did not cover claims no data is shown.
func (a *Account) Message(err error) string {
	loc := a.Location(time.Local)
	var stale *providers.StaleError
	if !errors.As(err, &stale) {
		return errText(err, loc)
	}
	switch providers.KindOf(err) {
	case providers.KindRateLimited:
		return stale.Line(loc) // the line is the message, in one zone
	case providers.KindUnreachable, providers.KindUnknown:
		return stale.Line(loc) + ": " + errText(stale.Err, loc)
	}
	if stale.Updated.IsZero() {
		return errText(stale.Err, loc)
	}
	return errText(stale.Err, loc) + " (showing data from " + stale.Updated.In(loc).Format("15:04") + ")"
}
