//go:build unix

package tokenstore

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// checkFolder applies ssh's rule for ~/.ssh to the token folder dir (fi
// is its Stat) and every folder above it, links resolved: each must be
// owned by the user (a parent may also be root's) and not writable by
// group or others, except a parent with the sticky bit (/tmp), where
// others cannot rename or delete what is not theirs. A token folder that
// others can only read is narrowed to 0700, with a warning that it was
// open.
func checkFolder(dir string, fi fs.FileInfo) (*PermWarning, error) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		real = dir
	}
	me := os.Geteuid()
	for p := filepath.Dir(real); ; p = filepath.Dir(p) {
		pfi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("token store: cannot check %s: %w", p, err)
		}
		if uid, ok := owner(pfi); ok && uid != me && uid != 0 {
			return nil, &PermError{Dir: dir, At: p, Mode: pfi.Mode(),
				Problem: "is owned by " + who(uid) + ", not by you or root",
				Fix:     "chown " + chownName(me) + " " + p, Hint: ", or keep fittui's state elsewhere (XDG_STATE_HOME)"}
		}
		if pfi.Mode().Perm()&0o022 != 0 && pfi.Mode()&fs.ModeSticky == 0 {
			return nil, &PermError{Dir: dir, At: p, Mode: pfi.Mode(),
				Problem: "is writable by other users", Check: true, Fix: "chmod go-w " + p}
		}
		if next := filepath.Dir(p); next == p {
			break
		}
	}
	if uid, ok := owner(fi); ok && uid != me {
		return nil, &PermError{Dir: dir, At: dir, Mode: fi.Mode(),
			Problem: "is owned by " + who(uid) + ", not by you",
			Fix:     "chown -R " + chownName(me) + " " + dir}
	}
	mode := fi.Mode().Perm()
	if mode == dirMode {
		return nil, nil
	}
	// An open folder with nothing in it has exposed nothing and holds
	// nothing anyone could have planted: narrowing it is enough (a new
	// folder under umask 000, say).
	holds := holdsFiles(dir)
	if mode&0o022 != 0 && holds {
		// Not narrowed: the refusal must stay until the person has looked.
		return nil, &PermError{Dir: dir, At: dir, Mode: fi.Mode(),
			Problem: "is writable by other users", Check: true, Fix: "chmod 700 " + dir}
	}
	// Also covers a folder made narrower than 0700 (a strict umask):
	// fittui must be able to write into it.
	if err := os.Chmod(dir, dirMode); err != nil {
		if mode&0o077 == 0 {
			// Narrower than 0700 and not ours to change: writes will fail
			// with a clear error later; nothing is exposed.
			return nil, nil
		}
		return nil, &PermError{Dir: dir, At: dir, Mode: fi.Mode(),
			Problem: "is open to other users and could not be narrowed to 0700", Fix: "chmod 700 " + dir, Err: err}
	}
	if mode&0o077 != 0 && holds {
		return &PermWarning{Dir: dir, Mode: fi.Mode()}, nil
	}
	return nil, nil
}

// holdsFiles reports whether dir has any entry (or cannot be listed).
func holdsFiles(dir string) bool {
	d, err := os.Open(dir)
	if err != nil {
		return true
	}
	defer d.Close()
	names, _ := d.Readdirnames(1)
	return len(names) > 0
}

func owner(fi fs.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

// who is "user NAME (uid N)", or "user N" when N has no name.
func who(uid int) string {
	if name := chownName(uid); name != strconv.Itoa(uid) {
		return "user " + name + " (uid " + strconv.Itoa(uid) + ")"
	}
	return "user " + strconv.Itoa(uid)
}

// chownName is uid's login name, or the number when it has none.
func chownName(uid int) string {
	id := strconv.Itoa(uid)
	if u, err := user.LookupId(id); err == nil && u.Username != "" {
		return u.Username
	}
	return id
}
