package engine

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
	"github.com/fittui/fittui/theme"
	"github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/wiring"
)

// answers is a Source whose answers the test sets, provenance included.
type answers struct {
	profile  cache.Answer[providers.Profile]
	summary  cache.Answer[providers.DaySummary]
	intraday cache.Answer[providers.Intraday]
	series   cache.Answer[[]providers.DailyValues]
	sleep    cache.Answer[[]providers.SleepSession]
	health   cache.Answer[[]providers.HealthDay]
	healthIn cache.Answer[providers.HealthIntraday]
	workouts cache.Answer[[]providers.Workout]
}

func (a *answers) HealthAnswer(context.Context, cache.Mode, providers.Date, providers.Date) cache.Answer[[]providers.HealthDay] {
	return a.health
}
func (a *answers) HealthIntradayAnswer(context.Context, cache.Mode, providers.Date) cache.Answer[providers.HealthIntraday] {
	return a.healthIn
}
func (a *answers) WorkoutsAnswer(context.Context, cache.Mode, providers.Date, providers.Date) cache.Answer[[]providers.Workout] {
	return a.workouts
}

func (a *answers) Kind() string { return "answers" }

func (a *answers) ProfileAnswer(context.Context, cache.Mode) cache.Answer[providers.Profile] {
	return a.profile
}
func (a *answers) DaySummaryAnswer(context.Context, cache.Mode, providers.Date) cache.Answer[providers.DaySummary] {
	return a.summary
}
func (a *answers) IntradayAnswer(context.Context, cache.Mode, providers.Date) cache.Answer[providers.Intraday] {
	return a.intraday
}
func (a *answers) DailySeriesAnswer(context.Context, cache.Mode, providers.Date, providers.Date) cache.Answer[[]providers.DailyValues] {
	return a.series
}
func (a *answers) SleepAnswer(context.Context, cache.Mode, providers.Date, providers.Date) cache.Answer[[]providers.SleepSession] {
	return a.sleep
}

// TestTodayStaleFromTheAnswers: data the cache served for a failing
// provider comes with a StaleError built from the answers themselves
// (the failure, and when the newest data shown was fetched); the day is
// dated by its older live part; a failure without data beats them.
func TestTodayStaleFromTheAnswers(t *testing.T) {
	down := providers.ErrUnreachable("answers", errors.New("connection refused"))
	limited := providers.ErrRateLimited("answers", at(15, 0, 0))
	src := &answers{
		summary:  cache.Answer[providers.DaySummary]{Value: providers.DaySummary{Steps: 7}, FetchedAt: at(12, 0, 0), FromCache: true, Stale: true, Err: down},
		intraday: cache.Answer[providers.Intraday]{FetchedAt: at(13, 0, 0), FromCache: true},
		sleep:    cache.Answer[[]providers.SleepSession]{FetchedAt: at(13, 30, 0), FromCache: true, Stale: true, Err: limited},
		series:   cache.Answer[[]providers.DailyValues]{FetchedAt: at(11, 0, 0), FromCache: true},
	}
	msg := askToday(src, cache.Ask, 0, 1, day, true, false, now)().(state.TodayAnswer)
	if !msg.HasSummary || msg.Live.Summary.Steps != 7 || !msg.HasIntraday || !msg.HasSleep || !msg.HasWght {
		t.Fatalf("parts %+v", msg)
	}
	if !msg.At.Equal(at(12, 0, 0)) {
		t.Errorf("dated %v, want the older live part (12:00)", msg.At)
	}
	var stale *providers.StaleError
	if !errors.As(msg.Err, &stale) || !stale.Updated.Equal(at(13, 30, 0)) {
		t.Fatalf("err %v", msg.Err)
	}
	// Rate limited is what to say first (worst), and it is its kind.
	if providers.KindOf(msg.Err) != providers.KindRateLimited {
		t.Errorf("kind %v", providers.KindOf(msg.Err))
	}

	signIn := providers.ErrSignIn("answers", "me", nil)
	src.intraday = cache.Answer[providers.Intraday]{Err: signIn}
	msg = askToday(src, cache.Ask, 0, 2, day, true, false, now)().(state.TodayAnswer)
	if msg.HasIntraday || !errors.Is(msg.Err, signIn) || errors.As(msg.Err, &stale) {
		t.Fatalf("a failure without data: %+v", msg)
	}

	// A peek is never stale, and leaves out what is not kept.
	src = &answers{
		summary:  cache.Answer[providers.DaySummary]{Value: providers.DaySummary{Steps: 3}, FetchedAt: at(9, 0, 0), FromCache: true},
		intraday: cache.Answer[providers.Intraday]{Err: cache.ErrNotCached},
	}
	msg = askToday(src, cache.Peek, 0, 3, day, false, false, now)().(state.TodayAnswer)
	if !msg.Peek || !msg.HasSummary || msg.HasIntraday || msg.Err != nil || !msg.At.Equal(at(9, 0, 0)) {
		t.Fatalf("peek %+v", msg)
	}
	src.summary = cache.Answer[providers.DaySummary]{Err: cache.ErrNotCached}
	if got := askToday(src, cache.Peek, 0, 4, day, false, false, now)(); got != nil {
		t.Fatalf("a peek at nothing answered %+v", got)
	}
}

