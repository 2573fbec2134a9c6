package providers

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrorKind classifies a provider failure by what should happen next.
type ErrorKind int

const (
	// KindUnknown is any error that is not an *Error.
	KindUnknown ErrorKind = iota
	// KindSignIn: the token is missing, revoked or expired for good; the
	// person must sign in again. Never retried automatically.
	KindSignIn
	// KindRateLimited: wait until RetryAt.
	KindRateLimited
	// KindGone: the provider or API has been shut down for good.
	KindGone
	// KindUnreachable: network down, timeout, 5xx; retry with backoff.
	KindUnreachable
	// KindBadData: the provider answered with something we cannot read.
	KindBadData
)

func (k ErrorKind) String() string {
	switch k {
	case KindSignIn:
		return "sign in again"
	case KindRateLimited:
		return "rate limited"
	case KindGone:
		return "provider gone"
	case KindUnreachable:
		return "offline"
	case KindBadData:
		return "bad data"
	}
	return "error"
}

// Error is a provider failure the UI and scheduler can act on. Message is
// written for a person and says what to do; it never contains secrets.
type Error struct {
	Kind     ErrorKind
	Provider string    // registry name
	Message  string    // what happened and what to do
	RetryAt  time.Time // for KindRateLimited: when requests may resume
	Err      error     // underlying cause, may be nil
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Kind.String()
	}
	if e.Provider != "" {
		msg = e.Provider + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of err, or KindUnknown.
func KindOf(err error) ErrorKind {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Kind
	}
	return KindUnknown
}

// AsError returns err as an *Error if it is one.
func AsError(err error) (*Error, bool) {
	var pe *Error
	ok := errors.As(err, &pe)
	return pe, ok
}

// ErrSignIn builds a KindSignIn error.
func ErrSignIn(provider, account string, cause error) *Error {
	return &Error{Kind: KindSignIn, Provider: provider, Err: cause,
		Message: fmt.Sprintf("account %q needs signing in again: run `fittui auth login %s --account %s`", account, provider, account)}
}

// ErrRateLimited builds a KindRateLimited error. Its message claims
// nothing about cached data: only the caller knows whether any is shown.
func ErrRateLimited(provider string, until time.Time) *Error {
	return &Error{Kind: KindRateLimited, Provider: provider, RetryAt: until, Message: until15("rate limited", until)}
}

// until15 is what plus " until 15:04" (in until's own zone; Text shows it
// in another), or what alone for a zero until.
func until15(what string, until time.Time) string {
	if until.IsZero() {
		return what
	}
	return what + " until " + until.Format("15:04")
}

// Text is the message for a person with the time requests resume written
// in loc, so one line never mixes zones (the constructors write RetryAt
// in its own zone). loc nil: the message as it is.
func (e *Error) Text(loc *time.Location) string {
	msg := e.Message
	if msg == "" {
		msg = e.Kind.String()
	}
	if loc == nil || e.Kind != KindRateLimited || e.RetryAt.IsZero() {
		return msg
	}
	return strings.Replace(msg, e.RetryAt.Format("15:04"), e.RetryAt.In(loc).Format("15:04"), 1)
}

// ErrGone builds a KindGone error.
func ErrGone(provider, message string) *Error {
	return &Error{Kind: KindGone, Provider: provider, Message: message}
}

// ErrUnreachable builds a KindUnreachable error.
func ErrUnreachable(provider string, cause error) *Error {
	return &Error{Kind: KindUnreachable, Provider: provider, Err: cause,
		Message: "cannot reach the provider"}
}

// ErrBadData builds a KindBadData error.
func ErrBadData(provider, what string, cause error) *Error {
	return &Error{Kind: KindBadData, Provider: provider, Err: cause,
		Message: fmt.Sprintf("the provider sent data we cannot read (%s)", what)}
}

// BudgetSpentError is fittui's own request budget for an account refusing
// a request before it is sent (the shared budget's HTTP transport returns
// it): no request goes out until Until. The shared HTTP layer turns it
// into a KindRateLimited *Error, in one place; nothing pretends the
// provider answered.
//
// Unshared, when set, says instead that the budget cannot be shared with
// the account's other fittui processes (its state cannot be written:
// why): automatic requests are refused until it can, whatever the count.
type BudgetSpentError struct {
	Until    time.Time
	Unshared string
}

func (e *BudgetSpentError) Error() string {
	if e.Unshared != "" {
		return "fittui's request budget for this account is not shared: " + e.Unshared
	}
	return "fittui's request budget for this account is spent until " + e.Until.Format(time.RFC3339)
}

// ErrBudgetSpent builds the KindRateLimited error of a spent budget.
func ErrBudgetSpent(provider string, until time.Time) *Error {
	e := ErrRateLimited(provider, until)
	e.Message = until15("request budget spent", until)
	return e
}

// BudgetUnsharedError is the cause of the error ErrBudgetUnshared builds.
type BudgetUnsharedError struct {
	Why string
}

func (e *BudgetUnsharedError) Error() string {
	return "automatic requests are stopped until fittui can count them with its other processes"
}

// ErrBudgetUnshared builds the error of a request refused because the
// account's request budget cannot be shared (why): KindRateLimited with
// no time (the refusal lasts until the state can be written again), its
// message "request budget not shared: <why>".
func ErrBudgetUnshared(provider, why string) *Error {
	return &Error{Kind: KindRateLimited, Provider: provider, Err: &BudgetUnsharedError{Why: why},
		Message: "request budget not shared: " + why}
}

// BudgetUnshared reports whether err is a refusal of ErrBudgetUnshared,
// and why.
func BudgetUnshared(err error) (string, bool) {
	var u *BudgetUnsharedError
	if errors.As(err, &u) {
		return u.Why, true
	}
	return "", false
}
