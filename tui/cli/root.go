// Package cli is fittui's command line and its composition root: main
// calls Execute, and nothing imports cli. It holds the cobra command tree,
// flag and config handling, exit codes and error printing, and puts the
// program together: the configuration (tui/config), the cache store and
// the accounts opened through tui/wiring, handed to the dashboard (tui),
// the export use case (tui/export) or the one-shot commands. Every command
// lives in its own file as newXCmd(a *app); newRootCmd's AddCommand list
// is the one place a command is added.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/theme"
	"github.com/fittui/fittui/tui"
	"github.com/fittui/fittui/tui/config"
	"github.com/fittui/fittui/tui/login"
	"github.com/fittui/fittui/tui/wiring"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitRuntime = 1 // something failed while running: provider, network, terminal
	ExitUsage   = 2 // bad flags, arguments or configuration
)

// BuildInfo is stamped into the binary by the linker (see main.go).
type BuildInfo struct {
	Version, Commit, Date string
}

// Execute runs fittui with the process's arguments and standard streams and
// returns the exit code.
func Execute(build BuildInfo) int {
	// SIGTERM and SIGHUP (a closed terminal) stop fittui the way Ctrl+C
	// does instead of killing it on the spot: a token refresh the provider
	// has answered is saved first (see auth.WaitForSaves).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	a := &app{
		build:   build,
		in:      os.Stdin,
		out:     os.Stdout,
		errOut:  os.Stderr,
		now:     time.Now,
		getenv:  os.Getenv,
		runTUI:  tui.Run,
		openURL: auth.OpenBrowser,
	}
	code := a.run(ctx, os.Args[1:])
	// The dashboard's refreshes run in the background: one whose request
	// has gone out may hold the only copy of a rotated refresh token.
	wait, cancel := context.WithTimeout(context.Background(), saveGrace)
	defer cancel()
	if !auth.WaitForSaves(wait) {
		fmt.Fprintf(a.errOut, "fittui: a token refresh was still unanswered after %v; if an account asks you to sign in again, do so\n", saveGrace)
	}
	return code
}

// saveGrace bounds how long fittui waits, when it exits, for a refresh
// whose request has gone out to be answered and saved.
const saveGrace = 15 * time.Second

// browserOpener opens a URL in the system's browser; tests replace it.
type browserOpener func(url string) error

// app is what every command shares: streams, clock, environment, the
// persistent flags and the configuration (loaded on first use).
type app struct {
	build       BuildInfo
	in          io.Reader
	out, errOut io.Writer
	now         func() time.Time
	getenv      func(string) string
	runTUI      func(tui.Options) error
	openURL     browserOpener

	// persistent flags
	configPath string
	demo       bool
	debug      bool

	// timeout bounds the provider calls of one command; 0 means 30s.
	timeout time.Duration
	// loginTimeout bounds `auth login`; 0 means auth.DefaultLoginTimeout.
	loginTimeout time.Duration
	// fs is what the cache writes through; nil: the operating system's
	// (tests put a full disk in it).
	fs cache.FS

	cfg        *config.Config
	conn       *wiring.Setup
	cacheStore *cache.Store
	logger     *slog.Logger
	// tuiRunning: the dashboard owns the terminal, so warnings go to the
	// debug log only.
	tuiRunning atomic.Bool
	// ran is set when a command's RunE starts: errors before that (unknown
	// command or flag, wrong arguments) are usage errors.
	ran bool
}

// config loads the configuration file once.
func (a *app) config() (*config.Config, error) {
	if a.cfg == nil {
		cfg, err := config.Load(a.configPath, a.getenv)
		if err != nil {
			return nil, err
		}
		a.cfg = cfg
		a.log().Debug("configuration", "file", cfg.Path, "found", cfg.Found)
	}
	return a.cfg, nil
}

func (a *app) callTimeout() time.Duration {
	if a.timeout > 0 {
		return a.timeout
	}
	return 30 * time.Second
}

// usageError marks an error as the person's input being wrong (exit 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

func (a *app) run(ctx context.Context, args []string) int {
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(a.in)
	root.SetOut(a.out)
	root.SetErr(a.errOut)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	return a.fail(cmd, err)
}

// fail prints err as "fittui: ..." lines on stderr and picks the exit code.
func (a *app) fail(cmd *cobra.Command, err error) int {
	code := ExitRuntime
	lines := strings.Split(err.Error(), "\n")
	var ue *usageError
	var ce *config.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ue):
		code = ExitUsage
	case !a.ran:
		code = ExitUsage
		path := "fittui"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		lines = append(lines, fmt.Sprintf("Run '%s --help' for usage.", path))
	}
	for _, line := range lines {
		fmt.Fprintf(a.errOut, "fittui: %s\n", line)
	}
	return code
}

// rootLong is the root command's help; what it says of providers comes
// from the registry.
func rootLong() string {
	return `fittui shows your fitness tracker's data in the terminal: accounts, today's
totals with live heart-rate and step sparklines, and history over days, weeks
and a year. Run it with --demo to try it with built-in demo accounts.

Configuration is read from $XDG_CONFIG_HOME/fittui/config.toml (usually
~/.config/fittui/config.toml), or from the file named by --config or by
FITTUI_CONFIG. fittui never writes it. Example:

  theme = "default"     # default | high-contrast | mono
  refresh = "1m"        # how often the dashboard refreshes; at least 1s

` + sampleConfig() + `

With no accounts configured, fittui shows the demo accounts.

Environment:
  FITTUI_CONFIG                 path of the configuration file
  FITTUI_<PROVIDER>_CLIENT_ID   OAuth client settings (also _CLIENT_SECRET,
                                _AUTH_URL, _TOKEN_URL, _API_URL, _REDIRECT_URL)
                                for ` + signInEnvNames() + `
  NO_COLOR                      when set, draw without colour

Exit codes: 0 ok, 1 runtime error, 2 usage or configuration error.`
}

