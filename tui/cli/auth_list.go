package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/fittui/fittui/tui/wiring"
)

const listLong = `List the accounts that sign in: those with a token (signed in with
'fittui auth login') and configured accounts of a sign-in provider without
one ("not signed in"). For each: the provider, the token's state, when the
access token expires, and the permissions (scopes) granted. Tokens are never
shown.

States: valid; expired — refreshes on next use; sign in again (why);
damaged file (why); not signed in.

With --json the list is a JSON array of objects with the keys account,
provider, state (valid, expired, sign_in_again, damaged, not_signed_in),
reason (why, for sign_in_again and damaged; else absent), expiry (RFC 3339,
null when there is none or it never expires) and scopes (an array).`

func newAuthListCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List signed-in accounts and the state of their tokens",
		Long:    listLong,
		Example: "  fittui auth list\n  fittui auth list --json | jq -r '.[] | select(.state != \"valid\") | .account'",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return a.authList(asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

// listRow is one account of `auth list --json`; its keys are public
// interface.
type listRow struct {
	Account  string     `json:"account"`
	Provider string     `json:"provider"`
	State    string     `json:"state"`
	Reason   string     `json:"reason,omitempty"`
	Expiry   *time.Time `json:"expiry"`
	Scopes   []string   `json:"scopes"`

	text string // the state in words, for the table
}

func (a *app) authList(asJSON bool) error {
	setup, err := a.connect()
	if err != nil {
		return err
	}
	list, err := setup.Accounts()
	if err != nil {
		return err
	}
	now := a.now()
	rows := []listRow{}
	for _, acc := range list {
		if acc.Token == nil && !wiring.IsOAuth(acc.Provider) {
			continue // accounts of providers that never sign in
		}
		st := acc.TokenState(now)
		r := listRow{Account: acc.Name, Provider: acc.Provider, State: st.Code, Reason: st.Reason, Scopes: []string{}, text: st.Text()}
		if !st.Expiry.IsZero() {
			r.Expiry = &st.Expiry
		}
		if acc.Token != nil && acc.Token.Scopes != nil {
			r.Scopes = acc.Token.Scopes
		}
		rows = append(rows, r)
	}
	if asJSON {
		return writeJSON(a.out, rows)
	}
	if len(rows) == 0 {
		fmt.Fprintf(a.errOut, "No accounts are signed in. Sign in with `fittui auth login PROVIDER` (PROVIDER: %s).\n", oauthProviderList())
		return nil
	}
	tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACCOUNT\tPROVIDER\tSTATE\tEXPIRES\tSCOPES")
	for _, r := range rows {
		expiry := "-"
		switch {
		case r.Expiry != nil:
			expiry = when(*r.Expiry, now)
		case r.State == wiring.StateValid:
			expiry = "never"
		}
		provider := r.Provider
		if provider == "" {
			provider = "-"
		}
		scopes := "-"
		if len(r.Scopes) > 0 {
			scopes = strings.Join(shortScopes(r.Scopes), " ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Account, provider, r.text, expiry, scopes)
	}
	return tw.Flush()
}

// shortScopes writes URL-shaped scopes by their last part, which says it
// all (https://example.com/auth/x.sleep.readonly -> x.sleep.readonly);
// the URL prefix would otherwise fill the line.
func shortScopes(scopes []string) []string {
	out := make([]string, len(scopes))
	for i, s := range scopes {
		out[i] = s
		if strings.Contains(s, "://") {
			if j := strings.LastIndex(s, "/"); j >= 0 && j < len(s)-1 {
				out[i] = s[j+1:]
			}
		}
	}
	return out
}
