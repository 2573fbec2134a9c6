package cache

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
)

// Cached is a providers.Provider that answers from the store when the
// entry is fresh (see Policy) and asks the wrapped provider otherwise.
//
// Its *Answer methods (the Source interface) say where each answer came
// from: when it was fetched, whether from disk, and whether it is the last
// good data standing in for a provider that failed, with that failure.
// The Provider methods give the same answers the way providers do: when
// the wrapped provider fails and an older answer is on disk, that answer
// with a nil error (callers that show data keep showing it); without an
// older answer the provider's error as it is (a *providers.Error for the
// UI to explain). Status sums up the provider's health over all calls.
//
// Ranges (DailySeries, Sleep) are stored per day; only the days that are
// missing or stale are fetched, with one provider call per run of
// consecutive such days.
type Cached struct {
	p       providers.Provider
	account string
	store   *Store
	now     func() time.Time

	mu          sync.Mutex
	policy      Policy
	loc         *time.Location
	forceBefore time.Time
	status      Status
	onStatus    func(Status)
	budget      *Budget
}

// manualGrace is how long after the person's refresh calls count as
// theirs (they may spend the budget's reserve).
const manualGrace = time.Minute

var _ providers.Provider = (*Cached)(nil)

// Status is what a Cached provider knows about its data and its
// provider's health.
type Status struct {
	// Updated is when the newest data served was fetched from the
	// provider (zero: nothing served yet). The UI shows it as "last
	// updated HH:MM".
	Updated time.Time
	// Err is the provider's last failure since it last answered well
	// (nil: it answers). Cached data is being shown in its place when
	// there was any. It is usually a *providers.Error: KindUnreachable
	// means offline, KindRateLimited carries RetryAt.
	Err   error
	ErrAt time.Time
	// CacheErr is the last failure to write the cache (full disk,
	// permissions); answers are still served, just not kept.
	CacheErr error
}

// NotKeptError says answers are served but not kept in the cache. Its
// words name the cause alone ("no space left on device"), short enough
// for a footer; Err has the path.
type NotKeptError struct{ Err error }

func (e *NotKeptError) Error() string {
	why := e.Err
	var pe *fs.PathError
	if errors.As(why, &pe) {
		why = pe.Err
	}
	return "answers are not being kept in the cache: " + why.Error()
}
func (e *NotKeptError) Unwrap() error { return e.Err }

// Warning is what the person should know about the account's cache and
// request budget, nil when all is well: a *NotKeptError while answers
// cannot be written (a full disk, no cache folder), else the budget's
// warning (not shared, or its record found damaged this window).
func (c *Cached) Warning() error {
	c.mu.Lock()
	cerr, b := c.status.CacheErr, c.budget
	c.mu.Unlock()
	if cerr != nil {
		return &NotKeptError{Err: cerr}
	}
	if b != nil {
		return b.Warning()
	}
	return nil
}

// Offline reports whether the provider is failing and cached data is all
// there is.
func (s Status) Offline() bool { return s.Err != nil }

// ErrNoStore is the cache failure of a Cached without a store: answers
// are served but not kept.
var ErrNoStore = errors.New("there is no usable cache folder")

// Wrap returns a caching provider for account's provider p. now is the
// clock (nil: time.Now). store nil keeps nothing (no usable cache folder):
// every call asks the provider, within the budget, and Status.CacheErr is
// ErrNoStore once an answer could not be kept.
func Wrap(p providers.Provider, account string, store *Store, policy Policy, now func() time.Time) *Cached {
	if now == nil {
		now = time.Now
	}
	return &Cached{p: p, account: account, store: store, now: now, policy: policy.withDefaults()}
}

// Budget returns the budget set with UseBudget (nil: none).
func (c *Cached) Budget() *Budget {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.budget
}

// Keeps reports whether answers are kept on disk (a store was given).
func (c *Cached) Keeps() bool { return c.store != nil }

// Unwrap returns the wrapped provider (e.g. to reach provider-specific
// methods).
func (c *Cached) Unwrap() providers.Provider { return c.p }

