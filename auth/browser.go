package auth

import (
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// Env is the part of the process environment the login screen looks at.
type Env struct {
	GOOS   string
	Getenv func(string) string
}

// OSEnv is this process's environment.
func OSEnv() Env { return Env{GOOS: runtime.GOOS, Getenv: os.Getenv} }

func (e Env) get(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// IsSSH reports an SSH session (SSH_CONNECTION, SSH_CLIENT or SSH_TTY).
func IsSSH(env Env) bool {
	return env.get("SSH_CONNECTION") != "" || env.get("SSH_TTY") != "" || env.get("SSH_CLIENT") != ""
}

// ShouldOpenBrowser says whether fittui should open the browser itself:
// only with a local display (macOS and Windows always have one; elsewhere
// DISPLAY or WAYLAND_DISPLAY) and never in an SSH session, where the
// browser would open on the wrong machine, or not at all.
func ShouldOpenBrowser(env Env) bool {
	if IsSSH(env) {
		return false
	}
	switch env.GOOS {
	case "darwin", "windows":
		return true
	}
	return env.get("DISPLAY") != "" || env.get("WAYLAND_DISPLAY") != ""
}

// OpenBrowser starts the system's browser on url ($BROWSER if set, else
// xdg-open, open or rundll32) without waiting for it. A failure is not a
// failure of the login (the URL is on screen): log it and go on.
func OpenBrowser(url string) error {
	cmd, err := startBrowser(OSEnv(), url)
	if err != nil {
		return err
	}
	go cmd.Wait() // reap it; its exit status does not matter
	return nil
}

func startBrowser(env Env, url string) (*exec.Cmd, error) {
	var cmd *exec.Cmd
	if b := env.get("BROWSER"); b != "" {
		// $BROWSER may list several commands separated by ':'; try the
		// first. The URL is an argument, never parsed by a shell.
		first := strings.Split(b, ":")[0]
		cmd = exec.Command(first, url)
	} else {
		switch env.GOOS {
		case "darwin":
			cmd = exec.Command("open", url)
		case "windows":
			cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
		default:
			cmd = exec.Command("xdg-open", url)
		}
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("could not open a browser (%s): %w", cmd.Args[0], err)
	}
	return cmd, nil
}

// SSHHint tells a person on SSH how to let their local browser reach the
// callback on this machine.
func SSHHint(port int) string {
	return fmt.Sprintf("You are on SSH: the browser on your computer cannot reach port %d here by itself. Either forward it — on your computer run\n\n    ssh -L %d:127.0.0.1:%d user@host\n\n(with your usual user and host) and then open the link — or open the link anywhere, approve, and paste the address the browser ends on (it fails to load; that is fine) here.",
		port, port, port)
}

// SSHForwardCommand is the ssh command line to forward port, with the
// user and host filled in when known (empty: placeholders).
func SSHForwardCommand(port int, user, host string) string {
	if user == "" {
		user = "user"
	}
	if host == "" {
		host = "host"
	}
	return fmt.Sprintf("ssh -L %d:127.0.0.1:%d %s@%s", port, port, user, host)
}

// Hyperlink wraps text in an OSC 8 hyperlink to url. Terminals without
// OSC 8 show text alone. The URL must not contain control characters.
func Hyperlink(url, text string) string {
	return "\x1b]8;;" + stripControls(url) + "\x1b\\" + text + "\x1b]8;;\x1b\\"
}

// Clipboard returns the OSC 52 sequence that puts text on the terminal's
// clipboard; it works over SSH because the local terminal does the copy.
func Clipboard(text string) string {
	return "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\x07"
}

// ClipboardFor is Clipboard wrapped for a terminal multiplexer found in
// env: tmux (TMUX, needs `set -g allow-passthrough on` in tmux ≥ 3.3) and
// GNU screen (STY) swallow OSC 52 unless it is passed through.
func ClipboardFor(env Env, text string) string {
	seq := Clipboard(text)
	switch {
	case env.get("TMUX") != "":
		return "\x1bPtmux;" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
	case env.get("STY") != "":
		// screen cuts DCS strings at 768 bytes: pass the sequence
		// through in chunks.
		var b strings.Builder
		for len(seq) > 0 {
			n := min(len(seq), 76)
			b.WriteString("\x1bP" + seq[:n] + "\x1b\\")
			seq = seq[n:]
		}
		return b.String()
	}
	return seq
}

func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}
