//go:build unix

package tokenstore

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNonRegularTokenFilesAreRefused: a token file that is a link (to a
// readable file elsewhere) or a named pipe is damage, reported with the
// corrupt-file message; the link's target keeps its mode, and nothing
// blocks. `auth list` shows them as damaged.
func TestNonRegularTokenFilesAreRefused(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	elsewhere := filepath.Join(t.TempDir(), "notes.json")
	rec := `{"version":1,"provider":"fitbit","account":"linked","token":{"access_token":"a"}}`
	if err := os.WriteFile(elsewhere, []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(elsewhere, 0o644)
	linked, _ := s.Path("linked")
	if err := os.Symlink(elsewhere, linked); err != nil {
		t.Fatal(err)
	}
	piped, _ := s.Path("piped")
	if err := syscall.Mkfifo(piped, 0o600); err != nil {
		t.Fatal(err)
	}
	for account, kind := range map[string]string{"linked": "a symbolic link", "piped": "a named pipe (FIFO)"} {
		done := make(chan error, 1)
		go func() { _, err := s.Load(account); done <- err }()
		var err error
		select {
		case err = <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("Load(%q) blocked", account)
		}
		var ce *CorruptError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), kind) || !strings.Contains(err.Error(), "sign in again") {
			t.Errorf("%s: got %v, want the corrupt-file message naming %s", account, err, kind)
		}
	}
	if p := perm(t, elsewhere); p != 0o644 {
		t.Errorf("the link's target was changed to %04o", p)
	}
	list, err := s.List()
	if err != nil || len(list) != 2 || list[0].Err == nil || list[1].Err == nil {
		t.Errorf("List: %+v %v", list, err)
	}
}

// TestTokenFileSizeLimit: a token file is a few hundred bytes; one of
// several MiB is damage, not something to read whole.
func TestTokenFileSizeLimit(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	p, _ := s.Path("me")
	if err := os.WriteFile(p, []byte(`{"version":1,"scopes":["`+strings.Repeat("x", 2<<20)+`"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var ce *CorruptError
	if _, err := s.Load("me"); !errors.As(err, &ce) || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Fatalf("got %v", err)
	}
}

// TestOpenFolderIsNarrowedAndSaid: a token folder others could read
// (0755) is narrowed to 0700, and Open says it was open. (An empty one is
// narrowed without a word: nothing was exposed.)
func TestOpenFolderIsNarrowedAndSaid(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tokens")
	s := mustOpen(t, dir)
	if err := s.Save(sample("me", 1)); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	s, warn, err := Open(dir)
	if err != nil || s == nil {
		t.Fatalf("Open: %v", err)
	}
	if warn == nil {
		t.Fatal("no word that the folder was open")
	}
	for _, want := range []string{dir, "was open to other users", "0755", "narrowed it to 0700"} {
		if !strings.Contains(warn.Error(), want) {
			t.Errorf("warning %q does not say %q", warn, want)
		}
	}
	if p := perm(t, dir); p != 0o700 {
		t.Errorf("mode %04o", p)
	}
}

// TestUnsafeFoldersAreRefused: like ssh with ~/.ssh, a token folder that
// others can write, or whose parent others can write (without the sticky
// bit), is not used: whoever can write there can replace the tokens. The
// message says what to run. A sticky world-writable parent (/tmp) is fine.
func TestUnsafeFoldersAreRefused(t *testing.T) {
	base := t.TempDir()
	writable := filepath.Join(base, "writable")
	os.Mkdir(writable, 0o700)
	os.Chmod(writable, 0o777)
	groupWritable := filepath.Join(base, "group")
	os.Mkdir(groupWritable, 0o700)
	os.Chmod(groupWritable, 0o770)
	openParent := filepath.Join(base, "open-parent")
	os.Mkdir(openParent, 0o700)
	os.Chmod(openParent, 0o777)
	sticky := filepath.Join(base, "sticky")
	os.Mkdir(sticky, 0o700)
	os.Chmod(sticky, 0o777|os.ModeSticky)
	for _, dir := range []string{writable, groupWritable} {
		// A token someone else could have put there.
		os.WriteFile(filepath.Join(dir, "me.json"), []byte("{}"), 0o600)
	}

	for dir, wants := range map[string][]string{
		writable:                            {writable, "writable by other users", "0777", "chmod 700 " + writable},
		groupWritable:                       {groupWritable, "writable by other users", "0770", "chmod 700 " + groupWritable},
		filepath.Join(openParent, "tokens"): {openParent, "writable by other users", "0777", "chmod go-w " + openParent},
	} {
		s, _, err := Open(dir)
		if err == nil || s != nil {
			t.Errorf("%s: opened", dir)
			continue
		}
		for _, want := range wants {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q does not say %q", dir, err, want)
			}
		}
	}
	if p := perm(t, writable); p != 0o777 {
		t.Errorf("a refused folder was changed to %04o", p)
	}
	mustOpen(t, filepath.Join(sticky, "tokens"))

	// Save refuses too, if the folder is opened up while fittui runs (an
	// empty one is just narrowed, see TestWiderFolderIsTightened).
	s := mustOpen(t, filepath.Join(base, "later"))
	if err := s.Save(sample("me", 1)); err != nil {
		t.Fatal(err)
	}
	os.Chmod(s.Dir(), 0o777)
	if err := s.Save(sample("me", 2)); err == nil || !strings.Contains(err.Error(), "writable by other users") {
		t.Errorf("Save into a folder opened meanwhile: %v", err)
	}
}

// TestFolderOfAnotherUserIsRefused: a token folder (or parent) owned by
// someone else is refused with the chown to run. Needs root to make one.
func TestFolderOfAnotherUserIsRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give a folder away")
	}
	base := t.TempDir()
	theirs := filepath.Join(base, "theirs")
	os.Mkdir(theirs, 0o700)
	if err := os.Chown(theirs, 4242, 4242); err != nil {
		t.Skip(err)
	}
	for _, dir := range []string{theirs, filepath.Join(theirs, "tokens")} {
		if dir != theirs {
			os.Chmod(theirs, 0o755) // so that only the owner is wrong
		}
		_, _, err := Open(dir)
		if err == nil || !strings.Contains(err.Error(), theirs) || !strings.Contains(err.Error(), "owned by user 4242") ||
			!strings.Contains(err.Error(), "chown") {
			t.Errorf("%s: %v", dir, err)
		}
	}
}
