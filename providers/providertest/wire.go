package providertest

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Wire tracks the requests between a client and a fake server, so a test
// on a simulated clock can wait until every request that left has been
// answered (Settle) before it moves the clock: the fake counts a request
// at the instant it arrives, and one sent before the clock moved must
// not be counted after. Use it as the innermost transport (under a
// budget, which must see the request as the program sends it). The zero
// value is ready.
//
// A request whose caller gives up is not cut off at the wire: the
// caller's RoundTrip returns its context's error at once, as
// http.Transport's would, while Wire lets the request finish (within
// DetachedTimeout) and drops the answer. Once written it reaches the
// server anyway; this way it has reached it before Settle returns.
type Wire struct {
	mu   sync.Mutex
	n    int
	zero chan struct{} // closed when n drops to 0; nil while nobody waits
}

// DetachedTimeout bounds a request whose caller gave up.
const DetachedTimeout = 30 * time.Second

// Transport returns base (nil: http.DefaultTransport) with w counting its
// requests until their bodies are closed.
func (w *Wire) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return wireTransport{w: w, base: base}
}

type wireTransport struct {
	w    *Wire
	base http.RoundTripper
}

type wireAnswer struct {
	resp *http.Response
	err  error
}

func (t wireTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := r.Context()
	if err := ctx.Err(); err != nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, err // not sent, as http.Transport would not send it
	}
	t.w.add(1)
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), DetachedTimeout)
	answer := make(chan wireAnswer, 1)
	go func() {
		resp, err := t.base.RoundTrip(r.WithContext(wctx))
		answer <- wireAnswer{resp, err}
	}()
	select {
	case a := <-answer:
		if a.err != nil {
			cancel()
			t.w.add(-1)
			return nil, a.err
		}
		// On the wire until the body is read and closed: RoundTrip
		// returns at the headers, and a large body is still arriving.
		a.resp.Body = &wireBody{ReadCloser: a.resp.Body, ctx: ctx, done: func() { cancel(); t.w.add(-1) }}
		return a.resp, nil
	case <-ctx.Done():
		go func() { // the caller gave up: let the request land, drop the answer
			if a := <-answer; a.err == nil {
				io.Copy(io.Discard, a.resp.Body)
				a.resp.Body.Close()
			}
			cancel()
			t.w.add(-1)
		}()
		return nil, ctx.Err()
	}
}

// wireBody ends its request once, when closed. A read after the caller
// gave up fails as http.Transport's would; Close then drains the rest so
// the server's answer is complete.
type wireBody struct {
	io.ReadCloser
	ctx  context.Context
	once sync.Once
	done func()
}

func (b *wireBody) Read(p []byte) (int, error) {
	if err := b.ctx.Err(); err != nil {
		return 0, err
	}
	return b.ReadCloser.Read(p)
}

func (b *wireBody) Close() error {
	var err error
	b.once.Do(func() {
		io.Copy(io.Discard, b.ReadCloser)
		err = b.ReadCloser.Close()
		b.done()
	})
	return err
}

func (w *Wire) add(d int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n += d
	if w.n == 0 && w.zero != nil {
		close(w.zero)
		w.zero = nil
	}
}

// InFlight is the number of requests on the wire.
func (w *Wire) InFlight() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// Settle waits until no shared fetch is running in the process
// (WaitDetached) and then until every request through w has been
// answered and its body closed. It fails t after a minute.
func (w *Wire) Settle(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := WaitDetached(ctx); err != nil {
		t.Fatalf("shared fetches still running after a minute: %v", err)
	}
	w.mu.Lock()
	if w.n == 0 {
		w.mu.Unlock()
		return
	}
	if w.zero == nil {
		w.zero = make(chan struct{})
	}
	zero := w.zero
	w.mu.Unlock()
	select {
	case <-zero:
	case <-ctx.Done():
		t.Fatalf("%d requests still on the wire after a minute", w.InFlight())
	}
}
