// Package safefile reads the files fittui keeps or is pointed at (token
// files, cache entries, the configuration) without trusting what sits at
// the path: a named pipe would block the read forever, a link to /dev/zero
// would never end, and a link planted in a private folder could make
// fittui read, or change the mode of, a file elsewhere. So a file is
// opened without blocking (and, where asked, without following a link in
// its last element), checked with fstat to be a regular file, and read
// through a size limit.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// NotRegularError: the path names something other than a regular file.
type NotRegularError struct {
	Path string
	Kind string // "a symbolic link", "a named pipe (FIFO)", "a device", ...
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file", e.Path, e.Kind)
}

// TooLargeError: the file is larger than the reader's limit.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s", e.Path, Size(e.Limit))
}

// Size writes a byte count the way messages quote limits: "64 KiB".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Link says whether a link in the path's last element is followed.
type Link bool

const (
	// NoFollow refuses a symbolic link (files fittui writes itself: a link
	// there was put by someone else).
	NoFollow Link = false
	// Follow opens what a link points to (a configuration file kept in a
	// dotfiles repository and linked into place); it must still be a
	// regular file.
	Follow Link = true
)

// Open opens path for reading, never blocking, and returns the file and
// its fstat information if it is a regular file. Otherwise the error is a
// *NotRegularError, or the open error (wrapping fs.ErrNotExist when
// nothing is there).
func Open(path string, link Link) (*os.File, fs.FileInfo, error) {
	f, err := openNonBlocking(path, link == Follow)
	if err != nil {
		if link == NoFollow {
			if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
				return nil, nil, &NotRegularError{Path: path, Kind: "a symbolic link"}
			}
		}
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, &NotRegularError{Path: path, Kind: kind(fi.Mode())}
	}
	return f, fi, nil
}

// ReadFile is Open, then reads the whole file if it holds at most limit
// bytes (a *TooLargeError otherwise; the size is checked as it is read,
// not only trusted from fstat).
func ReadFile(path string, link Link, limit int64) ([]byte, error) {
	f, fi, err := Open(path, link)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(f, fi, path, limit)
}

// ReadAll reads an opened regular file (from Open) through limit.
func ReadAll(f *os.File, fi fs.FileInfo, path string, limit int64) ([]byte, error) {
	if fi.Size() > limit {
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	return data, nil
}

// IsNotRegular reports whether err is a *NotRegularError.
func IsNotRegular(err error) bool {
	var nr *NotRegularError
	return errors.As(err, &nr)
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	}
	return "not a regular file"
}
