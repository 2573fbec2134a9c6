// Package clitest runs the real fittui binary in tests as a person would:
// one build per test binary (Binary, with Main in TestMain), a fresh
// environment (Env), a scripted browser for `fittui auth login` (Login)
// and the dashboard in tmux (Dashboard).
package clitest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// buildEnv is the environment at start-up, before any test points HOME or
// XDG_CACHE_HOME at a temporary folder: with it, `go build` keeps using the
// real build and module caches instead of recompiling everything from an
// empty cache (tens of seconds per build on a small machine).
var buildEnv = os.Environ()

// Fittui is the import path of fittui's main package.
const Fittui = "github.com/fittui/fittui"

// build builds the main package pkg (an import path) into dir.
func build(dir, pkg, ldflags string) (string, error) {
	bin := filepath.Join(dir, filepath.Base(pkg))
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
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin, nil
}

// The shared binary's version stamp (its -ldflags), for tests of
// --version.
const (
	Version = "9.9.9"
	Commit  = "deadbee"
	Date    = "2026-02-03"
)

var shared struct {
	sync.Mutex
	inMain bool
	dir    string
	once   sync.Once
	bin    string
	err    error
}

// Main runs a package's tests around one shared build of fittui (see
// Binary) and removes it afterwards. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(clitest.Main(m)) }
func Main(m *testing.M) int {
	shared.Lock()
	shared.inMain = true
	shared.Unlock()
	code := m.Run()
	shared.Lock()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	shared.Unlock()
	return code
}

// Binary returns fittui built once for the whole test binary (with
// Version, Commit and Date stamped in), however many tests ask: a build
// costs seconds of CPU even with a warm cache. The package's TestMain
// must call Main, which removes the build at the end.
func Binary(t testing.TB) string {
	t.Helper()
	shared.Lock()
	inMain := shared.inMain
	shared.Unlock()
	if !inMain {
		t.Fatal("clitest.Binary needs the package's TestMain to call clitest.Main")
	}
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "fittui-test-bin-")
		if err != nil {
			shared.err = err
			return
		}
		shared.Lock()
		shared.dir = dir
		shared.Unlock()
		shared.bin, shared.err = build(dir, Fittui, "-X main.version="+Version+" -X main.commit="+Commit+" -X main.date="+Date)
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.bin
}
