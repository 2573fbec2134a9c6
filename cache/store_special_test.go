//go:build unix

package cache

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// failsafe bounds a call that must not block at all; reaching it is the
// failure, not a timing guess.
func failsafe(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s blocked", what)
	}
}

// TestStoreSpecialFiles: a named pipe, a link to /dev/zero, or a link to
// a good entry elsewhere in place of an entry is a miss, not a hang or an
// endless read; it is removed (the link, never its target) and reported
// as damage that says what it was; `cache info` passes over it the same
// way.
func TestStoreSpecialFiles(t *testing.T) {
	payload := []byte(`{"steps":1234}`)
	cases := map[string]struct {
		kind   string
		create func(t *testing.T, p string)
	}{
		"fifo": {"a named pipe (FIFO)", func(t *testing.T, p string) {
			if err := syscall.Mkfifo(p, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		"link to /dev/zero": {"a symbolic link", func(t *testing.T, p string) {
			if err := os.Symlink("/dev/zero", p); err != nil {
				t.Fatal(err)
			}
		}},
		"link to an entry elsewhere": {"a symbolic link", func(t *testing.T, p string) {
			other := filepath.Join(t.TempDir(), "k.fc")
			if err := os.WriteFile(other, encodeEntry(t0, payload), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(other, p); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if _, err := os.Stat(other); err != nil {
					t.Errorf("the link's target was touched: %v", err)
				}
			})
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for _, via := range []string{"get", "info"} {
				s, _, d := newStore(t, 0)
				if err := s.Put("me", "other", t0, payload); err != nil {
					t.Fatal(err)
				}
				p := s.path("me", "k")
				tc.create(t, p)
				failsafe(t, via, func() {
					switch via {
					case "get":
						if _, ok := s.Get("me", "k"); ok {
							t.Error("served")
						}
					case "info":
						infos, err := s.Info()
						if err != nil || len(infos) != 1 || infos[0].Entries != 1 {
							t.Errorf("info %+v %v", infos, err)
						}
					}
				})
				if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s: not removed: %v", via, err)
				}
				var ce *CorruptError
				if d.n() != 1 || !errors.As(d.errs[0], &ce) || !strings.Contains(ce.Error(), tc.kind) {
					t.Errorf("%s: drops %v, want one naming %s", via, d.errs, tc.kind)
				}
			}
		})
	}
}
