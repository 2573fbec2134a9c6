//go:build unix

package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSpecialConfigFiles: a named pipe, a link to /dev/zero, or a file far
// larger than any configuration as the configuration is a clear error at
// once, not a hang or an endless read. A link to a regular file (a
// dotfiles repository linked into place) is read.
func TestSpecialConfigFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero.toml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.toml")
	if err := os.WriteFile(huge, []byte(strings.Repeat("# comment\n", 200_000)), 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		fifo: fifo + ": cannot read: it is a named pipe (FIFO), not a regular file",
		zero: zero + ": cannot read: it is a device, not a regular file",
		huge: huge + ": cannot read: it is larger than 1 MiB, too large for a configuration file",
	} {
		done := make(chan error, 1)
		go func() { _, err := Load(path, env()); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("got %v\nwant %s", err, want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: Load blocked", path)
		}
	}

	real := write(t, "theme = \"mono\"\n")
	link := filepath.Join(dir, "linked.toml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if c, err := Load(link, env()); err != nil || c.Theme != "mono" {
		t.Errorf("linked config: %+v %v", c, err)
	}
}
