package auth

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fittui/fittui/auth/internal/savepoint"
	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/providers"
)

// temps lists the temporary files beside the token files.
func temps(t *testing.T, st *tokenstore.Store) []string {
	t.Helper()
	des, err := os.ReadDir(st.Dir())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, de := range des {
		if strings.Contains(de.Name(), ".tmp-") {
			out = append(out, de.Name())
		}
	}
	return out
}

// TestKilledRefreshIsRecovered: a `fittui` refreshing a rotating token is
// SIGKILLed after the new token's temporary file is complete and before
// the rename (the child stops there and says so; no timing). The token
// file keeps the spent refresh token; the next use is refused with
// invalid_grant and recovers the account from the temporary file instead
// of asking for a new sign-in, then removes it.
func TestKilledRefreshIsRecovered(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	fake, cfg := fitbitFake(t, "fsecret")
	st := openStore(t)
	first := fake.Grant("x")
	seed(t, st, "fitbit", "me", first, expired)

	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "FITTUI_AUTH_HELPER=refresh-stop",
		"FITTUI_TEST_STORE="+st.Dir(), "FITTUI_TEST_TOKEN_URL="+fake.TokenURL())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if p, ok := strings.CutPrefix(sc.Text(), "TEMP "); ok {
				stopped <- p
				return
			}
		}
		close(stopped)
	}()
	var tmp string
	select {
	case tmp = <-stopped:
	case <-time.After(60 * time.Second): // failsafe only
		cmd.Process.Kill()
		t.Fatal("the child never reached the rename")
	}
	if tmp == "" {
		t.Fatalf("the child ended before the rename: %v", cmd.Wait())
	}
	cmd.Process.Kill()
	cmd.Wait()

	// The state a kill at that moment leaves.
	if rec := mustLoad(t, st, "me"); rec.Token.RefreshToken != first.RefreshToken {
		t.Fatal("the token file changed although the rename never happened")
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Fatalf("temporary file: %v", err)
	}
	if c := fake.Counts(); c.Refresh != 1 {
		t.Fatalf("%d refreshes before the kill", c.Refresh)
	}

	var logBuf syncBuffer
	cfg.Logger = debugLogger(&logBuf)
	tok, err := newSource(t, cfg, st, "me", SourceOptions{}).Token()
	if err != nil {
		t.Fatalf("the account was lost: %v", err)
	}
	if !fake.ValidAccessToken(tok.AccessToken) {
		t.Fatal("recovered token is not valid")
	}
	rec := mustLoad(t, st, "me")
	if rec.NeedsSignIn || rec.Token.AccessToken != tok.AccessToken {
		t.Fatalf("stored: %+v", rec)
	}
	if c := fake.Counts(); c.Refresh != 3 { // spent one refused, the orphan's accepted
		t.Fatalf("%d refreshes, want 3", c.Refresh)
	}
	if left := temps(t, st); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	if !strings.Contains(logBuf.String(), "recovered the account from the temporary file") {
		t.Errorf("debug log does not say what happened:\n%s", logBuf.String())
	}
	noSecrets(t, "debug log", logBuf.String(), fake.Secrets())
}

// killedRefresh refreshes src and "kills" it after the new token's
// temporary file is written: the goroutine exits there (its deferred
// unlocks run, as a dead process's locks go), so the rename never happens.
func killedRefresh(t *testing.T, src *Source) {
	t.Helper()
	savepoint.BeforeRename = func(string) { runtime.Goexit() }
	defer func() { savepoint.BeforeRename = nil }()
	done := make(chan struct{})
	go func() {
		defer close(done)
		src.RefreshNow(context.Background())
		t.Error("the refresh was not stopped before its rename")
	}()
	<-done
}

