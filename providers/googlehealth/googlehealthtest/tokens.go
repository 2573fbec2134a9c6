package googlehealthtest

import "github.com/fittui/fittui/auth/oauthtest"

// TokenSource is a providers.TokenSource for tests: it refreshes at the
// fake's token endpoint the way fittui's stored-token source does, turning
// invalid_grant into a KindSignIn error.
type TokenSource = oauthtest.TokenSource

// TokenSource grants a token pair (all Scopes when none are given) and
// returns a source for the account named account.
func (s *Server) TokenSource(account string, scopes ...string) *TokenSource {
	return oauthtest.NewTokenSource(s.OAuth, s.TokenURL(), s.Grant(scopes...), "googlehealth", account)
}
