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
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/textfmt"
)

// importer is the registered provider that imports files (`fittui
// import`); ok is false when this build has none.
func importer() (providers.Registration, bool) {
	for _, r := range providers.Listed() {
		if r.Import != nil {
			return r, true
		}
	}
	return providers.Registration{}, false
}

// newImportCmd is `fittui import`, over the registry's importer (nil when
// there is none); its texts are the importer's.
func newImportCmd(a *app) *cobra.Command {
	reg, ok := importer()
	if !ok {
		return nil
	}
	im := reg.Import
	var account, zone string
	cmd := &cobra.Command{
		Use:     "import PATH...",
		Short:   im.Short,
		Long:    im.Long,
		Example: im.Example,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.importArchive(cmd.Context(), reg, args, account, zone)
		},
	}
	cmd.Flags().StringVar(&account, "account", "", "account `NAME` to import into (default \""+im.DefaultAccount+"\")")
	cmd.Flags().StringVar(&zone, "time-zone", "", "the wearer's IANA time `ZONE` (e.g. Australia/Sydney) when the archive has no profile, or to override it")
	return cmd
}

func (a *app) importArchive(ctx context.Context, reg providers.Registration, paths []string, account, zone string) error {
	if account == "" {
		account = reg.Import.DefaultAccount
	}
	if err := tokenstore.ValidateAccount(account); err != nil {
		return usagef("--account: %v", err)
	}
	if zone != "" {
		if _, err := time.LoadLocation(zone); err != nil || zone == "Local" {
			return usagef("--time-zone: %q is not an IANA time zone name (like Australia/Sydney, Europe/London or America/New_York)", zone)
		}
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return usagef("%s: no such file or folder", p)
		}
	}
	if err := a.checkImportAccount(reg.Name, account); err != nil {
		return err
	}
	req := providers.ImportRequest{Paths: paths, Account: account, TimeZone: zone, Now: a.now}
	bar := newProgressLine(a.errOut)
	if bar != nil {
		req.OnProgress = bar.update
	}
	res, err := reg.Import.Import(ctx, req)
	bar.done()
	for _, w := range res.Warnings {
		a.warn(errors.New(w))
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(a.out, res.Summary)
	return err
}

// checkImportAccount refuses a name that belongs to an account of another
// provider than the importer (configured or signed in).
func (a *app) checkImportAccount(provider, account string) error {
	setup, err := a.connect()
	if err != nil {
		return err
	}
	list, err := setup.Accounts()
	if err != nil {
		return err
	}
	for _, acc := range list {
		if acc.Name != account || acc.Provider == provider {
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

func (p *progressLine) update(done, total int64) {
	if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond {
		p.last = now
		pct := 0
		if total > 0 {
			pct = int(100 * done / total)
		}
		const width = 30
		fill := width * pct / 100
		fmt.Fprintf(p.w, "\r\x1b[Kimporting [%s%s] %3d%%  %s of %s MB", strings.Repeat("=", fill), strings.Repeat(" ", width-fill),
			pct, textfmt.Int(int(done>>20)), textfmt.Int(int(total>>20)))
		p.drew = true
	}
}

func (p *progressLine) done() {
	if p != nil && p.drew {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
