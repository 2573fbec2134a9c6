//go:build !unix

package safefile

import (
	"io/fs"
	"os"
)

// openNonBlocking: without O_NOFOLLOW, a link is refused by looking first
// (there are no named pipes to block on here). Open checks the opened
// file with fstat either way.
func openNonBlocking(path string, follow bool) (*os.File, error) {
	if !follow {
		fi, err := os.Lstat(path)
		if err != nil {
			return nil, err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return nil, &NotRegularError{Path: path, Kind: "a symbolic link"}
		}
	}
	return os.Open(path)
}
