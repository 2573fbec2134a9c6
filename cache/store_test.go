package cache

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 5, 15, 4, 5, 0, time.UTC)

// clock is a clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type drops struct {
	mu   sync.Mutex
	errs []error
}

func (d *drops) add(_ string, err error) {
	d.mu.Lock()
	d.errs = append(d.errs, err)
	d.mu.Unlock()
}

func (d *drops) n() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.errs)
}

func newStore(t testing.TB, max int64) (*Store, *clock, *drops) {
	t.Helper()
	clk := newClock(t0)
	d := &drops{}
	s, err := Open(Options{Root: t.TempDir(), MaxBytes: max, Now: clk.Now, OnDrop: d.add})
	if err != nil {
		t.Fatal(err)
	}
	return s, clk, d
}

func TestStoreRoundTrip(t *testing.T) {
	s, _, d := newStore(t, 0)
	fetched := t0.Add(-time.Minute)
	if _, ok := s.Get("me", "summary-2026-03-05"); ok {
		t.Fatal("hit in an empty store")
	}
	if err := s.Put("me", "summary-2026-03-05", fetched, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	e, ok := s.Get("me", "summary-2026-03-05")
	if !ok || string(e.Payload) != "hello" || !e.Fetched.Equal(fetched) {
		t.Fatalf("got %q %v %v", e.Payload, e.Fetched, ok)
	}
	// Another account does not see it; an overwrite replaces it.
	if _, ok := s.Get("you", "summary-2026-03-05"); ok {
		t.Fatal("entry leaked to another account")
	}
	if err := s.Put("me", "summary-2026-03-05", fetched.Add(time.Minute), []byte("again")); err != nil {
		t.Fatal(err)
	}
	if e, _ := s.Get("me", "summary-2026-03-05"); string(e.Payload) != "again" {
		t.Fatalf("overwrite: %q", e.Payload)
	}
	// An empty payload is a valid entry.
	if err := s.Put("me", "empty", fetched, nil); err != nil {
		t.Fatal(err)
	}
	if e, ok := s.Get("me", "empty"); !ok || len(e.Payload) != 0 {
		t.Fatalf("empty entry: %v %q", ok, e.Payload)
	}
	// No temporary files stay behind; entries are private.
	files, _ := filepath.Glob(filepath.Join(s.Root(), AccountDir("me"), "*"))
	hidden, _ := filepath.Glob(filepath.Join(s.Root(), AccountDir("me"), ".*"))
	if len(files) != 2 || len(hidden) != 0 {
		t.Fatalf("files %v, hidden %v", files, hidden)
	}
	fi, _ := os.Stat(filepath.Dir(files[0]))
	if fi.Mode().Perm() != 0o700 {
		t.Fatalf("account folder mode %v", fi.Mode().Perm())
	}
	if d.n() != 0 {
		t.Fatalf("drops: %v", d.errs)
	}
}

func TestStoreBadKeys(t *testing.T) {
	s, _, _ := newStore(t, 0)
	for _, k := range []string{"", "../x", "a/b", ".hidden", "a b", strings.Repeat("x", 101)} {
		if err := s.Put("me", k, t0, []byte("x")); err == nil {
			t.Errorf("key %q accepted", k)
		}
		if _, ok := s.Get("me", k); ok {
			t.Errorf("key %q found", k)
		}
	}
}

func TestAccountDir(t *testing.T) {
	seen := map[string]string{}
	for _, acc := range []string{"me", "Me", "../etc", "a/b", `a\b`, ".hidden", "", "%00", "%", "ünï", "a b", "x.y", "..", "."} {
		dir := AccountDir(acc)
		if strings.ContainsAny(dir, `/\ `) || strings.HasPrefix(dir, ".") || dir == "" {
			t.Errorf("%q -> unsafe %q", acc, dir)
		}
		if back := accountName(dir); back != acc {
			t.Errorf("%q -> %q -> %q", acc, dir, back)
		}
		if o, dup := seen[dir]; dup {
			t.Errorf("%q and %q share %q", acc, o, dir)
		}
		seen[dir] = acc
	}
}

// TestStoreCorrupt: every kind of damage is a miss, the file is deleted
// and reported, and a new Put works.
func TestStoreCorrupt(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789"), 50)
	damage := map[string]func([]byte) []byte{
		"truncated payload": func(b []byte) []byte { return b[:len(b)-7] },
		"truncated header":  func(b []byte) []byte { return b[:10] },
		"empty file":        func([]byte) []byte { return nil },
		"flipped payload":   func(b []byte) []byte { b[headerLen+100] ^= 0x20; return b },
		"flipped time":      func(b []byte) []byte { b[5] ^= 1; return b },
		"flipped length":    func(b []byte) []byte { b[12]++; return b },
		"wrong magic":       func(b []byte) []byte { b[0] = 'X'; return b },
		"future version":    func(b []byte) []byte { b[3] = 9; return b },
		"appended garbage":  func(b []byte) []byte { return append(b, "junk"...) },
		"someone's text":    func([]byte) []byte { return []byte("I edited this file by hand\n") },
	}
	for name, f := range damage {
		t.Run(name, func(t *testing.T) {
			s, _, d := newStore(t, 0)
			if err := s.Put("me", "k", t0, payload); err != nil {
				t.Fatal(err)
			}
			p := s.path("me", "k")
			b, _ := os.ReadFile(p)
			if err := os.WriteFile(p, f(b), 0o600); err != nil {
				t.Fatal(err)
			}
			if e, ok := s.Get("me", "k"); ok {
				t.Fatalf("damaged entry served: %q", e.Payload)
			}
			if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("damaged entry not deleted: %v", err)
			}
			var ce *CorruptError
			if d.n() != 1 || !errors.As(d.errs[0], &ce) {
				t.Fatalf("drops %v", d.errs)
			}
			if err := s.Put("me", "k", t0, payload); err != nil {
				t.Fatal(err)
			}
			if _, ok := s.Get("me", "k"); !ok {
				t.Fatal("entry not readable after re-put")
			}
		})
	}
}

