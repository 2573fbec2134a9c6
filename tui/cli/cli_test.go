package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
	"github.com/fittui/fittui/tui"
	"github.com/fittui/fittui/tui/wiring"
)

// fixedNow is the clock of every in-process run.
var fixedNow = time.Date(2026, 1, 20, 12, 30, 0, 0, time.UTC)

// result is what one in-process run of fittui produced.
type result struct {
	out, err string
	code     int
	tui      *tui.Options // what the dashboard was started with; nil if not
}

// isolate points the XDG base dirs and FITTUI_CONFIG at a fresh temp dir,
// so no test reads the real configuration. It returns the config folder.
func isolate(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"} {
		t.Setenv(v, filepath.Join(home, strings.ToLower(strings.TrimPrefix(v, "XDG_"))))
	}
	t.Setenv("FITTUI_CONFIG", "")
	xdg.Reload()
	t.Cleanup(xdg.Reload)
	return filepath.Join(home, "config_home", "fittui")
}

// writeConfig writes the default config file (under the isolated XDG dir).
func writeConfig(t *testing.T, content string) string {
	t.Helper()
	dir := filepath.Join(xdg.ConfigHome, "fittui")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// run runs fittui in-process with args. The dashboard is not started:
// runTUI records its options and returns tuiErr.
func run(t *testing.T, tuiErr error, args ...string) result {
	t.Helper()
	return runWith(t, func(a *app) {
		run := a.runTUI
		a.runTUI = func(o tui.Options) error { _ = run(o); return tuiErr }
	}, args...)
}

// runWith runs fittui in-process after letting adjust change the app.
func runWith(t *testing.T, adjust func(*app), args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	var r result
	a := &app{
		build:  BuildInfo{Version: "1.2.3", Commit: "abc1234", Date: "2026-01-02T03:04:05Z"},
		in:     strings.NewReader(""),
		out:    &out,
		errOut: &errOut,
		now:    func() time.Time { return fixedNow },
		getenv: os.Getenv,
		runTUI: func(o tui.Options) error { r.tui = &o; return nil },
	}
	adjust(a)
	r.code = a.run(context.Background(), args)
	r.out, r.err = out.String(), errOut.String()
	return r
}

func accountNames(accs []wiring.Opened) []string {
	var names []string
	for _, a := range accs {
		names = append(names, a.Spec.Name)
	}
	return names
}

func demoNames() []string {
	var names []string
	for _, s := range demo.Accounts() {
		names = append(names, s.Name)
	}
	return names
}

func TestVersion(t *testing.T) {
	isolate(t)
	for _, flag := range []string{"--version", "-v"} {
		r := run(t, nil, flag)
		if r.code != 0 || r.out != "fittui 1.2.3 (abc1234, 2026-01-02T03:04:05Z)\n" || r.err != "" || r.tui != nil {
			t.Errorf("%s: code %d out %q err %q", flag, r.code, r.out, r.err)
		}
	}
}

func TestHelp(t *testing.T) {
	isolate(t)
	r := run(t, nil, "--help")
	if r.code != 0 || r.tui != nil {
		t.Fatalf("--help: code %d err %q", r.code, r.err)
	}
	for _, want := range []string{"today", "completion", "--demo", "--refresh", "--theme", "--config", "--version",
		"NO_COLOR", "FITTUI_CONFIG", "FITTUI_<PROVIDER>_CLIENT_ID", "config.toml", "Exit codes"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("--help does not mention %q:\n%s", want, r.out)
		}
	}
	r = run(t, nil, "today", "--help")
	for _, want := range []string{"--account", "--date", "--json", "--demo", "resting_heart_rate"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("today --help does not mention %q", want)
		}
	}
}

