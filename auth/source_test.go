package auth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fittui/fittui/auth/internal/savepoint"
	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/providers"
)

var noBackoff = func(int) time.Duration { return 0 }

func newSource(t *testing.T, cfg Config, st TokenStore, account string, opt SourceOptions) *Source {
	t.Helper()
	if opt.Backoff == nil {
		opt.Backoff = noBackoff
	}
	s, err := NewSource(cfg, st, account, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var expired = time.Now().Add(-time.Hour)

func TestFreshTokenNeedsNoRequest(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret")
	st := openStore(t)
	p := fake.Grant("activity")
	seed(t, st, "fitbit", "me", p, time.Now().Add(time.Hour))
	src := newSource(t, cfg, st, "me", SourceOptions{})
	for i := 0; i < 3; i++ {
		tok, err := src.Token()
		if err != nil || tok.AccessToken != p.AccessToken {
			t.Fatalf("Token: %v %v", tok, err)
		}
		if tok.RefreshToken != "" {
			t.Fatal("the refresh token leaves the Source")
		}
	}
	if c := fake.Counts(); c.Token != 0 {
		t.Fatalf("%d token requests for a fresh token", c.Token)
	}
}

func TestExpiredTokenRefreshedOnceAndSavedRotated(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret")
	st := openStore(t)
	p := fake.Grant("activity")
	seed(t, st, "fitbit", "me", p, expired)
	src := newSource(t, cfg, st, "me", SourceOptions{})
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == p.AccessToken || !fake.ValidAccessToken(tok.AccessToken) {
		t.Fatal("did not get a new, valid access token")
	}
	rec := mustLoad(t, st, "me")
	if rec.Token.AccessToken != tok.AccessToken || rec.Token.RefreshToken == p.RefreshToken || rec.Token.RefreshToken == "" {
		t.Fatal("the rotated token was not saved")
	}
	if !rec.Token.Expiry.After(time.Now()) {
		t.Fatal("saved expiry is not in the future")
	}
	// Near expiry counts as expired (margin), fresh does not.
	for i := 0; i < 3; i++ {
		if _, err := src.Token(); err != nil {
			t.Fatal(err)
		}
	}
	if c := fake.Counts(); c.Refresh != 1 {
		t.Fatalf("%d refreshes, want 1", c.Refresh)
	}
}

func TestNearExpiryIsRefreshed(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret")
	st := openStore(t)
	seed(t, st, "fitbit", "me", fake.Grant("a"), time.Now().Add(30*time.Second))
	src := newSource(t, cfg, st, "me", SourceOptions{ExpiryMargin: time.Minute})
	if _, err := src.Token(); err != nil {
		t.Fatal(err)
	}
	if c := fake.Counts(); c.Refresh != 1 {
		t.Fatalf("token 30s from expiry not refreshed (margin 1m)")
	}
}

func TestRefreshWithoutRefreshTokenKeepsOld(t *testing.T) {
	fake, cfg := googleFake(t) // Google: refresh answers carry no refresh_token
	st := openStore(t)
	p := fake.Grant("x")
	seed(t, st, "googlehealth", "me", p, expired)
	src := newSource(t, cfg, st, "me", SourceOptions{})
	if _, err := src.Token(); err != nil {
		t.Fatal(err)
	}
	rec := mustLoad(t, st, "me")
	if rec.Token.RefreshToken != p.RefreshToken {
		t.Fatal("refresh token lost after a refresh answer without one")
	}
	if rec.RefreshExpiry.IsZero() {
		t.Fatal("refresh_token_expires_in not recorded")
	}
	// And it still works for the next refresh.
	if _, err := src.RefreshNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c := fake.Counts(); c.Refresh != 2 {
		t.Fatalf("refreshes %d", c.Refresh)
	}
}

func TestInvalidGrantMeansSignInOnceAndForAll(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret") // Fitbit echoes the token in errors
	st := openStore(t)
	p := fake.Grant("x")
	seed(t, st, "fitbit", "me", p, expired)
	fake.RevokeAll()
	src := newSource(t, cfg, st, "me", SourceOptions{})
	_, err := src.Token()
	if providers.KindOf(err) != providers.KindSignIn {
		t.Fatalf("got %v, want KindSignIn", err)
	}
	if !strings.Contains(err.Error(), "fittui auth login fitbit --account me") {
		t.Fatalf("message does not say what to do: %v", err)
	}
	noSecrets(t, "invalid_grant error", err.Error(), fake.Secrets())
	if c := fake.Counts(); c.Refresh != 1 {
		t.Fatalf("%d refresh requests, want 1 (no retry loop)", c.Refresh)
	}
	rec := mustLoad(t, st, "me")
	if !rec.NeedsSignIn || !strings.Contains(rec.SignInReason, "invalid_grant") {
		t.Fatalf("account not marked: %+v", rec)
	}
	// Later calls, and other processes, do not try the dead token again.
	src2 := newSource(t, cfg, st, "me", SourceOptions{})
	for _, s := range []*Source{src, src2} {
		if _, err := s.Token(); providers.KindOf(err) != providers.KindSignIn {
			t.Fatalf("second call: %v", err)
		}
		if _, err := s.RefreshNow(context.Background()); providers.KindOf(err) != providers.KindSignIn {
			t.Fatalf("force: %v", err)
		}
	}
	if c := fake.Counts(); c.Refresh != 1 {
		t.Fatalf("%d refresh requests after marking, want 1", c.Refresh)
	}
}

func TestServerErrorsRetriedWithSameRefreshToken(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret") // rotating: a different token would fail
	st := openStore(t)
	p := fake.Grant("x")
	seed(t, st, "fitbit", "me", p, expired)
	fake.FailNext(2, http.StatusServiceUnavailable)
	var waits []int
	src := newSource(t, cfg, st, "me", SourceOptions{Backoff: func(n int) time.Duration { waits = append(waits, n); return 0 }})
	if _, err := src.Token(); err != nil {
		t.Fatalf("after two 503s: %v", err)
	}
	if c := fake.Counts(); c.Refresh != 3 {
		t.Fatalf("%d refresh requests, want 3", c.Refresh)
	}
	if fmt.Sprint(waits) != "[1 2]" {
		t.Fatalf("backoff calls %v", waits)
	}

	// Always failing: give up after MaxAttempts as "unreachable", token
	// untouched and not marked.
	seed(t, st, "fitbit", "you", fake.Grant("x"), expired)
	before := mustLoad(t, st, "you")
	fake.FailNext(100, http.StatusInternalServerError)
	src = newSource(t, cfg, st, "you", SourceOptions{MaxAttempts: 3})
	n0 := fake.Counts().Refresh
	_, err := src.Token()
	if providers.KindOf(err) != providers.KindUnreachable {
		t.Fatalf("got %v, want KindUnreachable", err)
	}
	if got := fake.Counts().Refresh - n0; got != 3 {
		t.Fatalf("%d attempts, want 3", got)
	}
	after := mustLoad(t, st, "you")
	if after.NeedsSignIn || after.Token != before.Token {
		t.Fatal("a transient failure changed the stored token")
	}
}

// countingTransport counts requests and fails them as a network would.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	c.n.Add(1)
	return nil, errors.New("connection refused")
}

func TestNetworkErrorsRetried(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret")
	st := openStore(t)
	seed(t, st, "fitbit", "me", fake.Grant("x"), expired)
	tr := &countingTransport{}
	cfg.HTTPClient = &http.Client{Transport: tr}
	src := newSource(t, cfg, st, "me", SourceOptions{})
	_, err := src.Token()
	if providers.KindOf(err) != providers.KindUnreachable {
		t.Fatalf("got %v", err)
	}
	if tr.n.Load() != 4 {
		t.Fatalf("%d attempts, want the default 4", tr.n.Load())
	}
}

// flakyStore fails the next n saves, as a full disk would.
type flakyStore struct {
	*tokenstore.Store
	fail atomic.Int32
}

func (f *flakyStore) Save(rec *tokenstore.Record) error {
	if f.fail.Add(-1) >= 0 {
		return errors.New("no space left on device")
	}
	return f.Store.Save(rec)
}

func TestFailedSaveKeptInMemoryAndRetried(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret")
	st := openStore(t)
	p := fake.Grant("x")
	seed(t, st, "fitbit", "me", p, expired)
	fs := &flakyStore{Store: st}
	fs.fail.Store(1)
	var warnings []error
	src := newSource(t, cfg, fs, "me", SourceOptions{OnWarning: func(err error) { warnings = append(warnings, err) }})
	tok, err := src.Token()
	if err != nil {
		t.Fatalf("a failed save must not fail the call: %v", err)
	}
	var sw *SaveWarning
	if len(warnings) != 1 || !errors.As(warnings[0], &sw) || !errors.As(src.Unsaved(), &sw) {
		t.Fatalf("warnings %v, unsaved %v", warnings, src.Unsaved())
	}
	if !strings.Contains(sw.Error(), "kept in memory") {
		t.Fatalf("warning not loud enough: %v", sw)
	}
	noSecrets(t, "save warning", sw.Error(), fake.Secrets())
	if rec := mustLoad(t, st, "me"); rec.Token.RefreshToken != p.RefreshToken {
		t.Fatal("file changed although the save failed")
	}
	// Next call: saves the token from memory, no new refresh (the old
	// refresh token is spent; refreshing with it would fail).
	tok2, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok2.AccessToken != tok.AccessToken || src.Unsaved() != nil {
		t.Fatal("token in memory not used or not saved")
	}
	rec := mustLoad(t, st, "me")
	if rec.Token.AccessToken != tok.AccessToken {
		t.Fatal("token in memory not written on the next call")
	}
	if c := fake.Counts(); c.Refresh != 1 {
		t.Fatalf("%d refreshes, want 1", c.Refresh)
	}
	// A process started now uses the saved (rotated) token and can refresh.
	other := newSource(t, cfg, st, "me", SourceOptions{})
	if _, err := other.RefreshNow(context.Background()); err != nil {
		t.Fatalf("rotated token not usable: %v", err)
	}
}

func TestUnsavedTokenYieldsToNewerStoredOne(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret")
	st := openStore(t)
	seed(t, st, "fitbit", "me", fake.Grant("x"), expired)
	fs := &flakyStore{Store: st}
	fs.fail.Store(1)
	src := newSource(t, cfg, fs, "me", SourceOptions{})
	if _, err := src.Token(); err != nil {
		t.Fatal(err)
	}
	// Meanwhile the person signs in again elsewhere.
	fresh := fake.Grant("x")
	seed(t, st, "fitbit", "me", fresh, time.Now().Add(time.Hour))
	tok, err := src.RefreshNow(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rec := mustLoad(t, st, "me")
	if rec.Token.AccessToken != tok.AccessToken || rec.Token.RefreshToken == fresh.RefreshToken {
		t.Fatal("did not continue from the newer stored token")
	}
	if src.Unsaved() != nil {
		t.Fatal("stale unsaved token kept")
	}
}

func TestAnotherSourceRefreshedMeanwhile(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret")
	st := openStore(t)
	seed(t, st, "fitbit", "me", fake.Grant("x"), expired)
	a := newSource(t, cfg, st, "me", SourceOptions{})
	b := newSource(t, cfg, st, "me", SourceOptions{})
	ta, err := a.Token()
	if err != nil {
		t.Fatal(err)
	}
	tb, err := b.Token()
	if err != nil {
		t.Fatal(err)
	}
	if ta.AccessToken != tb.AccessToken {
		t.Fatal("second source did not pick up the first one's token")
	}
	if c := fake.Counts(); c.Refresh != 1 {
		t.Fatalf("%d refreshes, want 1", c.Refresh)
	}
}

func TestForceRefreshAfterRefusedToken(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret")
	st := openStore(t)
	seed(t, st, "fitbit", "me", fake.Grant("x"), time.Now().Add(time.Hour))
	var ts providers.TokenSource = newSource(t, cfg, st, "me", SourceOptions{})
	ctx := context.Background()
	t1, err := ts.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The API refused t1: a forced refresh gets a new one.
	t2, err := ts.ForceRefresh(ctx)
	if err != nil || t2 == t1 || fake.Counts().Refresh != 1 {
		t.Fatalf("force refresh: %v, %d refreshes", err, fake.Counts().Refresh)
	}
	// Another process refreshes meanwhile; when the API refuses t2 here,
	// the newer stored token is used without spending another refresh.
	other := newSource(t, cfg, st, "me", SourceOptions{})
	t3, err := other.RefreshNow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ts.ForceRefresh(ctx)
	if err != nil || got != t3.AccessToken {
		t.Fatalf("got %v, want the token the other process stored", err)
	}
	if c := fake.Counts(); c.Refresh != 2 {
		t.Fatalf("%d refreshes, want 2", c.Refresh)
	}
	// A long-lived token without refresh token that the API refuses means
	// signing in again; RefreshNow on it says there is nothing to do.
	seed(t, st, "misfit", "m", oauthtest.Pair{AccessToken: "long"}, time.Time{})
	mcfg := Config{Provider: "misfit", ClientID: "m", ClientSecret: "s"}
	if _, err := newSource(t, mcfg, st, "m", SourceOptions{}).RefreshNow(ctx); err == nil || !strings.Contains(err.Error(), "nothing to refresh") {
		t.Fatalf("RefreshNow without refresh token: %v", err)
	}
	ms := newSource(t, mcfg, st, "m", SourceOptions{})
	ms.AccessToken(ctx)
	if _, err := ms.ForceRefresh(ctx); providers.KindOf(err) != providers.KindSignIn {
		t.Fatalf("refused long-lived token: %v", err)
	}
}

func TestConcurrentCallersInOneProcess(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret")
	st := openStore(t)
	seed(t, st, "fitbit", "me", fake.Grant("x"), expired)
	srcs := []*Source{newSource(t, cfg, st, "me", SourceOptions{}), newSource(t, cfg, st, "me", SourceOptions{})}
	var wg sync.WaitGroup
	toks := make([]string, 8)
	for i := range toks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := srcs[i%2].Token()
			if err != nil {
				t.Error(err)
				return
			}
			toks[i] = tok.AccessToken
		}()
	}
	wg.Wait()
	for _, tk := range toks {
		if tk != toks[0] {
			t.Fatal("callers got different tokens")
		}
	}
	if c := fake.Counts(); c.Refresh != 1 {
		t.Fatalf("%d refreshes, want 1", c.Refresh)
	}
}