// TestStorePruneLRU: over the cap, the least recently used entries go
// first; a read counts as a use.
func TestStorePruneLRU(t *testing.T) {
	const size = 1000
	entry := int64(size + headerLen)
	s, clk, _ := newStore(t, 10*entry)
	payload := bytes.Repeat([]byte{7}, size)
	put := func(k string) {
		t.Helper()
		if err := s.Put("me", k, clk.Now(), payload); err != nil {
			t.Fatal(err)
		}
		// mtimes come from the real clock; pin them to the fake one.
		if err := os.Chtimes(s.path("me", k), clk.Now(), clk.Now()); err != nil {
			t.Fatal(err)
		}
		clk.Advance(2 * time.Hour)
	}
	for i := range 10 {
		put(fmt.Sprintf("e%d", i))
	}
	// e0 is read now: it becomes the most recently used.
	if _, ok := s.Get("me", "e0"); !ok {
		t.Fatal("e0 missing")
	}
	clk.Advance(2 * time.Hour)
	put("e10") // over the cap: prune to 90% = 9 entries
	var have []string
	for i := range 11 {
		if _, ok := s.Get("me", fmt.Sprintf("e%d", i)); ok {
			have = append(have, fmt.Sprintf("e%d", i))
		}
	}
	want := "e0 e3 e4 e5 e6 e7 e8 e9 e10"
	if got := strings.Join(have, " "); got != want {
		t.Fatalf("kept %s, want %s", got, want)
	}
	info, err := s.Info()
	if err != nil || len(info) != 1 || info[0].Bytes > 10*entry {
		t.Fatalf("info %+v %v", info, err)
	}
}

func TestStorePruneTempFiles(t *testing.T) {
	s, clk, _ := newStore(t, 0)
	if err := s.Put("me", "k", t0, []byte("x")); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(s.path("me", "k"))
	old := filepath.Join(dir, ".tmp-123")
	young := filepath.Join(dir, ".tmp-456")
	for _, p := range []string{old, young} {
		if err := os.WriteFile(p, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(s.Root(), budgetDir), 0o700)
	budgetTmp := filepath.Join(s.Root(), budgetDir, ".tmp-789")
	os.WriteFile(budgetTmp, []byte("{"), 0o600)
	os.Chtimes(budgetTmp, clk.Now().Add(-2*time.Hour), clk.Now().Add(-2*time.Hour))
	os.Chtimes(old, clk.Now().Add(-2*time.Hour), clk.Now().Add(-2*time.Hour))
	os.Chtimes(young, clk.Now(), clk.Now())
	if err := s.Prune(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{old, budgetTmp} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("crash leftover %s not removed", p)
		}
	}
	if _, err := os.Stat(young); err != nil {
		t.Fatal("a temporary file perhaps being written was removed")
	}
	info, _ := s.Info()
	if len(info) != 1 || info[0].Entries != 1 {
		t.Fatalf("info counts temporary files: %+v", info)
	}
}

