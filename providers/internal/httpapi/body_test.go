package httpapi

import (
	"context"
	"io"
	"net/http"
	"testing"
)

// The JSON body is sent with its content type, and sent again in full on
// the retry after a forced refresh.
func TestPostJSONResendsBodyAfterRefresh(t *testing.T) {
	var bodies []string
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, r.Method+" "+r.Header.Get("Content-Type")+" "+string(b))
		if r.Header.Get("Authorization") == "Bearer tok-0" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Write([]byte(`{"n":7}`))
	})
	toks := &fakeTokens{}
	c.Tokens = toks
	c.Expired = func(*Response) bool { return true }
	var out struct{ N int }
	in := map[string]int{"a": 1}
	if err := c.PostJSON(context.Background(), "/x:rollUp", nil, in, "thing", &out); err != nil {
		t.Fatal(err)
	}
	want := `POST application/json {"a":1}`
	if out.N != 7 || len(bodies) != 2 || bodies[0] != want || bodies[1] != want || toks.refreshs != 1 {
		t.Fatalf("out %d, bodies %q, refreshes %d", out.N, bodies, toks.refreshs)
	}
}

// A value that cannot be encoded fails before anything is sent.
func TestPostJSONUnencodable(t *testing.T) {
	calls := 0
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) { calls++ })
	err := c.PostJSON(context.Background(), "/x", nil, make(chan int), "thing", nil)
	if err == nil || calls != 0 {
		t.Fatalf("err %v, calls %d", err, calls)
	}
}
