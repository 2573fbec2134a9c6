package takeout

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// member is one file of an archive: in a folder, a zip or a .tgz.
type member struct {
	display string // what warnings name: "PART.zip: inner/path" or a file path
	inner   string // slash path inside the archive or folder
	size    int64
	// open reads the member on its own (folders and zips). Nil for a
	// member of a .tgz, which can only be read in order (see tgz).
	open func() (io.ReadCloser, error)
	tgz  *tgzArchive
}

// base is the member's file name.
func (m member) base() string { return pathBase(m.inner) }

func pathBase(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// folders are the member's parent folder names, innermost first.
func (m member) folders() []string {
	p := strings.ReplaceAll(m.inner, `\`, "/")
	parts := strings.Split(p, "/")
	parts = parts[:len(parts)-1]
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return parts
}

// folder is the member's parent folder name.
func (m member) folder() string {
	if f := m.folders(); len(f) > 0 {
		return f[0]
	}
	return ""
}

// inFolder reports whether a folder above the member ends in suffix
// (case-insensitive): the newest Takeout nests one folder per family
// under "Physical Activity_GoogleData".
func (m member) inFolder(suffix string) bool {
	for _, f := range m.folders() {
		if strings.HasSuffix(strings.ToLower(f), suffix) {
			return true
		}
	}
	return false
}

// splitPart matches a part of a split Takeout archive: NAME-001.zip or
// NAME-001.tgz.
var splitPart = regexp.MustCompile(`^(.*-)(\d{3})\.(zip|tgz)$`)

// isTgz reports whether a path names a gzipped tar by its extension.
func isTgz(p string) bool {
	p = strings.ToLower(p)
	return strings.HasSuffix(p, ".tgz") || strings.HasSuffix(p, ".tar.gz")
}

// expand turns the paths given into the archives to read: a part of a
// split archive brings its siblings; duplicates are dropped. Sorted, so
// the order files are read in (and so which copy of a record wins) does
// not depend on how the paths were typed.
func expand(paths []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, errors.Unwrap(err))
		}
		add(p)
		if fi.IsDir() {
			continue
		}
		if m := splitPart.FindStringSubmatch(filepath.Base(p)); m != nil {
			sibs, _ := filepath.Glob(filepath.Join(filepath.Dir(p), globEscape(m[1])+"[0-9][0-9][0-9]."+m[3]))
			for _, s := range sibs {
				add(s)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

func globEscape(s string) string {
	r := strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`)
	return r.Replace(s)
}

// listing is every member of the archives, and what could not be read.
type listing struct {
	members []member
	skipped []Skip
	closers []io.Closer
	tgzs    []*tgzArchive
}

func (l *listing) Close() {
	for _, c := range l.closers {
		_ = c.Close()
	}
}

// list opens each archive (folder, zip or .tgz) and lists its files. A
// .tgz is read through once to list it; see, if not nil, hears each of
// its members then, so what needs reading before the import proper is
// read in the same pass.
func list(archives []string, see func(m member, r io.Reader)) *listing {
	l := &listing{}
	for _, a := range archives {
		fi, err := os.Stat(a)
		if err != nil {
			l.skipped = append(l.skipped, Skip{File: a, Reason: err.Error()})
			continue
		}
		if fi.IsDir() {
			l.walkDir(a)
			continue
		}
		if isTgz(a) {
			l.listTgz(a, see)
			continue
		}
		zr, err := zip.OpenReader(a)
		if err != nil {
			l.skipped = append(l.skipped, Skip{File: a, Reason: "not a readable zip archive (damaged or incompletely downloaded?): " + err.Error()})
			continue
		}
		l.closers = append(l.closers, zr)
		name := filepath.Base(a)
		for _, f := range zr.File {
			if f.FileInfo().IsDir() {
				continue
			}
			f := f
			l.members = append(l.members, member{
				display: name + ": " + f.Name,
				inner:   f.Name,
				size:    int64(f.UncompressedSize64),
				open:    func() (io.ReadCloser, error) { return f.Open() },
			})
		}
	}
	return l
}

func (l *listing) walkDir(root string) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			l.skipped = append(l.skipped, Skip{File: p, Reason: err.Error()})
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		p2 := p
		l.members = append(l.members, member{
			display: p,
			inner:   filepath.ToSlash(rel),
			size:    fi.Size(),
			open:    func() (io.ReadCloser, error) { return os.Open(p2) },
		})
		return nil
	})
}

// tgzArchive is a gzipped tar: its members can only be read in order,
// so the import reads it through once to list it and once more to import
// it (a zip or folder is read once).
type tgzArchive struct {
	path, name string
	// broken is why the archive stopped being readable at some member
	// (the members before it were listed and are read).
	broken string
}

func (l *listing) listTgz(path string, see func(m member, r io.Reader)) {
	t := &tgzArchive{path: path, name: filepath.Base(path)}
	n := 0
	err := t.each(func(h *tar.Header, r io.Reader) error {
		m := member{display: t.name + ": " + h.Name, inner: h.Name, size: h.Size, tgz: t}
		l.members = append(l.members, m)
		n++
		if see != nil {
			see(m, r)
		}
		return nil
	})
	if err != nil {
		reason := "not a readable .tgz archive (damaged or incompletely downloaded?): " + err.Error()
		if n > 0 {
			reason = fmt.Sprintf("damaged or cut short after %d files (the files before it are read): %v", n, err)
			t.broken = reason
		}
		l.skipped = append(l.skipped, Skip{File: t.name, Reason: reason})
	}
	if n > 0 {
		l.tgzs = append(l.tgzs, t)
	}
}

// each calls f with each regular file of the archive, in order.
func (t *tgzArchive) each(f func(h *tar.Header, r io.Reader) error) error {
	fh, err := os.Open(t.path)
	if err != nil {
		return err
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		return err
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if err := f(h, tr); err != nil {
			return err
		}
	}
}

// errStop ends a walk over a .tgz early.
var errStop = errors.New("stop")

// read calls f for each member of ms with its content: folder and zip
// members in the order given, then each .tgz's in the archive's order in
// one pass over it. f's error stops the walk and is returned (a member
// that cannot be opened is reported to skip instead).
func read(ms []member, skip func(m member, reason string), f func(m member, r io.Reader) error) error {
	byTgz := map[*tgzArchive]map[string]member{}
	var tgzs []*tgzArchive
	for _, m := range ms {
		if m.tgz != nil {
			if byTgz[m.tgz] == nil {
				byTgz[m.tgz] = map[string]member{}
				tgzs = append(tgzs, m.tgz)
			}
			byTgz[m.tgz][m.inner] = m
			continue
		}
		rc, err := m.open()
		if err != nil {
			skip(m, err.Error())
			continue
		}
		err = f(m, rc)
		_ = rc.Close()
		if err != nil {
			return err
		}
	}
	for _, t := range tgzs {
		want := byTgz[t]
		var ferr error
		err := t.each(func(h *tar.Header, r io.Reader) error {
			m, ok := want[h.Name]
			if !ok {
				return nil
			}
			delete(want, h.Name)
			if ferr = f(m, r); ferr != nil {
				return errStop
			}
			if len(want) == 0 {
				return errStop
			}
			return nil
		})
		if ferr != nil {
			return ferr
		}
		if err != nil && err != errStop && t.broken == "" {
			for _, m := range want {
				skip(m, "the archive is damaged before this file: "+err.Error())
			}
		}
	}
	return nil
}