func TestStoreInfoClear(t *testing.T) {
	s, _, d := newStore(t, 0)
	put := func(acc, k string, at time.Time) {
		t.Helper()
		if err := s.Put(acc, k, at, []byte("payload")); err != nil {
			t.Fatal(err)
		}
	}
	put("me", "a", t0.Add(-time.Hour))
	put("me", "b", t0)
	put("me", "c", t0.Add(-48*time.Hour))
	put("runner/2", "a", t0)
	// A damaged entry is dropped, not counted.
	os.WriteFile(s.path("me", "broken"+""), []byte("garbage"), 0o600)
	// Budget state is not an account.
	os.MkdirAll(filepath.Join(s.Root(), budgetDir), 0o700)
	os.WriteFile(filepath.Join(s.Root(), budgetDir, "me.json"), []byte("{}"), 0o600)

	info, err := s.Info()
	if err != nil {
		t.Fatal(err)
	}
	if len(info) != 2 {
		t.Fatalf("info %+v", info)
	}
	me := info[0]
	if me.Account != "me" || me.Entries != 3 || me.Bytes != 3*(headerLen+7) ||
		!me.Oldest.Equal(t0.Add(-48*time.Hour)) || !me.Newest.Equal(t0) {
		t.Fatalf("me: %+v", me)
	}
	if info[1].Account != "runner/2" || info[1].Entries != 1 {
		t.Fatalf("runner: %+v", info[1])
	}
	if d.n() != 1 {
		t.Fatalf("drops %v", d.errs)
	}

	if err := s.Clear("runner/2"); err != nil {
		t.Fatal(err)
	}
	if info, _ := s.Info(); len(info) != 1 || info[0].Account != "me" {
		t.Fatalf("after clear runner: %+v", info)
	}
	if err := s.Clear("nobody"); err != nil {
		t.Fatalf("clearing an unknown account: %v", err)
	}
	if err := s.Clear(""); err != nil {
		t.Fatal(err)
	}
	if info, _ := s.Info(); len(info) != 0 {
		t.Fatalf("after clear all: %+v", info)
	}
	if _, err := os.Stat(filepath.Join(s.Root(), budgetDir, "me.json")); err != nil {
		t.Fatal("clear removed the request budget")
	}
	// The store still works after a clear.
	put("me", "a", t0)
	if _, ok := s.Get("me", "a"); !ok {
		t.Fatal("put after clear")
	}
}

// TestStoreConcurrent: writers and readers of the same keys from many
// goroutines (and so, by the same atomic rename, processes) never see a
// damaged entry.
func TestStoreConcurrent(t *testing.T) {
	s, _, d := newStore(t, 0)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 50 {
				p := bytes.Repeat([]byte{byte(w)}, 100+i)
				if err := s.Put("me", fmt.Sprintf("k%d", i%5), t0, p); err != nil {
					t.Error(err)
				}
			}
		})
		wg.Go(func() {
			for i := range 50 {
				if e, ok := s.Get("me", fmt.Sprintf("k%d", i%5)); ok {
					if len(e.Payload) < 100 || !bytes.Equal(e.Payload, bytes.Repeat(e.Payload[:1], len(e.Payload))) {
						t.Errorf("mixed payload %v", e.Payload[:8])
					}
				}
			}
		})
	}
	wg.Wait()
	if d.n() != 0 {
		t.Fatalf("drops: %v", d.errs)
	}
}

func TestStoreUnwritable(t *testing.T) {
	root := filepath.Join(t.TempDir(), "file")
	os.WriteFile(root, []byte("x"), 0o600)
	if _, err := Open(Options{Root: root}); err == nil {
		t.Fatal("a file as root opened")
	}
	s, _, _ := newStore(t, 0)
	// The account folder's place is taken by a file: Put fails clearly.
	os.WriteFile(filepath.Join(s.Root(), AccountDir("me")), []byte("x"), 0o600)
	if err := s.Put("me", "k", t0, []byte("x")); err == nil || !strings.Contains(err.Error(), "cache") {
		t.Fatalf("put into a file: %v", err)
	}
}
