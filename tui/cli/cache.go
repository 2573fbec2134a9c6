package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/tui/textfmt"
)

const cacheLong = `fittui keeps the answers of network providers under
$XDG_CACHE_HOME/fittui/ (~/.cache/fittui), one folder per account, so the
dashboard opens instantly, works offline and stays inside each provider's
rate limit. Tokens and configuration never go there.

Settled days (before yesterday) are kept until you press r; yesterday is
fetched again once it is 3 hours old (late device syncs); today follows the
refresh interval. The cache is capped by cache_size in the configuration
(default 256MiB); the least recently used entries go first.`

func newCacheCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cache",
		Short: "Show or clear the cached provider data",
		Long:  cacheLong,
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newCacheInfoCmd(a), newCacheClearCmd(a))
	return cmd
}

func newCacheInfoCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "info",
		Short: "Size and age of the cached data, per account",
		Long: `Show, per account, how much cached data there is and how old it is: when
its oldest and newest entries were fetched from the provider.

With --json the answer is an object with the keys folder, max_bytes and
accounts, an array of objects with the keys account, bytes, entries,
oldest and newest (RFC 3339).`,
		Example: "  fittui cache info\n  fittui cache info --json | jq '.accounts[] | {account, bytes}'",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return a.cacheInfo(asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func newCacheClearCmd(a *app) *cobra.Command {
	var account string
	cmd := &cobra.Command{
		Use:   "clear",
		Short: "Delete the cached data of one account or of all",
		Long: `Delete cached provider data: of the account named by --account, or of every
account. The next start fetches what it shows again, within each provider's
rate limit. Tokens, configuration and imported archives are not touched, and
neither is the record of requests already spent this hour.`,
		Example: "  fittui cache clear --account me\n  fittui cache clear",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return a.cacheClear(account)
		},
	}
	cmd.Flags().StringVar(&account, "account", "", "clear only account `NAME`")
	_ = cmd.RegisterFlagCompletionFunc("account", a.cachedNames)
	return cmd
}

// cacheRow is one account of `cache info --json`; its keys are public.
type cacheRow struct {
	Account string    `json:"account"`
	Bytes   int64     `json:"bytes"`
	Entries int       `json:"entries"`
	Oldest  time.Time `json:"oldest"`
	Newest  time.Time `json:"newest"`
}

func (a *app) cacheInfo(asJSON bool) error {
	st, err := a.cache()
	if err != nil {
		return err
	}
	infos, err := st.Info()
	if err != nil {
		return err
	}
	if err := st.Writable(); err != nil {
		// A full disk would otherwise read as an empty cache.
		a.warn(fmt.Errorf("answers are not being kept in the cache: %w", err))
	}
	maxBytes := int64(cache.DefaultMaxBytes)
	if cfg, _ := a.config(); cfg != nil && cfg.CacheSize > 0 {
		maxBytes = cfg.CacheSize
	}
	if asJSON {
		rows := make([]cacheRow, len(infos))
		for i, in := range infos {
			rows[i] = cacheRow{in.Account, in.Bytes, in.Entries, in.Oldest, in.Newest}
		}
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Folder   string     `json:"folder"`
			MaxBytes int64      `json:"max_bytes"`
			Accounts []cacheRow `json:"accounts"`
		}{st.Root(), maxBytes, rows})
	}
	if len(infos) == 0 {
		fmt.Fprintf(a.out, "The cache is empty (%s).\n", st.Root())
		return nil
	}
	now := a.now()
	tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACCOUNT\tSIZE\tENTRIES\tOLDEST\tNEWEST")
	var total int64
	for _, in := range infos {
		total += in.Bytes
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", in.Account, humanBytes(in.Bytes), in.Entries,
			textfmt.Clock(now, in.Oldest.In(now.Location())), textfmt.Clock(now, in.Newest.In(now.Location())))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "\n%s of %s (cache_size) in %s\n", humanBytes(total), humanBytes(maxBytes), st.Root())
	return nil
}

func (a *app) cacheClear(account string) error {
	if account != "" {
		if err := tokenstore.ValidateAccount(account); err != nil {
			return usagef("--account: %v", err)
		}
	}
	st, err := a.cache()
	if err != nil {
		return err
	}
	infos, err := st.Info()
	if err != nil {
		return err
	}
	var bytes int64
	var names []string
	for _, in := range infos {
		if account == "" || in.Account == account {
			bytes += in.Bytes
			names = append(names, in.Account)
		}
	}
	if len(names) == 0 {
		if account != "" {
			fmt.Fprintf(a.out, "No cached data for %s.\n", account)
		} else {
			fmt.Fprintln(a.out, "The cache is already empty.")
		}
		return nil
	}
	if err := st.Clear(account); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "Deleted %s of cached data (%s).\n", humanBytes(bytes), strings.Join(names, ", "))
	return nil
}

// cachedNames completes --account with the accounts that have cached data.
func (a *app) cachedNames(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	st, err := a.cache()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	infos, _ := st.Info()
	names := make([]string, len(infos))
	for i, in := range infos {
		names[i] = in.Account
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}

// humanBytes is n in B, KiB, MiB or GiB.
func humanBytes(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
}
