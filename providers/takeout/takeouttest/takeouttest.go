// Package takeouttest writes Fitbit account exports and Google Takeout
// archives for tests, with data from a demo persona, and says what an
// import of them must find (the Oracle). Both layouts, as a folder, a zip
// or a split zip; with the traps of the real thing: local times without a
// zone and two-digit years, numbers as strings, heart rate with
// confidence, Google data CSV copies in UTC, units that follow the
// account's settings.
package takeouttest

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
)

// Layout is the shape of the archive.
type Layout int

const (
	// FitbitExport is the legacy account export: "<Name>/user-site-export/"
	// JSON files and "<Name>/user-profile/profile.json".
	FitbitExport Layout = iota
	// GoogleTakeout is "Takeout/Fitbit/Global Export Data/" JSON files,
	// "Takeout/Fitbit/Your Profile/Profile.csv", and with GoogleData the
	// "Physical Activity_GoogleData" CSV copies.
	GoogleTakeout
)

// Options describe an archive.
type Options struct {
	Persona  string // demo persona; "": office
	From, To providers.Date
	Layout   Layout
	// Imperial: the account's units are en_US (weight in pounds, distance
	// in miles), which the export's numbers follow.
	Imperial bool
	// GoogleData adds UTC CSV copies of heart rate and steps (Takeout only).
	GoogleData bool
	// CSVOnlyDays: the last n days have heart rate and steps only in the
	// CSV tree (needs GoogleData).
	CSVOnlyDays int
	// HREvery keeps every n-th second of the demo's heart rate; 0: 5.
	HREvery int
	// NoProfile leaves the profile out (the import then reads times as UTC).
	NoProfile bool
}

// Day is what an import must find for one day.
type Day struct {
	HRSamples     int
	StepMinutes   int
	Steps         int
	DistanceKm    float64
	Calories      float64
	RestingHR     int // 0: none
	ActiveMinutes int // very + moderately active
	Sleeps        int
	SleepMinutes  int // all sleeps ending that day
	WeightKg      float64
	LastHR        providers.Sample
}

// Oracle is what an import of the archive must find.
type Oracle struct {
	Zone     string
	Name     string
	Days     map[providers.Date]*Day
	Sessions []providers.SleepSession
	// CSVRows counts heart-rate and step rows in the CSV copies.
	CSVRows int
}

// Totals adds up the days.
func (o *Oracle) Totals() (hr, stepMinutes, steps int) {
	for _, d := range o.Days {
		hr += d.HRSamples
		stepMinutes += d.StepMinutes
		steps += d.Steps
	}
	return
}

// File is one file of an archive.
type File struct {
	Name string // slash path
	Data []byte
}

const farFuture = 2100

