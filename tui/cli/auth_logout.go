package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/fittui/fittui/cache"

	"github.com/spf13/cobra"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/tui/wiring"
)

func logoutLong() string {
	return `Log account NAME out: revoke fittui's access at the provider where the
provider offers that (` + revokers() + `), then delete
the local token. The account's cached data stays unless --purge.

If revoking fails (the provider cannot be reached, the client settings are
missing), the local token is deleted anyway, the command says where to
remove fittui's access by hand, and exits 1. An account in the
configuration file stays there: fittui never writes that file.`
}

func newAuthLogoutCmd(a *app) *cobra.Command {
	var purge bool
	cmd := &cobra.Command{
		Use:               "logout NAME",
		Short:             "Revoke and delete an account's token",
		Long:              logoutLong(),
		Example:           "  fittui auth logout " + exampleSignIn(false) + "\n  fittui auth logout work --purge",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.signedInNames,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.authLogout(cmd.Context(), args[0], purge)
		},
	}
	cmd.Flags().BoolVar(&purge, "purge", false, "also delete the account's cached data")
	return cmd
}

func (a *app) authLogout(ctx context.Context, name string, purge bool) error {
	if err := tokenstore.ValidateAccount(name); err != nil {
		return usagef("%v", err)
	}
	setup, err := a.connect()
	if err != nil {
		return err
	}
	list, err := setup.Accounts()
	if err != nil {
		return err
	}
	var acc *wiring.Account
	var names []string
	for i := range list {
		if list[i].Token != nil {
			names = append(names, list[i].Name)
		}
		if list[i].Name == name {
			acc = &list[i]
		}
	}
	if acc == nil || acc.Token == nil {
		msg := fmt.Sprintf("account %q is not signed in (signed-in accounts: %s)", name, orNone(names))
		if !purge {
			if acc == nil {
				return usagef("%s", msg)
			}
			fmt.Fprintf(a.errOut, "%s; nothing to log out.\n", msg)
			return nil
		}
		fmt.Fprintf(a.errOut, "%s; no token to delete.\n", msg)
		return a.purgeCache(name)
	}

	provider := acc.Token.Provider
	if provider == "" {
		provider = acc.Provider // damaged file: the configuration may know
	}
	title := providerTitle(provider)

	// The account's lock, held around revoke and delete: a refresh in
	// flight (the dashboard, another command) finishes first, so the token
	// revoked is the newest one and no refresh can save it back afterwards.
	st, err := setup.Tokens()
	if err != nil {
		return err
	}
	lockCtx, cancel := context.WithTimeout(ctx, a.callTimeout())
	unlock, err := st.Lock(lockCtx, name, func() {
		fmt.Fprintf(a.errOut, "Waiting for another fittui to finish refreshing the token of %s...\n", name)
	})
	cancel()
	if err != nil {
		return fmt.Errorf("nothing was logged out: %w", err)
	}
	defer unlock()
	revokeErr := a.revoke(ctx, setup, *acc, provider)
	if err := st.Delete(name); err != nil && !errors.Is(err, tokenstore.ErrNoToken) {
		return fmt.Errorf("the local token was not deleted: %w", err)
	}
	fmt.Fprintf(a.out, "Deleted the local token of account %s (%s).\n", name, acc.Token.Path)

	if purge {
		if err := a.purgeCache(name); err != nil {
			return err
		}
	} else if dir := accountCacheDir(name); dirExists(dir) {
		fmt.Fprintf(a.out, "Its cached data stays in %s (add --purge to delete it).\n", dir)
	}
	if revokeErr != nil {
		return fmt.Errorf("logged out here, but fittui's access at %s was not revoked (%v): %s", title, revokeErr, wiring.ManualRevokeHint(provider))
	}
	return nil
}

// revoke asks the provider to end fittui's access and says how it went. A
// provider without revocation is not an error; anything that leaves the
// grant alive at the provider is.
func (a *app) revoke(ctx context.Context, setup *wiring.Setup, acc wiring.Account, provider string) error {
	title := providerTitle(provider)
	if st := acc.TokenState(a.now()); st.Code == wiring.StateDamaged {
		return fmt.Errorf("the token file is damaged (%s), so there is no token to revoke with", st.Reason)
	}
	src, err := setup.Source(acc.Name, provider)
	if err != nil {
		return err
	}
	timeout := a.callTimeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err = src.Revoke(ctx)
	switch {
	case err == nil:
		fmt.Fprintf(a.out, "Revoked fittui's access at %s.\n", title)
		return nil
	case errors.Is(err, auth.ErrNoRevoke):
		fmt.Fprintf(a.out, "%s offers no way to revoke a token from fittui; %s.\n", title, wiring.ManualRevokeHint(provider))
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		err = fmt.Errorf("no answer within %v", timeout)
	}
	fmt.Fprintf(a.errOut, "fittui: could not revoke fittui's access at %s: %v. Deleting the local token anyway.\n", title, err)
	return err
}

// purgeCache deletes the account's cached data and says so.
func (a *app) purgeCache(account string) error {
	dir, removed, err := removeAccountCache(account)
	switch {
	case err != nil:
		return fmt.Errorf("could not delete the cached data in %s: %w", dir, err)
	case removed:
		fmt.Fprintf(a.out, "Deleted the cached data in %s.\n", dir)
	default:
		fmt.Fprintf(a.out, "No cached data to delete (%s does not exist).\n", dir)
	}
	return nil
}

// accountCacheDir is where the account's cached provider answers live:
// $XDG_CACHE_HOME/fittui/<escaped account>/ (the cache package's layout).
// logout --purge removes the folder without opening the store, so it works
// even when the cache cannot be opened.
func accountCacheDir(account string) string {
	return filepath.Join(cache.DefaultRoot(), cache.AccountDir(account))
}

// removeAccountCache deletes the account's cache folder if present. The
// account name is validated (no separators, no leading dot), so the path
// cannot leave the cache folder; a symlink in its place is removed, not
// followed.
func removeAccountCache(account string) (dir string, removed bool, err error) {
	if err := tokenstore.ValidateAccount(account); err != nil {
		return "", false, err
	}
	dir = accountCacheDir(account)
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return dir, false, nil
	} else if err != nil {
		return dir, false, err
	}
	if err := os.RemoveAll(dir); err != nil {
		return dir, false, err
	}
	return dir, true, nil
}

func dirExists(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir()
}
