package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/wiring"
)

const refreshLong = `Refresh the access token of one account (--account NAME) or of every
signed-in account (--all) now, instead of on next use. Without either, the
only signed-in account is refreshed.

Each refreshed account prints its new expiry on standard output; each failure
says why on standard error (sign in again, and the command to do it; the
provider could not be reached; ...), and the command then exits 1.`

func newAuthRefreshCmd(a *app) *cobra.Command {
	var account string
	var all bool
	cmd := &cobra.Command{
		Use:     "refresh [--account NAME | --all]",
		Short:   "Refresh tokens now",
		Long:    refreshLong,
		Example: "  fittui auth refresh\n  fittui auth refresh --account work\n  fittui auth refresh --all",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.authRefresh(cmd.Context(), account, all)
		},
	}
	cmd.Flags().StringVar(&account, "account", "", "refresh account `NAME`")
	cmd.Flags().BoolVar(&all, "all", false, "refresh every signed-in account")
	cmd.MarkFlagsMutuallyExclusive("account", "all")
	_ = cmd.RegisterFlagCompletionFunc("account", a.signedInNames)
	return cmd
}

func (a *app) authRefresh(ctx context.Context, name string, all bool) error {
	setup, err := a.connect()
	if err != nil {
		return err
	}
	list, err := setup.Accounts()
	if err != nil {
		return err
	}
	var signedIn []wiring.Account
	var names []string
	for _, acc := range list {
		if acc.Token != nil {
			signedIn = append(signedIn, acc)
			names = append(names, acc.Name)
		}
	}
	var targets []wiring.Account
	switch {
	case name != "":
		acc, err := findAccount(list, name)
		if len(list) == 0 || err != nil {
			return usagef("no account named %q (signed-in accounts: %s)", name, orNone(names))
		}
		if acc.Token == nil {
			return fmt.Errorf("account %q is not signed in, so there is nothing to refresh: run `%s`", name, loginCommand(acc.Provider, name))
		}
		targets = []wiring.Account{acc}
	case len(signedIn) == 0:
		return fmt.Errorf("no account is signed in, so there is nothing to refresh: run `fittui auth login PROVIDER` (PROVIDER: %s)", oauthProviderList())
	case all || len(signedIn) == 1:
		targets = signedIn
	default:
		return usagef("several accounts are signed in (%s): pass --account NAME or --all", strings.Join(names, ", "))
	}

	var failed []error
	for _, acc := range targets {
		msg, err := a.refreshOne(ctx, setup, acc)
		if err != nil {
			failed = append(failed, err)
			if len(targets) > 1 {
				fmt.Fprintf(a.errOut, "fittui: %v\n", err)
			}
			continue
		}
		fmt.Fprintf(a.out, "%s (%s): %s\n", acc.Name, acc.Token.Provider, msg)
	}
	switch {
	case len(failed) == 0:
		return nil
	case len(targets) == 1:
		return failed[0]
	}
	return fmt.Errorf("%d of %d accounts could not be refreshed", len(failed), len(targets))
}

// refreshOne refreshes acc's token and says how it went. Errors start with
// "NAME (PROVIDER): " and say what to do.
func (a *app) refreshOne(ctx context.Context, setup *wiring.Setup, acc wiring.Account) (string, error) {
	t := acc.Token
	provider := t.Provider
	if provider == "" {
		provider = acc.Provider
	}
	fail := func(format string, args ...any) error {
		label := provider
		if label == "" {
			label = "unknown provider"
		}
		return fmt.Errorf("%s (%s): %s", acc.Name, label, fmt.Sprintf(format, args...))
	}
	if st := acc.TokenState(a.now()); st.Code == wiring.StateDamaged {
		return "", fail("the token file is damaged (%s): sign in again: run `%s`", st.Reason, loginCommand(provider, acc.Name))
	}
	if !t.HasRefresh && !t.NeedsSignIn && (t.Expiry.IsZero() || a.now().Before(t.Expiry)) {
		return "no refresh token (the provider issues long-lived tokens), so nothing to refresh; the token is still valid", nil
	}
	src, err := setup.Source(acc.Name, provider)
	if err != nil {
		return "", fail("%v", err)
	}
	timeout := a.callTimeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tok, err := src.RefreshNow(ctx)
	if err != nil {
		return "", fail("%s", describeRefreshError(err, provider, acc.Name, timeout))
	}
	if w := src.Unsaved(); w != nil {
		return "", fail("refreshed, but %v", w)
	}
	if tok.Expiry.IsZero() {
		return "refreshed; the new token does not expire", nil
	}
	return "refreshed; valid until " + when(tok.Expiry, a.now()), nil
}

// describeRefreshError says why a refresh failed and what to do.
func describeRefreshError(err error, provider, account string, timeout time.Duration) string {
	pe, ok := providers.AsError(err)
	switch {
	case ok && pe.Kind == providers.KindSignIn:
		why := "the provider refused the token"
		if pe.Err != nil {
			why = pe.Err.Error()
		}
		return fmt.Sprintf("sign in again (%s): run `%s`", why, loginCommand(provider, account))
	case ok && pe.Kind == providers.KindUnreachable:
		why := ""
		if pe.Err != nil {
			why = " (" + pe.Err.Error() + ")"
		}
		return "unreachable: the provider's token endpoint could not be reached" + why + "; the token is unchanged, try again later"
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer from the provider's token endpoint within " + timeout.String() + "; the token is unchanged, try again later"
	case errors.Is(err, context.Canceled):
		return "interrupted; the token is unchanged"
	}
	return err.Error()
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
