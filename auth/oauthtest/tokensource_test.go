package oauthtest

import (
	"context"
	"testing"

	"github.com/fittui/fittui/providers"
)

func TestTokenSourceRotatesAndSignsOut(t *testing.T) {
	for _, auth := range []ClientAuth{ClientAuthHeader, ClientAuthParams} {
		s := New(Config{ClientID: "id", ClientSecret: "secret", ClientAuth: auth, RotateRefresh: true})
		ts := NewTokenSource(s, s.TokenURL(), s.Grant("activity"), "fitbit", "me")
		ctx := context.Background()
		first, _ := ts.AccessToken(ctx)
		second, err := ts.ForceRefresh(ctx)
		if err != nil || second == first || !s.ValidAccessToken(second) {
			t.Fatalf("auth %d: refresh gave %v, valid %v", auth, err, s.ValidAccessToken(second))
		}
		// The rotated refresh token is the one spent next time.
		if _, err := ts.ForceRefresh(ctx); err != nil {
			t.Fatalf("auth %d: second refresh: %v", auth, err)
		}
		s.RevokeAll()
		_, err = ts.ForceRefresh(ctx)
		if providers.KindOf(err) != providers.KindSignIn {
			t.Fatalf("auth %d: after revoke: %v", auth, err)
		}
		if ts.Refreshes() != 3 || s.Counts().Refresh != 3 {
			t.Fatalf("auth %d: %d refreshes tried, server saw %d", auth, ts.Refreshes(), s.Counts().Refresh)
		}
		s.Close()
	}
}
