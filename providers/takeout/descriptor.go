package takeout

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// OptionRoot is the account option naming the archives folder.
const OptionRoot = "root"

// DefaultImportAccount is the account an import goes to without --account.
const DefaultImportAccount = "takeout"

// registration is everything fittui knows about imported archives, as
// data (see providers.Registration).
var registration = providers.Registration{
	Name:  Name,
	Title: "Imported archive",
	Description: "Data imported from a Fitbit account export or Google Takeout with " +
		"`fittui import PATH --account NAME`; no network. Option root: the archives folder " +
		"(default $XDG_DATA_HOME/fittui/archives).",
	Order: 80,
	New: func(spec providers.AccountSpec, env providers.Env) (providers.Provider, error) {
		return New(spec, env)
	},
	Options: []providers.Option{{
		Key:     OptionRoot,
		Meaning: "the archives folder the account was imported into (default $XDG_DATA_HOME/fittui/archives)",
	}},
	Serves: []providers.Serving{
		{Metric: providers.MetricSteps, Finest: time.Minute},
		{Metric: providers.MetricHeartRate, AsRecorded: true, Note: "every few seconds"},
		{Metric: providers.MetricRestingHeartRate, Finest: providers.Day},
		{Metric: providers.MetricDistance, Finest: time.Minute},
		{Metric: providers.MetricCalories, Finest: time.Minute},
		{Metric: providers.MetricActiveMinutes, Finest: providers.Day},
		{Metric: providers.MetricSleep, AsRecorded: true, Note: "stages"},
		{Metric: providers.MetricWeight, AsRecorded: true},
	},
	Stored: storedAccounts,
	Import: &providers.Importer{
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
		DefaultAccount: DefaultImportAccount,
		Import:         importFor,
	},
}

func init() { providers.Register(registration) }

// storedAccounts lists the imported accounts (DefaultRoot) for the
// registry.
func storedAccounts() ([]providers.AccountSpec, error) {
	infos, err := Accounts("")
	if err != nil {
		return nil, err
	}
	out := make([]providers.AccountSpec, 0, len(infos))
	for _, info := range infos {
		out = append(out, providers.AccountSpec{Name: info.Name, Provider: Name})
	}
	return out, nil
}

// importFor is Import behind `fittui import`: its warnings and report as
// the command prints them.
func importFor(ctx context.Context, req providers.ImportRequest) (providers.ImportResult, error) {
	opt := Options{Paths: req.Paths, Account: req.Account, Now: req.Now}
	if req.OnProgress != nil {
		opt.OnProgress = func(p Progress) { req.OnProgress(p.Done, p.Total) }
	}
	rep, err := Import(ctx, opt)
	var out providers.ImportResult
	if rep != nil {
		for _, s := range rep.Skipped {
			out.Warnings = append(out.Warnings, fmt.Sprintf("skipped %s: %s", s.File, s.Reason))
		}
		out.Warnings = append(out.Warnings, rep.Warnings...)
		if err == nil {
			out.Summary = ReportText(rep)
		}
	}
	return out, err
}

// ReportText is the report printed after an import.
func ReportText(r *Report) string {
	var b strings.Builder
	m := r.Manifest
	fmt.Fprintf(&b, "Imported into account %q (time zone %s; weight in %s, distance in %s in the archive)\n\n", r.Account, m.TimeZone, m.WeightUnit, m.DistanceUnit)
	if len(r.Found) == 0 {
		b.WriteString("Nothing new was found.\n")
	}
	var rows [][3]string
	for _, f := range r.Found {
		rows = append(rows, [3]string{f.Metric, thousands(f.Days) + " days", thousands(f.Samples) + " " + unitWord(f.Metric)})
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
		fmt.Fprintf(&b, "\nDays %s to %s; %s files read", r.From, r.To, thousands(r.Files))
	} else {
		fmt.Fprintf(&b, "\n%s files read", thousands(r.Files))
	}
	if r.Ignored > 0 {
		fmt.Fprintf(&b, ", %s other files ignored", thousands(r.Ignored))
	}
	b.WriteString(".\n")
	if r.Duplicates > 0 {
		fmt.Fprintf(&b, "Left out %s samples of the Google data CSVs that repeat the JSON data.\n", thousands(r.Duplicates))
	}
	if r.BadRecords > 0 {
		fmt.Fprintf(&b, "Left out %s unreadable records (empty values, dates that are not dates).\n", thousands(r.BadRecords))
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

// thousands writes n with thousands separators, as the rest of fittui's
// output does (12,345).
func thousands(n int) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
