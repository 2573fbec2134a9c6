// Package tui is fittui's Bubble Tea dashboard.
// STUB: the TUI helper replaces this file; the signatures below are the
// contract the command line (tui/cli) builds against.
package tui

import (
	"errors"
	"time"

	"github.com/fittui/fittui/providers"
)

// Account is one configured account with its opened provider.
type Account struct {
	Spec     providers.AccountSpec
	Provider providers.Provider
}

// Options configure the dashboard.
type Options struct {
	Accounts []Account
	Refresh  time.Duration    // ticker interval; 0 means the default (1m)
	Theme    string           // theme name (see theme.Names); "" means default
	Now      func() time.Time // clock; nil means time.Now
	// Notice is shown once in the footer at start, e.g. "no accounts
	// configured: showing demo data".
	Notice string
}

// Run starts the dashboard and blocks until the person quits.
func Run(opts Options) error { return errors.New("tui: not built yet") }