// Account returns the account name the entries are stored under.
func (c *Cached) Account() string { return c.account }

// Kind implements providers.Provider.
func (c *Cached) Kind() string { return c.p.Kind() }

// Policy returns the freshness policy in use.
func (c *Cached) Policy() Policy {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.policy
}

// SetRefresh changes how long today's data stays fresh (the scheduler
// stretches it when the request budget runs low).
func (c *Cached) SetRefresh(d time.Duration) {
	c.mu.Lock()
	c.policy.Refresh = d
	c.policy = c.policy.withDefaults()
	c.mu.Unlock()
}

// UseBudget makes every provider call first ask b whether requests are
// left (the reserve only for the person's refresh) and report 429 reset
// times to it. Without one, calls are not limited here.
func (c *Cached) UseBudget(b *Budget) {
	c.mu.Lock()
	c.budget = b
	c.mu.Unlock()
}

// gate says whether the provider may be asked now; its error is a
// KindRateLimited *providers.Error when the budget is spent.
func (c *Cached) gate() error {
	c.mu.Lock()
	b, force := c.budget, c.forceBefore
	c.mu.Unlock()
	if b == nil {
		return nil
	}
	now := c.now()
	manual := !force.IsZero() && now.Sub(force) < manualGrace
	return b.Allow(c.p.Kind(), manual)
}

// ask runs one provider call through the gate and tells the budget about
// a rate limit the provider reports.
func ask[T any](c *Cached, ctx context.Context, fetch func(context.Context) (T, error)) (T, error) {
	if err := c.gate(); err != nil {
		var zero T
		return zero, err
	}
	v, err := fetch(ctx)
	if pe, ok := providers.AsError(err); ok && pe.Kind == providers.KindRateLimited && !pe.RetryAt.IsZero() {
		c.mu.Lock()
		b := c.budget
		c.mu.Unlock()
		if b != nil {
			b.Block(pe.RetryAt)
		}
	}
	return v, err
}

// Refresh is the person's `r`: everything fetched before now is stale, so
// the next calls fetch again (settled days included; per-day entries
// only for the last RefreshDays days).
func (c *Cached) Refresh() {
	now := c.now()
	c.mu.Lock()
	c.forceBefore = now
	b := c.budget
	c.mu.Unlock()
	if b != nil {
		b.Manual(now.Add(manualGrace)) // the transport counts them as the person's
	}
}

// Status returns the current status.
func (c *Cached) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// OnStatus sets a function called with the Status after every call that
// served data or failed (from the goroutine of the call; keep it quick).
// nil removes it.
func (c *Cached) OnStatus(f func(Status)) {
	c.mu.Lock()
	c.onStatus = f
	c.mu.Unlock()
}

func (c *Cached) update(f func(s *Status)) {
	c.mu.Lock()
	f(&c.status)
	st, cb := c.status, c.onStatus
	c.mu.Unlock()
	if cb != nil {
		cb(st)
	}
}

// served notes data fetched at t was handed out.
func (c *Cached) served(t time.Time) {
	c.update(func(s *Status) {
		if t.After(s.Updated) {
			s.Updated = t
		}
	})
}

// answered notes the provider answered well at t.
func (c *Cached) answered(t time.Time) {
	c.update(func(s *Status) {
		if t.After(s.Updated) {
			s.Updated = t
		}
		s.Err, s.ErrAt = nil, time.Time{}
	})
}

// failed notes a provider failure and reports whether it was the
// provider's. A call its caller cancelled, or a metric the person did not
// share, is not the provider's fault and changes nothing.
func (c *Cached) failed(ctx context.Context, err error) bool {
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return false
	}
	if providers.IsNotGranted(err) {
		return false // the person's choice, not the provider failing
	}
	at := c.now()
	c.update(func(s *Status) { s.Err, s.ErrAt = err, at })
	return true
}

func (c *Cached) put(key string, fetched time.Time, payload []byte) {
	err := ErrNoStore
	if c.store != nil {
		err = c.store.Put(c.account, key, fetched, payload)
	}
	c.update(func(s *Status) { s.CacheErr = err })
}

