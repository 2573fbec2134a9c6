package takeout

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// Options configure Import.
type Options struct {
	// Paths are folders, zips, .tgz archives, or parts of split archives
	// (a part brings its siblings NAME-001.zip, NAME-002.zip, ... from the
	// same folder).
	Paths []string
	// Account is the name to import into.
	Account string
	// Root is the archives folder; "": DefaultRoot().
	Root string
	// TimeZone is the wearer's IANA zone, for an archive without a profile
	// (real exports often have none) or to override the profile's. An
	// account imported in another zone is rebuilt in this one.
	TimeZone string
	// Now is the clock (import time in the manifest); nil: time.Now.
	Now func() time.Time
	// OnProgress, if set, hears how far the import is, from Import's
	// goroutine, at most every 256 kB read.
	OnProgress func(Progress)
	// MaxPending bounds the samples held in memory before they are merged
	// into the index; 0: 2,000,000 (about 64 MB).
	MaxPending int
}

// Progress is how far an import is: bytes of recognised files read.
type Progress struct {
	Done, Total int64
	File        string // the file being read
}

// Skip is a file left out and why.
type Skip struct {
	File   string
	Reason string
}

// MetricCount is what an import found of one metric.
type MetricCount struct {
	// Metric is heart_rate, steps, distance, calories, floors,
	// resting_heart_rate, active_minutes, weight, sleep, exercise, or a
	// group of daily values: heart_rate_zones, active_zone_minutes,
	// vo2_max, sleep_score, hrv, respiratory_rate, spo2.
	Metric  string
	Days    int
	Samples int // samples, daily values, weigh-ins, sleeps or exercise logs
}

// MetricChange is what an import changed in the account of one metric.
type MetricChange struct {
	Metric string
	// NewDays had none of the metric before.
	NewDays int
	// Added are samples (values, weigh-ins, sleeps) at times the account
	// had none; Changed replaced one with a different value; Unchanged
	// were already there; Removed were Google data CSV copies replaced by
	// the JSON tree's data.
	Added, Changed, Unchanged, Removed int
}

// FamilyCount is how many files of a family an import read or left out.
type FamilyCount struct {
	Family string // e.g. "heart_rate-YYYY-MM-DD.json", "Stress Score/Stress Score.csv"
	Files  int
}

// Report is what an import did.
type Report struct {
	Account  string
	Archives []string // the folders and zips read
	Files    int      // files read
	Ignored  int      // files that hold nothing fittui reads
	// Read and LeftOut list the files read and those left out, by family,
	// most files first.
	Read, LeftOut []FamilyCount
	Found         []MetricCount
	// Duplicates counts what the Google data CSVs repeat of the JSON tree
	// (samples, weigh-ins, sleeps, daily values), left out so nothing is
	// counted twice; DuplicatesBy splits it by metric.
	Duplicates   int
	DuplicatesBy map[string]int
	// BadRecords counts records that could not be read and were left out
	// (an empty value, a date that is not one).
	BadRecords int
	Skipped    []Skip
	Warnings   []string
	From, To   providers.Date // days with data in this import
	Manifest   Manifest       // the index after the import

	// Zone is the zone the archive was read in and ZoneFrom where it came
	// from: "--time-zone", "profile", "earlier import" or "assumed" (UTC).
	Zone, ZoneFrom string
	// Clocks says, per per-sample file family, whether its times were
	// read as UTC or local, and why.
	Clocks []ClockFinding
	// WeightUnit is the unit weights were read in, and why.
	WeightUnit UnitFinding
	// Reimport: the account had data before; Changes is what this import
	// changed in it (nothing, for the same archive again).
	Reimport bool
	Changes  []MetricChange
	// Rebuilt: the account was imported in another zone before and its
	// index was rebuilt from this import alone.
	Rebuilt bool
}

// DuplicatesOf is how many of metric's records were left out as copies.
func (r *Report) DuplicatesOf(metric string) int { return r.DuplicatesBy[metric] }

