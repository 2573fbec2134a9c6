package auth

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/auth/tokenstore"
)

// TestMain runs helper subprocesses (the test binary re-executed with
// FITTUI_AUTH_HELPER set) or the tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv("FITTUI_AUTH_HELPER"); mode != "" {
		os.Exit(runHelper(mode))
	}
	os.Exit(m.Run())
}

// freePort returns a port that was free a moment ago (listen on :0, then
// close). Only for providers that need a fixed port in the redirect.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// portFree reports whether port can be bound now.
func portFree(port int) bool {
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func debugLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// googleFake is a Google-style server: any loopback port, secret in the
// form, non-rotating refresh tokens.
func googleFake(t *testing.T) (*oauthtest.Server, Config) {
	t.Helper()
	s := oauthtest.New(oauthtest.Config{
		ClientID: "gid.apps.googleusercontent.com", ClientSecret: "gsecret",
		ClientAuth: oauthtest.ClientAuthParams, LoopbackAnyPort: true,
		RefreshExpiresIn: 7 * 24 * time.Hour,
	})
	t.Cleanup(s.Close)
	return s, Config{
		Provider: "googlehealth", ClientID: "gid.apps.googleusercontent.com", ClientSecret: "gsecret",
		AuthURL: s.AuthURL(), TokenURL: s.TokenURL(), RevokeURL: s.RevokeURL(),
		HTTPClient: s.Client(),
	}
}

// fitbitFake is a Fitbit-style server: exact redirect URI on a fixed
// port, rotating refresh tokens, Fitbit error bodies. secret "" makes a
// public ("Client" type) app.
func fitbitFake(t *testing.T, secret string) (*oauthtest.Server, Config) {
	t.Helper()
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", freePort(t))
	s := oauthtest.New(oauthtest.Config{
		ClientID: "23ABCD", ClientSecret: secret, ClientAuth: oauthtest.ClientAuthHeader,
		RedirectURIs: []string{redirect}, RotateRefresh: true, FitbitErrors: true,
		FitbitFragment: true, UserID: "26FWFL", RevokeClientAuth: true,
		Scopes: []string{"activity", "heartrate", "sleep"}, // the person unticked some
	})
	t.Cleanup(s.Close)
	return s, Config{
		Provider: "fitbit", ClientID: "23ABCD", ClientSecret: secret,
		AuthURL: s.AuthURL(), TokenURL: s.TokenURL(), RevokeURL: s.RevokeURL(),
		RedirectURL: redirect, HTTPClient: s.Client(),
	}
}

func openStore(t *testing.T) *tokenstore.Store {
	t.Helper()
	st, warn, err := tokenstore.Open(t.TempDir())
	if err != nil || warn != nil {
		t.Fatal(err, warn)
	}
	return st
}

// seed stores a token pair for account as if it had signed in.
func seed(t *testing.T, st *tokenstore.Store, provider, account string, p oauthtest.Pair, expiry time.Time) {
	t.Helper()
	rec := &tokenstore.Record{Provider: provider, Account: account, Scopes: []string{"activity"},
		Token: tokenstore.Token{AccessToken: p.AccessToken, TokenType: "Bearer", RefreshToken: p.RefreshToken, Expiry: expiry}}
	if err := st.Save(rec); err != nil {
		t.Fatal(err)
	}
}

func mustLoad(t *testing.T, st *tokenstore.Store, account string) tokenstore.Record {
	t.Helper()
	rec, err := st.Load(account)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func startLogin(t *testing.T, cfg Config) *Login {
	t.Helper()
	l, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// noSecrets fails if text contains any of the secrets.
func noSecrets(t *testing.T, what, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if len(s) >= 6 && strings.Contains(text, s) {
			t.Errorf("%s contains a secret (%.6s…)", what, s)
		}
	}
}