// RefreshDays is how far back the person's refresh reaches for per-day
// entries (summaries, intraday series): a year of intraday data asked
// again would spend hours of a provider's budget. Ranges (daily values,
// sleep) cost one call per span and are refreshed whatever their age.
const RefreshDays = 7

// recent says whether an entry fetched at fetched is younger than the
// policy's Profile time and not older than the person's last refresh.
func (c *Cached) recent(fetched time.Time) bool {
	c.mu.Lock()
	pol, force := c.policy, c.forceBefore
	c.mu.Unlock()
	return !fetched.Before(force) && pol.ProfileFresh(fetched, c.now())
}

// fresh says whether an entry for day fetched at fetched may be served;
// perDay marks per-day entries (see RefreshDays).
func (c *Cached) fresh(day providers.Date, fetched time.Time, loc *time.Location, perDay bool) bool {
	c.mu.Lock()
	pol, force := c.policy, c.forceBefore
	c.mu.Unlock()
	now := c.now()
	if fetched.Before(force) && (!perDay || day.DaysUntil(providers.DateOf(now.In(loc))) < RefreshDays) {
		return false
	}
	return pol.Fresh(day, fetched, now, loc)
}

// profile entry.
type profileJSON struct {
	DisplayName string
	Zone        string // IANA name; "": use Offset
	Offset      int
	Devices     []providers.Device
}

func encodeProfile(p providers.Profile) []byte {
	pj := profileJSON{DisplayName: p.DisplayName, Devices: p.Devices, Zone: locName(p.Location)}
	if p.Location != nil {
		_, pj.Offset = time.Now().In(p.Location).Zone()
	}
	b, _ := json.Marshal(pj) // plain data: cannot fail
	return b
}

func decodeProfile(b []byte) (providers.Profile, error) {
	var pj profileJSON
	if err := json.Unmarshal(b, &pj); err != nil {
		return providers.Profile{}, err
	}
	loc := time.FixedZone("", pj.Offset)
	if pj.Zone != "" {
		if l, err := loadLocation(pj.Zone); err == nil {
			loc = l
		}
	}
	return providers.Profile{DisplayName: pj.DisplayName, Location: loc, Devices: pj.Devices}, nil
}

// cached reads and decodes an entry; an entry that does not decode is
// dropped like a damaged one.
func cachedValue[T any](c *Cached, key string, dec func([]byte) (T, error)) (T, time.Time, bool) {
	var zero T
	if c.store == nil {
		return zero, time.Time{}, false
	}
	e, ok := c.store.Get(c.account, key)
	if !ok {
		return zero, time.Time{}, false
	}
	v, err := dec(e.Payload)
	if err != nil {
		c.store.drop(c.store.path(c.account, key), "cannot decode: "+err.Error())
		return zero, time.Time{}, false
	}
	return v, e.Fetched, true
}

func jsonDecoder[T any](b []byte) (T, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}

func jsonEncode(v any) []byte {
	b, _ := json.Marshal(v) // domain types are plain data
	return b
}

// Profile implements providers.Provider.
func (c *Cached) Profile(ctx context.Context) (providers.Profile, error) {
	return c.ProfileAnswer(ctx, Ask).Result()
}

// ProfileAnswer is Profile with its provenance, under mode.
func (c *Cached) ProfileAnswer(ctx context.Context, mode Mode) Answer[providers.Profile] {
	old, at, have := cachedValue(c, profileKey, decodeProfile)
	c.mu.Lock()
	pol, force := c.policy, c.forceBefore
	c.mu.Unlock()
	if have && (mode == Peek || !at.Before(force) && pol.ProfileFresh(at, c.now())) {
		c.setLoc(old.Location)
		c.served(at)
		return Answer[providers.Profile]{Value: old, FetchedAt: at, FromCache: true}
	}
	if mode == Peek {
		return Answer[providers.Profile]{Err: ErrNotCached}
	}
	prof, err := ask(c, ctx, c.p.Profile)
	if err != nil {
		if !have {
			c.failed(ctx, err)
			return Answer[providers.Profile]{Err: err}
		}
		c.setLoc(old.Location)
		return standIn(c, ctx, err, old, at)
	}
	if prof.Location == nil {
		prof.Location = time.UTC
	}
	at = c.now()
	c.setLoc(prof.Location)
	c.put(profileKey, at, encodeProfile(prof))
	c.answered(at)
	return Answer[providers.Profile]{Value: prof, FetchedAt: at}
}