// Import reads Fitbit account exports and Google Takeout archives into the
// account's index, merging with what is there: a sample at a timestamp
// already indexed replaces it, so importing a newer archive adds only what
// is new. Files are found by name anywhere in the tree; a damaged file is
// skipped (Report.Skipped) and the rest imported. An interrupted import
// keeps every file read completely; running it again finishes it.
func Import(ctx context.Context, opt Options) (*Report, error) {
	if opt.Account == "" {
		return nil, errors.New("takeout: no account name to import into")
	}
	if opt.TimeZone != "" {
		if _, err := time.LoadLocation(opt.TimeZone); err != nil {
			return nil, fmt.Errorf("time zone %q is not an IANA zone name this system knows (like Australia/Sydney or America/New_York)", opt.TimeZone)
		}
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.MaxPending <= 0 {
		opt.MaxPending = 2_000_000
	}
	archives, err := expand(opt.Paths)
	if err != nil {
		return nil, err
	}
	rep := &Report{Account: opt.Account, Archives: archives, DuplicatesBy: map[string]int{}}
	in := &importer{opt: opt, rep: rep, classes: map[string]fileClass{},
		pending: map[providers.Date]*pendDay{}, months: map[[2]int]bool{},
		found: map[string]map[providers.Date]int{}, covered: map[metric]map[providers.Date]bool{},
		azm: map[providers.Date]*azmDay{}, stages: map[string][]csvStage{}, changes: map[string]*MetricChange{},
		delta: map[string]*[2]int{}, rolled: map[providers.Date]rolledDay{}}
	in.facts.firsts = map[string][]firstRecord{}

	// A .tgz is listed by reading it through: what must be known before
	// the import proper (profile, heights, weights, first records) is
	// read in that pass.
	l := list(archives, func(m member, r io.Reader) { in.learn(m, classify(m), r) })
	defer l.Close()
	rep.Skipped = append(rep.Skipped, l.skipped...)

	var pre, main []member
	var jsons, csvs []member
	readFams, left := map[string]int{}, map[string]int{}
	for _, m := range l.members {
		c := classify(m)
		in.classes[m.display] = c
		switch {
		case c.kind == kIgnore:
			rep.Ignored++
			left[family(m)]++
			continue
		case c.kind == kProfileCSV || c.kind == kProfileJSON || c.kind == kJSONHeight:
			pre = append(pre, m)
			readFams[family(m)]++
			continue
		case c.kind == kJSONWeight || c.clocked && c.kind == kJSONSeries:
			pre = append(pre, m)
		}
		readFams[family(m)]++
		if c.csv || strings.HasSuffix(strings.ToLower(m.base()), ".csv") {
			csvs = append(csvs, m)
		} else {
			jsons = append(jsons, m)
		}
		in.total += m.size
	}
	rep.Read, rep.LeftOut = familyCounts(readFams), familyCounts(left)
	if len(jsons)+len(csvs) == 0 {
		msg := fmt.Sprintf("no Fitbit data found in %s: looked for files like heart_rate-YYYY-MM-DD.json, steps-YYYY-MM-DD.json and sleep-YYYY-MM-DD.json (Fitbit account export, Google Takeout \"Global Export Data\") and heart_rate_YYYY-MM-DD.csv in *_GoogleData folders", strings.Join(archives, ", "))
		if len(rep.Skipped) > 0 {
			msg += "; skipped: " + rep.Skipped[0].File + " (" + rep.Skipped[0].Reason + ")"
		}
		return rep, errors.New(msg)
	}
	byName := func(ms []member) {
		sort.Slice(ms, func(i, j int) bool { return ms[i].display < ms[j].display })
	}
	byName(pre)
	byName(jsons)
	byName(csvs)
	// JSON first: for zips and folders the Google data copies then only
	// fill what the JSON tree lacks (a .tgz is read in its own order, and
	// commit keeps the same rule).
	main = append(jsons, csvs...)

	in.learnAll(ctx, pre)
	x, err := openIndex(opt.Root, opt.Account, true)
	if err != nil {
		return rep, err
	}
	in.x = x
	man, _, err := x.manifest()
	if err != nil {
		in.warn(err.Error() + "; a new manifest is written")
		man = Manifest{}
	}
	if err := in.settings(&man); err != nil {
		return rep, err
	}
	rep.Reimport = man.From != ""

	runErr := read(main, in.skip, func(m member, r io.Reader) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return in.file(ctx, m, r)
	})
	if runErr == nil {
		runErr = ctx.Err()
	}
	// Even after an interruption: everything read completely is kept.
	if err := in.finish(&man, archives); err != nil {
		return rep, err
	}
	if runErr != nil {
		if errors.Is(runErr, context.Canceled) || errors.Is(runErr, context.DeadlineExceeded) {
			return rep, fmt.Errorf("import interrupted after %d files; what was read is saved, and running the import again finishes it without duplicates", rep.Files)
		}
		return rep, runErr
	}
	return rep, nil
}

