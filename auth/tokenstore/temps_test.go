package tokenstore

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeTemp leaves a temporary file for account as a killed save would,
// with the given modification time.
func writeTemp(t *testing.T, s *Store, account, suffix string, rec *Record, mod time.Time) string {
	t.Helper()
	p := filepath.Join(s.Dir(), "."+fileBase(account)+fileExt+tmpInfix+suffix)
	data := []byte("{\"version\":1,") // incomplete
	if rec != nil {
		rec.Version = FormatVersion
		data, _ = json.Marshal(rec)
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mod, mod); err != nil {
		t.Fatal(err)
	}
	return p
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return !errors.Is(err, fs.ErrNotExist)
}

// TestOrphanedTempsStayUntilSuperseded: a complete temporary record newer
// than its token file may hold the only live refresh token, so Open keeps
// it however old (it used to remove every temporary file older than ten
// minutes); Orphans offers it. Temporary files the token file is newer
// than, damaged ones and those of accounts without a token file go once
// they are old enough not to be a save in progress.
func TestOrphanedTempsStayUntilSuperseded(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o700)
	s := mustOpen(t, dir)
	now := time.Now()
	if err := s.Save(sample("me", 1)); err != nil {
		t.Fatal(err)
	}
	main, _ := s.Path("me")
	os.Chtimes(main, now.Add(-3*time.Hour), now.Add(-3*time.Hour))

	live := writeTemp(t, s, "me", "live", sample("me", 2), now.Add(-2*time.Hour))
	newest := writeTemp(t, s, "me", "newest", sample("me", 3), now.Add(-time.Hour))
	superseded := writeTemp(t, s, "me", "old", sample("me", 0), now.Add(-4*time.Hour))
	damaged := writeTemp(t, s, "me", "torn", nil, now.Add(-time.Hour))
	someoneElses := writeTemp(t, s, "me", "other", sample("you", 4), now.Add(-time.Hour))
	gone := writeTemp(t, s, "gone", "x", sample("gone", 5), now.Add(-time.Hour))
	fresh := writeTemp(t, s, "gone", "y", nil, now) // maybe a save in progress

	mustOpen(t, dir)
	for p, want := range map[string]bool{live: true, newest: true, superseded: false, damaged: false,
		someoneElses: false, gone: false, fresh: true} {
		if exists(p) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(p), !want, want)
		}
	}

	orphans, err := s.Orphans("me")
	if err != nil || len(orphans) != 2 || orphans[0].Path != newest || orphans[1].Path != live ||
		orphans[0].Token.RefreshToken != "refresh-3" {
		t.Fatalf("orphans %+v %v, want newest first", orphans, err)
	}
	if o, _ := s.Orphans("gone"); len(o) != 0 {
		t.Fatalf("orphans of an account without a token file: %+v", o)
	}

	// A save supersedes them; PruneTemps then removes them.
	if err := s.Save(sample("me", 6)); err != nil {
		t.Fatal(err)
	}
	s.PruneTemps("me")
	if exists(live) || exists(newest) {
		t.Error("superseded temporary files kept")
	}
	if !exists(fresh) {
		t.Error("another account's file removed")
	}
}

// TestDeleteRemovesTemps: logging out leaves no token anywhere, not even
// in a killed save's temporary file.
func TestDeleteRemovesTemps(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o700)
	s := mustOpen(t, dir)
	s.Save(sample("me", 1))
	s.Save(sample("mex", 1))
	p := writeTemp(t, s, "me", "a", sample("me", 2), time.Now().Add(time.Hour))
	other := writeTemp(t, s, "mex", "a", sample("mex", 2), time.Now().Add(time.Hour))
	if err := s.Delete("me"); err != nil {
		t.Fatal(err)
	}
	if exists(p) {
		t.Error("temporary file kept after Delete")
	}
	if !exists(other) {
		t.Error("another account's temporary file removed")
	}
	des, _ := os.ReadDir(dir)
	for _, de := range des {
		if strings.HasPrefix(de.Name(), ".me.json") {
			t.Errorf("left %s", de.Name())
		}
	}
}