// standIn answers with old (fetched at) for a provider call that failed
// with err. A call its caller cancelled is not the provider's failure:
// old is then served as it is, not as stale.
func standIn[T any](c *Cached, ctx context.Context, err error, old T, at time.Time) Answer[T] {
	provider := c.failed(ctx, err)
	c.served(at)
	a := Answer[T]{Value: old, FetchedAt: at, FromCache: true, Expired: true}
	if provider {
		a.Stale, a.Err = true, err
	}
	return a
}

func (c *Cached) setLoc(l *time.Location) {
	c.mu.Lock()
	c.loc = l
	c.mu.Unlock()
}

// location returns the account's zone: remembered, else from the cached
// profile whatever its age, else (unless peeking) from Profile. ok is
// false when it cannot be known; callers then go straight to the
// provider, since deciding what is "today" in the wrong zone could keep
// today's data for good.
func (c *Cached) location(ctx context.Context, mode Mode) (*time.Location, bool) {
	c.mu.Lock()
	loc := c.loc
	c.mu.Unlock()
	if loc != nil {
		return loc, true
	}
	if p, _, ok := cachedValue(c, profileKey, decodeProfile); ok {
		c.setLoc(p.Location)
		return p.Location, true
	}
	if mode == Peek {
		return nil, false
	}
	p, err := c.Profile(ctx)
	if err != nil {
		return nil, false
	}
	return p.Location, true
}

// uncached asks the provider without the cache, keeping Status.
func uncached[T any](c *Cached, ctx context.Context, mode Mode, fetch func(context.Context) (T, error)) Answer[T] {
	if mode == Peek {
		return Answer[T]{Err: ErrNotCached}
	}
	v, err := ask(c, ctx, fetch)
	if err != nil {
		c.failed(ctx, err)
		return Answer[T]{Value: v, Err: err}
	}
	now := c.now()
	c.answered(now)
	return Answer[T]{Value: v, FetchedAt: now}
}

// one serves a single-day entry.
func one[T any](c *Cached, ctx context.Context, mode Mode, day providers.Date, key string,
	enc func(T) []byte, dec func([]byte) (T, error), fetch func(context.Context) (T, error)) Answer[T] {
	loc, ok := c.location(ctx, mode)
	if !ok {
		return uncached(c, ctx, mode, fetch)
	}
	old, at, have := cachedValue(c, key, dec)
	if have && (mode == Peek || c.fresh(day, at, loc, true)) {
		c.served(at)
		return Answer[T]{Value: old, FetchedAt: at, FromCache: true}
	}
	if mode == Peek {
		return Answer[T]{Err: ErrNotCached}
	}
	v, err := ask(c, ctx, fetch)
	if err != nil {
		if !have {
			c.failed(ctx, err)
			return Answer[T]{Value: v, Err: err}
		}
		return standIn(c, ctx, err, old, at)
	}
	now := c.now()
	c.put(key, now, enc(v))
	c.answered(now)
	return Answer[T]{Value: v, FetchedAt: now}
}

// DaySummary implements providers.Provider.
func (c *Cached) DaySummary(ctx context.Context, day providers.Date) (providers.DaySummary, error) {
	return c.DaySummaryAnswer(ctx, Ask, day).Result()
}

// DaySummaryAnswer is DaySummary with its provenance, under mode.
func (c *Cached) DaySummaryAnswer(ctx context.Context, mode Mode, day providers.Date) Answer[providers.DaySummary] {
	return one(c, ctx, mode, day, summaryKey(day),
		func(v providers.DaySummary) []byte { return jsonEncode(v) },
		jsonDecoder[providers.DaySummary],
		func(ctx context.Context) (providers.DaySummary, error) { return c.p.DaySummary(ctx, day) })
}