func TestMissingAndCorruptTokensNeedSignIn(t *testing.T) {
	_, cfg := fitbitFake(t, "fsecret")
	st := openStore(t)
	src := newSource(t, cfg, st, "ghost", SourceOptions{})
	if _, err := src.Token(); providers.KindOf(err) != providers.KindSignIn {
		t.Fatalf("missing: %v", err)
	}
	path, _ := st.Path("bad")
	os.WriteFile(path, []byte("{garbage"), 0o600)
	src = newSource(t, cfg, st, "bad", SourceOptions{})
	_, err := src.Token()
	if providers.KindOf(err) != providers.KindSignIn || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("corrupt: %v", err)
	}
}

func TestExpiredWithoutRefreshTokenNeedsSignIn(t *testing.T) {
	s := oauthtest.New(oauthtest.Config{ClientID: "m", ClientSecret: "s", NoRefreshTokens: true, OmitScope: true})
	defer s.Close()
	cfg := Config{Provider: "misfit", ClientID: "m", ClientSecret: "s", TokenURL: s.TokenURL(), AuthURL: s.AuthURL()}
	st := openStore(t)
	seed(t, st, "misfit", "old", s.Grant(), expired)
	src := newSource(t, cfg, st, "old", SourceOptions{})
	if _, err := src.Token(); providers.KindOf(err) != providers.KindSignIn {
		t.Fatalf("got %v", err)
	}
	// A token without expiry (Misfit's long-lived ones) is always fresh.
	p := s.Grant()
	seed(t, st, "misfit", "forever", p, time.Time{})
	src = newSource(t, cfg, st, "forever", SourceOptions{})
	if tok, err := src.Token(); err != nil || tok.AccessToken != p.AccessToken {
		t.Fatalf("long-lived token: %v", err)
	}
	if c := s.Counts(); c.Token != 0 {
		t.Fatal("token request without a refresh token")
	}
}