func familyCounts(m map[string]int) []FamilyCount {
	out := make([]FamilyCount, 0, len(m))
	for f, n := range m {
		out = append(out, FamilyCount{f, n})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Files > out[j].Files || out[i].Files == out[j].Files && out[i].Family < out[j].Family
	})
	return out
}

// pendVal is a daily value read but not merged yet.
type pendVal struct {
	v   float64
	csv bool
}

// pendDay is a day's data read but not yet merged into the index.
type pendDay struct {
	series    [nSeries][]point
	csv       [nSeries]bool // the points came from a Google data CSV
	daily     map[string]pendVal
	weights   []weightEntry
	sleeps    []sleepEntry
	exercises []exerciseEntry
	hrv       []hrvReading
	zones     []zoneEntry
	zonesCSV  bool
}

// azmDay sums a day's active zone minutes from one source: the AZM
// folder, or (only without it) the Google data copy; minutes keeps them
// one by one.
type azmDay struct {
	csv     bool
	rows    int
	sum     map[string]float64
	minutes []zoneEntry
}

// facts is what is read before the import proper.
type facts struct {
	profiles []profile
	heights  []float64
	weighIns []weighIn
	firsts   map[string][]firstRecord // clock family -> first records
}

type importer struct {
	opt     Options
	x       *index
	rep     *Report
	classes map[string]fileClass
	loc     *time.Location
	factor  float64 // weight unit to kg
	clocks  map[string]ClockFinding
	facts   facts

	total, done int64
	lastReport  int64

	pending  map[providers.Date]*pendDay
	nPending int
	months   map[[2]int]bool
	// found: samples per metric per day in this import (the report).
	found map[string]map[providers.Date]int
	// covered: metric-days the JSON tree has (the CSVs' copies are dropped).
	covered map[metric]map[providers.Date]bool
	azm     map[providers.Date]*azmDay
	sleeps  []csvSleep
	stages  map[string][]csvStage
	// delta: change of the index's samples [0] and days [1] per metric.
	delta   map[string]*[2]int
	changes map[string]*MetricChange
	rolled  map[providers.Date]rolledDay
}

// clockFamily is the family whose clock a file is read in.
func clockFamily(c fileClass) string {
	if c.kind == kJSONExercise {
		return "exercise"
	}
	if c.metric == mFloors {
		return "altitude"
	}
	return c.metric.String()
}

// maxFirsts bounds the files per family whose first record is checked.
const maxFirsts = 16