func TestDashboardAccounts(t *testing.T) {
	t.Run("no config: demo accounts with a notice", func(t *testing.T) {
		isolate(t)
		r := run(t, nil)
		if r.code != 0 || r.tui == nil {
			t.Fatalf("code %d err %q", r.code, r.err)
		}
		o := r.tui
		if got := accountNames(o.Accounts); strings.Join(got, ",") != strings.Join(demoNames(), ",") || len(got) < 3 {
			t.Errorf("accounts %v, want the demo's %v", got, demoNames())
		}
		if o.Notice != "No accounts configured: showing demo data. Add one with `a` in the dashboard or `fittui auth login PROVIDER`." {
			t.Errorf("notice %q", o.Notice)
		}
		if o.Refresh != time.Minute || o.Theme != "default" || o.Now == nil || !o.Now().Equal(fixedNow) {
			t.Errorf("refresh %v theme %q", o.Refresh, o.Theme)
		}
		for _, acc := range o.Accounts {
			if acc.Provider == nil || acc.Provider.Kind() != "demo" {
				t.Errorf("account %q not opened with the demo provider", acc.Spec.Name)
			}
		}
	})
	t.Run("configured accounts, theme and refresh", func(t *testing.T) {
		isolate(t)
		writeConfig(t, `theme = "mono"
refresh = "15s"
[[account]]
name = "me"
provider = "demo"
[account.options]
persona = "office"
`)
		r := run(t, nil)
		if r.code != 0 || r.tui == nil {
			t.Fatalf("code %d err %q", r.code, r.err)
		}
		if got := accountNames(r.tui.Accounts); len(got) != 1 || got[0] != "me" {
			t.Errorf("accounts %v", got)
		}
		if r.tui.Accounts[0].Spec.Options["persona"] != "office" {
			t.Errorf("options not passed: %+v", r.tui.Accounts[0].Spec)
		}
		if r.tui.Notice != "" || r.tui.Theme != "mono" || r.tui.Refresh != 15*time.Second {
			t.Errorf("notice %q theme %q refresh %v", r.tui.Notice, r.tui.Theme, r.tui.Refresh)
		}

		// Flags win over the file; --demo replaces the accounts, no notice.
		r = run(t, nil, "--demo", "--theme", "high-contrast", "--refresh", "2s")
		if r.code != 0 || r.tui == nil {
			t.Fatalf("code %d err %q", r.code, r.err)
		}
		if got := accountNames(r.tui.Accounts); strings.Join(got, ",") != strings.Join(demoNames(), ",") {
			t.Errorf("--demo accounts %v", got)
		}
		if r.tui.Notice != "" || r.tui.Theme != "high-contrast" || r.tui.Refresh != 2*time.Second {
			t.Errorf("notice %q theme %q refresh %v", r.tui.Notice, r.tui.Theme, r.tui.Refresh)
		}
	})
}

