package clitest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Dashboard runs the dashboard (bin with args) in tmux at 120x40 with env,
// on a private tmux socket, as a person would. It waits up to 20 s for the
// screen to show every one of wants, then presses q and waits for fittui
// to quit. It fails the test if either does not happen, and returns the
// screen it saw. ok is false, and nothing runs, when tmux is not installed.
func Dashboard(t testing.TB, bin string, env, wants []string, args ...string) (screen string, ok bool) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		return "", false
	}
	session := fmt.Sprintf("fittui-e2e-%d", os.Getpid())
	sock := filepath.Join(t.TempDir(), "tmux.sock")
	tmux := func(args ...string) (string, error) {
		c := exec.Command("tmux", append([]string{"-S", sock}, args...)...)
		c.Env = env
		b, err := c.CombinedOutput()
		return string(b), err
	}
	start := []string{"new-session", "-d", "-s", session, "-x", "120", "-y", "40"}
	for _, e := range env {
		start = append(start, "-e", e)
	}
	if out, err := tmux(append(append(start, bin), args...)...); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	defer tmux("kill-server")

	showsAll := func(screen string) bool {
		for _, w := range wants {
			if !strings.Contains(screen, w) {
				return false
			}
		}
		return true
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if screen, _ = tmux("capture-pane", "-p", "-t", session); showsAll(screen) {
			break
		}
	}
	if !showsAll(screen) {
		t.Fatalf("dashboard does not show all of %q:\n%s", wants, screen)
	}
	tmux("send-keys", "-t", session, "q")
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if _, err := tmux("has-session", "-t", session); err != nil {
			return screen, true // quit cleanly
		}
	}
	t.Fatalf("dashboard did not quit on q:\n%s", screen)
	return screen, true
}
