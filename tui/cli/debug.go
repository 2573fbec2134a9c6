package cli

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/adrg/xdg"

	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/tui/wiring"
)

// debugLogHint names the dashboard's debug log in help texts.
const debugLogHint = "$XDG_STATE_HOME/fittui/debug.log"

// httpTimeout bounds one request to a token endpoint or provider API, so a
// server that never answers cannot hang a command.
const httpTimeout = 60 * time.Second

// log is the --debug logger: text lines on stderr for commands, the debug
// file while the dashboard runs (see openDebugLog), silent without
// --debug. Only steps and non-secret values are logged: the auth package
// redacts its own URLs, and nothing here logs a URL with a query, a token,
// a code or a pasted address.
func (a *app) log() *slog.Logger {
	if a.logger == nil {
		if a.debug {
			a.logger = slog.New(slog.NewTextHandler(a.errOut, &slog.HandlerOptions{Level: slog.LevelDebug}))
		} else {
			a.logger = slog.New(slog.DiscardHandler)
		}
	}
	return a.logger
}

// debugLogPath is where the dashboard writes --debug lines.
func debugLogPath() string { return filepath.Join(xdg.StateHome, "fittui", "debug.log") }

// openDebugLog points the debug logger at the debug file (0600 in a 0700
// folder, appended to) and says where on stderr before the dashboard
// takes the screen. The returned func closes it.
func (a *app) openDebugLog() (func(), error) {
	path := debugLogPath()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("--debug: cannot create the folder of %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("--debug: cannot open %s: %w", path, err)
	}
	// An older file may have been created wider (or the umask ignored).
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("--debug: cannot make %s private: %w", path, err)
	}
	fmt.Fprintf(a.errOut, "fittui: debug log: %s\n", path)
	a.logger = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a.logger.Debug("dashboard starting", "version", a.build.Version)
	return func() {
		a.logger.Debug("dashboard stopped")
		a.logger = nil
		f.Close()
	}, nil
}

// warn reports trouble that does not stop the command (a token folder
// that is too open, a refreshed token that could not be saved). While the
// dashboard owns the terminal it goes to the debug log only.
func (a *app) warn(err error) {
	if a.tuiRunning.Load() {
		return // wiring.Setup has logged it already
	}
	fmt.Fprintf(a.errOut, "fittui: warning: %v\n", err)
}

// connect returns the shared wiring of accounts, tokens and providers.
func (a *app) connect() (*wiring.Setup, error) {
	if a.conn == nil {
		cfg, err := a.config()
		if err != nil {
			return nil, err
		}
		a.conn = &wiring.Setup{
			Config:     cfg,
			Now:        a.now,
			HTTPClient: &http.Client{Timeout: httpTimeout},
			Logger:     a.log(),
			OnWarning:  a.warn,
		}
		st, err := a.cache()
		if err != nil {
			// Without a cache fittui still works, only slower to start and
			// without offline data: warn, do not stop. The request budgets
			// go to the state folder, or stay in memory (then automatic
			// requests stop: nothing could count them with other processes).
			a.warn(fmt.Errorf("%w; continuing without the cache", err))
			bs, berr := cache.OpenBudgets(cache.StateBudgetDir())
			if berr != nil {
				a.warn(fmt.Errorf("request budget not shared: %w; only your own refreshes (r) send requests", berr))
			} else {
				a.log().Debug("request budgets kept in the state folder", "dir", bs.Dir())
			}
			a.conn.Budgets = bs
		} else {
			a.conn.Cache = st
		}
	}
	return a.conn, nil
}

// cache opens the cache store once (creating its folder, 0700), capped at
// the configuration's cache_size.
func (a *app) cache() (*cache.Store, error) {
	if a.cacheStore != nil {
		return a.cacheStore, nil
	}
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	st, err := cache.Open(cache.Options{MaxBytes: cfg.CacheSize, Now: a.now, FS: a.fs, OnDrop: func(path string, err error) {
		a.log().Debug("cache entry dropped", "path", path, "why", err.Error())
	}})
	if err != nil {
		return nil, err
	}
	a.cacheStore = st
	return st, nil
}
