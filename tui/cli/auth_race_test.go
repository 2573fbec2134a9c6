package cli

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/tui/cli/clitest"
)

// notifyWriter is an output stream that closes seen when want is written,
// so a test waits on that instead of polling.
type notifyWriter struct {
	syncBuffer
	want string
	once sync.Once
	seen chan struct{}
}

func newNotifyWriter(want string) *notifyWriter {
	return &notifyWriter{want: want, seen: make(chan struct{})}
}

func (w *notifyWriter) Write(p []byte) (int, error) {
	n, err := w.syncBuffer.Write(p)
	if strings.Contains(w.syncBuffer.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}

// failsafe is how long a test waits for something that should come at
// once; reaching it is a failure, not a timing guess.
const failsafe = 60 * time.Second

// TestAuthLogoutWaitsForARefresh: `auth logout` while a refresh is at the
// provider waits for the account's lock, then revokes the token that
// refresh saved and deletes it. The token file does not come back.
func TestAuthLogoutWaitsForARefresh(t *testing.T) {
	isolate(t)
	fake, _ := fitbitFake(t)
	first := fake.Grant("activity")
	path := seed(t, "fitbit", "me", first, "activity")
	arrived, release := fake.HoldToken()
	defer release()

	refresh := start(t, nil, "auth", "refresh")
	select {
	case <-arrived:
	case <-time.After(failsafe):
		t.Fatal("the refresh never reached the provider")
	}
	waiting := newNotifyWriter("Waiting for another fittui to finish refreshing the token of me")
	logout := start(t, func(a *app) { a.errOut = waiting }, "auth", "logout", "me")
	select {
	case <-waiting.seen:
	case code := <-logout.code:
		logout.code <- code
		t.Log("logout did not wait for the refresh")
	case <-time.After(failsafe):
		t.Fatal("logout neither waited nor finished")
	}
	release()
	if code := refresh.wait(t); code != 0 {
		t.Errorf("refresh: exit %d: %s", code, refresh.err.String())
	}
	if code := logout.wait(t); code != 0 {
		t.Errorf("logout: exit %d: %s%s", code, logout.out.String(), waiting.String())
	}
	if _, err := load(t, "me"); !errors.Is(err, tokenstore.ErrNoToken) {
		t.Fatalf("the token file came back after logout: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("token file: %v", err)
	}
	if c := fake.Counts(); c.Revoke != 1 || c.Refresh != 1 {
		t.Errorf("counts %+v", c)
	}
	for _, s := range fake.Secrets() {
		if strings.HasPrefix(s, "at-") && fake.ValidAccessToken(s) {
			t.Error("an access token is still valid after logout: the refreshed one was not revoked")
		}
	}
}

// TestAuthRefreshFinishesTheSaveOnSignal: the fittui binary running `auth refresh`
// gets SIGTERM or SIGHUP after the provider has rotated the refresh token
// and before its answer arrives. It does not die with the only copy of the
// new token: it waits for the answer, saves it, and exits.
func TestAuthRefreshFinishesTheSaveOnSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			isolate(t)
			fake, _ := fitbitFake(t)
			first := fake.Grant("activity")
			seed(t, "fitbit", "me", first, "activity")
			arrived, release := fake.HoldAnswer()
			defer release()

			cmd := exec.Command(clitest.Binary(t), "--debug", "auth", "refresh")
			var stdout syncBuffer
			cmd.Stdout = &stdout
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			acked := make(chan struct{})
			var log syncBuffer
			readDone := make(chan struct{})
			go func() {
				defer close(readDone)
				sc := bufio.NewScanner(stderr)
				once := sync.Once{}
				for sc.Scan() {
					log.Write([]byte(sc.Text() + "\n"))
					if strings.Contains(sc.Text(), "asked to stop while the provider answers a refresh") {
						once.Do(func() { close(acked) })
					}
				}
			}()
			select {
			case <-arrived: // the provider has rotated the token; the answer waits
			case <-time.After(failsafe):
				cmd.Process.Kill()
				t.Fatal("the refresh never reached the provider")
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-acked:
			case <-readDone: // the process ended (before the fix: killed by the signal)
			case <-time.After(failsafe):
				cmd.Process.Kill()
				t.Fatal("no word from fittui after the signal")
			}
			release()
			<-readDone
			err = cmd.Wait()
			rec, lerr := load(t, "me")
			if lerr != nil || rec.Token.RefreshToken == first.RefreshToken || rec.NeedsSignIn || !fake.ValidAccessToken(rec.Token.AccessToken) {
				t.Fatalf("the rotated token was lost (exit %v, stored %v):\n%s", err, lerr, log.String())
			}
			if err != nil || !strings.Contains(stdout.String(), "me (fitbit): refreshed") {
				t.Errorf("exit %v, stdout %q", err, stdout.String())
			}
			noSecrets(t, "debug log", log.String(), fake)
		})
	}
}
