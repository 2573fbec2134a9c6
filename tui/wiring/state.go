package wiring

import (
	"errors"
	"fmt"
	"time"

	"github.com/fittui/fittui/auth/tokenstore"
)

// State codes of an account's token: what `fittui auth list --json` prints
// as "state".
const (
	StateValid       = "valid"         // the access token is good
	StateExpired     = "expired"       // refreshed on next use
	StateSignIn      = "sign_in_again" // Reason says why
	StateDamaged     = "damaged"       // the token file cannot be read; Reason says why
	StateNotSignedIn = "not_signed_in" // configured, no token stored
)

// TokenState is an account's token state, for lists. It never holds a
// token.
type TokenState struct {
	Code   string
	Expiry time.Time // of the access token; zero: none or does not expire
	Reason string    // for StateSignIn and StateDamaged; no secrets
}

// TokenState tells the state of acc's token at now.
func (a Account) TokenState(now time.Time) TokenState {
	e := a.Token
	if e == nil {
		return TokenState{Code: StateNotSignedIn}
	}
	if e.Err != nil {
		var ce *tokenstore.CorruptError
		if errors.As(e.Err, &ce) {
			return TokenState{Code: StateDamaged, Reason: ce.Reason}
		}
		return TokenState{Code: StateDamaged, Reason: e.Err.Error()}
	}
	st := TokenState{Expiry: e.Expiry}
	switch {
	case a.Provider != "" && e.Provider != a.Provider:
		st.Code, st.Reason = StateSignIn, fmt.Sprintf("the stored token is for %s, the configuration says %s", e.Provider, a.Provider)
	case e.NeedsSignIn:
		st.Code, st.Reason = StateSignIn, e.SignInReason
		if st.Reason == "" {
			st.Reason = "the provider refused the token"
		}
	case !e.RefreshExpiry.IsZero() && !now.Before(e.RefreshExpiry):
		st.Code, st.Reason = StateSignIn, "the refresh token expired on "+e.RefreshExpiry.In(now.Location()).Format("2006-01-02 15:04")
	case e.Expiry.IsZero() || now.Before(e.Expiry):
		st.Code = StateValid
	case e.HasRefresh:
		st.Code = StateExpired
	default:
		st.Code, st.Reason = StateSignIn, "the access token expired and the provider gave no refresh token"
	}
	return st
}

// Text is the state in words, e.g. "expired — refreshes on next use".
func (t TokenState) Text() string {
	switch t.Code {
	case StateValid:
		return "valid"
	case StateExpired:
		return "expired — refreshes on next use"
	case StateSignIn:
		return "sign in again (" + t.Reason + ")"
	case StateDamaged:
		return "damaged file (" + t.Reason + ")"
	case StateNotSignedIn:
		return "not signed in"
	}
	return t.Code
}