func newRootCmd(a *app) *cobra.Command {
	var refresh, themeName string
	root := &cobra.Command{
		Use:   "fittui",
		Short: "A terminal dashboard for your fitness tracker",
		Long:  rootLong(),
		Example: `  fittui --demo
  fittui --refresh 10s --theme high-contrast
  fittui today --json`,
		Args:          cobra.NoArgs,
		Version:       fmt.Sprintf("%s (%s, %s)", a.build.Version, a.build.Commit, a.build.Date),
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := dashboardFlags{themeSet: cmd.Flags().Changed("theme"), theme: themeName,
				refreshSet: cmd.Flags().Changed("refresh"), refresh: refresh}
			return a.dashboard(cmd.Context(), opts)
		},
	}
	root.SetVersionTemplate("fittui {{.Version}}\n")

	pf := root.PersistentFlags()
	pf.BoolVar(&a.demo, "demo", false, "use the built-in demo accounts instead of the configured ones")
	pf.BoolVar(&a.debug, "debug", false, "log what sign-in and token refreshes do to stderr (the dashboard: to "+debugLogHint+"); never secrets")
	pf.StringVar(&a.configPath, "config", "", "read the configuration from `FILE` (default $XDG_CONFIG_HOME/fittui/config.toml)")
	_ = root.MarkPersistentFlagFilename("config", "toml")

	f := root.Flags()
	f.BoolP("version", "v", false, "print the version and exit")
	f.StringVar(&refresh, "refresh", "", "refresh the dashboard every `DURATION`, e.g. 30s, 1m (at least 1s; default from config, else 1m)")
	f.StringVar(&themeName, "theme", "", "colour theme `NAME`: "+strings.Join(theme.Names(), ", ")+" (default from config, else default)")
	_ = root.RegisterFlagCompletionFunc("theme", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return theme.Names(), cobra.ShellCompDirectiveNoFileComp
	})

	root.AddCommand(
		newTodayCmd(a),
		newAuthCmd(a),
		newCacheCmd(a),
		newExportCmd(a),
	)
	if imp := newImportCmd(a); imp != nil {
		root.AddCommand(imp)
	}
	markRuns(root, a)
	return root
}

// markRuns wraps every command's RunE so that a.ran tells errors from
// inside a command (runtime) from cobra's own parsing errors (usage).
func markRuns(cmd *cobra.Command, a *app) {
	if run := cmd.RunE; run != nil {
		cmd.RunE = func(c *cobra.Command, args []string) error {
			a.ran = true
			return run(c, args)
		}
	}
	for _, sub := range cmd.Commands() {
		markRuns(sub, a)
	}
}

type dashboardFlags struct {
	themeSet, refreshSet bool
	theme, refresh       string
}

// dashboard runs the TUI on the configured (or demo) accounts.
func (a *app) dashboard(ctx context.Context, f dashboardFlags) error {
	// The dashboard owns the screen: --debug writes to a file.
	if a.debug {
		closeLog, err := a.openDebugLog()
		if err != nil {
			return err
		}
		defer closeLog()
	}
	// Flags first: they are what the person just typed.
	var refresh time.Duration
	if f.refreshSet {
		d, err := config.ParseRefresh(f.refresh)
		if err != nil {
			return usagef("--refresh %v", err)
		}
		refresh = d
	}
	if f.themeSet {
		if _, err := theme.Lookup(f.theme); err != nil {
			return usagef("--theme: %v", err)
		}
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	if !f.refreshSet {
		refresh = cfg.Refresh
	}
	themeName := cfg.Theme
	if f.themeSet {
		themeName = f.theme
	}

	var signIn login.Options
	if !a.demo {
		setup, err := a.connect()
		if err != nil {
			return err
		}
		setup.Refresh = refresh // the dashboard's accounts come with their schedulers
		signIn = login.Options{Service: login.Connect(setup), Env: auth.Env{GOOS: runtime.GOOS, Getenv: a.getenv}, OpenURL: a.openURL}
	}
	list, notice, err := a.accountList(cfg)
	if err != nil {
		return err
	}
	accounts := make([]wiring.Opened, 0, len(list))
	for _, acc := range list {
		o, err := a.open(cfg, acc)
		var ce *config.Error
		switch {
		case errors.As(err, &ce):
			return err // a mistake in the file: fix it first
		case err != nil:
			// Shown in the accounts pane; the other accounts still work.
			a.log().Debug("account not opened", "account", acc.Name, "provider", acc.Provider, "error", err.Error())
			o = wiring.Dressed(wiring.Uncached(acc.Spec(), wiring.Unavailable(acc.Spec(), err), a.now), acc, cfg)
		}
		accounts = append(accounts, o)
	}
	a.tuiRunning.Store(true)
	defer a.tuiRunning.Store(false)
	return a.runTUI(tui.Options{
		Context:  ctx,
		Accounts: accounts,
		Refresh:  refresh,
		Theme:    themeName,
		Now:      a.now,
		Notice:   notice,
		Login:    signIn,
	})
}
