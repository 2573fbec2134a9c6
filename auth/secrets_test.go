package auth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/auth/tokenstore"
)

// TestDebugLogHasNoSecrets runs a --debug session end to end (a login
// with rejected callbacks and pastes, the save, refreshes, a rotated and a
// revoked refresh token, a failed save, revocation) and scans the log and
// every error for every secret the fake server issued or received.
func TestDebugLogHasNoSecrets(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret")
	var logBuf syncBuffer
	cfg.Logger = debugLogger(&logBuf)
	var texts []string
	keep := func(err error) {
		if err != nil {
			texts = append(texts, err.Error())
		}
	}

	l := startLogin(t, cfg)
	loc, err := fake.Approve(context.Background(), l.URL())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(loc)
	code, state := u.Query().Get("code"), u.Query().Get("state")
	// Rejections that carry the real code and state.
	keep(l.SubmitPaste(code))
	keep(l.SubmitPaste(l.RedirectURI() + "?code=" + code))
	keep(l.SubmitPaste(l.RedirectURI() + "?code=" + code + "&state=" + state + "x"))
	for _, bad := range []string{"?code=" + code + "&state=wrong", "?code=" + code} {
		resp, err := http.Get(l.RedirectURI() + bad)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if err := l.SubmitPaste(loc); err != nil {
		t.Fatal(err)
	}
	g, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st, _, err := tokenstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SaveGrant(context.Background(), st, "me", g); err != nil {
		t.Fatal(err)
	}

	// Refreshes: forced, then after a failed save, then refused.
	flaky := &flakyStore{Store: st}
	src := newSource(t, cfg, flaky, "me", SourceOptions{OnWarning: keep})
	if _, err := src.RefreshNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	flaky.fail.Store(1)
	if _, err := src.RefreshNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	keep(src.Unsaved())
	fake.FailNext(1, 502)
	if _, err := src.RefreshNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	fake.RevokeAll()
	_, err = src.RefreshNow(context.Background())
	if err == nil {
		t.Fatal("refresh with a revoked token succeeded")
	}
	keep(err)

	// A failed exchange and a revocation.
	l2 := startLogin(t, cfg.withPort(freePort(t)))
	loc2, _ := fake.Approve(context.Background(), l.URL()) // registered redirect, other state
	keep(l2.SubmitPaste(loc2))
	l2.Close()
	keep(func() error { _, err := l2.Wait(context.Background()); return err }())
	other, _ := fitbitFake(t, "fsecret")
	seed(t, st, "fitbit", "you", other.Grant("x"), time.Now().Add(-time.Hour))
	keep(newSource(t, cfg, st, "you", SourceOptions{}).Revoke(context.Background()))

	logText := logBuf.String()
	for _, want := range []string{"login started", "callback rejected", "paste rejected", "paste accepted",
		"code exchanged", "token refreshed", "token saved", "NOT saved", "refresh token refused"} {
		if !strings.Contains(logText, want) {
			t.Errorf("debug log lacks %q", want)
		}
	}
	secrets := append(fake.Secrets(), other.Secrets()...)
	secrets = append(secrets, code, state, l.verifier, l.state, l2.verifier, l2.state, g.Token.AccessToken, g.Token.RefreshToken)
	if len(secrets) < 15 {
		t.Fatalf("only %d secrets collected; the scan would prove little", len(secrets))
	}
	noSecrets(t, "debug log", logText, secrets)
	for i, text := range texts {
		noSecrets(t, "error text "+string(rune('a'+i)), text, secrets)
	}
	if len(texts) < 6 {
		t.Fatalf("only %d error texts checked", len(texts))
	}
}

func TestRedactURL(t *testing.T) {
	cases := map[string]string{
		"http://127.0.0.1:8484/callback?code=abc&state=def#_=_": "http://127.0.0.1:8484/callback",
		"https://user:pw@example.com/token?x=1":                 "https://example.com/token",
		"https://example.com/a?":                                "https://example.com/a",
		"::not a url":                                           "<url>",
	}
	for in, want := range cases {
		if got := RedactURL(in); got != want {
			t.Fatalf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClassifyNeverKeepsBodies(t *testing.T) {
	// A transport error keeps the URL without its query.
	_, _, clean := classify(&url.Error{Op: "Post", URL: "https://x/token?secret=1", Err: errors.New("refused")})
	if strings.Contains(clean.Error(), "secret") {
		t.Fatalf("query kept: %v", clean)
	}
	// A code that is not a code (a chatty server) is not repeated.
	if got := cleanCode("Refresh token invalid: rt-abc"); got != "unrecognised error" {
		t.Fatalf("cleanCode kept text: %q", got)
	}
	if got := cleanCode("invalid_grant"); got != "invalid_grant" {
		t.Fatal(got)
	}
}