// Intraday implements providers.Provider; series are stored compactly
// (see series.go).
func (c *Cached) Intraday(ctx context.Context, day providers.Date) (providers.Intraday, error) {
	return c.IntradayAnswer(ctx, Ask, day).Result()
}

// IntradayAnswer is Intraday with its provenance, under mode.
func (c *Cached) IntradayAnswer(ctx context.Context, mode Mode, day providers.Date) Answer[providers.Intraday] {
	return one(c, ctx, mode, day, intradayKey(day), encodeIntraday, decodeIntraday,
		func(ctx context.Context) (providers.Intraday, error) { return c.p.Intraday(ctx, day) })
}

// maxCachedRange: longer ranges go straight to the provider (which
// rejects what it cannot serve) instead of touching thousands of entries.
const maxCachedRange = 20 * 366

// ranged serves from..to from per-day entries; fetch asks the provider for
// a span and split sorts its answer by day. ok is false when the range
// cannot be served from entries (the caller goes to the provider).
//
// recheck, when set, marks entries that are incomplete for a reason that
// may pass (a metric the person had not shared): those stay fresh only
// for the policy's Profile time, whatever the day's age.
func ranged[T any](c *Cached, ctx context.Context, mode Mode, from, to providers.Date, key func(providers.Date) string,
	fetch func(ctx context.Context, a, b providers.Date) (map[providers.Date]T, error), recheck func(T) bool) (ans Answer[[]T], ok bool) {
	n := from.DaysUntil(to) + 1
	loc, known := c.location(ctx, mode)
	if n <= 0 || n > maxCachedRange || !known {
		return ans, false
	}
	vals := make([]T, n)
	have := make([]bool, n)
	fresh := make([]bool, n)
	ats := make([]time.Time, n) // when each day's value was fetched
	var newest time.Time
	for i := range n {
		d := from.AddDays(i)
		v, at, ok := cachedValue(c, key(d), jsonDecoder[T])
		if ok {
			vals[i], have[i], ats[i] = v, true, at
			fresh[i] = mode == Peek || c.fresh(d, at, loc, false) && (recheck == nil || !recheck(v) || c.recent(at))
			if at.After(newest) {
				newest = at
			}
		} else if mode == Peek {
			return Answer[[]T]{Err: ErrNotCached}, true
		}
	}
	ans.FromCache = true
	for i := 0; i < n; {
		if fresh[i] {
			i++
			continue
		}
		j := i
		for j+1 < n && !fresh[j+1] {
			j++
		}
		a, b := from.AddDays(i), from.AddDays(j)
		got, err := ask(c, ctx, func(ctx context.Context) (map[providers.Date]T, error) { return fetch(ctx, a, b) })
		if providers.IsNotGranted(err) {
			// An answer, not a failure: nothing older stands in for it.
			return Answer[[]T]{Err: err}, true
		}
		if err != nil {
			provider := c.failed(ctx, err)
			for k := i; k <= j; k++ {
				if !have[k] {
					return Answer[[]T]{Err: err}, true
				}
			}
			ans.Expired = true // the older entries of this span stand in
			if provider && !ans.Stale {
				ans.Stale, ans.Err = true, err
			}
			i = j + 1
			continue
		}
		now := c.now()
		ans.FromCache = false
		// A long span is many small files, each synced: write them a few
		// at a time so a cold year does not wait on 365 syncs in a row.
		var wg sync.WaitGroup
		sem := make(chan struct{}, 8)
		for k := i; k <= j; k++ {
			d := from.AddDays(k)
			vals[k], ats[k] = got[d], now
			payload := jsonEncode(vals[k])
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				c.put(key(d), now, payload)
			})
		}
		wg.Wait()
		c.answered(now)
		i = j + 1
	}
	if !newest.IsZero() {
		c.served(newest)
	}
	ans.Value, ans.FetchedAt = vals, ats[0]
	for _, at := range ats[1:] {
		if at.Before(ans.FetchedAt) {
			ans.FetchedAt = at
		}
	}
	return ans, true
}

