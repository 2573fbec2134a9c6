package clitest

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
)

// Env is an environment for running fittui as a new user: HOME and the XDG
// folders in a fresh temporary folder, PATH, a terminal and a UTF-8 locale,
// then extra (FITTUI_* settings).
func Env(t testing.TB, extra ...string) []string {
	t.Helper()
	home := t.TempDir()
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color", "LANG=C.UTF-8"}
	for _, v := range []string{"CONFIG", "STATE", "CACHE", "DATA"} {
		env = append(env, "XDG_"+v+"_HOME="+filepath.Join(home, strings.ToLower(v)))
	}
	return append(env, extra...)
}

// Login runs `fittui auth login PROVIDER --no-browser` with env as a person
// would, reads the authorization URL it prints, approves it in srv's
// scripted browser (which follows the redirect to fittui's loopback
// callback) and waits for fittui to store the token. It fails the test when
// the URL does not start with authURL, when the login fails, when the code
// was exchanged other than once, or when anything printed holds one of
// srv's secrets.
func Login(t testing.TB, bin string, env []string, provider string, srv *oauthtest.Server, authURL string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	login := exec.CommandContext(ctx, bin, "auth", "login", provider, "--no-browser")
	login.Env = env
	stdout, _ := login.StdoutPipe()
	var stderr strings.Builder
	login.Stderr = &stderr
	if err := login.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewReader(stdout)
	link, err := out.ReadString('\n')
	if err != nil || !strings.HasPrefix(link, authURL+"?") {
		t.Fatalf("login printed %q (%v); stderr:\n%s", link, err, stderr.String())
	}
	res, err := srv.Browse(ctx, strings.TrimSpace(link))
	if err != nil || res.Status != 200 {
		t.Fatalf("browser: %v %+v", err, res)
	}
	rest, _ := io.ReadAll(out)
	if err := login.Wait(); err != nil {
		t.Fatalf("login: %v\nstdout: %s\nstderr:\n%s", err, rest, stderr.String())
	}
	if c := srv.Counts(); c.Exchange != 1 {
		t.Fatalf("OAuth counts %+v", c)
	}
	for _, sec := range srv.Secrets() {
		// The URL line carries state and challenge by design; nothing else may.
		if strings.Contains(stderr.String(), sec) || strings.Contains(string(rest), sec) {
			t.Fatal("a secret was printed by auth login")
		}
	}
}