// TestProfileStaleFromTheAnswer: a profile the cache kept for a failing
// provider is shown, dated by its fetch, with the failure as stale.
func TestProfileStaleFromTheAnswer(t *testing.T) {
	down := providers.ErrUnreachable("answers", errors.New("connection refused"))
	src := &answers{profile: cache.Answer[providers.Profile]{Value: providers.Profile{DisplayName: "me"},
		FetchedAt: at(10, 0, 0), FromCache: true, Stale: true, Err: down}}
	msg := askProfile(src, cache.Ask, 0, 1, nil, now)().(state.ProfileAnswer)
	var stale *providers.StaleError
	if msg.Profile.DisplayName != "me" || msg.Profile.Location != time.UTC || !msg.At.Equal(at(10, 0, 0)) ||
		!errors.As(msg.Err, &stale) || !stale.Updated.Equal(at(10, 0, 0)) || !errors.Is(msg.Err, down) {
		t.Fatalf("%+v", msg)
	}
	src.profile = cache.Answer[providers.Profile]{Err: cache.ErrNotCached}
	if got := askProfile(src, cache.Peek, 0, 2, nil, now)(); got != nil {
		t.Fatalf("a peek at nothing answered %+v", got)
	}
}

// view is a View for the engine alone.
type view struct {
	redrawn Panes
	notice  string
	window  *window
	shown   providers.Date // the day ShowDay said last
}

func (v *view) Redraw(p Panes)              { v.redrawn |= p }
func (v *view) Notify(n string)             { v.notice = n }
func (v *view) Window() Window              { return v.window }
func (v *view) ShowDay(d providers.Date)    { v.shown = d }
func (v *view) take() (p Panes)             { p, v.redrawn = v.redrawn, 0; return p }
func (w *window) SetToday(d providers.Date) { w.today = d }
func (w *window) Window() (providers.Date, providers.Date) {
	return w.today.AddDays(-6), w.today
}
func (w *window) Wanted() (providers.Date, providers.Date, bool) {
	from, to := w.Window()
	h := &w.state.Get(w.account).History
	return from, to, !h.Pending && !h.Covers(from, to)
}

// window is the history pane's window over one account's state.
type window struct {
	today   providers.Date
	state   *state.Dashboard
	account int
}

// drain runs cmd and what follows through e, synchronously.
func drain(e *Engine, cmd tea.Cmd) []tea.Msg {
	var seen []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			seen = append(seen, msg)
			next, ok := e.Update(msg)
			if !ok {
				panic("the engine refused its own answer")
			}
			queue = append(queue, next)
		}
	}
	return seen
}

// TestEngineWithoutTheModel: the engine loads the selected account once
// its time zone is known, tells the view what changed, skips the ticks
// its scheduler does not allow, and says when the person's refresh finds
// the budget spent.
func TestEngineWithoutTheModel(t *testing.T) {
	th, err := theme.Lookup("mono")
	if err != nil {
		t.Fatal(err)
	}
	ctx := program.New(th, now, time.Minute)
	d, err := demo.New(providers.AccountSpec{Name: "runner", Provider: "demo", Options: map[string]string{"persona": "runner"}}, providers.Env{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	v := &view{window: &window{}}
	e := New(ctx, []wiring.Opened{wiring.Uncached(providers.AccountSpec{Name: "runner", Provider: "demo"}, d, now)}, v)
	v.window.state = e.State()
	drain(e, e.Start())
	a := e.State().Get(0)
	if !a.HasProfile || a.Today.Day != a.TodayAt(now()) || !a.History.Covers(v.window.Window()) {
		t.Fatalf("not loaded: profile %v day %v", a.HasProfile, a.Today.Day)
	}
	if p := v.take(); p != Accounts|Today|History {
		t.Errorf("redrawn %b", p)
	}
	if !e.Idle() {
		t.Error("busy after every answer")
	}

	// An account with a cache and a spent budget.
	store, err := cache.Open(cache.Options{Root: t.TempDir(), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	c := cache.Wrap(d, "paced", store, cache.DefaultPolicy(), now)
	b := store.Budget("paced", cache.Limit{Requests: 10, Window: time.Hour}, now)
	c.UseBudget(b)
	o := wiring.Opened{Spec: providers.AccountSpec{Name: "paced", Provider: "demo"}, Provider: c, Source: c, Cache: c,
		Scheduler: cache.NewScheduler(c, b, cache.SchedulerOptions{Interval: time.Minute})}
	drain(e, e.Add(o))
	v.window.account = 1
	seen := drain(e, e.Select(1))
	if len(seen) == 0 {
		t.Fatal("the new account's day was not asked for")
	}
	if ok, _, _ := b.Spend(10 - used(t, b)); !ok {
		t.Fatal("could not spend the budget")
	}
	for range 3 {
		for _, msg := range drain(e, e.Tick()) {
			if _, ok := msg.(SkipMsg); !ok {
				t.Fatalf("a tick the scheduler did not allow answered %T", msg)
			}
		}
	}
	drain(e, e.Refresh())
	want := "paced: the request budget is spent until " +
		now().Truncate(time.Hour).Add(time.Hour).In(e.State().Get(1).Location(time.Local)).Format("15:04") + "; showing what is cached."
	if v.notice != want {
		t.Errorf("notice %q, want %q", v.notice, want)
	}
}

func used(t *testing.T, b *cache.Budget) int {
	t.Helper()
	st, err := b.State()
	if err != nil {
		t.Fatal(err)
	}
	return st.Used
}
