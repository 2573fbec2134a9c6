package auth

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envOf(goos string, kv ...string) Env {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return Env{GOOS: goos, Getenv: func(k string) string { return m[k] }}
}

func TestShouldOpenBrowser(t *testing.T) {
	cases := []struct {
		env  Env
		want bool
	}{
		{envOf("linux"), false},                                // console, no display
		{envOf("linux", "DISPLAY", ":0"), true},                // X11
		{envOf("linux", "WAYLAND_DISPLAY", "wayland-0"), true}, // Wayland
		{envOf("freebsd", "DISPLAY", ":0"), true},              // other Unix with X
		{envOf("darwin"), true},                                // macOS always has one
		{envOf("windows"), true},                               // so does Windows
		{envOf("linux", "DISPLAY", ":0", "SSH_CONNECTION", "1.2.3.4 5 6.7.8.9 22"), false}, // X forwarding over SSH: not our screen
		{envOf("darwin", "SSH_TTY", "/dev/pts/1"), false},
		{envOf("linux", "WAYLAND_DISPLAY", "w", "SSH_CLIENT", "1.2.3.4 5 22"), false},
	}
	for i, c := range cases {
		if got := ShouldOpenBrowser(c.env); got != c.want {
			t.Fatalf("case %d: got %v, want %v", i, got, c.want)
		}
	}
}

func TestOpenBrowserUsesBrowserEnvAndFailureIsAValue(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "opened")
	script := filepath.Join(dir, "browser.sh")
	// Writes its argument where the test can see it (the URL must arrive
	// as one argument, untouched by a shell).
	os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s' \"$1\" > "+out+"\n"), 0o700)
	url := "http://127.0.0.1:1/authorize?a=1&b=$(touch " + dir + "/pwned)&c=';x"
	cmd, err := startBrowser(envOf("linux", "BROWSER", script), url)
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(out); string(data) != url {
		t.Fatalf("browser got %q", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Fatal("the URL went through a shell")
	}
	_, err = startBrowser(envOf("linux", "BROWSER", filepath.Join(dir, "missing")), url)
	if err == nil || !strings.Contains(err.Error(), "could not open a browser") {
		t.Fatalf("missing opener: %v", err)
	}
}

func TestSSHHints(t *testing.T) {
	h := SSHHint(8484)
	if !strings.Contains(h, "ssh -L 8484:127.0.0.1:8484 user@host") || !strings.Contains(h, "paste") {
		t.Fatalf("hint: %s", h)
	}
	if got := SSHForwardCommand(50000, "ann", "box"); got != "ssh -L 50000:127.0.0.1:50000 ann@box" {
		t.Fatal(got)
	}
	if got := SSHForwardCommand(1, "", ""); got != "ssh -L 1:127.0.0.1:1 user@host" {
		t.Fatal(got)
	}
	if !IsSSH(envOf("linux", "SSH_TTY", "x")) || IsSSH(envOf("linux")) {
		t.Fatal("IsSSH")
	}
}

func TestTerminalEscapes(t *testing.T) {
	if got := Hyperlink("https://a.b/c?d=1", "link"); got != "\x1b]8;;https://a.b/c?d=1\x1b\\link\x1b]8;;\x1b\\" {
		t.Fatalf("OSC 8: %q", got)
	}
	// A URL cannot break out of the sequence.
	if got := Hyperlink("https://a\x1b]0;evil\x07", "x"); strings.Count(got, "\x1b") != 4 || strings.Contains(got, "\x07") {
		t.Fatalf("control characters kept: %q", got)
	}
	url := "https://example.com/authorize?x=1"
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(url)) + "\x07"
	if got := Clipboard(url); got != want {
		t.Fatalf("OSC 52: %q", got)
	}
	if got := ClipboardFor(envOf("linux"), url); got != want {
		t.Fatal("plain terminal should get plain OSC 52")
	}
	tm := ClipboardFor(envOf("linux", "TMUX", "/tmp/tmux-0/default,1,0"), url)
	if tm != "\x1bPtmux;\x1b"+want+"\x1b\\" {
		t.Fatalf("tmux: %q", tm)
	}
	long := strings.Repeat("u", 600)
	sc := ClipboardFor(envOf("linux", "STY", "1.pts"), long)
	inner := strings.ReplaceAll(strings.ReplaceAll(sc, "\x1bP", ""), "\x1b\\", "")
	if inner != Clipboard(long) {
		t.Fatal("screen chunks do not reassemble to the sequence")
	}
	for _, chunk := range strings.Split(sc, "\x1b\\") {
		if len(chunk) > 80 {
			t.Fatalf("screen chunk of %d bytes", len(chunk))
		}
	}
}
