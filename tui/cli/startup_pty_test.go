//go:build linux

package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/fittui/fittui/tui/cli/clitest"
)

// openPTY returns a new pseudo-terminal: the master (the "terminal", which
// here never answers anything) and the slave (the program's side).
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	unlock := 0
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		m.Close()
		t.Fatalf("unlockpt: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		m.Close()
		t.Fatalf("ptsname: %v", e)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Fatal(err)
	}
	return m, s
}

// startupBound is far below the 5 s a terminal query waits for an answer
// (termenv's OSCTimeout), and generous for a loaded machine: a start that
// reaches it has waited on the terminal.
const startupBound = 3 * time.Second

// TestStartupSendsNothingToTheTerminal runs the fittui binary as the
// foreground job of a pseudo-terminal that
// never answers, the way Bubble Tea v1's package init would query it (an
// OSC 11 background query and a cursor position request, then up to 5 s
// of waiting). Nothing but the command's own output may reach the
// terminal, and its first byte must come at once.
func TestStartupSendsNothingToTheTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	for _, args := range [][]string{{"--version"}, {"today", "--demo"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			isolate(t)
			master, slave := openPTY(t)
			defer master.Close()
			cmd := exec.Command(clitest.Binary(t), args...)
			var env []string
			for _, kv := range os.Environ() {
				// A CI variable or a dumb TERM would make the libraries skip
				// their query and this test prove nothing.
				if !strings.HasPrefix(kv, "CI=") && !strings.HasPrefix(kv, "TERM=") && !strings.HasPrefix(kv, "COLORFGBG=") {
					env = append(env, kv)
				}
			}
			cmd.Env = append(env, "TERM=xterm-256color")
			cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
			// Its own session with the pty as controlling terminal: it is
			// the terminal's foreground job, as in an interactive shell.
			cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
			started := time.Now()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			slave.Close()

			want := map[bool]string{true: "fittui " + clitest.Version + " (", false: "Steps "}[args[0] == "--version"]
			answered := make(chan time.Duration, 1) // when the command's output began
			all := make(chan []byte, 1)
			go func() {
				var out bytes.Buffer
				buf := make([]byte, 4096)
				for {
					n, err := master.Read(buf)
					out.Write(buf[:n])
					if n > 0 && bytes.Contains(out.Bytes(), []byte(want)) {
						select {
						case answered <- time.Since(started):
						default:
						}
					}
					if err != nil { // EIO once the program has exited
						all <- out.Bytes()
						return
					}
				}
			}()
			select {
			case d := <-answered:
				if d > startupBound {
					t.Errorf("output began after %v", d)
				}
				t.Logf("output began after %v", d.Round(time.Millisecond))
			case <-time.After(startupBound):
				t.Errorf("no output within %v: fittui waits on the terminal", startupBound)
			}
			werr := cmd.Wait()
			out := <-all
			if werr != nil {
				var ee *exec.ExitError
				if !errors.As(werr, &ee) {
					t.Fatal(werr)
				}
				t.Errorf("exit %v:\n%q", werr, out)
			}
			for _, query := range []string{"\x1b]11;?", "\x1b]10;?", "\x1b[6n"} {
				if bytes.Contains(out, []byte(query)) {
					t.Errorf("fittui sent the terminal a query %q:\n%q", query, out)
				}
			}
			if !bytes.HasPrefix(out, []byte(strings.SplitN(want, " ", 2)[0])) && args[0] == "--version" {
				t.Errorf("something came before the version:\n%q", out)
			}
			if !bytes.Contains(out, []byte(want)) {
				t.Errorf("output lacks %q:\n%q", want, out)
			}
		})
	}
}
