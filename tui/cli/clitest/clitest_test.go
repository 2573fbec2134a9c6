package clitest

import (
	"os/exec"
	"strings"
	"testing"
)

// A build made after a test moved the caches still works and still uses
// the real caches (it would take minutes, not seconds, if it did not).
func TestBuildIgnoresMovedCaches(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	bin := Build(t, Fittui, "-X main.version=1.2.3")
	out, err := exec.Command(bin, "--version").Output()
	if err != nil || !strings.HasPrefix(string(out), "fittui 1.2.3 ") {
		t.Fatalf("--version: %q %v", out, err)
	}
}
