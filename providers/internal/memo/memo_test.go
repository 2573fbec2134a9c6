package memo

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Callers asking at once share one fetch.
func TestMemoSharesInFlight(t *testing.T) {
	m := New[any](time.Minute, nil, nil)
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
	time.Sleep(20 * time.Millisecond)
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
}

// Failures are not kept.
func TestMemoForgetsFailures(t *testing.T) {
	m := New[any](time.Minute, nil, nil)
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
	m := New[any](time.Minute, nil, nil)
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
	time.Sleep(10 * time.Millisecond)
	go func() { _, err := m.Do(c2, "k", fetch); done <- err }()
	time.Sleep(10 * time.Millisecond)
	cancel1()
	<-done
	select {
	case <-cancelled:
		t.Fatal("fetch cancelled while a caller still waits")
	case <-time.After(30 * time.Millisecond):
	}
	cancel2()
	<-done
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("fetch not cancelled after every caller left")
	}
}
