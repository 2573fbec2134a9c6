package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/tui/cli/clitest"

	"github.com/fittui/fittui/auth/tokenstore"
)

func TestLoginViaCallback(t *testing.T) {
	isolate(t)
	fake, port := fitbitFake(t)
	t.Setenv("DISPLAY", ":0") // a browser could open, but --no-browser
	l := start(t, nil, "auth", "login", "fitbit", "--no-browser")
	u := l.url(t)
	if !strings.HasPrefix(u, fake.AuthURL()+"?") || !strings.Contains(u, fmt.Sprintf("127.0.0.1%%3A%d%%2Fcallback", port)) {
		t.Errorf("URL %s", u)
	}
	res, err := fake.Browse(context.Background(), u)
	if err != nil || res.Status != http.StatusOK || !strings.Contains(res.Body, "Signed in") {
		t.Fatalf("browser got %d %v %q", res.Status, err, res.Body)
	}
	if code := l.wait(t); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, l.err.String())
	}
	select {
	case got := <-l.opened:
		t.Errorf("--no-browser opened %s", got)
	default:
	}
	st, _, _ := tokenstore.OpenDefault()
	path, _ := st.Path("fitbit")
	lines := strings.Split(strings.TrimSuffix(l.out.String(), "\n"), "\n")
	want := "Signed in: account fitbit (fitbit) — token saved to " + path
	if len(lines) != 2 || lines[0] != u || lines[1] != want {
		t.Errorf("stdout:\n%s\nwant the URL, then %q", l.out.String(), want)
	}
	rec, err := load(t, "fitbit")
	if err != nil || rec.Provider != "fitbit" || rec.UserID != "26FWFL" || !fake.ValidAccessToken(rec.Token.AccessToken) {
		t.Errorf("stored %+v %v", rec.Provider, err)
	}
	stderr := l.err.String()
	for _, want := range []string{`To sign in to Fitbit as account "fitbit"`, "paste it here", "Ctrl+C", "Got the answer"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "ssh -L") {
		t.Errorf("SSH hint without SSH:\n%s", stderr)
	}
	noSecrets(t, "stderr", stderr, fake)
	noSecrets(t, "stdout after the URL", lines[1], fake)
}

func TestLoginViaPaste(t *testing.T) {
	isolate(t)
	fake := googleFake(t)
	l := start(t, nil, "auth", "login", "googlehealth", "--account", "work", "--no-browser")
	u := l.url(t)
	loc, err := fake.Approve(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	// A bare code, then a wrong address: refused with a reason, the
	// login goes on.
	code := strings.SplitN(strings.SplitN(loc, "code=", 2)[1], "&", 2)[0]
	l.paste(t, code)
	l.waitErr(t, "Not accepted: that looks like a bare code")
	l.paste(t, "http://127.0.0.1:1/elsewhere?state=x&code=y")
	l.waitErr(t, "Not accepted: that address is not this sign-in's callback")
	l.paste(t, "")
	l.paste(t, "  "+loc+"  ")
	if code := l.wait(t); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, l.err.String())
	}
	if !strings.Contains(l.err.String(), "Pasted address accepted.") {
		t.Errorf("stderr:\n%s", l.err.String())
	}
	if rec, err := load(t, "work"); err != nil || rec.Provider != "googlehealth" {
		t.Errorf("stored %+v %v", rec, err)
	}
	if c := fake.Counts(); c.Exchange != 1 {
		t.Errorf("%d exchanges, want 1", c.Exchange)
	}
	if !strings.Contains(l.err.String(), `add an [[account]] named "work"`) {
		t.Errorf("no word on the account not being configured:\n%s", l.err.String())
	}
	noSecrets(t, "stderr", l.err.String(), fake)
}

func TestLoginStdinClosedStillWaitsForBrowser(t *testing.T) {
	isolate(t)
	fake := googleFake(t)
	in := &eofReader{eof: make(chan struct{})}
	l := start(t, func(a *app) { in.r = a.in; a.in = in }, "auth", "login", "googlehealth", "--no-browser")
	u := l.url(t)
	l.stdin.Close() // EOF, as with </dev/null
	<-in.eof        // and fittui has read it
	if _, err := fake.Browse(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	if code := l.wait(t); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, l.err.String())
	}
}

