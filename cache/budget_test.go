package cache

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/fitbit"
	_ "github.com/fittui/fittui/providers/jawbone" // their descriptors' limits
	_ "github.com/fittui/fittui/providers/misfit"
)

func TestBudgetWindow(t *testing.T) {
	s, clk, _ := newStore(t, 0)
	b := s.Budget("me", Limit{Requests: 10, Window: time.Hour}, clk.Now)
	if b.Reserve() != 1 {
		t.Fatalf("reserve %d", b.Reserve())
	}
	for i := range 10 {
		ok, _, err := b.Spend(1)
		if !ok || err != nil {
			t.Fatalf("spend %d: %v %v", i, ok, err)
		}
		if i == 8 {
			if n, _ := b.Available(false); n != 0 {
				t.Fatalf("automatic refreshes may use the reserve: %d", n)
			}
			if n, _ := b.Available(true); n != 1 {
				t.Fatalf("manual: %d left", n)
			}
		}
	}
	ok, until, _ := b.Spend(1)
	end := clk.Now().Truncate(time.Hour).Add(time.Hour)
	if ok || !until.Equal(end) {
		t.Fatalf("over the limit: %v until %v", ok, until)
	}
	if n, at := b.Available(true); n != 0 || !at.Equal(end) {
		t.Fatalf("available %d until %v", n, at)
	}
	clk.Advance(time.Hour)
	if n, _ := b.Available(false); n != 9 {
		t.Fatalf("next window: %d", n)
	}
}

func TestBudgetBlockObserve(t *testing.T) {
	s, clk, _ := newStore(t, 0)
	b := s.Budget("me", LimitFor(fitbit.Name), clk.Now)
	until := clk.Now().Add(10 * time.Minute)
	b.Block(until)
	b.Block(clk.Now().Add(time.Minute)) // an earlier reset does not shorten it
	if n, at := b.Available(true); n != 0 || !at.Equal(until) {
		t.Fatalf("blocked: %d until %v", n, at)
	}
	if ok, _, _ := b.Spend(1); ok {
		t.Fatal("spent while blocked")
	}
	clk.Advance(10 * time.Minute)
	if n, _ := b.Available(true); n != 150 {
		t.Fatalf("after the block: %d", n)
	}
	// The provider says another app spent most of the hour.
	b.Observe(20, clk.Now().Add(time.Hour))
	if st, _ := b.State(); st.Used != 130 {
		t.Fatalf("used %d", st.Used)
	}
	b.Observe(100, clk.Now().Add(time.Hour)) // lower than ours: ours wins
	if st, _ := b.State(); st.Used != 130 {
		t.Fatalf("used %d", st.Used)
	}
	b.Observe(0, clk.Now().Add(5*time.Minute))
	if n, at := b.Available(true); n != 0 || !at.Equal(clk.Now().Add(5*time.Minute)) {
		t.Fatalf("none remaining: %d until %v", n, at)
	}
}

// TestBudgetShared: budgets of the same account opened separately (as by
// two processes: separate lock handles on the same files) count together.
func TestBudgetShared(t *testing.T) {
	s, clk, _ := newStore(t, 0)
	s2, _ := Open(Options{Root: s.Root(), Now: clk.Now})
	limit := Limit{Requests: 100, Window: time.Hour}
	a, b := s.Budget("me", limit, clk.Now), s2.Budget("me", limit, clk.Now)
	other := s.Budget("you", limit, clk.Now)
	var wg sync.WaitGroup
	var granted atomic.Int32
	for _, bud := range []*Budget{a, b, a, b} {
		wg.Go(func() {
			for range 40 {
				if ok, _, err := bud.Spend(1); err != nil {
					t.Error(err)
				} else if ok {
					granted.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if granted.Load() != 100 {
		t.Fatalf("granted %d of 160 asked, limit 100", granted.Load())
	}
	if st, _ := b.State(); st.Used != 100 {
		t.Fatalf("used %d", st.Used)
	}
	if n, _ := other.Available(true); n != 100 {
		t.Fatalf("another account's budget: %d", n)
	}
	// A damaged state file counts the window as spent but for the
	// reserve (see TestBudgetDamageFailsClosed); it used to start the
	// window again, which let every process spend the hour once more.
	os.WriteFile(a.path, []byte("{garbage"), 0o600)
	if n, _ := a.Available(true); n != 10 {
		t.Fatalf("after damage: %d, want the reserve (10)", n)
	}
}

func TestBudgetUnlimited(t *testing.T) {
	s, clk, _ := newStore(t, 0)
	b := s.Budget("demo", LimitFor("demo"), clk.Now)
	for range 1000 {
		if ok, _, _ := b.Spend(1); !ok {
			t.Fatal("unlimited budget refused")
		}
	}
	if _, err := os.Stat(b.path); !os.IsNotExist(err) {
		t.Fatal("an unlimited budget wrote a state file")
	}
	// The limits come from the providers' descriptors.
	if LimitFor("fitbit") != (Limit{Requests: 150, Window: time.Hour}) || LimitFor("googlehealth") != (Limit{Requests: 300, Window: time.Minute}) ||
		LimitFor("jawbone") != (Limit{}) || LimitFor("misfit") != (Limit{Requests: 150, Window: time.Hour}) {
		t.Fatal("limits")
	}
}

func TestBudgetTransport(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	s, clk, _ := newStore(t, 0)
	b := s.Budget("me", Limit{Requests: 3, Window: time.Minute}, clk.Now)
	cl := &http.Client{Transport: b.Transport(nil)}
	codes := []int{}
	windowEnd := clk.Now().Truncate(time.Minute).Add(time.Minute)
	for range 5 {
		resp, err := cl.Get(srv.URL)
		if err != nil {
			// Past the budget: not sent, and a typed error says until when
			// (no answer is made up).
			var spent *providers.BudgetSpentError
			if !errors.As(err, &spent) || !spent.Until.Equal(windowEnd) {
				t.Fatalf("refusal %v, want a BudgetSpentError until %v", err, windowEnd)
			}
			codes = append(codes, 0)
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
	}
	if hits.Load() != 3 || codes[2] != 200 || codes[3] != 0 || codes[4] != 0 {
		t.Fatalf("server saw %d, codes %v", hits.Load(), codes)
	}
	clk.Advance(time.Minute)
	resp, err := cl.Get(srv.URL)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("next window: %v %v", resp, err)
	}
	resp.Body.Close()
}

// TestBudgetEdge: requests sent in the last moments of a window may
// arrive in the next one, so they count there too.
func TestBudgetEdge(t *testing.T) {
	s, clk, _ := newStore(t, 0)
	clk.Advance(clk.Now().Truncate(time.Minute).Add(time.Minute).Sub(clk.Now()) - 500*time.Millisecond) // xx:xx:59.5
	b := s.Budget("me", Limit{Requests: 10, Window: time.Minute}, clk.Now)
	b.Spend(3)
	clk.Advance(time.Second)
	if st, _ := b.State(); st.Used != 3 {
		t.Fatalf("next window starts at %d, want 3", st.Used)
	}
	clk.Advance(30 * time.Second)
	b.Spend(2) // mid-window: not carried
	clk.Advance(2 * time.Minute)
	if st, _ := b.State(); st.Used != 0 {
		t.Fatalf("a later window starts at %d", st.Used)
	}
}