// TestRecoveryRules: orphans are tried newest first and across several
// kills in a row; one older than the token file (a later sign-in
// superseded it) is never tried and is removed; a token endpoint that
// cannot be reached during recovery leaves everything as it was.
func TestRecoveryRules(t *testing.T) {
	t.Run("two kills in a row", func(t *testing.T) {
		fake, cfg := fitbitFake(t, "fsecret")
		st := openStore(t)
		seed(t, st, "fitbit", "me", fake.Grant("x"), expired)
		killedRefresh(t, newSource(t, cfg, st, "me", SourceOptions{})) // orphan 1
		killedRefresh(t, newSource(t, cfg, st, "me", SourceOptions{})) // refused, orphan 1 adopted, orphan 2
		if n := len(temps(t, st)); n != 2 {
			t.Fatalf("%d temporary files, want 2", n)
		}
		before := fake.Counts().Refresh
		tok, err := newSource(t, cfg, st, "me", SourceOptions{}).Token()
		if err != nil || !fake.ValidAccessToken(tok.AccessToken) {
			t.Fatalf("not recovered: %v", err)
		}
		if n := fake.Counts().Refresh - before; n != 2 { // stored one refused, newest orphan accepted
			t.Fatalf("%d refreshes, want 2 (newest orphan first)", n)
		}
		if left := temps(t, st); len(left) != 0 {
			t.Fatalf("left: %v", left)
		}
	})

	t.Run("a later sign-in supersedes an orphan", func(t *testing.T) {
		fake, cfg := fitbitFake(t, "fsecret")
		st := openStore(t)
		seed(t, st, "fitbit", "me", fake.Grant("x"), expired)
		killedRefresh(t, newSource(t, cfg, st, "me", SourceOptions{})) // orphan holds a live token
		newer := fake.Grant("x")
		seed(t, st, "fitbit", "me", newer, expired) // signed in again: file newer than the orphan
		if err := newSource(t, cfg, st, "me", SourceOptions{}).Revoke(context.Background()); err != nil {
			t.Fatal(err)
		}
		before := fake.Counts().Refresh
		_, err := newSource(t, cfg, st, "me", SourceOptions{}).Token()
		if providers.KindOf(err) != providers.KindSignIn {
			t.Fatalf("got %v, want sign in again", err)
		}
		if n := fake.Counts().Refresh - before; n != 1 {
			t.Fatalf("%d refreshes: an older orphan was tried", n)
		}
		if left := temps(t, st); len(left) != 0 {
			t.Fatalf("superseded orphan kept: %v", left)
		}
	})

	t.Run("unreachable during recovery", func(t *testing.T) {
		fake, cfg := fitbitFake(t, "fsecret")
		st := openStore(t)
		seed(t, st, "fitbit", "me", fake.Grant("x"), expired)
		killedRefresh(t, newSource(t, cfg, st, "me", SourceOptions{}))
		var calls atomic.Int32
		down := &atomic.Bool{}
		cfg.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if calls.Add(1) > 1 && down.Load() {
				return nil, errors.New("network is down")
			}
			return http.DefaultTransport.RoundTrip(r)
		})}
		down.Store(true)
		_, err := newSource(t, cfg, st, "me", SourceOptions{MaxAttempts: 1}).Token()
		if providers.KindOf(err) != providers.KindUnreachable {
			t.Fatalf("got %v, want unreachable", err)
		}
		if rec := mustLoad(t, st, "me"); rec.NeedsSignIn {
			t.Fatal("marked for sign-in while the orphan was never tried")
		}
		if n := len(temps(t, st)); n != 1 {
			t.Fatalf("%d temporary files, want the orphan kept", n)
		}
		down.Store(false)
		if _, err := newSource(t, cfg, st, "me", SourceOptions{}).Token(); err != nil {
			t.Fatalf("not recovered once the network is back: %v", err)
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestRefreshNeverRecreatesADeletedFile: the token file is deleted while a
// refresh is at the provider (without the lock: a person's rm, or an older
// fittui's logout). The refresh does not bring it back, neither with a
// new token nor marked "sign in again".
func TestRefreshNeverRecreatesADeletedFile(t *testing.T) {
	for _, refused := range []bool{false, true} {
		name := map[bool]string{false: "refresh answered", true: "refresh refused"}[refused]
		t.Run(name, func(t *testing.T) {
			fake, cfg := fitbitFake(t, "fsecret")
			st := openStore(t)
			seed(t, st, "fitbit", "me", fake.Grant("x"), expired)
			arrived, release := fake.HoldToken()
			defer release()
			src := newSource(t, cfg, st, "me", SourceOptions{})
			done := make(chan error, 1)
			go func() { _, err := src.RefreshNow(context.Background()); done <- err }()
			<-arrived
			path, _ := st.Path("me")
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			if refused {
				fake.RevokeAll()
			}
			release()
			err := <-done
			if providers.KindOf(err) != providers.KindSignIn || !strings.Contains(err.Error(), "logged out") {
				t.Fatalf("got %v, want sign in again (logged out)", err)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the deleted token file came back: %v", err)
			}
			if _, err := src.Token(); providers.KindOf(err) != providers.KindSignIn {
				t.Fatalf("later call: %v", err)
			}
		})
	}
}

// lineWatch is a log sink that closes seen when a line containing want is
// written: a test waits on it instead of polling.
type lineWatch struct {
	syncBuffer
	want string
	once sync.Once
	seen chan struct{}
}

func (w *lineWatch) Write(p []byte) (int, error) {
	if strings.Contains(string(p), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return w.syncBuffer.Write(p)
}

// TestStopAfterSendStillSaves: cancelling a refresh whose request is at
// the provider (Ctrl+C, a signal, quitting the dashboard) does not drop
// the answer: the provider has already rotated the token, so the refresh
// waits for it and saves it; WaitForSaves reports the refresh in flight
// until then.
func TestStopAfterSendStillSaves(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret")
	st := openStore(t)
	first := fake.Grant("x")
	seed(t, st, "fitbit", "me", first, expired)
	watch := &lineWatch{want: "asked to stop while the provider answers", seen: make(chan struct{})}
	cfg.Logger = debugLogger(watch)
	arrived, release := fake.HoldAnswer()
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := newSource(t, cfg, st, "me", SourceOptions{}).RefreshNow(ctx); done <- err }()
	<-arrived // the provider has rotated the refresh token; its answer waits
	stopped, stop := context.WithCancel(context.Background())
	stop()
	if WaitForSaves(stopped) {
		t.Fatal("WaitForSaves saw no refresh in flight")
	}
	cancel()
	var err error
	select {
	case <-watch.seen:
		release()
		err = <-done
	case err = <-done:
	}
	if err != nil {
		t.Fatalf("refresh ended with %v; the rotated token is lost", err)
	}
	rec := mustLoad(t, st, "me")
	if rec.Token.RefreshToken == first.RefreshToken || rec.NeedsSignIn {
		t.Fatal("the rotated token was not saved")
	}
	if !WaitForSaves(stopped) {
		t.Fatal("a refresh is still counted in flight")
	}
	// And a refresh cancelled before its request goes out is simply cancelled.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if _, err := newSource(t, cfg, st, "me", SourceOptions{}).RefreshNow(ctx2); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before sending: %v", err)
	}
}
