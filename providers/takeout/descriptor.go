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
	New:   providers.FactoryOf(New),
	Options: []providers.Option{{
		Key:     OptionRoot,
		Meaning: "the archives folder the account was imported into (default $XDG_DATA_HOME/fittui/archives)",
	}},
	Serves: append(providers.Daily(providers.MetricRestingHeartRate, providers.MetricActiveMinutes), []providers.Serving{
		{Metric: providers.MetricSteps, Finest: time.Minute},
		{Metric: providers.MetricHeartRate, AsRecorded: true, Note: "every few seconds"},
		{Metric: providers.MetricDistance, Finest: time.Minute},
		{Metric: providers.MetricCalories, Finest: time.Minute},
		{Metric: providers.MetricFloors, Finest: time.Minute, Note: "from the altitude files"},
		{Metric: providers.MetricSleep, AsRecorded: true, Note: "stages"},
		{Metric: providers.MetricWeight, AsRecorded: true},
	}...),
	Stored: storedAccounts,
	Import: &providers.Importer{
		Short: "Add an offline account from a Fitbit account export or Google Takeout archive",
		Long: `Import a Fitbit account export ("Export your account archive" on fitbit.com)
or a Google Takeout archive of Fitbit data as an offline account: heart rate,
minute steps, distance, calories and floors, resting heart rate, sleep with
stages, weight and active minutes (and, kept for later versions, exercise
logs, heart-rate zones, active zone minutes, VO2 max, sleep score, HRV,
SpO2 and respiratory rate). The dashboard and 'fittui today --account NAME'
then show it with no network.

PATH is a folder, a .zip, a .tgz, or one part of a split archive
(takeout-...-001.zip, -002.zip, ...: the other parts in the same folder are
read too); several paths may be given. Files are found by name anywhere in
the tree. The Google data CSV copies of the same data are never counted
twice.

Clocks differ by file family: the per-sample files (heart rate, steps,
distance, calories, altitude) and exercise start times are UTC, sleep,
weight and the daily files local; the report says which clock each family
was found in. The wearer's zone comes from --time-zone, else the archive's
profile (real exports often have none), else UTC is assumed and the report
says so. Distance is read in centimetres, altitude in feet, height in
millimetres, the CSVs' metres and grams; weights in the profile's unit or,
without one, the unit the weigh-ins' own BMI and height show.

Imported data is kept under $XDG_DATA_HOME/fittui/archives (usually
~/.local/share/fittui/archives), not in the cache: 'fittui cache clear'
does not remove it. Importing again (a newer archive) merges: the same
timestamps are replaced, nothing is duplicated, and the report says what
changed. An account imported in another zone is rebuilt in the zone given
with --time-zone. A damaged file is skipped with a warning naming it and the
rest is imported.`,
		Example: `  fittui import ~/Downloads/MyFitbitData.zip
  fittui import ~/Downloads/takeout-20260301T101010Z-001.zip --account me-fitbit
  fittui import ~/Takeout/Fitbit --account old-charge
  fittui import ~/Downloads/MyFitbitData.zip --time-zone Australia/Sydney`,
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
	opt := Options{Paths: req.Paths, Account: req.Account, TimeZone: req.TimeZone, Now: req.Now}
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

// ReportText is the report printed after an import: the zone, clocks
// and units it was read in, what it found (or, importing again, what it
// changed), what was read and left out by file family.
func ReportText(r *Report) string {
	var b strings.Builder
	m := r.Manifest
	fmt.Fprintf(&b, "Imported into account %q (time zone %s, %s; weight in %s, distance in %s in the archive)\n\n",
		r.Account, m.TimeZone, zoneFromWords(r.ZoneFrom), m.WeightUnit, m.DistanceUnit)
	clocks(&b, r)
	fmt.Fprintf(&b, "Units: distance in centimetres (JSON) or metres (CSV), altitude in feet (10 ft a floor), height in millimetres,\n  weights in %s (%s); stored as km, floors and kg.\n\n",
		unitName(r.WeightUnit.Unit), r.WeightUnit.Why)
	if r.Reimport {
		changes(&b, r)
	} else {
		found(&b, r)
	}
	families(&b, "Read", r.Read)
	families(&b, "Left out (fittui does not read these)", r.LeftOut)
	if !r.From.IsZero() {
		fmt.Fprintf(&b, "Days %s to %s; %s files read", r.From, r.To, thousands(r.Files))
	} else {
		fmt.Fprintf(&b, "%s files read", thousands(r.Files))
	}
	if r.Ignored > 0 {
		fmt.Fprintf(&b, ", %s other files ignored", thousands(r.Ignored))
	}
	b.WriteString(".\n")
	if r.Duplicates > 0 {
		fmt.Fprintf(&b, "Left out %s records of the Google data CSVs that repeat the JSON data.\n", thousands(r.Duplicates))
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

func zoneFromWords(from string) string {
	switch from {
	case "--time-zone":
		return "from --time-zone"
	case "profile":
		return "from the archive's profile"
	case "earlier import":
		return "as imported before"
	}
	return "assumed: no profile and no --time-zone"
}

func unitName(u string) string {
	switch u {
	case "lb":
		return "pounds"
	case "stone":
		return "stone"
	}
	return "kilograms"
}

// clocks says which clock each per-sample family was read in.
func clocks(b *strings.Builder, r *Report) {
	fmt.Fprintf(b, "Clocks (checked against each file's day boundary in %s):\n", r.Zone)
	w := 0
	for _, c := range r.Clocks {
		w = max(w, len(c.Family))
	}
	for _, c := range r.Clocks {
		fmt.Fprintf(b, "  %-*s  %-5s  %s\n", w, c.Family, c.Clock, c.Why)
	}
	b.WriteString("  sleep, weight and the daily files are local time; the Google data CSVs are UTC (their times end in Z).\n\n")
}

func reportTable(b *strings.Builder, rows [][]string) {
	var w []int
	for _, row := range rows {
		for i, c := range row {
			if i >= len(w) {
				w = append(w, 0)
			}
			w[i] = max(w[i], len(c))
		}
	}
	for _, row := range rows {
		b.WriteString(" ")
		for i, c := range row {
			if i == 0 || i == len(row)-1 && len(row) > 3 {
				fmt.Fprintf(b, " %-*s", w[i], c)
			} else {
				fmt.Fprintf(b, "  %*s", w[i], c)
			}
		}
		b.WriteString("\n")
	}
}

func found(b *strings.Builder, r *Report) {
	if len(r.Found) == 0 {
		b.WriteString("Nothing new was found.\n\n")
		return
	}
	b.WriteString("Found:\n")
	var rows [][]string
	for _, f := range r.Found {
		rows = append(rows, []string{f.Metric, thousands(f.Days) + " days", thousands(f.Samples) + " " + unitWord(f.Metric)})
	}
	reportTable(b, rows)
	b.WriteString("\n")
}

// changes says what an import into an account with data changed in it.
func changes(b *strings.Builder, r *Report) {
	var rows [][]string
	same := 0
	for _, c := range r.Changes {
		if c.NewDays == 0 && c.Added == 0 && c.Changed == 0 && c.Removed == 0 {
			same += c.Unchanged
			continue
		}
		var parts []string
		if c.NewDays > 0 {
			parts = append(parts, "+"+thousands(c.NewDays)+" new days")
		}
		if c.Added > 0 {
			parts = append(parts, thousands(c.Added)+" new "+unitWord(c.Metric))
		}
		if c.Changed > 0 {
			parts = append(parts, thousands(c.Changed)+" replaced with other values")
		}
		if c.Removed > 0 {
			parts = append(parts, thousands(c.Removed)+" CSV copies replaced by the JSON data")
		}
		if c.Unchanged > 0 {
			parts = append(parts, thousands(c.Unchanged)+" unchanged")
		}
		rows = append(rows, []string{c.Metric, strings.Join(parts, ", ")})
	}
	if len(rows) == 0 {
		fmt.Fprintf(b, "Nothing changed: all %s records of this import were already in the account.\n\n", thousands(same))
		return
	}
	b.WriteString("The account had data already. What this import changed:\n")
	for _, row := range rows {
		fmt.Fprintf(b, "  %-20s %s\n", row[0], row[1])
	}
	if same > 0 {
		fmt.Fprintf(b, "  everything else (%s records) was already there\n", thousands(same))
	}
	b.WriteString("\n")
}

// families lists file families, at most 12.
func families(b *strings.Builder, title string, fs []FamilyCount) {
	if len(fs) == 0 {
		return
	}
	fmt.Fprintf(b, "%s, by file family:\n", title)
	var rows [][]string
	for i, f := range fs {
		if i == 12 {
			reportTable(b, rows)
			rows = nil
			fmt.Fprintf(b, "  ... and %d more families\n", len(fs)-12)
			break
		}
		n := thousands(f.Files) + " files"
		if f.Files == 1 {
			n = "1 file"
		}
		rows = append(rows, []string{f.Family, n})
	}
	reportTable(b, rows)
	b.WriteString("\n")
}

func unitWord(metric string) string {
	switch metric {
	case "heart_rate", "steps", "distance", "calories", "floors":
		return "samples"
	case "sleep":
		return "sleeps"
	case "weight":
		return "weigh-ins"
	case "exercise":
		return "exercise logs"
	}
	return "values"
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
