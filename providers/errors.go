package providers

import (
	"errors"
	"fmt"
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

// ErrRateLimited builds a KindRateLimited error.
func ErrRateLimited(provider string, until time.Time) *Error {
	return &Error{Kind: KindRateLimited, Provider: provider, RetryAt: until,
		Message: fmt.Sprintf("rate limited until %s; cached data is shown meanwhile", until.Format("15:04"))}
}

// ErrGone builds a KindGone error.
func ErrGone(provider, message string) *Error {
	return &Error{Kind: KindGone, Provider: provider, Message: message}
}

// ErrUnreachable builds a KindUnreachable error.
func ErrUnreachable(provider string, cause error) *Error {
	return &Error{Kind: KindUnreachable, Provider: provider, Err: cause,
		Message: "cannot reach the provider; showing the last data we have and retrying"}
}

// ErrBadData builds a KindBadData error.
func ErrBadData(provider, what string, cause error) *Error {
	return &Error{Kind: KindBadData, Provider: provider, Err: cause,
		Message: fmt.Sprintf("the provider sent data we cannot read (%s); keeping the last good data", what)}
}

// BudgetSpentError is fittui's own request budget for an account refusing
// a request before it is sent (the shared budget's HTTP transport returns
// it): no request goes out until Until. The shared HTTP layer turns it
// into a KindRateLimited *Error, in one place; nothing pretends the
// provider answered.
type BudgetSpentError struct {
	Until time.Time
}

func (e *BudgetSpentError) Error() string {
	return "fittui's request budget for this account is spent until " + e.Until.Format(time.RFC3339)
}

// ErrBudgetSpent builds the KindRateLimited error of a spent budget.
func ErrBudgetSpent(provider string, until time.Time) *Error {
	e := ErrRateLimited(provider, until)
	e.Message = fmt.Sprintf("request budget spent until %s; cached data is shown meanwhile", until.Format("15:04"))
	return e
}