// learn reads what must be known before the import from one file.
func (in *importer) learn(m member, c fileClass, r io.Reader) {
	switch c.kind {
	case kProfileCSV, kProfileJSON:
		var p profile
		var err error
		if c.kind == kProfileCSV {
			p, err = readProfileCSV(r)
		} else {
			p, err = readProfileJSON(r)
		}
		if err != nil {
			in.skip(m, "cannot read the profile: "+err.Error())
			return
		}
		in.rep.Files++
		in.facts.profiles = append(in.facts.profiles, p)
	case kJSONHeight:
		h, err := readJSONHeight(r)
		if err != nil {
			in.skip(m, "cannot read the heights: "+describe(err))
			return
		}
		in.rep.Files++
		in.facts.heights = append(in.facts.heights, h...)
	case kJSONWeight:
		w, _ := readWeighIns(r) // damage shows (and is reported) in the import proper
		in.facts.weighIns = append(in.facts.weighIns, w...)
	case kJSONSeries:
		fam := clockFamily(c)
		if len(in.facts.firsts[fam]) >= 4*maxFirsts {
			return
		}
		day, ok := nameDate(m.base())
		if !ok {
			return
		}
		el, err := newArrayReader(r).next()
		if err != nil {
			return
		}
		_ = fields(el, func(k, val []byte) {
			if string(k) == "dateTime" {
				if t, ok := parseTime(val, time.UTC); ok {
					in.facts.firsts[fam] = append(in.facts.firsts[fam], firstRecord{day, t})
				}
			}
		})
	}
}

// learnAll reads the pre-import facts from folder and zip members (a
// .tgz's were read while listing it); of each clocked family, up to
// maxFirsts files spread over the archive.
func (in *importer) learnAll(ctx context.Context, pre []member) {
	byFam := map[string][]member{}
	var rest []member
	for _, m := range pre {
		if m.tgz != nil {
			continue
		}
		c := in.classes[m.display]
		if c.kind == kJSONSeries {
			byFam[clockFamily(c)] = append(byFam[clockFamily(c)], m)
			continue
		}
		rest = append(rest, m)
	}
	for _, ms := range byFam {
		if len(ms) <= maxFirsts {
			rest = append(rest, ms...)
			continue
		}
		for k := range maxFirsts {
			rest = append(rest, ms[k*(len(ms)-1)/(maxFirsts-1)])
		}
	}
	_ = read(rest, in.skip, func(m member, r io.Reader) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		in.learn(m, in.classes[m.display], r)
		return nil
	})
}

