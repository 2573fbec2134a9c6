package cli

import (
	"fmt"
	"strings"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
	"github.com/fittui/fittui/tui/config"
)

// NoAccountsNotice is shown when no account is configured and the demo
// accounts stand in.
const NoAccountsNotice = "No accounts configured: showing demo data. Add one with `fittui auth login PROVIDER`."

// accountList returns the accounts to use: the demo's with --demo or when
// none are configured (then with a notice saying so), else the configured.
func (a *app) accountList(cfg *config.Config) (list []config.Account, notice string) {
	if !a.demo && len(cfg.Accounts) > 0 {
		return cfg.Accounts, ""
	}
	for _, spec := range demo.Accounts() {
		list = append(list, config.Account{Name: spec.Name, Provider: spec.Provider, Options: spec.Options})
	}
	if !a.demo {
		notice = NoAccountsNotice
	}
	return list, notice
}

// findAccount returns the account called name, or the first when name is
// empty.
func findAccount(list []config.Account, name string) (config.Account, error) {
	if len(list) == 0 {
		return config.Account{}, fmt.Errorf("no accounts")
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
	return config.Account{}, usagef("no account named %q (accounts: %s)", name, strings.Join(names, ", "))
}

// open builds the provider for acc. A provider that refuses the account's
// settings (unknown provider, bad option) is a configuration error naming
// the file and line; a *providers.Error is the provider's own runtime error.
func (a *app) open(cfg *config.Config, acc config.Account) (providers.Provider, error) {
	p, err := providers.Open(acc.Spec(), a.providerEnv())
	if err == nil {
		return p, nil
	}
	if _, ok := providers.AsError(err); ok || acc.Line == 0 {
		return nil, err
	}
	return nil, cfg.ErrorAt(acc.Line, err.Error())
}
