package providertest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// A request whose caller gives up returns at once, and still lands:
// Settle returns after the server has answered it, and a body read to
// the end is off the wire when closed.
func TestWireSettlesAfterAbandonedRequests(t *testing.T) {
	arrived, release := make(chan struct{}, 2), make(chan struct{})
	var answered atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		if r.URL.Path == "/slow" {
			<-release
		}
		io.WriteString(w, "ok")
		answered.Add(1)
	}))
	defer srv.Close()
	var wire Wire
	c := &http.Client{Transport: wire.Transport(nil)}

	resp, err := c.Get(srv.URL + "/fast")
	if err != nil {
		t.Fatal(err)
	}
	<-arrived
	if n := wire.InFlight(); n != 1 {
		t.Fatalf("%d on the wire before the body is closed", n)
	}
	if b, _ := io.ReadAll(resp.Body); string(b) != "ok" {
		t.Fatalf("body %q", b)
	}
	resp.Body.Close()

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/slow", nil)
	gaveUp := make(chan error, 1)
	go func() {
		_, err := c.Do(req)
		gaveUp <- err
	}()
	<-arrived
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Fatalf("the caller that gave up got %v", err)
	}
	close(release)
	wire.Settle(t)
	if n := answered.Load(); n != 2 {
		t.Fatalf("Settle returned with %d of 2 requests answered", n)
	}
	if _, err := c.Do(req); !errors.Is(err, context.Canceled) {
		t.Fatalf("a request already cancelled was sent: %v", err)
	}
}