func TestLoginDenied(t *testing.T) {
	isolate(t)
	fake, _ := fitbitFake(t)
	fake.Deny(true)
	l := start(t, nil, "auth", "login", "fitbit", "--account", "me", "--no-browser")
	res, err := fake.Browse(context.Background(), l.url(t))
	if err != nil || !strings.Contains(res.Body, "denied") {
		t.Fatalf("browser got %v %q", err, res.Body)
	}
	if code := l.wait(t); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(l.err.String(), "fittui: fitbit: sign-in was denied in the browser; nothing was changed") {
		t.Errorf("stderr:\n%s", l.err.String())
	}
	if _, err := load(t, "me"); !errors.Is(err, tokenstore.ErrNoToken) {
		t.Errorf("a token was stored: %v", err)
	}
}

func TestLoginTimeoutAndCancel(t *testing.T) {
	isolate(t)
	fitbitFake(t)
	l := start(t, func(a *app) { a.loginTimeout = 100 * time.Millisecond }, "auth", "login", "fitbit", "--no-browser")
	l.url(t)
	if code := l.wait(t); code != 1 || !strings.Contains(l.err.String(), "fittui: fitbit: sign-in timed out waiting for the browser; nothing was changed") {
		t.Errorf("timeout: exit %d, stderr:\n%s", code, l.err.String())
	}

	l = start(t, nil, "auth", "login", "fitbit", "--no-browser")
	l.url(t)
	l.cancel() // Ctrl+C
	if code := l.wait(t); code != 1 || !strings.Contains(l.err.String(), "fittui: fitbit: sign-in cancelled; nothing was changed") {
		t.Errorf("cancel: exit %d, stderr:\n%s", code, l.err.String())
	}
}

func TestLoginOpensBrowserOnlyWithDisplayAndNoSSH(t *testing.T) {
	isolate(t)
	fake := googleFake(t)
	for _, v := range []string{"SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "WAYLAND_DISPLAY"} {
		t.Setenv(v, "")
	}
	t.Setenv("DISPLAY", ":0")
	l := start(t, nil, "auth", "login", "googlehealth")
	u := l.url(t)
	select {
	case got := <-l.opened:
		if got != u {
			t.Errorf("opened %q, want %q", got, u)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the browser was not opened")
	}
	fake.Browse(context.Background(), u)
	if code := l.wait(t); code != 0 {
		t.Fatalf("exit %d: %s", code, l.err.String())
	}

	// A failing opener is not an error.
	l = start(t, func(a *app) {
		a.openURL = func(string) error { return errors.New("could not open a browser (xdg-open): not found") }
	},
		"auth", "login", "googlehealth")
	u = l.url(t)
	l.waitErr(t, "open the link yourself")
	fake.Browse(context.Background(), u)
	if code := l.wait(t); code != 0 {
		t.Fatalf("exit %d: %s", code, l.err.String())
	}

	// Over SSH: no browser here, and the forwarding hint.
	t.Setenv("SSH_CONNECTION", "10.0.0.2 51234 10.0.0.1 2222")
	t.Setenv("USER", "ann")
	l = start(t, nil, "auth", "login", "googlehealth", "--account", "ssh")
	u = l.url(t)
	l.waitErr(t, "Waiting up to")
	port := strings.SplitN(strings.SplitN(u, "127.0.0.1%3A", 2)[1], "%2F", 2)[0]
	if want := fmt.Sprintf("ssh -p 2222 -L %s:127.0.0.1:%s ann@10.0.0.1", port, port); !strings.Contains(l.err.String(), want) {
		t.Errorf("stderr does not say %q:\n%s", want, l.err.String())
	}
	select {
	case got := <-l.opened:
		t.Errorf("opened a browser over SSH: %s", got)
	default:
	}
}

func TestLoginRefusals(t *testing.T) {
	isolate(t)
	path := writeConfig(t, "[[account]]\nname = \"me\"\nprovider = \"googlehealth\"\n")
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"fitbit"}, 2, "fittui: fitbit: no client id is set: set FITTUI_FITBIT_CLIENT_ID in the environment, or client_id = \"...\" under [provider.fitbit] in " + path},
		{[]string{"nope"}, 2, `fittui: cannot sign in to "nope": PROVIDER is one of googlehealth, fitbit, misfit, jawbone`},
		{[]string{"demo"}, 2, "fittui: demo accounts need no sign-in"},
		{[]string{}, 2, "fittui: accepts 1 arg(s), received 0"},
		{[]string{"fitbit", "--port", "70000"}, 2, "fittui: --port 70000: not a port number (1-65535)"},
		{[]string{"fitbit", "--account", "a/b"}, 2, `fittui: --account: account name "a/b" contains a path separator`},
		{[]string{"fitbit", "--account", "me"}, 2, `fittui: account "me" is a googlehealth account (in the configuration file ` + path + `), so it cannot sign in to fitbit`},
	} {
		r := run(t, nil, append([]string{"auth", "login"}, tc.args...)...)
		if r.code != tc.code || !strings.HasPrefix(r.err, tc.err) || r.out != "" {
			t.Errorf("%v: exit %d stderr %q\nwant %d %q", tc.args, r.code, r.err, tc.code, tc.err)
		}
	}
	r := run(t, nil, "auth", "login", "fitbit")
	for _, want := range []string{"dev.fitbit.com", "“Signing in” in the README"} {
		if !strings.Contains(r.err, want) {
			t.Errorf("missing client id message does not say %q: %s", want, r.err)
		}
	}

	// A token-store account of another provider blocks the name too.
	g := googleFake(t)
	fitbitFake(t)
	seed(t, "googlehealth", "work", g.Grant())
	r = run(t, nil, "auth", "login", "fitbit", "--account", "work")
	if r.code != 2 || !strings.Contains(r.err, "`fittui auth logout work`") {
		t.Errorf("store conflict: exit %d %q", r.code, r.err)
	}
}