func TestClientAuthorizesRequests(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret")
	api := httptest.NewServer(fake.RequireBearer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })))
	defer api.Close()
	st := openStore(t)
	seed(t, st, "fitbit", "me", fake.Grant("x"), expired)
	src := newSource(t, cfg, st, "me", SourceOptions{})
	resp, err := src.Client(context.Background()).Get(api.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func TestRevoke(t *testing.T) {
	// Fitbit: client auth header, token in the form; ends the grant.
	fake, cfg := fitbitFake(t, "fsecret")
	st := openStore(t)
	p := fake.Grant("x")
	seed(t, st, "fitbit", "me", p, time.Now().Add(time.Hour))
	src := newSource(t, cfg, st, "me", SourceOptions{})
	if err := src.Revoke(context.Background()); err != nil {
		t.Fatal(err)
	}
	if fake.ValidAccessToken(p.AccessToken) || fake.Counts().Revoke != 1 {
		t.Fatal("not revoked")
	}
	// Revoking again: the token is already dead; that is fine.
	if err := src.Revoke(context.Background()); err != nil {
		t.Fatalf("second revoke: %v", err)
	}

	// Google: the token alone, no client credentials.
	gfake, gcfg := googleFake(t)
	gp := gfake.Grant("x")
	seed(t, st, "googlehealth", "g", gp, time.Now().Add(time.Hour))
	if err := newSource(t, gcfg, st, "g", SourceOptions{}).Revoke(context.Background()); err != nil {
		t.Fatal(err)
	}
	if gfake.ValidAccessToken(gp.AccessToken) {
		t.Fatal("google token not revoked")
	}

	// Misfit: no endpoint.
	mcfg := Config{Provider: "misfit", ClientID: "m", ClientSecret: "s"}
	seed(t, st, "misfit", "m", oauthtest.Pair{AccessToken: "a"}, time.Time{})
	if err := newSource(t, mcfg, st, "m", SourceOptions{}).Revoke(context.Background()); !errors.Is(err, ErrNoRevoke) {
		t.Fatalf("misfit: %v", err)
	}

	// Jawbone: DELETE with the access token as Bearer.
	var got string
	jb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Method + " " + r.Header.Get("Authorization")
	}))
	defer jb.Close()
	jcfg := Config{Provider: "jawbone", ClientID: "j", ClientSecret: "s", RevokeURL: jb.URL}
	seed(t, st, "jawbone", "j", oauthtest.Pair{AccessToken: "jat", RefreshToken: "jrt"}, time.Now().Add(time.Hour))
	if err := newSource(t, jcfg, st, "j", SourceOptions{}).Revoke(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got != "DELETE Bearer jat" {
		t.Fatalf("jawbone revoke sent %q", got)
	}
}

