package clitest

import (
	"os"
	"os/exec"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// The shared build, made after a test moved the caches, still works and
// still uses the real caches (it would take minutes, not seconds, if it
// did not); asking again gives the same binary.
func TestBinaryIgnoresMovedCachesAndIsBuiltOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	bin := Binary(t)
	out, err := exec.Command(bin, "--version").Output()
	if err != nil || string(out) != "fittui "+Version+" ("+Commit+", "+Date+")\n" {
		t.Fatalf("--version: %q %v", out, err)
	}
	if again := Binary(t); again != bin {
		t.Fatalf("built twice: %s, %s", bin, again)
	}
}
