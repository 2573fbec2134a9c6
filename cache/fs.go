package cache

import (
	"path/filepath"

	"github.com/fittui/fittui/cache/safefile"
)

// FS is the file operations through which a store writes its entries and
// budgets read and write their state: the operating system's (OSFS) in
// fittui, one with faults in tests (a full disk, an unreadable file),
// since permissions do not stop a test run as root.
type FS interface {
	// WriteAtomic writes data to a temporary file in path's folder,
	// synced when sync, and renames it to path.
	WriteAtomic(path string, data []byte, sync bool) error
	// ReadFile reads the regular file at path (not through a link, never
	// blocking) of at most limit bytes.
	ReadFile(path string, limit int64) ([]byte, error)
}

// OSFS is the operating system's files.
type OSFS struct{}

func (OSFS) WriteAtomic(path string, data []byte, sync bool) error {
	return writeAtomic(filepath.Dir(path), path, data, sync)
}

func (OSFS) ReadFile(path string, limit int64) ([]byte, error) {
	return safefile.ReadFile(path, safefile.NoFollow, limit)
}
