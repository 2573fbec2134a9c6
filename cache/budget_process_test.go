package cache

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestBudgetHelperProcess is not a test: TestBudgetAcrossProcesses runs
// the test binary with it as a separate fittui-like process that spends
// requests from a shared budget and prints how many it was granted.
func TestBudgetHelperProcess(t *testing.T) {
	root := os.Getenv("FITTUI_BUDGET_HELPER_ROOT")
	if root == "" {
		t.Skip("helper process only")
	}
	at, _ := strconv.ParseInt(os.Getenv("FITTUI_BUDGET_HELPER_NOW"), 10, 64)
	now := func() time.Time { return time.Unix(at, 0) }
	s, err := Open(Options{Root: root, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	b := s.Budget("me", Limit{Requests: 100, Window: time.Hour}, now)
	granted := 0
	for range 40 {
		ok, _, err := b.Spend(1)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			granted++
		}
	}
	fmt.Printf("granted=%d\n", granted)
}

// TestBudgetAcrossProcesses: four processes spending 40 requests each
// from one account's budget of 100 are granted exactly 100 together.
func TestBudgetAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	root := t.TempDir()
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 4 {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBudgetHelperProcess$", "-test.v")
			cmd.Env = append(os.Environ(), "FITTUI_BUDGET_HELPER_ROOT="+root,
				"FITTUI_BUDGET_HELPER_NOW="+strconv.FormatInt(t0.Unix(), 10))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("helper: %v\n%s", err, out)
				return
			}
			for _, line := range strings.Split(string(out), "\n") {
				if v, ok := strings.CutPrefix(line, "granted="); ok {
					n, _ := strconv.Atoi(v)
					mu.Lock()
					total += n
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if total != 100 {
		t.Fatalf("processes were granted %d requests together, limit 100", total)
	}
	s, _ := Open(Options{Root: root, Now: func() time.Time { return t0 }})
	if st, _ := s.Budget("me", Limit{Requests: 100, Window: time.Hour}, func() time.Time { return t0 }).State(); st.Used != 100 {
		t.Fatalf("state says %d used", st.Used)
	}
}
