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
	// Paths are folders, zips, or parts of split zips (a part brings its
	// siblings NAME-001.zip, NAME-002.zip, ... from the same folder).
	Paths []string
	// Account is the name to import into.
	Account string
	// Root is the archives folder; "": DefaultRoot().
	Root string
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
	Metric  string // heart_rate, steps, distance, calories, resting_heart_rate, active_minutes, weight, sleep
	Days    int
	Samples int // samples, daily values, weigh-ins or sleep sessions
}

// Report is what an import did.
type Report struct {
	Account  string
	Archives []string // the folders and zips read
	Files    int      // files read
	Ignored  int      // files that hold nothing fittui shows
	Found    []MetricCount
	// Duplicates counts samples of the Google data CSVs left out because
	// the JSON tree has the same metric for that day.
	Duplicates int
	// BadRecords counts records that could not be read and were left out
	// (an empty value, a date that is not one).
	BadRecords int
	Skipped    []Skip
	Warnings   []string
	From, To   providers.Date // days with data in this import
	Manifest   Manifest       // the index after the import
}

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
	l := list(archives)
	defer l.Close()

	rep := &Report{Account: opt.Account, Archives: archives, Skipped: l.skipped}
	var profiles, jsons, csvs []member
	classes := map[string]fileClass{}
	var total int64
	for _, m := range l.members {
		c := classify(m)
		switch {
		case c.kind == kIgnore:
			rep.Ignored++
			continue
		case c.kind == kProfileCSV || c.kind == kProfileJSON:
			profiles = append(profiles, m)
		case c.csv:
			csvs = append(csvs, m)
		default:
			jsons = append(jsons, m)
		}
		classes[m.display] = c
		total += m.size
	}
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
	byName(profiles)
	byName(jsons)
	byName(csvs)

	x, err := openIndex(opt.Root, opt.Account, true)
	if err != nil {
		return rep, err
	}
	man, _, err := x.manifest()
	if err != nil {
		rep.Warnings = append(rep.Warnings, err.Error()+"; a new manifest is written")
		man = Manifest{}
	}
	in := &importer{opt: opt, x: x, rep: rep, classes: classes, total: total,
		pending: map[providers.Date]*pendDay{}, months: map[[2]int]bool{},
		found: map[metric]map[providers.Date]int{}, covered: map[metric]map[providers.Date]bool{}}
	in.settings(ctx, profiles, &man)

	var runErr error
	for _, group := range [][]member{jsons, csvs} {
		for _, m := range group {
			if runErr = ctx.Err(); runErr != nil {
				break
			}
			if runErr = in.file(ctx, m); runErr != nil {
				break
			}
		}
		if runErr != nil {
			break
		}
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

// pendDay is a day's data read but not yet merged into the index.
type pendDay struct {
	series  [nSeries][]point
	csv     [nSeries]bool // the points came from a Google data CSV
	resting *float64
	active  map[string]float64
	weights []weightEntry
	sleeps  []sleepEntry
}

type importer struct {
	opt     Options
	x       *index
	rep     *Report
	classes map[string]fileClass
	loc     *time.Location
	units   units

	total, done int64
	lastReport  int64

	pending  map[providers.Date]*pendDay
	nPending int
	months   map[[2]int]bool
	// found: samples per metric per day in this import (the report).
	found map[metric]map[providers.Date]int
	// covered: metric-days the JSON tree has (the CSVs' copies are dropped).
	covered map[metric]map[providers.Date]bool
	// delta: change of the index's samples [0] and days [1] per metric.
	delta [nMetrics][2]int
}

// settings picks the zone and units: the archive's profile, else what an
// earlier import found, else UTC and metric (with a warning).
func (in *importer) settings(ctx context.Context, profiles []member, man *Manifest) {
	var p profile
	for _, m := range profiles {
		if ctx.Err() != nil {
			break
		}
		rc, err := m.open()
		if err != nil {
			in.skip(m, err.Error())
			continue
		}
		var got profile
		if in.classes[m.display].kind == kProfileCSV {
			got, err = readProfileCSV(rc)
		} else {
			got, err = readProfileJSON(rc)
		}
		_ = rc.Close()
		if err != nil {
			in.skip(m, "cannot read the profile: "+err.Error())
			continue
		}
		in.rep.Files++
		if p.zone == "" {
			p.zone = got.zone
		}
		if p.name == "" {
			p.name = got.name
		}
		if p.weight == "" {
			p.weight = got.weight
		}
		if p.distance == "" {
			p.distance = got.distance
		}
	}
	if p.zone != "" {
		if _, err := time.LoadLocation(p.zone); err != nil {
			in.warn(fmt.Sprintf("the profile's time zone %q is unknown to this system", p.zone))
			p.zone = ""
		}
	}
	switch {
	case man.TimeZone != "" && p.zone != "" && p.zone != man.TimeZone:
		in.warn(fmt.Sprintf("the archive's profile says time zone %s, but %q was imported in %s; keeping %s so days stay the same", p.zone, in.opt.Account, man.TimeZone, man.TimeZone))
	case man.TimeZone != "":
	case p.zone != "":
		man.TimeZone = p.zone
	default:
		man.TimeZone = "UTC"
		in.warn("no profile with a time zone in the archive: its local times are read as UTC")
	}
	if man.DisplayName == "" {
		man.DisplayName = p.name
	}
	if p.weight != "" {
		man.WeightUnit = p.weight
	} else if man.WeightUnit == "" {
		man.WeightUnit = "kg"
	}
	if p.distance != "" {
		man.DistanceUnit = p.distance
	} else if man.DistanceUnit == "" {
		man.DistanceUnit = "km"
	}
	in.loc = loadZone(man.TimeZone)
	in.units = units{weight: man.WeightUnit, distance: man.DistanceUnit}
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

// file reads one file into a batch and commits it if the whole file read.
func (in *importer) file(ctx context.Context, m member) error {
	c := in.classes[m.display]
	rc, err := m.open()
	if err != nil {
		in.skip(m, err.Error())
		in.done += m.size
		return nil
	}
	start := in.done
	cr := &counting{r: rc, ctx: ctx, in: in, f: m.display}
	var b batch
	switch c.kind {
	case kJSONSeries:
		err = readJSONSeries(cr, c.metric, in.loc, in.units, &b)
	case kJSONResting:
		err = readJSONDaily(cr, true, in.loc, &b)
	case kJSONActive:
		err = readJSONDaily(cr, false, in.loc, &b)
	case kJSONWeight:
		err = readJSONWeight(cr, in.loc, in.units, &b)
	case kJSONSleep:
		err = readJSONSleep(cr, in.loc, &b)
	case kCSVSeries:
		err = readCSVSeries(cr, in.loc, &b)
	}
	if err == nil {
		// A damaged zip member may only show at its end (checksum).
		_, err = io.Copy(io.Discard, cr)
	}
	_ = rc.Close()
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

func (in *importer) mark(m metric, d providers.Date) {
	if in.found[m] == nil {
		in.found[m] = map[providers.Date]int{}
	}
	if in.covered[m] == nil {
		in.covered[m] = map[providers.Date]bool{}
	}
}

// commit moves a file's batch into the pending days.
func (in *importer) commit(c fileClass, b *batch) {
	for _, p := range b.points {
		d := providers.DateOf(p.t)
		in.mark(c.metric, d)
		if c.csv {
			if in.covered[c.metric][d] {
				in.rep.Duplicates++
				continue
			}
		} else {
			in.covered[c.metric][d] = true
		}
		pd := in.day(d)
		pd.series[c.metric] = append(pd.series[c.metric], p)
		pd.csv[c.metric] = c.csv
		in.nPending++
	}
	for _, v := range b.resting {
		in.mark(mResting, v.day)
		x := v.v
		in.day(v.day).resting = &x
		in.found[mResting][v.day] = 1
	}
	for _, v := range b.active {
		in.mark(mActive, v.day)
		pd := in.day(v.day)
		if pd.active == nil {
			pd.active = map[string]float64{}
		}
		pd.active[c.level] = v.v
		in.found[mActive][v.day] = 1
	}
	for _, w := range b.weights {
		d := providers.DateOf(w.Time)
		in.mark(mWeight, d)
		pd := in.day(d)
		pd.weights = append(pd.weights, w)
		in.found[mWeight][d]++
	}
	for _, s := range b.sleeps {
		d := s.Session.Date
		in.mark(mSleep, d)
		pd := in.day(d)
		pd.sleeps = append(pd.sleeps, s)
		in.found[mSleep][d]++
	}
}