func TestFlagValidation(t *testing.T) {
	isolate(t)
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"--refresh", "5x"}, `fittui: --refresh "5x": not a duration (examples: 30s, 1m, 5m)` + "\n"},
		{[]string{"--refresh", "500ms"}, `fittui: --refresh "500ms": too short: the minimum is 1s` + "\n"},
		{[]string{"--refresh", "-1m"}, `fittui: --refresh "-1m": too short: the minimum is 1s` + "\n"},
		{[]string{"--theme", "neon"}, `fittui: --theme: unknown theme "neon"`},
		{[]string{"--nope"}, "fittui: unknown flag: --nope\nfittui: Run 'fittui --help' for usage.\n"},
		{[]string{"frobnicate"}, `fittui: unknown command "frobnicate" for "fittui"`},
		{[]string{"today", "extra"}, `fittui: unknown command "extra" for "fittui today"` + "\nfittui: Run 'fittui today --help' for usage.\n"},
		{[]string{"today", "--json=maybe"}, `fittui: invalid argument "maybe" for "--json" flag`},
	} {
		r := run(t, nil, tc.args...)
		if r.code != 2 || !strings.HasPrefix(r.err, tc.err) || r.tui != nil || r.out != "" {
			t.Errorf("%v: code %d, stderr %q; want 2 and %q", tc.args, r.code, r.err, tc.err)
		}
	}
	for _, ok := range []string{"1s", "90s", "1h"} {
		if r := run(t, nil, "--demo", "--refresh", ok); r.code != 0 {
			t.Errorf("--refresh %s: code %d %q", ok, r.code, r.err)
		}
	}
	for _, name := range []string{"default", "high-contrast", "mono"} {
		if r := run(t, nil, "--demo", "--theme", name); r.code != 0 || r.tui.Theme != name {
			t.Errorf("--theme %s: code %d %q", name, r.code, r.err)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	bad := "theme = \"mono\"\n\nrefresh = \"5x\"\n"
	wantMsg := `:3: refresh "5x": not a duration (examples: 30s, 1m, 5m)`

	t.Run("default path", func(t *testing.T) {
		isolate(t)
		path := writeConfig(t, bad)
		for _, args := range [][]string{nil, {"--demo"}, {"today"}, {"today", "--demo", "--json"}} {
			r := run(t, nil, args...)
			if r.code != 2 || r.err != "fittui: "+path+wantMsg+"\n" || r.tui != nil || r.out != "" {
				t.Errorf("%v: code %d stderr %q", args, r.code, r.err)
			}
		}
		before, _ := os.ReadFile(path)
		if string(before) != bad {
			t.Error("the config file was changed")
		}
	})
	t.Run("--config and FITTUI_CONFIG", func(t *testing.T) {
		isolate(t)
		path := filepath.Join(t.TempDir(), "other.toml")
		if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		if r := run(t, nil, "--config", path); r.code != 2 || r.err != "fittui: "+path+wantMsg+"\n" {
			t.Errorf("--config: code %d stderr %q", r.code, r.err)
		}
		t.Setenv("FITTUI_CONFIG", path)
		if r := run(t, nil); r.code != 2 || r.err != "fittui: "+path+wantMsg+"\n" {
			t.Errorf("FITTUI_CONFIG: code %d stderr %q", r.code, r.err)
		}
		missing := filepath.Join(t.TempDir(), "missing.toml")
		if r := run(t, nil, "--config", missing); r.code != 2 || r.err != "fittui: "+missing+": no such file\n" {
			t.Errorf("missing --config: code %d stderr %q", r.code, r.err)
		}
	})
	t.Run("several problems, one per line", func(t *testing.T) {
		isolate(t)
		path := writeConfig(t, "theme = \"neon\"\n[[account]]\nprovider = \"demo\"\n")
		r := run(t, nil)
		want := "fittui: " + path + `:1: theme "neon": unknown theme (known: default, high-contrast, mono)` + "\n" +
			"fittui: " + path + `:2: account #1 has no name: add name = "..."` + "\n"
		if r.code != 2 || r.err != want {
			t.Errorf("code %d stderr\n%s\nwant\n%s", r.code, r.err, want)
		}
	})
	t.Run("unknown provider names file and line", func(t *testing.T) {
		isolate(t)
		path := writeConfig(t, "[[account]]\nname = \"a\"\nprovider = \"demo\"\n\n[[account]]\nname = \"b\"\nprovider = \"fitibt\"\n")
		for _, args := range [][]string{nil, {"today", "--account", "b"}} {
			r := run(t, nil, args...)
			want := "fittui: " + path + `:5: account "b": unknown provider "fitibt" (known: `
			if r.code != 2 || !strings.HasPrefix(r.err, want) || !strings.Contains(r.err, "demo") {
				t.Errorf("%v: code %d stderr %q", args, r.code, r.err)
			}
		}
		// The first account still works on its own.
		if r := run(t, nil, "today", "--account", "a", "--date", "2026-01-15"); r.code != 0 {
			t.Errorf("today --account a: code %d %q", r.code, r.err)
		}
	})
}

func TestRuntimeError(t *testing.T) {
	isolate(t)
	r := run(t, errors.New("could not open the terminal"), "--demo")
	if r.code != 1 || r.err != "fittui: could not open the terminal\n" {
		t.Errorf("code %d stderr %q", r.code, r.err)
	}
}

// failing is a provider whose every call needs a new sign-in.
type failing struct{ name string }

func (f failing) Kind() string { return "clitest-failing" }
func (f failing) err() error   { return providers.ErrSignIn("clitest-failing", f.name, nil) }
func (f failing) Profile(context.Context) (providers.Profile, error) {
	return providers.Profile{}, f.err()
}
func (f failing) DaySummary(context.Context, providers.Date) (providers.DaySummary, error) {
	return providers.DaySummary{}, f.err()
}
func (f failing) Intraday(context.Context, providers.Date) (providers.Intraday, error) {
	return providers.Intraday{}, f.err()
}
func (f failing) DailySeries(context.Context, providers.Date, providers.Date) ([]providers.DailyValues, error) {
	return nil, f.err()
}
func (f failing) Sleep(context.Context, providers.Date, providers.Date) ([]providers.SleepSession, error) {
	return nil, f.err()
}

// slow is a provider that never answers before the context ends.
type slow struct{ failing }

func (slow) Profile(ctx context.Context) (providers.Profile, error) {
	<-ctx.Done()
	return providers.Profile{}, ctx.Err()
}

func init() {
	providers.Register(providers.Registration{Name: "clitest-failing", Title: "test",
		New: func(spec providers.AccountSpec, _ providers.Env) (providers.Provider, error) {
			return failing{spec.Name}, nil
		}})
	providers.Register(providers.Registration{Name: "clitest-slow", Title: "test",
		New: func(spec providers.AccountSpec, _ providers.Env) (providers.Provider, error) {
			return slow{failing{spec.Name}}, nil
		}})
}

func TestProviderTimeout(t *testing.T) {
	isolate(t)
	writeConfig(t, "[[account]]\nname = \"slow\"\nprovider = \"clitest-slow\"\n")
	r := runWith(t, func(a *app) { a.timeout = 20 * time.Millisecond }, "today")
	want := "fittui: account \"slow\": no answer from the provider within 20ms; try again later\n"
	if r.code != 1 || r.err != want {
		t.Errorf("code %d stderr %q\nwant %q", r.code, r.err, want)
	}
}

func TestProviderErrorExits1(t *testing.T) {
	isolate(t)
	writeConfig(t, "[[account]]\nname = \"broken\"\nprovider = \"clitest-failing\"\n")
	r := run(t, nil, "today")
	want := "fittui: clitest-failing: account \"broken\" needs signing in again: run `fittui auth login clitest-failing --account broken`\n"
	if r.code != 1 || r.err != want || r.out != "" {
		t.Errorf("code %d stderr %q\nwant %q", r.code, r.err, want)
	}
}
