package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

func TestCheckAPIURL(t *testing.T) {
	if u, err := CheckAPIURL("me", "Acme", "", "https://api.acme.example"); err != nil || u != "https://api.acme.example" {
		t.Errorf("default: %q %v", u, err)
	}
	if u, err := CheckAPIURL("me", "Acme", "http://127.0.0.1:9/v1/", "https://x"); err != nil || u != "http://127.0.0.1:9/v1/" {
		t.Errorf("given: %q %v", u, err)
	}
	for _, bad := range []string{"ftp://x", "api.acme.example", "http://", "https://x/?a=b", "::"} {
		_, err := CheckAPIURL("me", "Acme", bad, "https://x")
		if err == nil || err.Error() != `account "me": Acme API URL "`+bad+`" is not an http(s) URL` {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// After a 429 nothing is sent until the wait is over; without tokens
// nothing is sent at all.
func TestReadyAndRateLimited(t *testing.T) {
	now := time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC)
	c := &Client{Provider: "acme", Account: "me", Now: func() time.Time { return now }}
	kindOf(t, c.Ready(), providers.KindSignIn)
	c.Tokens = &fakeTokens{}
	if err := c.Ready(); err != nil {
		t.Fatal(err)
	}
	cause := errors.New("429")
	e := c.RateLimited(http.Header{"Retry-After": {"120"}}, cause)
	if e.Kind != providers.KindRateLimited || !e.RetryAt.Equal(now.Add(2*time.Minute)) || !errors.Is(e, cause) {
		t.Fatalf("rate limited: %+v", e)
	}
	if pe := kindOf(t, c.Ready(), providers.KindRateLimited); !pe.RetryAt.Equal(now.Add(2 * time.Minute)) {
		t.Fatalf("blocked until %v", pe.RetryAt)
	}
	c.RateLimited(http.Header{"Retry-After": {"5"}}, cause) // a shorter wait does not shorten the block
	now = now.Add(time.Minute)
	kindOf(t, c.Ready(), providers.KindRateLimited)
	now = now.Add(time.Minute)
	if err := c.Ready(); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
	p := c.NeedsPermission("Acme", "GET /x", cause)
	if p.Kind != providers.KindSignIn || !strings.Contains(p.Message, "Acme refused GET /x for account \"me\": run `fittui auth login acme --account me`") {
		t.Errorf("403: %v", p)
	}
	if r := c.Refused("Acme", "GET /y", cause); r.Kind != providers.KindUnknown || r.Message != "Acme refused GET /y" || r.Provider != "acme" {
		t.Errorf("refused: %+v", r)
	}
}

// GetBody sends nothing while Ready refuses (no tokens, a 429's wait),
// then returns the 2xx body.
func TestGetBody(t *testing.T) {
	sent := 0
	c, _ := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		sent++
		w.Write([]byte(`{"ok":true}`))
	})
	if _, err := c.GetBody(context.Background(), "/x", nil); sent != 0 {
		t.Fatalf("sent %d without tokens: %v", sent, err)
	} else {
		kindOf(t, err, providers.KindSignIn)
	}
	c.Tokens = &fakeTokens{}
	body, err := c.GetBody(context.Background(), "/x", nil)
	if err != nil || string(body) != `{"ok":true}` || sent != 1 {
		t.Fatalf("%q %v (%d sent)", body, err, sent)
	}
}
