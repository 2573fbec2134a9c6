package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/tui/wiring"
)

const authLong = `Sign in to cloud providers and manage the tokens fittui keeps.

Each provider needs an OAuth client of your own: set its client id (and
secret where the provider needs one) with FITTUI_<PROVIDER>_CLIENT_ID and
FITTUI_<PROVIDER>_CLIENT_SECRET, or client_id and client_secret under
[provider.NAME] in the configuration file. ` + wiring.ReadmeSection + ` says, per
provider, how to get one. _AUTH_URL, _TOKEN_URL, _API_URL and _REDIRECT_URL
point fittui at other endpoints (a compatible server, a test fake).

Tokens are kept in ` + tokenDirHint + `, one file per
account, readable by you only. They never appear in any output or log.`

const tokenDirHint = "$XDG_STATE_HOME/fittui/tokens"

func newAuthCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Sign in to providers and manage tokens",
		Long:  authLong,
		Example: "  fittui auth login " + exampleSignIn(false) + "\n" +
			"  fittui auth login " + exampleSignIn(false) + " --account work --no-browser\n" +
			"  fittui auth list\n" +
			"  fittui auth refresh --all\n" +
			"  fittui auth logout work",
		Args: cobra.NoArgs, // so a mistyped subcommand is an error, not help
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		newAuthLoginCmd(a),
		newAuthListCmd(a),
		newAuthRefreshCmd(a),
		newAuthLogoutCmd(a),
	)
	return cmd
}

// signedInNames completes account names that have a token.
func (a *app) signedInNames(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	setup, err := a.connect()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	list, err := setup.Accounts()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var names []string
	for _, acc := range list {
		if acc.Token != nil {
			names = append(names, acc.Name)
		}
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}

// loginCommand is the command that signs account in again.
func loginCommand(provider, account string) string {
	if provider == "" {
		provider = "PROVIDER"
	}
	if account == provider {
		return "fittui auth login " + provider
	}
	return fmt.Sprintf("fittui auth login %s --account %s", provider, shellQuote(account))
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+@=,/") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// providerTitle is a provider's name for people (its descriptor's
// OAuth.Title).
func providerTitle(provider string) string {
	if spec, ok := auth.Lookup(provider); ok {
		return spec.Title
	}
	return provider
}

// when writes a time for a person: local date and time with how far away
// it is, e.g. "2026-01-20 13:30 (in 59m)".
func when(t, now time.Time) string {
	s := t.In(now.Location()).Format("2006-01-02 15:04")
	d := t.Sub(now)
	if d >= 0 {
		return s + " (in " + roughly(d) + ")"
	}
	return s + " (" + roughly(-d) + " ago)"
}

// roughly writes a duration to the minute: 45s -> "under a minute",
// 59m, 3h5m, 2d4h.
func roughly(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh%dm", h, m)
	}
	days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	if h == 0 {
		return fmt.Sprintf("%dd", days)
	}
	return fmt.Sprintf("%dd%dh", days, h)
}

// oauthProviderList is the providers that sign in, for messages.
func oauthProviderList() string { return signInNames("") }
