package httpapi

import (
	"context"
	"github.com/fittui/fittui/providers"
	"io"
	"net/http"
	"strings"
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

// DecodeList: the array under its key; the key missing or null is bad
// data that says which array, and a wrong type names the field, not the
// value.
func TestDecodeList(t *testing.T) {
	type entry struct {
		N int `json:"n"`
	}
	got, err := DecodeList[entry]("acme", []byte(`{"weight":[{"n":1},{"n":2}],"other":3}`), "weight log", "weight")
	if err != nil || len(got) != 2 || got[1].N != 2 {
		t.Fatalf("%v %v", got, err)
	}
	if got, err := DecodeList[entry]("acme", []byte(`{"weight":[]}`), "weight log", "weight"); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("empty: %v %v", got, err)
	}
	for _, body := range []string{`{}`, `{"weight":null}`} {
		_, err := DecodeList[entry]("acme", []byte(body), "weight log", "weight")
		if pe := kindOf(t, err, providers.KindBadData); !strings.Contains(pe.Error(), `no "weight" array`) {
			t.Errorf("%s: %v", body, err)
		}
	}
	_, err = DecodeList[entry]("acme", []byte(`{"weight":[{"n":"secret-ish"}]}`), "weight log", "weight")
	if pe := kindOf(t, err, providers.KindBadData); strings.Contains(pe.Error(), "secret-ish") || !strings.Contains(pe.Error(), "field weight.n ") {
		t.Errorf("wrong type: %v", err)
	}
}
