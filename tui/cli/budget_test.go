package cli

import (
	"context"
	"encoding/csv"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/adrg/xdg"

	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
)

// faultyFS is the operating system's files with faults for the cache and
// the budgets: reads of budget state files fail with readErr until they
// are written anew (a file of mode 000 replaced by a rename), every write
// fails with writeErr (a full disk, a read-only folder). Permissions do
// not stop a test run as root, so the faults are put here.
type faultyFS struct {
	readErr, writeErr error

	mu        sync.Mutex
	rewritten map[string]bool
}

func (f *faultyFS) WriteAtomic(path string, data []byte, sync bool) error {
	if f.writeErr != nil {
		return &os.PathError{Op: "write", Path: path, Err: f.writeErr}
	}
	if err := (cache.OSFS{}).WriteAtomic(path, data, sync); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rewritten == nil {
		f.rewritten = map[string]bool{}
	}
	f.rewritten[path] = true
	return nil
}

func (f *faultyFS) ReadFile(path string, limit int64) ([]byte, error) {
	f.mu.Lock()
	fresh := f.rewritten[path]
	f.mu.Unlock()
	if f.readErr != nil && !fresh && strings.HasSuffix(path, ".json") {
		return nil, &os.PathError{Op: "open", Path: path, Err: f.readErr}
	}
	return cache.OSFS{}.ReadFile(path, limit)
}