// Files builds the archive's files.
func Files(o Options) ([]File, *Oracle, error) {
	if o.Persona == "" {
		o.Persona = "office"
	}
	if o.HREvery <= 0 {
		o.HREvery = 5
	}
	now := func() time.Time { return time.Date(farFuture, 1, 1, 0, 0, 0, 0, time.UTC) }
	p, err := demo.New(providers.AccountSpec{Name: o.Persona, Provider: demo.Name, Options: map[string]string{"persona": o.Persona}},
		providers.Env{Now: now})
	if err != nil {
		return nil, nil, err
	}
	ctx := context.Background()
	prof, err := p.Profile(ctx)
	if err != nil {
		return nil, nil, err
	}
	loc := prof.Location
	or := &Oracle{Zone: loc.String(), Name: prof.DisplayName, Days: map[providers.Date]*Day{}}
	dir := "Takeout/Fitbit/Global Export Data/"
	if o.Layout == FitbitExport {
		dir = prof.DisplayName + "/user-site-export/"
	}
	var files []File
	add := func(name string, b []byte) { files = append(files, File{Name: name, Data: b}) }

	wUnit, dUnit := "METRIC", "METRIC"
	lbs, miles := 1.0, 1.0
	if o.Imperial {
		wUnit, dUnit = "POUND", "MILE"
		lbs, miles = 1/0.45359237, 1/1.609344
	}
	if !o.NoProfile {
		if o.Layout == GoogleTakeout {
			add("Takeout/Fitbit/Your Profile/Profile.csv", []byte(
				"id,full_name,first_name,last_name,display_name,timezone,locale,weight_unit,distance_unit,height_unit\n"+
					fmt.Sprintf("ABC123,%s,A,B,%s,%s,en_US,%s,%s,METRIC\n", prof.DisplayName, prof.DisplayName, loc, wUnit, dUnit)))
		} else {
			add(prof.DisplayName+"/user-profile/profile.json", []byte(fmt.Sprintf(
				`{"user":{"displayName":%q,"fullName":%q,"timezone":%q,"weightUnit":%q,"distanceUnit":%q,"offsetFromUTCMillis":0}}`,
				prof.DisplayName, prof.DisplayName, loc.String(), map[bool]string{true: "en_US", false: "METRIC"}[o.Imperial], map[bool]string{true: "en_US", false: "METRIC"}[o.Imperial])))
		}
	}
	// Without a profile the import reads the naive local times as UTC:
	// same wall clock, other instants.
	relabel := func(t time.Time) time.Time { return t }
	if o.NoProfile {
		or.Zone = "UTC"
		relabel = func(t time.Time) time.Time {
			t = t.In(loc)
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
		}
	}

	n := o.From.DaysUntil(o.To) + 1
	series, err := p.DailySeries(ctx, o.From, o.To)
	if err != nil {
		return nil, nil, err
	}
	csvFrom := n - o.CSVOnlyDays
	var steps, dist, cal, very, moderate, light, sed, rest, weight, sleep bytes.Buffer
	chunkStart := o.From
	flushChunk := func(last bool, d providers.Date) {
		name := chunkStart.String() + ".json"
		for _, c := range []struct {
			prefix string
			b      *bytes.Buffer
		}{{"steps-", &steps}, {"distance-", &dist}, {"calories-", &cal}, {"very_active_minutes-", &very},
			{"moderately_active_minutes-", &moderate}, {"lightly_active_minutes-", &light}, {"sedentary_minutes-", &sed},
			{"sleep-", &sleep}, {"weight-", &weight}} {
			if c.b.Len() > 0 {
				add(dir+c.prefix+name, closeList(c.b))
			}
		}
		chunkStart = d
	}
	for i := range n {
		d := o.From.AddDays(i)
		if i > 0 && i%30 == 0 {
			flushChunk(false, d)
		}
		day := &Day{}
		or.Days[d] = day
		sum, err := p.DaySummary(ctx, d)
		if err != nil {
			return nil, nil, err
		}
		in, err := p.Intraday(ctx, d)
		if err != nil {
			return nil, nil, err
		}
		csvOnly := o.GoogleData && i >= csvFrom
		// Heart rate: one file a day, every n-th second, with confidence.
		var hr, hrCSV bytes.Buffer
		for k, s := range in.HeartRate.Samples {
			if k%o.HREvery != 0 {
				continue
			}
			t := s.Time.In(loc)
			bpm := int(math.Round(s.Value))
			if !csvOnly {
				item(&hr)
				hr.WriteString(`{"dateTime":"`)
				hr.Write(usTime(t))
				hr.WriteString(`","value":{"bpm":`)
				hr.WriteString(strconv.Itoa(bpm))
				hr.WriteString(`,"confidence":`)
				hr.WriteString(strconv.Itoa(k / o.HREvery % 4))
				hr.WriteString("}}")
			}
			if o.GoogleData {
				if hrCSV.Len() == 0 {
					hrCSV.WriteString("timestamp,beats per minute,data source\n")
				}
				hrCSV.WriteString(t.UTC().Format("2006-01-02T15:04:05Z"))
				fmt.Fprintf(&hrCSV, ",%d,Charge 6\n", bpm)
				or.CSVRows++
			}
			day.HRSamples++
			day.LastHR = providers.Sample{Time: relabel(t), Value: float64(bpm)}
		}
		if hr.Len() > 0 {
			add(dir+"heart_rate-"+d.String()+".json", closeList(&hr))
		}
		var stCSV bytes.Buffer
		kmPerStep := 0.0
		if sum.Steps > 0 {
			kmPerStep = sum.DistanceKm / float64(sum.Steps)
		}
		for _, s := range in.Steps.Samples {
			t := s.Time.In(loc)
			st := int(s.Value)
			if !csvOnly {
				item(&steps)
				fmt.Fprintf(&steps, `{"dateTime":"%s","value":"%d"}`, usTime(t), st)
				km := round6(float64(st) * kmPerStep * miles)
				item(&dist)
				fmt.Fprintf(&dist, `{"dateTime":"%s","value":"%s"}`, usTime(t), strconv.FormatFloat(km, 'f', -1, 64))
				day.DistanceKm += km / miles
				kcal := round6(float64(sum.Calories) / 1440)
				item(&cal)
				fmt.Fprintf(&cal, `{"dateTime":"%s","value":"%s"}`, usTime(t), strconv.FormatFloat(kcal, 'f', -1, 64))
				day.Calories += kcal
			}
			if o.GoogleData {
				if stCSV.Len() == 0 {
					stCSV.WriteString("timestamp,steps,data source\n")
				}
				fmt.Fprintf(&stCSV, "%s,%d,Charge 6\n", t.UTC().Format("2006-01-02T15:04:05Z"), st)
				or.CSVRows++
			}
			day.StepMinutes++
			day.Steps += st
		}
		if o.GoogleData {
			if hrCSV.Len() > 0 {
				add("Takeout/Fitbit/Physical Activity_GoogleData/heart_rate_"+d.String()+".csv", hrCSV.Bytes())
			}
			if stCSV.Len() > 0 {
				add("Takeout/Fitbit/Physical Activity_GoogleData/steps_"+d.String()+".csv", stCSV.Bytes())
			}
		}
		// Active minutes, daily, values as strings.
		mid := usTime(d.In(loc))
		v := sum.ActiveMinutes / 3
		for _, lv := range []struct {
			b *bytes.Buffer
			n int
		}{{&very, v}, {&moderate, sum.ActiveMinutes - v}, {&light, 180}, {&sed, 1440 - 180 - sum.ActiveMinutes}} {
			item(lv.b)
			fmt.Fprintf(lv.b, `{"dateTime":"%s","value":"%d"}`, mid, lv.n)
		}
		day.ActiveMinutes = sum.ActiveMinutes
		// Resting heart rate: every 7th day "no data" (value 0, error 0).
		if i%7 == 6 {
			item(&rest)
			fmt.Fprintf(&rest, `{"dateTime":"%s","value":{"date":"%s","value":0,"error":0}}`, mid, mid[:8])
		} else if sum.RestingHeartRate > 0 {
			item(&rest)
			fmt.Fprintf(&rest, `{"dateTime":"%s","value":{"date":"%s","value":%d.3,"error":6.5}}`, mid, mid[:8], sum.RestingHeartRate)
			day.RestingHR = sum.RestingHeartRate
		}
		// Sleep, as the export writes it.
		sleeps, err := p.Sleep(ctx, d, d)
		if err != nil {
			return nil, nil, err
		}
		for k, s := range sleeps {
			item(&sleep)
			writeSleep(&sleep, int64(1e10)+int64(i)*10+int64(k), s, loc)
			day.Sleeps++
			day.SleepMinutes += int(s.Asleep / time.Minute)
			s.Start, s.End = relabel(s.Start), relabel(s.End)
			or.Sessions = append(or.Sessions, s)
		}
		if kg := series[i].WeightKg; kg > 0 {
			w := math.Round(kg*lbs*10) / 10
			item(&weight)
			fmt.Fprintf(&weight, `{"logId":%d,"weight":%s,"bmi":24.1,"date":"%s","time":"07:38:14","source":"Aria"}`,
				int64(1.5e12)+int64(i), strconv.FormatFloat(w, 'f', -1, 64), mid[:8])
			day.WeightKg = w / lbs
		}
	}
	flushChunk(true, o.To)
	if rest.Len() > 0 {
		add(dir+"resting_heart_rate-"+o.From.String()+".json", closeList(&rest))
	}
	add(dir+"README.txt", []byte("not data\n"))
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, or, nil
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

func item(b *bytes.Buffer) {
	if b.Len() == 0 {
		b.WriteString("[")
	} else {
		b.WriteString(",\n")
	}
}

func closeList(b *bytes.Buffer) []byte {
	out := append(append([]byte(nil), b.Bytes()...), "]\n"...)
	b.Reset()
	return out
}

// usTime is the export's "MM/DD/YY HH:MM:SS".
func usTime(t time.Time) []byte { return t.AppendFormat(nil, "01/02/06 15:04:05") }

func writeSleep(b *bytes.Buffer, id int64, s providers.SleepSession, loc *time.Location) {
	const iso = "2006-01-02T15:04:05.000"
	typ := "stages"
	if s.Classic {
		typ = "classic"
	}
	fmt.Fprintf(b, `{"logId":%d,"dateOfSleep":"%s","startTime":"%s","endTime":"%s","duration":%d,"minutesAsleep":%d,"timeInBed":%d,"type":%q,"logType":"auto_detected","mainSleep":%t,"levels":{"summary":{},"data":[`,
		id, s.Date, s.Start.In(loc).Format(iso), s.End.In(loc).Format(iso), s.End.Sub(s.Start).Milliseconds(),
		int(s.Asleep/time.Minute), int(s.End.Sub(s.Start)/time.Minute), typ, s.Main)
	for i, seg := range s.Segments {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(b, `{"dateTime":"%s","level":%q,"seconds":%d}`, seg.Start.In(loc).Format(iso), seg.Stage, int(seg.Duration/time.Second))
	}
	b.WriteString(`],"shortData":[]}}`)
}

// WriteDir writes the archive as a folder under dir.
func WriteDir(dir string, o Options) (*Oracle, error) {
	files, or, err := Files(o)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return nil, err
		}
	}
	return or, nil
}

// Zip encodes files as a zip archive (deflated).
func Zip(files []File) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.Name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.Data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteZip writes the archive as one zip file.
func WriteZip(path string, o Options) (*Oracle, error) {
	files, or, err := Files(o)
	if err != nil {
		return nil, err
	}
	b, err := Zip(files)
	if err != nil {
		return nil, err
	}
	return or, os.WriteFile(path, b, 0o644)
}

// WriteSplit writes the archive as parts zips named like Takeout's:
// dir/base-001.zip, dir/base-002.zip, ...; each part is a complete zip
// holding some of the files.
func WriteSplit(dir, base string, parts int, o Options) ([]string, *Oracle, error) {
	files, or, err := Files(o)
	if err != nil {
		return nil, nil, err
	}
	var paths []string
	for k := range parts {
		var part []File
		for i, f := range files {
			if i%parts == k {
				part = append(part, f)
			}
		}
		b, err := Zip(part)
		if err != nil {
			return nil, nil, err
		}
		p := filepath.Join(dir, fmt.Sprintf("%s-%03d.zip", base, k+1))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return nil, nil, err
		}
		paths = append(paths, p)
	}
	return paths, or, nil
}