func TestSaveGrantStoresLoginResult(t *testing.T) {
	fake, cfg := fitbitFake(t, "")
	l := startLogin(t, cfg)
	if _, err := fake.Browse(context.Background(), l.URL()); err != nil {
		t.Fatal(err)
	}
	g, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	path, err := SaveGrant(context.Background(), st, "me", g)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := st.Path("me"); path != want {
		t.Fatalf("path %s", path)
	}
	list, _ := st.List()
	if len(list) != 1 || list[0].Provider != "fitbit" || strings.Join(list[0].Scopes, " ") != "activity heartrate sleep" || !list[0].HasRefresh {
		t.Fatalf("list: %+v", list)
	}
	rec := mustLoad(t, st, "me")
	if rec.UserID != "26FWFL" || rec.Token.AccessToken != g.Token.AccessToken {
		t.Fatalf("record: %+v", rec.UserID)
	}
	src := newSource(t, cfg, st, "me", SourceOptions{})
	if tok, err := src.Token(); err != nil || tok.AccessToken != g.Token.AccessToken {
		t.Fatalf("source after login: %v", err)
	}
	if _, err := SaveGrant(context.Background(), st, "../evil", g); err == nil {
		t.Fatal("bad account name accepted")
	}
}

// ---- two processes ----