// settings picks the zone, the weight unit and the clocks: the zone from
// --time-zone, else the profile, else an earlier import, else UTC (with a
// warning, and the zone the files' starts suggest).
func (in *importer) settings(man *Manifest) error {
	var p profile
	for _, got := range in.facts.profiles {
		p.zone = firstNonEmpty(p.zone, got.zone)
		p.name = firstNonEmpty(p.name, got.name)
		p.weight = firstNonEmpty(p.weight, got.weight)
		p.distance = firstNonEmpty(p.distance, got.distance)
	}
	if p.zone != "" {
		if _, err := time.LoadLocation(p.zone); err != nil {
			in.warn(fmt.Sprintf("the profile's time zone %q is unknown to this system", p.zone))
			p.zone = ""
		}
	}
	zone, from := "", ""
	switch {
	case in.opt.TimeZone != "":
		zone, from = in.opt.TimeZone, "--time-zone"
	case man.TimeZone != "" && man.TimeZoneFrom != "assumed":
		zone, from = man.TimeZone, "earlier import"
		if p.zone != "" && p.zone != man.TimeZone {
			in.warn(fmt.Sprintf("the archive's profile says time zone %s, but %q was imported in %s; keeping %s so days stay the same (give --time-zone %s to rebuild the account in it)", p.zone, in.opt.Account, man.TimeZone, man.TimeZone, p.zone))
		}
	case p.zone != "":
		zone, from = p.zone, "profile"
	case man.TimeZone != "":
		zone, from = man.TimeZone, "earlier import"
	default:
		zone, from = "UTC", "assumed"
	}
	if man.TimeZone != "" && man.TimeZone != zone {
		// The index's days were counted in another zone: rebuild it.
		if err := in.x.st.Clear(in.x.account); err != nil {
			return fmt.Errorf("rebuilding the index of %q in %s: %w", in.opt.Account, zone, err)
		}
		now := map[string]bool{}
		for _, a := range in.rep.Archives {
			now[a] = true
		}
		var earlier []string
		for _, s := range man.Sources {
			for _, p := range s.Paths {
				if !now[p] && !has(earlier, p) {
					earlier = append(earlier, p)
				}
			}
		}
		msg := fmt.Sprintf("%q was imported in %s before; its index is rebuilt in %s from what is imported now", in.opt.Account, man.TimeZone, zone)
		if len(earlier) > 0 {
			msg += fmt.Sprintf(" (import these again with --time-zone %s to add them back: %s)", zone, strings.Join(earlier, ", "))
		}
		in.warn(msg)
		*man = Manifest{}
		in.rep.Rebuilt = true
	}
	man.TimeZone, man.TimeZoneFrom = zone, from
	in.loc = loadZone(zone)
	in.rep.Zone, in.rep.ZoneFrom = zone, from
	if man.DisplayName == "" {
		man.DisplayName = p.name
		if len(man.DisplayName) > 200 { // a name, not a file
			man.DisplayName = man.DisplayName[:200]
		}
	}

	// Clocks of the per-sample families.
	in.clocks = decideClocks(in.facts.firsts, in.loc)
	if _, ok := in.clocks["exercise"]; !ok {
		in.clocks["exercise"] = ClockFinding{Family: "exercise", Clock: majorityClock(in.clocks),
			Why: "exercise logs have no dates in their names to check; read like the per-sample files"}
	}
	man.Clocks = map[string]string{}
	for fam, c := range in.clocks {
		man.Clocks[fam] = c.Clock
		in.rep.Clocks = append(in.rep.Clocks, c)
	}
	sort.Slice(in.rep.Clocks, func(i, j int) bool { return in.rep.Clocks[i].Family < in.rep.Clocks[j].Family })
	if from == "assumed" {
		msg := "no profile with a time zone in the archive and no --time-zone: UTC is assumed, so days and sleep times may be off by the wearer's offset"
		var all []firstRecord
		for _, fs := range in.facts.firsts {
			all = append(all, fs...)
		}
		if off := offsetHint(all); off != 0 {
			msg += fmt.Sprintf("; the per-sample files start at %s the day before or of their dates, as they do for a wearer at %s: give the zone with --time-zone (e.g. --time-zone %s)",
				time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(-off).Format("15:04"), offsetWords(off), exampleZone(off))
		}
		in.warn(msg)
	}

	// Weight unit: the profile, else the weigh-ins' bmi, else an earlier
	// import, else kg.
	u := UnitFinding{}
	switch {
	case p.weight != "":
		u = UnitFinding{Unit: p.weight, From: "profile", Why: "the archive's profile says so"}
		if f, ok := inferWeightUnit(in.facts.weighIns, in.facts.heights); ok && f.Unit != p.weight {
			in.warn(fmt.Sprintf("the profile says weights are in %s, but %s; reading them in %s as the profile says", unitWords(p.weight), f.Why, unitWords(p.weight)))
		}
	default:
		if f, ok := inferWeightUnit(in.facts.weighIns, in.facts.heights); ok {
			u = f
		} else if man.WeightUnit != "" {
			u = UnitFinding{Unit: man.WeightUnit, From: "earlier import", Why: "as imported before"}
		} else {
			u = UnitFinding{Unit: "kg", From: "assumed", Why: "no profile and no weigh-in with a bmi to tell"}
		}
	}
	man.WeightUnit, man.WeightUnitFrom = u.Unit, u.From
	in.rep.WeightUnit = u
	in.factor = weightFactor(u.Unit)
	if p.distance != "" {
		man.DistanceUnit = p.distance
	} else if man.DistanceUnit == "" {
		man.DistanceUnit = "km"
	}
	return nil
}