// DailySeries implements providers.Provider.
func (c *Cached) DailySeries(ctx context.Context, from, to providers.Date) ([]providers.DailyValues, error) {
	return c.DailySeriesAnswer(ctx, Ask, from, to).Result()
}

// DailySeriesAnswer is DailySeries with its provenance, under mode.
func (c *Cached) DailySeriesAnswer(ctx context.Context, mode Mode, from, to providers.Date) Answer[[]providers.DailyValues] {
	ans, ok := ranged(c, ctx, mode, from, to, dailyKey,
		func(ctx context.Context, a, b providers.Date) (map[providers.Date]providers.DailyValues, error) {
			vs, err := c.p.DailySeries(ctx, a, b)
			if err != nil {
				return nil, err
			}
			m := make(map[providers.Date]providers.DailyValues, len(vs))
			for d := a; !d.After(b); d = d.AddDays(1) {
				m[d] = providers.DailyValues{Date: d}
			}
			for _, v := range vs {
				if _, in := m[v.Date]; in {
					m[v.Date] = v
				}
			}
			return m, nil
		}, nil)
	if !ok {
		return uncached(c, ctx, mode, func(ctx context.Context) ([]providers.DailyValues, error) { return c.p.DailySeries(ctx, from, to) })
	}
	return ans
}

// Sleep implements providers.Provider.
func (c *Cached) Sleep(ctx context.Context, from, to providers.Date) ([]providers.SleepSession, error) {
	return c.SleepAnswer(ctx, Ask, from, to).Result()
}

// SleepAnswer is Sleep with its provenance, under mode.
func (c *Cached) SleepAnswer(ctx context.Context, mode Mode, from, to providers.Date) Answer[[]providers.SleepSession] {
	days, ok := ranged(c, ctx, mode, from, to, sleepKey,
		func(ctx context.Context, a, b providers.Date) (map[providers.Date][]providers.SleepSession, error) {
			ss, err := c.p.Sleep(ctx, a, b)
			if err != nil {
				return nil, err
			}
			m := map[providers.Date][]providers.SleepSession{}
			for _, s := range ss {
				m[s.Date] = append(m[s.Date], s)
			}
			return m, nil
		}, nil)
	if !ok {
		return uncached(c, ctx, mode, func(ctx context.Context) ([]providers.SleepSession, error) { return c.p.Sleep(ctx, from, to) })
	}
	ans := Answer[[]providers.SleepSession]{FetchedAt: days.FetchedAt, FromCache: days.FromCache, Stale: days.Stale, Err: days.Err}
	if days.Err != nil && !days.Stale {
		return ans
	}
	for _, d := range days.Value {
		ans.Value = append(ans.Value, d...)
	}
	return ans
}

// Line is the status line's words for s, with times in loc: "" while the
// provider answers; "offline, last updated 14:05" when it cannot be
// reached; "rate limited until 15:00, last updated 14:05"; and for
// failures the person must act on, the provider's own message (what
// happened and what to do). "never updated" when nothing was ever
// fetched (see providers.StaleError).
func (s Status) Line(loc *time.Location) string {
	return (&providers.StaleError{Err: s.Err, Updated: s.Updated}).Line(loc)
}

// Entry kinds, for FetchedAt.
const (
	EntryProfile  = "profile"
	EntrySummary  = "summary"
	EntryIntraday = "intraday"
	EntryDaily    = "daily"
	EntrySleep    = "sleep"
	// Health metrics, their intraday series and workouts (see health.go).
	EntryHealth         = "health"
	EntryHealthIntraday = "healthday"
	EntryWorkouts       = "workouts"
)

// FetchedAt says when the cached answer of kind (Entry*) for day was
// fetched from the provider, so a pane can show the age of what it shows
// rather than the time it asked (day is ignored for EntryProfile). ok is
// false when nothing is cached.
func (c *Cached) FetchedAt(kind string, day providers.Date) (time.Time, bool) {
	key := kind
	if kind != EntryProfile {
		key = kind + "-" + day.String()
	}
	if validKey(key) != nil || c.store == nil {
		return time.Time{}, false
	}
	t, err := readFetched(c.store.path(c.account, key))
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}
