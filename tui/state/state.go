// Package state keeps what the dashboard knows about each account: its
// profile, status, today's data and the daily history, plus the generation
// ids of the requests in flight. It decides which answers (ProfileAnswer,
// TodayAnswer, HistoryAnswer, reduced by tui/engine) are still wanted and
// whether an answer changed anything the panes draw; it does no I/O and
// draws nothing.
package state

import (
	"errors"
	"maps"
	"reflect"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/textfmt"
)

// Account is one account's state.
type Account struct {
	Name     string
	Provider string // registry name

	Profile    providers.Profile
	HasProfile bool
	LastUpdate time.Time // last successful answer of any kind
	SigningIn  bool      // set while a sign-in screen runs for the account

	// Goals are the configuration's [account.goals]: each one set stands
	// over the provider's in every summary stored (GoalsOver). Units are
	// how the panes show distance and weight.
	Goals providers.Goals
	Units textfmt.Units

	Today Today
	// Past is the day pane's day when it is not today (KindPast answers).
	Past    Today
	History History
	// Through is an imported archive's newest day with data (zero for
	// live accounts): the day pane opens there, the status says it.
	Through providers.Date

	want     [NumKinds]uint64 // newest generation asked for, per kind
	inflight [NumKinds]bool
	errs     [NumKinds]error
	errAt    [NumKinds]time.Time
	// Version changes whenever anything the accounts pane shows changes.
	Version uint64
}

// Today is the today pane's data for one account.
type Today struct {
	Day       providers.Date
	Live      Live
	HasLive   bool // summary or intraday arrived at least once for Day
	Slow      Slow
	HasSlow   bool
	Err       error
	UpdatedAt time.Time
	Version   uint64 // changes when anything drawn (except the age) changes
}

// History is the daily series of one account, by date.
type History struct {
	Days      map[providers.Date]providers.DailyValues
	Err       error
	UpdatedAt time.Time
	Version   uint64

	Pending          bool
	PendFrom, PendTo providers.Date

	// Health and Workouts are the days' health metrics and workouts,
	// asked for only while the pane charts one (see HistoryAnswer.Health);
	// a day is in Health once asked. HealthServed is false for a provider
	// that reads none; WorkoutsMissing says why workouts are unknown (a
	// scope not granted), HealthErr why the last health answer failed.
	Health          map[providers.Date]providers.HealthDay
	Workouts        map[providers.Date][]providers.Workout
	HealthServed    bool
	WorkoutsMissing string
	HealthErr       error
}

// Covers reports whether every day of from..to is loaded.
func (h *History) Covers(from, to providers.Date) bool {
	for d := from; !d.After(to); d = d.AddDays(1) {
		if _, ok := h.Days[d]; !ok {
			return false
		}
	}
	return true
}

// Dashboard is every account's state plus the generation counter.
type Dashboard struct {
	Accounts []*Account
	gen      uint64
}

// New makes the dashboard state of the given accounts.
func New(accounts []*Account) *Dashboard {
	for _, a := range accounts {
		if a.History.Days == nil {
			a.History.Days = map[providers.Date]providers.DailyValues{}
		}
	}
	return &Dashboard{Accounts: accounts}
}

// Add appends an account, or gives the account with the same name its
// new provider (a new sign-in), and returns its index.
func (s *Dashboard) Add(a *Account) int {
	for i, x := range s.Accounts {
		if x.Name == a.Name {
			x.Provider, x.Goals, x.Units = a.Provider, a.Goals, a.Units
			x.Version++
			return i
		}
	}
	if a.History.Days == nil {
		a.History.Days = map[providers.Date]providers.DailyValues{}
	}
	s.Accounts = append(s.Accounts, a)
	return len(s.Accounts) - 1
}

// Index returns the index of the account called name, or -1.
func (s *Dashboard) Index(name string) int {
	for i, a := range s.Accounts {
		if a.Name == name {
			return i
		}
	}
	return -1
}