// majorityClock is the clock most families were found in (UTC on a tie
// or with none, as in the export checked).
func majorityClock(cs map[string]ClockFinding) string {
	n := 0
	for _, c := range cs {
		if c.Clock == ClockLocal {
			n++
		} else {
			n--
		}
	}
	if n > 0 {
		return ClockLocal
	}
	return ClockUTC
}

// exampleZone names a zone at an offset, for the hint.
func exampleZone(off time.Duration) string {
	zones := map[time.Duration]string{
		-10 * time.Hour: "Pacific/Honolulu", -8 * time.Hour: "America/Los_Angeles", -7 * time.Hour: "America/Denver",
		-6 * time.Hour: "America/Chicago", -5 * time.Hour: "America/New_York", -4 * time.Hour: "America/New_York",
		-3 * time.Hour: "America/Sao_Paulo", 1 * time.Hour: "Europe/Berlin", 2 * time.Hour: "Europe/Athens",
		3 * time.Hour: "Europe/Moscow", 5*time.Hour + 30*time.Minute: "Asia/Kolkata", 8 * time.Hour: "Australia/Perth",
		9 * time.Hour: "Asia/Tokyo", 10 * time.Hour: "Australia/Sydney", 11 * time.Hour: "Australia/Sydney",
		12 * time.Hour: "Pacific/Auckland", 13 * time.Hour: "Pacific/Auckland",
	}
	if z, ok := zones[off]; ok {
		return z
	}
	return "AREA/CITY"
}

func (in *importer) warn(s string) { in.rep.Warnings = append(in.rep.Warnings, s) }

func (in *importer) skip(m member, reason string) {
	in.rep.Skipped = append(in.rep.Skipped, Skip{File: m.display, Reason: reason})
}

// counting reports progress and stops on cancellation.
type counting struct {
	r   io.Reader
	ctx context.Context
	in  *importer
	f   string
}

func (c *counting) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.in.done += int64(n)
	if c.in.opt.OnProgress != nil && c.in.done-c.in.lastReport >= 256<<10 {
		c.in.lastReport = c.in.done
		c.in.opt.OnProgress(Progress{Done: c.in.done, Total: c.in.total, File: c.f})
	}
	return n, err
}

// clockFor is how a class's times are read.
func (in *importer) clockFor(c fileClass) clock {
	if c.clocked && in.clocks[clockFamily(c)].Clock == ClockUTC {
		return clock{time.UTC, in.loc}
	}
	return localClock(in.loc)
}

// file reads one file into a batch and commits it if the whole file read.
func (in *importer) file(ctx context.Context, m member, r io.Reader) error {
	c := in.classes[m.display]
	start := in.done
	cr := &counting{r: r, ctx: ctx, in: in, f: m.display}
	var b batch
	var err error
	switch c.kind {
	case kJSONSeries:
		err = readJSONSeries(cr, c.scale, in.clockFor(c), &b)
	case kJSONResting:
		err = readJSONDaily(cr, true, "resting_hr", &b)
	case kJSONActive:
		err = readJSONDaily(cr, false, c.level, &b)
	case kJSONWeight:
		err = readJSONWeight(cr, in.loc, in.factor, &b)
	case kJSONSleep:
		err = readJSONSleep(cr, in.loc, &b)
	case kJSONZones:
		err = readJSONZones(cr, &b)
	case kJSONVO2:
		err = readJSONVO2(cr, c.level == "run_vo2_max", &b)
	case kJSONExercise:
		err = readJSONExercise(cr, in.clockFor(c), &b)
	case kCSVSeries:
		err = readCSVSeries(cr, c.scale, in.loc, &b)
	case kCSVWeight:
		err = readCSVWeight(cr, in.loc, &b)
	case kCSVResting:
		err = readCSVDaily(cr, []dailyColumn{{"beats per minute", "resting_hr"}}, &b)
	case kCSVAZM:
		err = readCSVAZM(cr, in.loc, &b)
	case kCSVSleeps:
		err = readCSVSleeps(cr, in.loc, &b)
	case kCSVStages:
		err = readCSVStages(cr, in.loc, &b)
	case kCSVScore:
		err = readCSVScore(cr, in.loc, &b)
	case kCSVDaily:
		err = readCSVDaily(cr, c.daily, &b)
	case kCSVHRV:
		err = readCSVHRV(cr, in.loc, &b)
	}
	if err == nil {
		// A damaged zip member may only show at its end (checksum).
		_, err = io.Copy(io.Discard, cr)
	}
	in.done = start + m.size
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		in.skip(m, describe(err))
		return nil
	}
	in.rep.Files++
	in.rep.BadRecords += b.bad
	in.commit(c, &b)
	if in.nPending >= in.opt.MaxPending {
		return in.flush()
	}
	return nil
}

