package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/tui/cli/clitest"
)

// TestStandalone builds the command, starts it on a free port and checks
// that what it prints points at a working fake.
func TestStandalone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := clitest.Build(t, ".", "")
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-persona", "runner")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	env := map[string]string{}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(20 * time.Second)
	for len(env) < 6 {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("output ended early: %v", env)
			}
			if k, v, ok := strings.Cut(strings.TrimPrefix(l, "export "), "="); ok && strings.HasPrefix(l, "export ") {
				env[k] = v
			}
		case <-deadline:
			t.Fatalf("no output: %v", env)
		}
	}
	api := env["FITTUI_MISFIT_API_URL"]
	if !strings.HasPrefix(api, "http://127.0.0.1:") || env["FITTUI_MISFIT_TOKEN_URL"] != api+"/auth/tokens/exchange" ||
		env["FITTUI_MISFIT_AUTH_URL"] != api+"/auth/dialog/authorize" || env["FITTUI_MISFIT_CLIENT_ID"] == "" ||
		env["FITTUI_MISFIT_CLIENT_SECRET"] == "" {
		t.Fatalf("env %v", env)
	}
	resp, err := http.Get(api + "/move/resource/v1/user/me/profile")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || resp.Header.Get("X-RateLimit-Limit") != "150" {
		t.Fatalf("unauthenticated profile: %d %v", resp.StatusCode, resp.Header)
	}
}
