package memo

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// clock is a clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// joined waits until n callers wait for key's flight: an explicit signal,
// not a pause.
func joined[V any](t *testing.T, m *Keyed[V], key string, n int) {
	t.Helper()
	for {
		m.mu.Lock()
		f := m.calls[key]
		got := 0
		if f != nil {
			got = f.waiters
		}
		m.mu.Unlock()
		if got >= n {
			return
		}
		runtime.Gosched()
	}
}

// Callers asking at once share one fetch; the answer is kept for the TTL.
func TestMemoSharesInFlight(t *testing.T) {
	m := New[any](Options{TTL: time.Minute})
	var calls atomic.Int32
	release := make(chan struct{})
	fetch := func(ctx context.Context) (any, error) {
		calls.Add(1)
		<-release
		return 42, nil
	}
	var wg sync.WaitGroup
	results := make(chan any, 8)
	for range 8 {
		wg.Go(func() {
			v, err := m.Do(context.Background(), "k", fetch)
			if err != nil {
				t.Error(err)
			}
			results <- v
		})
	}
	joined(t, m, "k", 8)
	close(release)
	wg.Wait()
	close(results)
	for v := range results {
		if v != 42 {
			t.Fatalf("got %v", v)
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("%d fetches", calls.Load())
	}
	// Kept for the window.
	m.Do(context.Background(), "k", fetch)
	if calls.Load() != 1 {
		t.Fatal("answer not kept")
	}
	// Forget drops it.
	m.Forget()
	m.Do(context.Background(), "k", fetch)
	if calls.Load() != 2 {
		t.Fatal("Forget kept the answer")
	}
}

// Failures are not kept.
func TestMemoForgetsFailures(t *testing.T) {
	m := New[any](Options{TTL: time.Minute})
	n := 0
	fetch := func(ctx context.Context) (any, error) {
		n++
		if n == 1 {
			return nil, errors.New("boom")
		}
		return n, nil
	}
	if _, err := m.Do(context.Background(), "k", fetch); err == nil {
		t.Fatal("no error")
	}
	if v, err := m.Do(context.Background(), "k", fetch); err != nil || v != 2 {
		t.Fatalf("%v %v", v, err)
	}
}

// When every caller has gone the fetch is cancelled; a caller that stays
// keeps it alive.
func TestMemoCancelsWhenAllCallersLeave(t *testing.T) {
	m := New[any](Options{TTL: time.Minute})
	cancelled := make(chan struct{})
	fetch := func(ctx context.Context) (any, error) {
		<-ctx.Done()
		close(cancelled)
		return nil, ctx.Err()
	}
	c1, cancel1 := context.WithCancel(context.Background())
	c2, cancel2 := context.WithCancel(context.Background())
	done := make(chan error, 2)
	go func() { _, err := m.Do(c1, "k", fetch); done <- err }()
	joined(t, m, "k", 1)
	go func() { _, err := m.Do(c2, "k", fetch); done <- err }()
	joined(t, m, "k", 2)
	cancel1()
	<-done
	// The first caller has left (Do returns after leaving): had that
	// cancelled the fetch, it would be cancelled by now.
	select {
	case <-cancelled:
		t.Fatal("fetch cancelled while a caller still waits")
	default:
	}
	cancel2()
	<-done
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("fetch not cancelled after every caller left")
	}
	// An abandoned fetch is not joined: the next caller starts afresh.
	v, err := m.Do(context.Background(), "k", func(context.Context) (any, error) { return "new", nil })
	if v != "new" || err != nil {
		t.Fatalf("after abandoning: %v %v", v, err)
	}
}

// The TTL is measured on the given clock; an answer from the clock's
// future is not reused; a negative TTL shares in-flight fetches only.
func TestMemoClockAndTTL(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	m := New[int](Options{TTL: 10 * time.Second, Now: clk.now})
	n := 0
	fetch := func(context.Context) (int, error) { n++; return n, nil }
	ctx := context.Background()
	if v, _ := m.Do(ctx, "k", fetch); v != 1 {
		t.Fatal(v)
	}
	clk.add(9 * time.Second)
	if v, _ := m.Do(ctx, "k", fetch); v != 1 {
		t.Fatalf("reused too briefly: %d", v)
	}
	clk.add(time.Second)
	if v, _ := m.Do(ctx, "k", fetch); v != 2 {
		t.Fatalf("kept past the TTL: %d", v)
	}
	clk.add(-time.Minute)
	if v, _ := m.Do(ctx, "k", fetch); v != 3 {
		t.Fatalf("an answer from the future was reused: %d", v)
	}
	once := New[int](Options{TTL: -1, Now: clk.now})
	once.Do(ctx, "k", fetch)
	if v, _ := once.Do(ctx, "k", fetch); v != 5 {
		t.Fatalf("a negative TTL kept an answer: %d", v)
	}
}