// describe words a read error for the report.
func describe(err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, "checksum error"), strings.Contains(s, "unexpected EOF"), strings.Contains(s, "flate"):
		return "damaged or truncated in the archive: " + s
	case errors.Is(err, errSyntax):
		return "not valid JSON: " + s
	}
	return s
}

func (in *importer) day(d providers.Date) *pendDay {
	p := in.pending[d]
	if p == nil {
		p = &pendDay{}
		in.pending[d] = p
	}
	return p
}

func (in *importer) isCovered(m metric, d providers.Date) bool { return in.covered[m][d] }

func (in *importer) cover(m metric, d providers.Date) {
	if in.covered[m] == nil {
		in.covered[m] = map[providers.Date]bool{}
	}
	in.covered[m][d] = true
}

func (in *importer) dup(name string, n int) {
	in.rep.Duplicates += n
	in.rep.DuplicatesBy[name] += n
}

// commit moves a file's batch into the pending days. The JSON tree wins
// over the Google data CSV copies per metric and day, whichever is read
// first.
func (in *importer) commit(c fileClass, b *batch) {
	m := c.metric
	for _, p := range b.points {
		d := providers.DateOf(p.t)
		if c.csv && in.isCovered(m, d) {
			in.dup(m.String(), 1)
			continue
		}
		pd := in.day(d)
		if !c.csv {
			if pd.csv[m] && len(pd.series[m]) > 0 {
				in.dup(m.String(), len(pd.series[m]))
				in.nPending -= len(pd.series[m])
				pd.series[m] = nil
			}
			in.cover(m, d)
		}
		pd.series[m] = append(pd.series[m], p)
		pd.csv[m] = c.csv
		in.nPending++
	}
	for _, v := range b.daily {
		in.putDaily(v.day, v.key, v.v, c.csv)
	}
	for _, w := range b.weights {
		d := providers.DateOf(w.Time)
		if w.CSV && in.isCovered(mWeight, d) {
			in.dup(mWeight.String(), 1)
			continue
		}
		pd := in.day(d)
		if !w.CSV {
			pd.weights = dropCSV(pd.weights, func(x weightEntry) bool { return x.CSV }, func(n int) { in.dup(mWeight.String(), n) })
			in.cover(mWeight, d)
		}
		pd.weights = append(pd.weights, w)
	}
	for _, s := range b.sleeps {
		in.addSleep(s)
	}
	for _, e := range b.exercises {
		pd := in.day(providers.DateOf(e.Start))
		pd.exercises = append(pd.exercises, e)
	}
	for _, a := range b.azm {
		in.addAZM(a, c.csv)
	}
	for _, h := range b.hrv {
		pd := in.day(nightOf(h.Time))
		pd.hrv = append(pd.hrv, h)
	}
	in.sleeps = append(in.sleeps, b.csvSleeps...)
	for _, s := range b.csvStages {
		in.stages[s.id] = append(in.stages[s.id], s)
	}
}