// Get returns account i, or nil when there is none.
func (s *Dashboard) Get(i int) *Account {
	if i < 0 || i >= len(s.Accounts) {
		return nil
	}
	return s.Accounts[i]
}

// Begin records a new request of kind k for account i and returns its
// generation id; any answer to an earlier request of that kind for that
// account is from then on stale.
func (s *Dashboard) Begin(i int, k Kind) uint64 {
	a := s.Get(i)
	if a == nil {
		return 0
	}
	s.gen++
	a.want[k] = s.gen
	before := a.sig()
	a.inflight[k] = true
	a.touch(before)
	return s.gen
}

// BeginHistory is Begin for a history window, remembering the window so the
// same days are not asked for twice while the answer is on its way.
func (s *Dashboard) BeginHistory(i int, from, to providers.Date) uint64 {
	gen := s.Begin(i, KindHistory)
	if a := s.Get(i); a != nil {
		a.History.Pending, a.History.PendFrom, a.History.PendTo = true, from, to
	}
	return gen
}

// Gen is the newest generation asked for of kind k for account i.
func (s *Dashboard) Gen(i int, k Kind) uint64 {
	if a := s.Get(i); a != nil {
		return a.want[k]
	}
	return 0
}

// InFlight reports whether a request of kind k for account i is running.
func (s *Dashboard) InFlight(i int, k Kind) bool {
	a := s.Get(i)
	return a != nil && a.inflight[k]
}

// get returns account i if gen is the newest request of kind k for it,
// else nil: the answer is stale.
func (s *Dashboard) get(i int, gen uint64, k Kind) *Account {
	a := s.Get(i)
	if a == nil || gen == 0 || a.want[k] != gen || !a.inflight[k] {
		return nil
	}
	return a
}

// accept marks the newest request of kind k for account i done.
func (s *Dashboard) accept(i int, gen uint64, k Kind) *Account {
	a := s.get(i, gen, k)
	if a == nil {
		return nil
	}
	a.inflight[k] = false
	return a
}

// sig is what the accounts pane shows of a, apart from the profile and the
// age of the last update (the pane compares those itself).
type sig struct {
	status Status
	text   string
}

func (a *Account) sig() sig { return sig{a.Status(), a.StatusText()} }

// touch bumps Version if what the accounts pane shows changed since before.
func (a *Account) touch(before sig) {
	if a.sig() != before {
		a.Version++
	}
}

// setErr records the answer of kind k: its error, and (when data came with
// it, even as a cache's stand-in for a failing provider) when that data
// was fetched.
func (a *Account) setErr(k Kind, err error, at time.Time) {
	a.errs[k] = err
	var stale *providers.StaleError
	if err != nil {
		a.errAt[k] = at
	}
	if (err == nil || errors.As(err, &stale)) && at.After(a.LastUpdate) {
		a.LastUpdate = at
	}
}

// ApplySkip ends a scheduled request of kind k for account i that was not
// due. It returns false for a stale one.
func (s *Dashboard) ApplySkip(i int, gen uint64, k Kind) bool {
	a := s.get(i, gen, k)
	if a == nil {
		return false
	}
	before := a.sig()
	s.accept(i, gen, k)
	a.touch(before)
	return true
}

// ApplyProfile stores a profile answer. It returns false for a stale one.
func (s *Dashboard) ApplyProfile(m ProfileAnswer) bool {
	a := s.get(m.Account, m.Gen, KindProfile)
	if a == nil {
		return false
	}
	before := a.sig()
	if !m.Peek { // a peek leaves the request running: its answer follows
		s.accept(m.Account, m.Gen, KindProfile)
		a.setErr(KindProfile, m.Err, m.At)
	} else if m.At.After(a.LastUpdate) {
		a.LastUpdate = m.At
	}
	if m.Err == nil {
		if !a.HasProfile || !sameProfile(a.Profile, m.Profile) || a.Through != m.Through {
			a.Version++
		}
		a.Profile, a.HasProfile, a.Through = m.Profile, true, m.Through
	}
	a.touch(before)
	return true
}