// runHelper is the subprocess side: refresh account "me" once and print
// the access token it ends with. Its debug log goes to stderr.
func runHelper(mode string) int {
	switch mode {
	case "refresh":
	case "refresh-stop":
		// Stop dead after the new token's temporary file is complete and
		// before the rename, and say where: the parent kills us there.
		savepoint.BeforeRename = func(tmp string) {
			fmt.Println("TEMP", tmp)
			select {}
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown helper", mode)
		return 2
	}
	st, _, err := tokenstore.Open(os.Getenv("FITTUI_TEST_STORE"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	cfg := Config{
		Provider: "fitbit", ClientID: "23ABCD", ClientSecret: "fsecret",
		TokenURL: os.Getenv("FITTUI_TEST_TOKEN_URL"),
		Logger:   slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	src, err := NewSource(cfg, st, "me", SourceOptions{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	tok, err := src.Token()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ERROR", err)
		return 1
	}
	fmt.Println("TOKEN", tok.AccessToken)
	return 0
}

func TestTwoProcessesRefreshOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	fake, _ := fitbitFake(t, "fsecret")
	st := openStore(t)
	seed(t, st, "fitbit", "me", fake.Grant("x"), expired)
	arrived, release := fake.HoldToken()
	defer release()

	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	type proc struct {
		cmd *exec.Cmd
		out strings.Builder
	}
	waitingSeen := make(chan struct{}, 2)
	var procs []*proc
	var readers sync.WaitGroup
	for i := 0; i < 2; i++ {
		p := &proc{cmd: exec.Command(exe, "-test.run=^$")}
		p.cmd.Env = append(os.Environ(), "FITTUI_AUTH_HELPER=refresh",
			"FITTUI_TEST_STORE="+st.Dir(), "FITTUI_TEST_TOKEN_URL="+fake.TokenURL())
		p.cmd.Stdout = &p.out
		stderr, err := p.cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		readers.Add(1)
		go func() {
			defer readers.Done()
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				if strings.Contains(sc.Text(), "waiting for the refresh lock") {
					waitingSeen <- struct{}{}
				}
			}
		}()
		procs = append(procs, p)
	}
	// One process is inside its refresh (held at the fake, holding the
	// lock); the other is blocked on the lock. Only then let it finish.
	failsafe := time.After(60 * time.Second)
	for _, ch := range []<-chan struct{}{arrived, waitingSeen} {
		select {
		case <-ch:
		case <-failsafe:
			t.Fatal("helpers did not reach the refresh and the lock")
		}
	}
	release()
	readers.Wait()
	var toks []string
	for _, p := range procs {
		if err := p.cmd.Wait(); err != nil {
			t.Fatalf("helper failed: %v", err)
		}
		tok, ok := strings.CutPrefix(strings.TrimSpace(p.out.String()), "TOKEN ")
		if !ok {
			t.Fatalf("helper output %q", p.out.String())
		}
		toks = append(toks, tok)
	}
	if c := fake.Counts(); c.Refresh != 1 {
		t.Fatalf("%d refresh requests, want exactly 1", c.Refresh)
	}
	rec := mustLoad(t, st, "me")
	if toks[0] != toks[1] || toks[0] != rec.Token.AccessToken || !fake.ValidAccessToken(toks[0]) {
		t.Fatal("processes did not both end with the newest token")
	}
}
