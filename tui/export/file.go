package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// AtomicFile is an output file that appears whole or not at all: it is
// written as a temporary file in the target's folder, synced, and renamed
// over the target by Commit. Until then the target is untouched (an older
// file of that name stays as it was); Abort, or any failure in Commit,
// removes the temporary file.
type AtomicFile struct {
	*os.File
	path string // the target (symbolic links followed)
	done bool
}

// CreateAtomic starts writing path. A new file gets mode 0600 (it is the
// person's health data); an existing one keeps its mode.
func CreateAtomic(path string) (*AtomicFile, error) {
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved // write where the link points, keep the link
	}
	mode := fs.FileMode(0o600)
	if st, err := os.Stat(target); err == nil {
		if st.IsDir() {
			return nil, fmt.Errorf("%s is a folder: name a file to write", path)
		}
		mode = st.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	if err := f.Chmod(mode); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	return &AtomicFile{File: f, path: target}, nil
}

// Commit syncs the temporary file and renames it over the target.
func (a *AtomicFile) Commit() error {
	if a.done {
		return errors.New("export: file already committed or aborted")
	}
	a.done = true
	tmp := a.Name()
	err := a.Sync()
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, a.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot write %s: %w", a.path, unwrapPath(err))
	}
	syncDir(filepath.Dir(a.path)) // the rename itself survives a crash
	return nil
}

// Abort removes the temporary file; the target stays as it was. It may be
// called after Commit (then it does nothing), so `defer f.Abort()` is safe.
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.Close()
	os.Remove(a.Name())
}

// Path is the file that Commit writes.
func (a *AtomicFile) Path() string { return a.path }

func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync() // not supported everywhere (Windows); best effort
	d.Close()
}

// unwrapPath drops the temporary file's name from an *fs.PathError: the
// person named the target, not ".export.csv.123.tmp".
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
