package state

import (
	"errors"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

var (
	day = providers.Date{Year: 2025, Month: time.May, Day: 14}
	t0  = time.Date(2025, 5, 14, 14, 3, 0, 0, time.UTC)
)

func newDashboard() *Dashboard {
	return New([]*Account{{Name: "a", Provider: "demo"}, {Name: "b", Provider: "demo"}})
}

func live(steps int, n int) Live {
	return Live{
		Summary:  providers.DaySummary{Date: day, Steps: steps},
		HeartKey: SeriesKey{N: n, Last: providers.Sample{Time: t0, Value: 70}},
	}
}

func TestOnlyTheNewestAnswerIsAccepted(t *testing.T) {
	s := newDashboard()
	g1 := s.Begin(0, KindToday)
	g2 := s.Begin(0, KindToday)
	if g1 == g2 || g1 == 0 {
		t.Fatalf("generations %d %d", g1, g2)
	}
	if ok, _ := s.ApplyToday(TodayAnswer{Account: 0, Gen: g1, Day: day, HasSummary: true, Live: live(1, 1)}); ok {
		t.Fatal("the older request's answer was accepted")
	}
	if !s.InFlight(0, KindToday) {
		t.Fatal("a stale answer ended the newer request")
	}
	if ok, _ := s.ApplyToday(TodayAnswer{Account: 0, Gen: g2, Day: day, HasSummary: true, Live: live(2, 1)}); !ok {
		t.Fatal("the newest answer was refused")
	}
	if s.InFlight(0, KindToday) || s.Get(0).Today.Live.Summary.Steps != 2 {
		t.Fatal("newest answer not stored")
	}
	// The same answer again (its request is done) is refused too.
	if ok, _ := s.ApplyToday(TodayAnswer{Account: 0, Gen: g2, Day: day}); ok {
		t.Fatal("an answer was accepted twice")
	}
	// Generations are per account and kind.
	gb := s.Begin(1, KindToday)
	gh := s.BeginHistory(0, day, day)
	if ok, _ := s.ApplyToday(TodayAnswer{Account: 0, Gen: gb, Day: day}); ok {
		t.Fatal("account b's generation accepted for account a")
	}
	if ok, _ := s.ApplyToday(TodayAnswer{Account: 0, Gen: gh, Day: day}); ok {
		t.Fatal("a history generation accepted for today")
	}
	if ok, _ := s.ApplyToday(TodayAnswer{Account: 5, Gen: gb}); ok {
		t.Fatal("an unknown account accepted")
	}
}

func TestTodayChangeDetection(t *testing.T) {
	s := newDashboard()
	apply := func(m TodayAnswer) bool {
		m.Account, m.Gen, m.Day, m.At = 0, s.Begin(0, KindToday), day, t0
		_, changed := s.ApplyToday(m)
		return changed
	}
	if !apply(TodayAnswer{HasSummary: true, HasIntraday: true, Live: live(100, 10)}) {
		t.Fatal("first data is a change")
	}
	v := s.Get(0).Today.Version
	if apply(TodayAnswer{HasSummary: true, HasIntraday: true, Live: live(100, 10)}) || s.Get(0).Today.Version != v {
		t.Fatal("identical data counted as a change")
	}
	if !apply(TodayAnswer{HasSummary: true, HasIntraday: true, Live: live(100, 11)}) {
		t.Fatal("a new heart-rate sample is a change")
	}
	if !apply(TodayAnswer{HasSummary: true, Live: live(101, 11)}) {
		t.Fatal("new steps are a change")
	}
	// An error changes what is shown but keeps the data.
	if !apply(TodayAnswer{Err: providers.ErrUnreachable("demo", nil)}) {
		t.Fatal("an error is a change")
	}
	td := s.Get(0).Today
	if td.Live.Summary.Steps != 101 || td.Live.HeartKey.N != 11 || !td.HasLive || td.Err == nil {
		t.Fatalf("data lost on error: %+v", td)
	}
	if !apply(TodayAnswer{HasSummary: true, Live: live(101, 11)}) || s.Get(0).Today.Err != nil {
		t.Fatal("recovery must clear the error")
	}
	// Sleep and weight.
	sl := Slow{HasSleep: true, Sleep: providers.SleepSession{Date: day, Start: t0.Add(-8 * time.Hour), End: t0}, Weight: 70}
	if !apply(TodayAnswer{HasSleep: true, HasWght: true, Slow: sl}) {
		t.Fatal("sleep and weight are a change")
	}
	if apply(TodayAnswer{HasSleep: true, HasWght: true, Slow: sl}) {
		t.Fatal("same sleep and weight are no change")
	}
	// A new day starts empty.
	m := TodayAnswer{Account: 0, Gen: s.Begin(0, KindToday), Day: day.AddDays(1), HasSummary: true, Live: live(5, 1)}
	if _, ch := s.ApplyToday(m); !ch || s.Get(0).Today.HasSlow || s.Get(0).Today.Day != day.AddDays(1) {
		t.Fatal("a new day must replace the old one")
	}
}

func TestHistoryMergeAndPatch(t *testing.T) {
	s := newDashboard()
	g := s.BeginHistory(0, day.AddDays(-2), day)
	if h := s.Get(0).History; !h.Pending || h.PendFrom != day.AddDays(-2) {
		t.Fatal("pending window not kept")
	}
	ok, changed := s.ApplyHistory(HistoryAnswer{Account: 0, Gen: g, From: day.AddDays(-2), To: day,
		Days: []providers.DailyValues{{Date: day, Steps: 10}}})
	if !ok || !changed {
		t.Fatal("history not applied")
	}
	h := &s.Get(0).History
	if !h.Covers(day.AddDays(-2), day) || h.Covers(day.AddDays(-3), day) || h.Pending {
		t.Fatal("days the provider left out count as loaded and empty; others not")
	}
	// Today's summary keeps the history's today in step.
	v := h.Version
	s.ApplyToday(TodayAnswer{Account: 0, Gen: s.Begin(0, KindToday), Day: day, HasSummary: true,
		Live: Live{Summary: providers.DaySummary{Steps: 99, RestingHeartRate: 60}}})
	if got := h.Days[day]; got.Steps != 99 || got.RestingHeartRate != 60 || h.Version == v {
		t.Fatalf("history's today %+v", got)
	}
	// A failed fetch keeps the days.
	g = s.BeginHistory(0, day.AddDays(-9), day.AddDays(-3))
	s.ApplyHistory(HistoryAnswer{Account: 0, Gen: g, Err: errors.New("down")})
	if len(h.Days) != 3 || h.Err == nil {
		t.Fatal("days lost on error")
	}
}

func TestStatusFromTypedErrors(t *testing.T) {
	s := newDashboard()
	a := s.Get(0)
	if a.Status() != StatusIdle {
		t.Fatal("nothing asked: idle")
	}
	g := s.Begin(0, KindProfile)
	if a.StatusText() != "loading…" {
		t.Fatalf("in flight, nothing known: %q", a.StatusText())
	}
	s.ApplyProfile(ProfileAnswer{Account: 0, Gen: g, At: t0, Profile: providers.Profile{Location: time.UTC}})
	if a.StatusText() != "ok" || !a.LastUpdate.Equal(t0) {
		t.Fatalf("ok: %q", a.StatusText())
	}
	tokyo := time.FixedZone("JST", 9*3600)
	cases := []struct {
		err  error
		want string
	}{
		{providers.ErrSignIn("demo", "a", nil), "sign in again"},
		// The retry time is shown in the account's zone (UTC here).
		{providers.ErrRateLimited("demo", time.Date(2025, 5, 14, 14, 30, 0, 0, tokyo)), "rate limited until 05:30"},
		{providers.ErrGone("demo", "shut down"), "provider gone"},
		{providers.ErrUnreachable("demo", nil), "offline"},
		{providers.ErrBadData("demo", "json", nil), "bad data"},
		{errors.New("weird"), "error"},
	}
	for i, c := range cases {
		g := s.Begin(0, KindToday)
		s.ApplyToday(TodayAnswer{Account: 0, Gen: g, Day: day, Err: c.err, At: t0.Add(time.Duration(i+1) * time.Second)})
		if got := a.StatusText(); got != c.want {
			t.Errorf("%v: status %q, want %q", c.err, got, c.want)
		}
	}
	// The newest error of any kind wins; a success of one kind clears it.
	g = s.Begin(0, KindHistory)
	s.ApplyHistory(HistoryAnswer{Account: 0, Gen: g, Err: providers.ErrGone("demo", "x"), At: t0.Add(time.Hour)})
	if got := a.StatusText(); got != "provider gone" {
		t.Fatalf("newest error wins: %q", got)
	}
	g = s.Begin(0, KindHistory)
	s.ApplyHistory(HistoryAnswer{Account: 0, Gen: g, At: t0.Add(2 * time.Hour)})
	if got := a.StatusText(); got != "error" {
		t.Fatalf("after history recovered the today error remains: %q", got)
	}
	a.SigningIn = true
	if a.StatusText() != "signing in…" {
		t.Fatal("signing in")
	}
	if ErrMessage(providers.ErrGone("demo", "use Takeout")) != "use Takeout" || ErrMessage(errors.New("x")) != "x" || ErrMessage(nil) != "" {
		t.Fatal("ErrMessage")
	}
}

func TestAccountVersionMovesOnlyWhenTheListChanges(t *testing.T) {
	s := newDashboard()
	a := s.Get(0)
	g := s.Begin(0, KindProfile)
	prof := providers.Profile{Location: time.UTC, Devices: []providers.Device{{Name: "x", BatteryPercent: 50}}}
	s.ApplyProfile(ProfileAnswer{Account: 0, Gen: g, At: t0, Profile: prof})
	v := a.Version
	for range 3 {
		g := s.Begin(0, KindToday)
		s.ApplyToday(TodayAnswer{Account: 0, Gen: g, Day: day, At: t0})
		g = s.Begin(0, KindProfile)
		s.ApplyProfile(ProfileAnswer{Account: 0, Gen: g, At: t0, Profile: prof})
	}
	if a.Version != v {
		t.Fatalf("version moved %d -> %d without a visible change", v, a.Version)
	}
	prof.Devices = []providers.Device{{Name: "x", BatteryPercent: 49}}
	g = s.Begin(0, KindProfile)
	s.ApplyProfile(ProfileAnswer{Account: 0, Gen: g, At: t0, Profile: prof})
	if a.Version == v {
		t.Fatal("a battery change must move the version")
	}
}

func TestTodayAtUsesTheAccountsZone(t *testing.T) {
	a := &Account{}
	now := time.Date(2025, 5, 14, 23, 30, 0, 0, time.UTC)
	if a.TodayAt(now) != day {
		t.Fatal("without a profile the clock's zone counts")
	}
	a.HasProfile, a.Profile.Location = true, time.FixedZone("JST", 9*3600)
	if a.TodayAt(now) != day.AddDays(1) {
		t.Fatal("in Tokyo it is already the 15th")
	}
}

func TestSeriesKey(t *testing.T) {
	a := SeriesKey{N: 3, Last: providers.Sample{Time: time.Date(2025, 5, 14, 1, 0, 0, 0, time.UTC), Value: 5}}
	b := SeriesKey{N: 3, Last: providers.Sample{Time: time.Date(2025, 5, 14, 1, 0, 0, 0, time.UTC).In(time.FixedZone("x", 3600)), Value: 5}}
	if !a.Same(b) {
		t.Fatal("the same instant in another zone is the same sample")
	}
	b.N = 4
	if a.Same(b) {
		t.Fatal("a new sample changes the key")
	}
}

// TestMessagesInOneZone: one message writes every time in the account's
// zone (the audit saw "rate limited until 07:47 ... rate limited until
// 06:47" for one instant), and claims cached data only when some is shown.
func TestMessagesInOneZone(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	a := &Account{Profile: providers.Profile{Location: tokyo}, HasProfile: true}
	until := time.Date(2026, 3, 5, 14, 30, 0, 0, time.UTC) // 23:30 in Tokyo
	updated := time.Date(2026, 3, 5, 13, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		err  error
		want string
	}{
		{providers.ErrRateLimited("demo", until), "rate limited until 23:30"},
		{providers.ErrBudgetSpent("demo", until), "request budget spent until 23:30"},
		{&providers.StaleError{Err: providers.ErrBudgetSpent("demo", until), Updated: updated},
			"request budget spent until 23:30, last updated 22:00"},
		{&providers.StaleError{Err: providers.ErrRateLimited("demo", until), Updated: updated},
			"rate limited until 23:30, last updated 22:00"},
		{providers.ErrBudgetUnshared("demo", "cannot write x: no space left on device"),
			"request budget not shared: cannot write x: no space left on device"},
		{providers.ErrUnreachable("demo", nil), "cannot reach the provider"},
	} {
		if got := a.Message(c.err); got != c.want {
			t.Errorf("%v:\n got %q\nwant %q", c.err, got, c.want)
		}
	}
	s := newDashboard()
	g := s.Begin(0, KindToday)
	s.ApplyToday(TodayAnswer{Account: 0, Gen: g, Err: providers.ErrBudgetUnshared("demo", "why"), At: t0})
	if got := s.Get(0).StatusText(); got != "budget not shared" {
		t.Errorf("status %q", got)
	}
}

// TestStatusTextChangesWalk: StatusTextAt holds until the moment
// StatusTextChanges names and differs there, for an ok account going
// unchecked and for a rate limit ending; "checking…" waits for the answer.
func TestStatusTextChangesWalk(t *testing.T) {
	const after = 5 * time.Minute
	walk := func(name string, a *Account, from, until time.Time) int {
		t.Helper()
		now, steps := from, 0
		for {
			next := a.StatusTextChanges(now, after)
			if next.IsZero() || next.After(until) {
				return steps
			}
			if !next.After(now) {
				t.Fatalf("%s: next change %v is not after %v", name, next, now)
			}
			before, at := a.StatusTextAt(next.Add(-time.Nanosecond), after), a.StatusTextAt(next, after)
			if before != a.StatusTextAt(now, after) || before == at {
				t.Fatalf("%s at %v: %q until %v, then %q", name, now, before, next, at)
			}
			now, steps = next, steps+1
		}
	}
	s := newDashboard()
	a := s.Get(0)
	g := s.Begin(0, KindProfile)
	s.ApplyProfile(ProfileAnswer{Account: 0, Gen: g, At: t0, Profile: providers.Profile{Location: time.UTC}})
	// ok for 5 minutes, then "not checked for 5m" ... "59m", "1h" ... "3h".
	if n := walk("unchecked", a, t0, t0.Add(3*time.Hour)); n != 1+55+2 {
		t.Errorf("unchecked: %d changes in 3 hours", n)
	}
	s.Begin(0, KindToday)
	if got := a.StatusTextAt(t0.Add(time.Hour), after); got != "checking…" || !a.StatusTextChanges(t0.Add(time.Hour), after).IsZero() {
		t.Errorf("while asked: %q, changes at %v", got, a.StatusTextChanges(t0.Add(time.Hour), after))
	}

	b := s.Get(1)
	g = s.Begin(1, KindToday)
	retry := t0.Add(90 * time.Second)
	s.ApplyToday(TodayAnswer{Account: 1, Gen: g, Day: day, Err: providers.ErrRateLimited("demo", retry), At: t0})
	if n := walk("rate limit", b, t0, t0.Add(time.Hour)); n != 1 {
		t.Errorf("rate limit: %d changes, want 1 (ending at %v)", n, retry)
	}
}
