package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/providers/takeout"
	"github.com/fittui/fittui/tui/format"
)

// defaultImportAccount is the account an import goes to without --account.
const defaultImportAccount = "takeout"

func newImportCmd(a *app) *cobra.Command {
	var account string
	cmd := &cobra.Command{
		Use:   "import PATH...",
		Short: "Add an offline account from a Fitbit account export or Google Takeout archive",
		Long: `Import a Fitbit account export ("Export your account archive" on fitbit.com)
or a Google Takeout archive of Fitbit data as an offline account: heart rate,
minute steps, distance and calories, resting heart rate, sleep with stages,
weight and active minutes. The dashboard and 'fittui today --account NAME'
then show it with no network.

PATH is a folder, a .zip, or one part of a split archive
(takeout-...-001.zip, -002.zip, ...: the other parts in the same folder are
read too); several paths may be given. Files are found by name anywhere in
the tree. The Google data CSV copies of the same data are never counted
twice. Weights and distances follow the account's unit settings in the
archive's profile and are stored in kg and km.

Imported data is kept under $XDG_DATA_HOME/fittui/archives (usually
~/.local/share/fittui/archives), not in the cache: 'fittui cache clear'
does not remove it. Importing again (a newer archive) merges: the same
timestamps are replaced, nothing is duplicated. A damaged file is skipped
with a warning naming it and the rest is imported.`,
		Example: `  fittui import ~/Downloads/MyFitbitData.zip
  fittui import ~/Downloads/takeout-20260301T101010Z-001.zip --account me-fitbit
  fittui import ~/Takeout/Fitbit --account old-charge`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.importArchive(cmd.Context(), args, account)
		},
	}
	cmd.Flags().StringVar(&account, "account", "", "account `NAME` to import into (default \""+defaultImportAccount+"\")")
	return cmd
}

func (a *app) importArchive(ctx context.Context, paths []string, account string) error {
	if account == "" {
		account = defaultImportAccount
	}
	if err := tokenstore.ValidateAccount(account); err != nil {
		return usagef("--account: %v", err)
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return usagef("%s: no such file or folder", p)
		}
	}
	if err := a.checkImportAccount(account); err != nil {
		return err
	}
	opt := takeout.Options{Paths: paths, Account: account, Now: a.now}
	bar := newProgressLine(a.errOut)
	if bar != nil {
		opt.OnProgress = bar.update
	}
	rep, err := takeout.Import(ctx, opt)
	bar.done()
	if rep != nil {
		for _, s := range rep.Skipped {
			a.warn(fmt.Errorf("skipped %s: %s", s.File, s.Reason))
		}
		for _, w := range rep.Warnings {
			a.warn(errors.New(w))
		}
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(a.out, importText(rep))
	return err
}

// checkImportAccount refuses a name that belongs to an account of another
// provider (configured or signed in).
func (a *app) checkImportAccount(account string) error {
	setup, err := a.connect()
	if err != nil {
		return err
	}
	list, err := setup.Accounts()
	if err != nil {
		return err
	}
	for _, acc := range list {
		if acc.Name != account || acc.Provider == takeout.Name {
			continue
		}
		where := "signed in with `fittui auth login`"
		if acc.Configured {
			where = "in the configuration file"
		}
		return usagef("account %q is a %s account (%s), so an archive cannot be imported into it: pick another name with --account NAME", account, acc.Provider, where)
	}
	return nil
}

// importText is the report printed after an import.
func importText(r *takeout.Report) string {
	var b strings.Builder
	m := r.Manifest
	fmt.Fprintf(&b, "Imported into account %q (time zone %s; weight in %s, distance in %s in the archive)\n\n", r.Account, m.TimeZone, m.WeightUnit, m.DistanceUnit)
	if len(r.Found) == 0 {
		b.WriteString("Nothing new was found.\n")
	}
	var rows [][3]string
	for _, f := range r.Found {
		rows = append(rows, [3]string{f.Metric, format.Int(f.Days) + " days", format.Int(f.Samples) + " " + unitWord(f.Metric)})
	}
	var w [3]int
	for _, row := range rows {
		for i, c := range row {
			w[i] = max(w[i], len(c))
		}
	}
	for _, row := range rows {
		fmt.Fprintf(&b, "  %-*s  %*s  %*s\n", w[0], row[0], w[1], row[1], w[2], row[2])
	}
	if !r.From.IsZero() {
		fmt.Fprintf(&b, "\nDays %s to %s; %s files read", r.From, r.To, format.Int(r.Files))
	} else {
		fmt.Fprintf(&b, "\n%s files read", format.Int(r.Files))
	}
	if r.Ignored > 0 {
		fmt.Fprintf(&b, ", %s other files ignored", format.Int(r.Ignored))
	}
	b.WriteString(".\n")
	if r.Duplicates > 0 {
		fmt.Fprintf(&b, "Left out %s samples of the Google data CSVs that repeat the JSON data.\n", format.Int(r.Duplicates))
	}
	if r.BadRecords > 0 {
		fmt.Fprintf(&b, "Left out %s unreadable records (empty values, dates that are not dates).\n", format.Int(r.BadRecords))
	}
	if n := len(r.Skipped); n > 0 {
		fmt.Fprintf(&b, "Skipped %d damaged or unreadable file(s):\n", n)
		for _, s := range r.Skipped {
			fmt.Fprintf(&b, "  %s: %s\n", s.File, s.Reason)
		}
	}
	if m.From != "" {
		fmt.Fprintf(&b, "The account now holds %s to %s. See it with `fittui` or `fittui today --account %s --date %s`.\n", m.From, m.To, r.Account, m.To)
	}
	return b.String()
}

func unitWord(metric string) string {
	switch metric {
	case "sleep":
		return "sleeps"
	case "weight":
		return "weigh-ins"
	case "resting_heart_rate", "active_minutes":
		return "values"
	}
	return "samples"
}

// progressLine draws "importing  42%  120 MB of 285 MB" on one line of a
// terminal, at most ten times a second.
type progressLine struct {
	w    io.Writer
	last time.Time
	drew bool
}

// newProgressLine returns nil (no progress) unless w is a terminal.
func newProgressLine(w io.Writer) *progressLine {
	if !isTerminal(w) {
		return nil
	}
	return &progressLine{w: w}
}

func (p *progressLine) update(pr takeout.Progress) {
	if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond {
		p.last = now
		pct := 0
		if pr.Total > 0 {
			pct = int(100 * pr.Done / pr.Total)
		}
		const width = 30
		fill := width * pct / 100
		fmt.Fprintf(p.w, "\r\x1b[Kimporting [%s%s] %3d%%  %s of %s MB", strings.Repeat("=", fill), strings.Repeat(" ", width-fill),
			pct, format.Int(int(pr.Done>>20)), format.Int(int(pr.Total>>20)))
		p.drew = true
	}
}

func (p *progressLine) done() {
	if p != nil && p.drew {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
