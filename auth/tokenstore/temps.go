package tokenstore

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// A save writes a temporary file beside the token file and renames it into
// place. A process killed between the two leaves the temporary file; if the
// provider had rotated the refresh token, that file holds the only live
// one, and the token file a spent one. Such files are kept until the token
// file is newer (a later save superseded them) and offered to the refresh
// code as orphans to recover from.

// Orphan is a complete record of the account left in a temporary file
// that is newer than the account's token file.
type Orphan struct {
	Record
	Path string
	Mod  time.Time
}

type tempFile struct {
	path string
	mod  time.Time
}

// temps lists account's temporary files (any state), oldest first.
func (s *Store) temps(account string) []tempFile {
	if ValidateAccount(account) != nil {
		return nil
	}
	prefix := "." + fileBase(account) + fileExt + tmpInfix
	des, err := os.ReadDir(s.dir)
	if err != nil {
		return nil
	}
	var out []tempFile
	for _, de := range des {
		if !strings.HasPrefix(de.Name(), prefix) {
			continue
		}
		fi, err := de.Info()
		if err != nil {
			continue
		}
		out = append(out, tempFile{path: filepath.Join(s.dir, de.Name()), mod: fi.ModTime()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].mod.Before(out[j].mod) })
	return out
}

// mainMod is the modification time of account's token file; ok is false
// when there is none (never signed in, or logged out).
func (s *Store) mainMod(account string) (time.Time, bool) {
	path, err := s.Path(account)
	if err != nil {
		return time.Time{}, false
	}
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return time.Time{}, false
	}
	return fi.ModTime(), true
}

// readTemp decodes a temporary file as account's record; ok is false for
// one that is incomplete, damaged or someone else's.
func readTemp(path, account string) (Record, bool) {
	data, err := readPrivate(path)
	if err != nil {
		return Record{}, false
	}
	rec, reason := decode(data)
	return rec, reason == "" && rec.Account == account
}

// Orphans returns the complete records of account in temporary files
// newer than its token file, newest first. With no token file there is
// nothing to recover into (the account was logged out): none. Call it
// under the account's lock.
func (s *Store) Orphans(account string) ([]Orphan, error) {
	main, ok := s.mainMod(account)
	if !ok {
		return nil, nil
	}
	var out []Orphan
	for _, t := range s.temps(account) {
		if !t.mod.After(main) {
			continue
		}
		if rec, ok := readTemp(t.path, account); ok {
			out = append(out, Orphan{Record: rec, Path: t.path, Mod: t.mod})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Mod.After(out[j].Mod) })
	return out, nil
}

// PruneTemps removes account's temporary files that its token file is
// newer than: a later save has superseded them. Call it under the
// account's lock, after a save.
func (s *Store) PruneTemps(account string) {
	main, ok := s.mainMod(account)
	if !ok {
		return
	}
	for _, t := range s.temps(account) {
		if !t.mod.After(main) {
			os.Remove(t.path)
		}
	}
}

// removeStaleTemps runs at Open, without any lock. It removes a temporary
// file when the token file beside it is newer (superseded), and, once it
// is older than staleTemp (no save takes that long), when it is damaged or
// its token file is gone. A complete one newer than its token file stays,
// however old: it may hold the only live refresh token.
func (s *Store) removeStaleTemps() {
	des, err := os.ReadDir(s.dir)
	if err != nil {
		return
	}
	for _, de := range des {
		name := de.Name()
		i := strings.Index(name, tmpInfix)
		if !strings.HasPrefix(name, ".") || i < 0 {
			continue
		}
		fi, err := de.Info()
		if err != nil {
			continue
		}
		path := filepath.Join(s.dir, name)
		account, known := accountFromFile(strings.TrimSuffix(name[1:i], fileExt))
		var main time.Time
		hasMain := false
		if known && strings.HasSuffix(name[1:i], fileExt) {
			main, hasMain = s.mainMod(account)
		}
		switch {
		case hasMain && !fi.ModTime().After(main):
			os.Remove(path)
		case s.now().Sub(fi.ModTime()) <= staleTemp:
			// perhaps a save in progress
		case !hasMain || !fi.Mode().IsRegular():
			os.Remove(path)
		default:
			if _, ok := readTemp(path, account); !ok {
				os.Remove(path)
			}
		}
	}
}