// TestConcurrentExportsStayInBudget is the audit's run: four `fittui
// export`s at once for one Fitbit account whose hour is nearly spent (140
// of 150, Fitbit's headers left out so nothing but fittui's budget holds
// them back), with the shared budget's state degraded in each way the
// audit found. No variant sends more than the fake allows (it never
// answers 429): a damaged record counts the hour as spent, so the exports
// wait for the next one; a budget that cannot be shared sends nothing
// automatically and says why.
func TestConcurrentExportsStayInBudget(t *testing.T) {
	type variant struct {
		name string
		// degrade breaks the budget of account "fb" whose state file is
		// path (140 requests spent this hour); it may return a filesystem
		// with faults.
		degrade func(t *testing.T, path string) cache.FS
		shared  bool   // the exports share a budget (and finish)
		says    string // stderr says it
	}
	damaged := func(content []byte) func(t *testing.T, path string) cache.FS {
		return func(t *testing.T, path string) cache.FS {
			if content == nil {
				raw, _ := os.ReadFile(path)
				content = raw[:len(raw)/2]
			}
			os.WriteFile(path, content, 0o600)
			return nil
		}
	}
	for _, v := range []variant{
		{"truncated", damaged(nil), true, "was damaged"},
		{"not JSON", damaged([]byte("\x7fELF not a record")), true, "was damaged"},
		{"mode 000", func(t *testing.T, path string) cache.FS {
			os.Chmod(path, 0)
			return &faultyFS{readErr: syscall.EACCES}
		}, true, "was damaged"},
		{"read-only folder", func(t *testing.T, path string) cache.FS {
			os.Chmod(filepath.Dir(path), 0o500)
			t.Cleanup(func() { os.Chmod(filepath.Dir(path), 0o700) })
			return &faultyFS{writeErr: syscall.EACCES}
		}, false, "request budget not shared: cannot write"},
		{"full disk", func(t *testing.T, path string) cache.FS {
			return &faultyFS{writeErr: syscall.ENOSPC}
		}, false, "no space left on device"},
		{"state path is a folder", func(t *testing.T, path string) cache.FS {
			os.Remove(path)
			os.MkdirAll(filepath.Join(path, "x"), 0o700)
			return nil
		}, false, "request budget not shared: cannot write"},
		{"cache folder cannot be made", func(t *testing.T, path string) cache.FS {
			// The cache folder's place is taken by a file: the budget goes
			// to the state folder, where the other process (also without a
			// cache) spent its 140.
			root := filepath.Join(xdg.CacheHome, "fittui")
			os.RemoveAll(root)
			os.WriteFile(root, []byte("not a folder"), 0o600)
			bs, err := cache.OpenBudgets(cache.StateBudgetDir())
			if err != nil {
				t.Fatal(err)
			}
			b := bs.Budget("fb", cache.LimitFor("fitbit"), func() time.Time { return fixedNow })
			if ok, _, err := b.Spend(140); !ok || err != nil {
				t.Fatal("could not spend in the state folder's budget", err)
			}
			return nil
		}, true, "continuing without the cache"},
		{"no folder at all", func(t *testing.T, path string) cache.FS {
			for _, root := range []string{filepath.Join(xdg.CacheHome, "fittui"), filepath.Join(xdg.StateHome, "fittui")} {
				os.RemoveAll(root)
				os.MkdirAll(filepath.Dir(root), 0o700)
				os.WriteFile(root, []byte("not a folder"), 0o600)
			}
			return nil
		}, false, "request budget not shared: "},
	} {
		t.Run(v.name, func(t *testing.T) {
			isolate(t)
			var mu sync.Mutex
			clock := fixedNow // 12:30 UTC
			now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
			fake := fitbittest.New(fitbittest.Config{ClientSecret: "s3cret", Now: now})
			t.Cleanup(fake.Close)
			fake.SetOmitRateHeaders(true)
			fake.SetRateLimit(150, 140) // another process's 140 this hour
			for k, val := range map[string]string{"CLIENT_ID": fake.ClientID(), "CLIENT_SECRET": "s3cret",
				"TOKEN_URL": fake.TokenURL(), "API_URL": fake.URL} {
				t.Setenv("FITTUI_FITBIT_"+k, val)
			}
			seed(t, "fitbit", "fb", fake.Grant())

			// The other process's record: 140 of this hour.
			st, err := cache.Open(cache.Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			b := st.Budget("fb", cache.LimitFor("fitbit"), now)
			if ok, _, err := b.Spend(140); !ok || err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(st.Root(), ".budget", "fb.json")
			if _, err := os.Stat(path); err != nil {
				t.Fatal(err)
			}
			fsys := v.degrade(t, path)

			old := waitUntil
			waitUntil = func(ctx context.Context, _ func() time.Time, until time.Time) error {
				mu.Lock()
				if until.After(clock) {
					clock = until // the hour has passed
				}
				mu.Unlock()
				return nil
			}
			t.Cleanup(func() { waitUntil = old })

			results := make([]result, 4)
			var wg sync.WaitGroup
			for i := range results {
				wg.Go(func() {
					from := fixedNow.AddDate(0, 0, -5*(i+1))
					results[i] = runWith(t, func(a *app) { a.now = now; a.fs = fsys },
						"export", "--account", "fb", "--format", "csv", "--metric", "heart",
						"--from", from.Format(time.DateOnly), "--to", from.AddDate(0, 0, 4).Format(time.DateOnly))
				})
			}
			wg.Wait()

			api, limited := 0, 0
			for _, r := range fake.APILog() {
				api++
				if r.Status == http.StatusTooManyRequests {
					limited++
				}
			}
			t.Logf("%d requests reached the fake", api)
			if limited > 0 {
				t.Errorf("the fake answered 429 %d times: the exports went over Fitbit's limit", limited)
			}
			said := 0
			for i, r := range results {
				if strings.Contains(r.err, v.says) {
					said++
				} else if !v.shared {
					t.Errorf("export %d: stderr does not say %q:\n%s", i, v.says, r.err)
				}
				switch {
				case v.shared && r.code != 0:
					t.Errorf("export %d failed (%d): %s", i, r.code, r.err)
				case v.shared:
					recs, err := csv.NewReader(strings.NewReader(r.out)).ReadAll()
					days := map[string]bool{}
					for _, rec := range recs[1:] {
						days[rec[0][:10]] = true
					}
					if err != nil || len(days) != 5 {
						t.Errorf("export %d: %d days of rows (%v)", i, len(days), err)
					}
				case r.code == 0:
					t.Errorf("export %d sent requests it could not count:\n%s", i, r.err)
				}
			}
			if said == 0 {
				t.Errorf("no export said %q", v.says)
			}
			if !v.shared && api > 0 {
				t.Errorf("%d requests were sent without a shared count", api)
			}
			if v.shared && api == 0 {
				t.Error("nothing was fetched")
			}
			if t.Failed() {
				for i, r := range results {
					t.Logf("export %d (%d): %s", i, r.code, r.err)
				}
			}
		})
	}
}

// TestCacheInfoSaysAnswersAreNotKept: on a full disk `cache info` does
// not just say the cache is empty.
func TestCacheInfoSaysAnswersAreNotKept(t *testing.T) {
	isolate(t)
	r := runWith(t, func(a *app) { a.fs = &faultyFS{writeErr: syscall.ENOSPC} }, "cache", "info")
	if r.code != 0 || !strings.Contains(r.out, "The cache is empty") ||
		!strings.Contains(r.err, "warning: answers are not being kept in the cache: ") || !strings.Contains(r.err, "no space left on device") {
		t.Fatalf("code %d\nstdout %s\nstderr %s", r.code, r.out, r.err)
	}
	r = run(t, nil, "cache", "info")
	if r.code != 0 || r.err != "" {
		t.Fatalf("a writable cache warned: %q", r.err)
	}
}