// TestKeyedSharesInFlightAndForgetsFailures: callers asking while a fetch
// runs share it; a failure is not kept; a panic becomes a bad-data error
// by default, or the error Recovered makes.
func TestKeyedSharesInFlightAndForgetsFailures(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	m := New[string](Options{Now: clk.now})
	var calls atomic.Int32
	release := make(chan struct{})
	fetch := func(context.Context) (string, error) {
		calls.Add(1)
		<-release
		return "answer", nil
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if v, err := m.Do(ctx, "k", fetch); v != "answer" || err != nil {
				t.Errorf("got %q %v", v, err)
			}
		})
	}
	joined(t, m, "k", 3)
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d fetches for three callers", n)
	}

	boom := errors.New("boom")
	if _, err := m.Do(ctx, "bad", func(context.Context) (string, error) { return "", boom }); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if v, err := m.Do(ctx, "bad", func(context.Context) (string, error) { return "ok", nil }); v != "ok" || err != nil {
		t.Fatalf("a failure was kept: %q %v", v, err)
	}
	_, err := m.Do(ctx, "panic", func(context.Context) (string, error) { panic("decoder bug") })
	if providers.KindOf(err) != providers.KindBadData {
		t.Fatalf("panic: %v", err)
	}
	mine := errors.New("mine")
	r := New[string](Options{Recovered: func(any) error { return mine }})
	if _, err := r.Do(ctx, "panic", func(context.Context) (string, error) { panic("decoder bug") }); err != mine {
		t.Fatalf("Recovered not used: %v", err)
	}
}

// A caller whose context has ended gets its error, even where an answer
// is kept.
func TestCancelledCallerGetsNoAnswer(t *testing.T) {
	m := New[int](Options{TTL: time.Minute})
	d := NewDays[int](Options{TTL: time.Minute})
	ctx := context.Background()
	m.Do(ctx, "k", func(context.Context) (int, error) { return 1, nil })
	spec := Spec[int]{Fetch: func(_ context.Context, a, b providers.Date) (map[providers.Date]int, error) {
		return map[providers.Date]int{a: 1}, nil
	}}
	d.Get(ctx, day0, day0, spec)
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := m.Do(gone, "k", func(context.Context) (int, error) { return 2, nil }); err != context.Canceled {
		t.Errorf("Keyed: %v", err)
	}
	if _, err := d.Get(gone, day0, day0, spec); err != context.Canceled {
		t.Errorf("Days: %v", err)
	}
}

// A zone is learnt once and kept.
func TestZone(t *testing.T) {
	var z Zone
	ny, _ := time.LoadLocation("America/New_York")
	asked := 0
	learn := func(context.Context) (*time.Location, error) {
		asked++
		z.Set(ny)
		return ny, nil
	}
	if z.Get() != nil {
		t.Fatal("a zone from nowhere")
	}
	for range 2 {
		if loc, err := z.Of(context.Background(), learn); loc != ny || err != nil {
			t.Fatalf("%v %v", loc, err)
		}
	}
	if asked != 1 {
		t.Fatalf("asked %d times", asked)
	}
}

// Wait waits for a fetch whose only caller gave up: it runs on (until its
// context's cancel reaches the request) and Wait returns when it has.
func TestWaitForAFetchItsCallerLeft(t *testing.T) {
	m := New[any](Options{})
	started, release := make(chan struct{}), make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	left := make(chan error, 1)
	go func() {
		_, err := m.Do(ctx, "k", func(context.Context) (any, error) {
			close(started)
			<-release // a request that ignores the cancel until it lands
			return nil, nil
		})
		left <- err
	}()
	<-started
	cancel()
	if err := <-left; !errors.Is(err, context.Canceled) {
		t.Fatalf("the caller that gave up got %v", err)
	}
	short, stop := context.WithCancel(context.Background())
	stop()
	if err := Wait(short); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait returned %v with the fetch still running", err)
	}
	waited := make(chan error, 1)
	go func() { waited <- Wait(context.Background()) }()
	close(release)
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	if err := Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}