func (in *importer) addSleep(s sleepEntry) {
	d := s.Session.Date
	if s.CSV && in.isCovered(mSleep, d) {
		in.dup(mSleep.String(), 1)
		return
	}
	pd := in.day(d)
	if !s.CSV {
		pd.sleeps = dropCSV(pd.sleeps, func(x sleepEntry) bool { return x.CSV }, func(n int) { in.dup(mSleep.String(), n) })
		in.cover(mSleep, d)
	}
	pd.sleeps = append(pd.sleeps, s)
}

// dropCSV removes the CSV copies from xs, telling gone how many.
func dropCSV[T any](xs []T, isCSV func(T) bool, gone func(int)) []T {
	out := xs[:0]
	for _, x := range xs {
		if !isCSV(x) {
			out = append(out, x)
		}
	}
	if n := len(xs) - len(out); n > 0 {
		gone(n)
	}
	return out
}

// putDaily sets a pending daily value; a CSV copy never replaces the JSON
// tree's (or a primary source's) value.
func (in *importer) putDaily(d providers.Date, key string, v float64, csv bool) {
	pd := in.day(d)
	if pd.daily == nil {
		pd.daily = map[string]pendVal{}
	}
	if old, ok := pd.daily[key]; ok && !old.csv && csv {
		in.dup(groupOf(key), 1)
		return
	}
	pd.daily[key] = pendVal{v, csv}
}

// groupOf is the report metric of a daily key.
func groupOf(key string) string {
	switch key {
	case "resting_hr":
		return mResting.String()
	case "very_active_minutes", "moderately_active_minutes", "lightly_active_minutes", "sedentary_minutes":
		return mActive.String()
	}
	return dailyGroup(key)
}

// addAZM adds a minute of active zone minutes to its day's sum: the AZM
// folder's, or the Google data copy's only where the folder has none.
func (in *importer) addAZM(a azmRow, csv bool) {
	s := in.azm[a.day]
	switch {
	case s == nil:
		s = &azmDay{csv: csv, sum: map[string]float64{}}
		in.azm[a.day] = s
	case csv && !s.csv:
		in.dup("active_zone_minutes", 1)
		return
	case !csv && s.csv:
		in.dup("active_zone_minutes", s.rows)
		*s = azmDay{sum: map[string]float64{}}
	}
	s.rows++
	s.sum[a.zone] += a.minutes
	s.minutes = append(s.minutes, zoneEntry{Start: a.at, Zone: a.zone, Earned: a.minutes})
}

// nightOf is the day a night's reading at t belongs to: the day the night
// ends, counted from 18:00 the evening before (as Google Health's day
// view asks for them).
func nightOf(t time.Time) providers.Date { return providers.DateOf(t.Add(6 * time.Hour)) }

// csvSessions turns the UserSleeps rows and their stages into sleeps; a
// date's longest sleep is its main sleep (the tables do not say).
func (in *importer) csvSessions() []sleepEntry {
	var out []sleepEntry
	longest := map[providers.Date]int{}
	for _, s := range in.sleeps {
		e := sleepEntry{CSV: true, Session: providers.SleepSession{Date: s.date, Start: s.start.In(in.loc), End: s.end.In(in.loc),
			Classic: s.classic, Asleep: time.Duration(s.asleep) * time.Minute}}
		st := in.stages[s.id]
		sort.Slice(st, func(i, j int) bool { return st[i].start.Before(st[j].start) })
		for _, x := range st {
			stage := x.stage
			if s.classic && stage == providers.StageWake {
				stage = providers.StageAwake
			}
			e.Session.Segments = append(e.Session.Segments, providers.SleepSegment{Stage: stage, Start: x.start.In(in.loc), Duration: x.end.Sub(x.start)})
		}
		if i, ok := longest[s.date]; !ok || e.Session.End.Sub(e.Session.Start) > out[i].Session.End.Sub(out[i].Session.Start) {
			longest[s.date] = len(out)
		}
		out = append(out, e)
	}
	for _, i := range longest {
		out[i].Session.Main = true
	}
	return out
}