// ApplyToday stores a today answer, or (m.Past) the day pane's past day.
// accepted is false for a stale answer: an older request's, or one for
// another day than the one asked for last. changed says whether anything
// the day pane draws changed (the age of the data aside). A new answer for
// today also updates today's steps and resting heart rate in history.
func (s *Dashboard) ApplyToday(m TodayAnswer) (accepted, changed bool) {
	k := KindToday
	if m.Past {
		k = KindPast
	}
	a := s.get(m.Account, m.Gen, k)
	if a == nil {
		return false, false
	}
	before := a.sig()
	if !m.Peek { // a peek leaves the request running: its answer follows
		s.accept(m.Account, m.Gen, k)
		a.setErr(k, m.Err, m.At)
	} else if m.At.After(a.LastUpdate) {
		a.LastUpdate = m.At
	}
	defer a.touch(before)
	t := &a.Today
	if m.Past {
		t = &a.Past
	}
	if t.Day != m.Day {
		*t = Today{Day: m.Day, Version: t.Version}
		changed = true
	}
	if !sameErr(t.Err, m.Err) {
		t.Err = m.Err
		changed = true
	}
	if m.HasSummary || m.HasIntraday {
		t.UpdatedAt = m.At
		if !t.HasLive {
			t.HasLive, changed = true, true
		}
	}
	if m.HasSummary {
		m.Live.Summary.Goals = a.GoalsOver(m.Live.Summary.Goals)
	}
	if m.HasSummary && t.Live.Summary != m.Live.Summary {
		t.Live.Summary = m.Live.Summary
		changed = true
		if !m.Past {
			a.patchHistory(m.Day, m.Live.Summary)
		}
	}
	if m.HasIntraday && !sameIntraday(t.Live, m.Live) {
		sum := t.Live.Summary
		t.Live = m.Live
		t.Live.Summary = sum
		changed = true
	}
	if m.HasSleep && !sameSleep(t.Slow, m.Slow) {
		t.Slow.Sleep, t.Slow.HasSleep = m.Slow.Sleep, m.Slow.HasSleep
		changed = true
	}
	if m.HasWght && (t.Slow.Weight != m.Slow.Weight || t.Slow.WeightDay != m.Slow.WeightDay ||
		t.Slow.RestingRange != m.Slow.RestingRange) {
		t.Slow.Weight, t.Slow.WeightDay, t.Slow.RestingRange = m.Slow.Weight, m.Slow.WeightDay, m.Slow.RestingRange
		changed = true
	}
	if m.HasHlth && (!sameHealth(t.Slow.Health, m.Slow.Health) || t.Slow.BodyFat != m.Slow.BodyFat) {
		t.Slow.Health, t.Slow.BodyFat = m.Slow.Health, m.Slow.BodyFat
		changed = true
	}
	if (m.HasSleep || m.HasWght || m.HasHlth) && !t.HasSlow {
		t.HasSlow, changed = true, true
	}
	if changed {
		t.Version++
	}
	return true, changed
}

// GoalsOver is the provider's goals g with the configuration's in their
// place: what every pane measures a day against.
func (a *Account) GoalsOver(g providers.Goals) providers.Goals { return a.Goals.Over(g) }

// patchHistory keeps the history's entry for day in step with today's
// summary, so the two panes never disagree about today.
func (a *Account) patchHistory(day providers.Date, s providers.DaySummary) {
	h := &a.History
	v, ok := h.Days[day]
	if !ok {
		return // not loaded yet; the history fetch brings it
	}
	nv := v
	nv.Steps = s.Steps
	nv.DistanceKm, nv.Calories, nv.ActiveMinutes = s.DistanceKm, s.Calories, s.ActiveMinutes
	if s.HasFloors {
		nv.Floors = s.Floors
	}
	if s.RestingHeartRate > 0 {
		nv.RestingHeartRate = s.RestingHeartRate
	}
	if nv != v {
		h.Days[day] = nv
		h.Version++
	}
}

