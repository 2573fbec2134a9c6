// Package clitest builds fittui and the fake servers' commands for tests
// that run the real binaries as a person would.
package clitest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// buildEnv is the environment at start-up, before any test points HOME or
// XDG_CACHE_HOME at a temporary folder: with it, `go build` keeps using the
// real build and module caches instead of recompiling everything from an
// empty cache (tens of seconds per build on a small machine).
var buildEnv = os.Environ()

// Fittui is the import path of fittui's main package.
const Fittui = "github.com/fittui/fittui"

// Build builds the main package pkg (an import path, or a path relative to
// the test's package folder) into a temporary folder and returns the
// binary's path. ldflags may be empty.
func Build(t testing.TB, pkg, ldflags string) string {
	t.Helper()
	name := filepath.Base(pkg)
	if abs, err := filepath.Abs(pkg); err == nil && strings.HasPrefix(pkg, ".") {
		name = filepath.Base(abs) // "." names the test's own folder
	}
	bin := filepath.Join(t.TempDir(), name)
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	args := []string{"build", "-o", bin}
	if ldflags != "" {
		args = append(args, "-ldflags", ldflags)
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Env = buildEnv
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}