func TestLoginPortInUse(t *testing.T) {
	isolate(t)
	_, port := fitbitFake(t)
	l := start(t, nil, "auth", "login", "fitbit", "--no-browser")
	l.url(t) // holds the port
	r := run(t, nil, "auth", "login", "fitbit", "--account", "second", "--no-browser")
	want := fmt.Sprintf("fittui: fitbit: port %d on 127.0.0.1 is already in use", port)
	if r.code != 1 || !strings.HasPrefix(r.err, want) || !strings.Contains(r.err, "--port N") {
		t.Errorf("exit %d stderr %q", r.code, r.err)
	}
}

func TestLoginTokenFileIsPrivate(t *testing.T) {
	isolate(t)
	fake := googleFake(t)
	l := start(t, nil, "auth", "login", "googlehealth", "--no-browser")
	fake.Browse(context.Background(), l.url(t))
	if code := l.wait(t); code != 0 {
		t.Fatal(l.err.String())
	}
	st, _, _ := tokenstore.OpenDefault()
	path, _ := st.Path("googlehealth")
	checkPrivate(t, path)
}

func checkPrivate(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("token file %s: %v %v, want 0600", path, fi.Mode(), err)
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil || di.Mode().Perm() != 0o700 {
		t.Errorf("token folder: %v %v, want 0700", di.Mode(), err)
	}
}

// The real binary, driven as another program (or a person) would: read the
// URL from standard output, play the browser.
func TestBinaryLogin(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	isolate(t)
	fake, _ := fitbitFake(t) // FITTUI_FITBIT_* in the environment
	bin := clitest.Binary(t)

	login := func(account string) (*exec.Cmd, *bufio.Reader, *strings.Builder) {
		cmd := exec.Command(bin, "auth", "login", "fitbit", "--no-browser", "--account", account)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill() })
		return cmd, bufio.NewReader(out), &stderr
	}

	cmd, out, stderr := login("me")
	line, err := out.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, fake.AuthURL()+"?") {
		t.Fatalf("first line %q %v; stderr:\n%s", line, err, stderr)
	}
	res, err := fake.Browse(context.Background(), strings.TrimSuffix(line, "\n"))
	if err != nil || res.Status != http.StatusOK {
		t.Fatalf("browser: %v %d", err, res.Status)
	}
	rest, _ := io.ReadAll(out)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\n%s", err, stderr)
	}
	st, _, _ := tokenstore.OpenDefault()
	path, _ := st.Path("me")
	if string(rest) != "Signed in: account me (fitbit) — token saved to "+path+"\n" {
		t.Errorf("stdout after the URL: %q", rest)
	}
	checkPrivate(t, path)
	noSecrets(t, "stderr", stderr.String(), fake)

	// Ctrl+C ends it cleanly: non-zero, nothing stored.
	cmd, out, stderr = login("other")
	if _, err := out.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Skip("cannot send an interrupt here:", err)
	}
	io.Copy(io.Discard, out)
	err = cmd.Wait()
	if exitCode(err) != 1 || !strings.Contains(stderr.String(), "fittui: fitbit: sign-in cancelled; nothing was changed") {
		t.Errorf("interrupt: exit %d, stderr:\n%s", exitCode(err), stderr)
	}
	if _, err := load(t, "other"); !errors.Is(err, tokenstore.ErrNoToken) {
		t.Errorf("interrupted login stored a token: %v", err)
	}
}
