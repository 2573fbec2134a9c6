package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/config"
	"github.com/fittui/fittui/tui/wiring"
)

// NoAccountsNotice is shown when no account is configured and the demo
// accounts stand in.
const NoAccountsNotice = "No accounts configured: showing demo data. Add one with `a` in the dashboard or `fittui auth login PROVIDER`."

// accountList returns the accounts to use: the registry's sample accounts
// (the demo's) with --demo, else the configured accounts and those signed
// in with `fittui auth login` (see wiring.Setup.Accounts); when there are
// none, the sample accounts with a notice saying so.
func (a *app) accountList(cfg *config.Config) (list []wiring.Account, notice string, err error) {
	if !a.demo {
		setup, err := a.connect()
		if err != nil {
			return nil, "", err
		}
		list, err := setup.Accounts()
		if err != nil {
			return nil, "", err
		}
		if len(list) > 0 {
			return list, "", nil
		}
		notice = NoAccountsNotice
	}
	for _, spec := range providers.SampleAccounts() {
		list = append(list, wiring.AccountOf(spec))
	}
	return list, notice, nil
}

// findAccount returns the account called name, or the first when name is
// empty.
func findAccount(list []wiring.Account, name string) (wiring.Account, error) {
	if len(list) == 0 {
		return wiring.Account{}, fmt.Errorf("no accounts")
	}
	if name == "" {
		return list[0], nil
	}
	names := make([]string, len(list))
	for i, acc := range list {
		if acc.Name == name {
			return acc, nil
		}
		names[i] = acc.Name
	}
	return wiring.Account{}, usagef("no account named %q (accounts: %s)", name, strings.Join(names, ", "))
}

// open builds the provider for acc (see wiring.Opened). A provider that refuses the account's
// settings (unknown provider, bad option) is a configuration error naming
// the file and line; missing client settings are a usage error; a
// *providers.Error is the provider's own runtime error, and a
// *wiring.NotBuiltError says this build cannot show the account.
func (a *app) open(cfg *config.Config, acc wiring.Account) (wiring.Opened, error) {
	var o wiring.Opened
	var err error
	if a.demo {
		var p providers.Provider
		if p, err = providers.Open(acc.Spec(), a.providerEnv()); err == nil {
			o = wiring.Uncached(acc.Spec(), p, a.now)
		}
	} else {
		setup, serr := a.connect()
		if serr != nil {
			return o, serr
		}
		o, err = setup.Open(acc)
	}
	if err == nil {
		return wiring.Dressed(o, acc, cfg), nil
	}
	var nb *wiring.NotBuiltError
	var se *wiring.SettingsError
	switch {
	case errors.As(err, &se):
		return o, &usageError{err}
	case errors.As(err, &nb):
		return o, err
	}
	if _, ok := providers.AsError(err); ok || acc.Line == 0 {
		return o, err
	}
	return o, cfg.ErrorAt(acc.Line, err.Error())
}

// providerEnv is what providers that need no sign-in get from the program.
func (a *app) providerEnv() providers.Env { return providers.Env{Now: a.now} }

// sayWarnings tells, once a command has asked an account, what the person
// should know about its cache and request budget: answers that could not
// be kept (a full disk), a budget that is not shared or whose record was
// damaged. A missing cache folder was said when it was found.
func (a *app) sayWarnings(o wiring.Opened) {
	c := o.Cache
	if c == nil {
		return
	}
	if err := c.Status().CacheErr; err != nil && !errors.Is(err, cache.ErrNoStore) {
		a.warn(fmt.Errorf("answers are not being kept in the cache: %w", err))
	}
	if b := c.Budget(); b != nil {
		if err := b.Unshared(); err != nil {
			a.warn(&cache.UnsharedError{Why: err})
		} else if de := b.Damage(); de != nil {
			a.warn(de)
		}
	}
}