// ApplyHistory stores a history answer. accepted is false for a stale one.
func (s *Dashboard) ApplyHistory(m HistoryAnswer) (accepted, changed bool) {
	a := s.get(m.Account, m.Gen, KindHistory)
	if a == nil {
		return false, false
	}
	before := a.sig()
	s.accept(m.Account, m.Gen, KindHistory)
	a.setErr(KindHistory, m.Err, m.At)
	defer a.touch(before)
	h := &a.History
	h.Pending = false
	if !sameErr(h.Err, m.Err) {
		h.Err = m.Err
		changed = true
	}
	if h.applyHealth(m) {
		changed = true
	}
	if m.Err == nil {
		h.UpdatedAt = m.At
		for _, d := range m.Days {
			if old, ok := h.Days[d.Date]; !ok || old != d {
				h.Days[d.Date] = d
				changed = true
			}
		}
		// Days the provider left out are known to be empty.
		for d := m.From; !d.After(m.To); d = d.AddDays(1) {
			if _, ok := h.Days[d]; !ok {
				h.Days[d] = providers.DailyValues{Date: d}
				changed = true
			}
		}
	}
	if changed {
		h.Version++
	}
	return true, changed
}

// Location is the account's time zone, or loc when the profile is unknown.
func (a *Account) Location(loc *time.Location) *time.Location {
	if a.HasProfile && a.Profile.Location != nil {
		return a.Profile.Location
	}
	return loc
}

// TodayAt is the account's civil date at now.
func (a *Account) TodayAt(now time.Time) providers.Date {
	return providers.DateOf(now.In(a.Location(now.Location())))
}

// Err returns the newest error of any kind, or nil.
func (a *Account) Err() error {
	var (
		err error
		at  time.Time
	)
	for k, e := range a.errs {
		if e != nil && (err == nil || a.errAt[k].After(at)) {
			err, at = e, a.errAt[k]
		}
	}
	return err
}

// Loading reports whether a request is running and nothing has arrived yet.
func (a *Account) Loading() bool {
	busy := false
	for _, f := range a.inflight {
		busy = busy || f
	}
	return busy && a.LastUpdate.IsZero() && a.Err() == nil
}

func sameProfile(a, b providers.Profile) bool {
	if a.DisplayName != b.DisplayName || a.Location.String() != b.Location.String() || len(a.Devices) != len(b.Devices) {
		return false
	}
	for i := range a.Devices {
		x, y := a.Devices[i], b.Devices[i]
		if x.ID != y.ID || x.Name != y.Name || x.Kind != y.Kind || x.BatteryPercent != y.BatteryPercent ||
			x.BatteryLevel != y.BatteryLevel || !x.LastSync.Equal(y.LastSync) {
			return false
		}
	}
	return true
}

func sameErr(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Error() == b.Error()
}

func sameIntraday(a, b Live) bool {
	return a.HeartKey.Same(b.HeartKey) && a.StepsKey.Same(b.StepsKey) && a.Note == b.Note
}

func sameHealth(a, b Health) bool {
	if a.Served != b.Served || a.WorkoutsMissing != b.WorkoutsMissing || len(a.Workouts) != len(b.Workouts) ||
		!reflect.DeepEqual(a.Day, b.Day) || !maps.Equal(a.Ranges, b.Ranges) {
		return false
	}
	for i := range a.Workouts {
		if !reflect.DeepEqual(a.Workouts[i], b.Workouts[i]) {
			return false
		}
	}
	return true
}

func sameSleep(a, b Slow) bool {
	if a.HasSleep != b.HasSleep {
		return false
	}
	x, y := a.Sleep, b.Sleep
	return x.Date == y.Date && x.Start.Equal(y.Start) && x.End.Equal(y.End) &&
		x.Asleep == y.Asleep && x.Main == y.Main && x.Classic == y.Classic &&
		len(x.Segments) == len(y.Segments)
}
