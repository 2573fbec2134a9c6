package fitbittest

import "github.com/fittui/fittui/auth/oauthtest"

// Tokens is a providers.TokenSource for tests: it refreshes through the
// fake's token endpoint, spending the single-use refresh token each time.
type Tokens = oauthtest.TokenSource

// Tokens grants a pair and returns a token source holding it.
func (s *Server) Tokens() *Tokens {
	return s.Server.Tokens(Name)
}

// Name is the provider name used in the errors Tokens returns.
const Name = "fitbit"
