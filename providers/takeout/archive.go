package takeout

import (
	"archive/zip"
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

// member is one file of an archive: in a folder or a zip.
type member struct {
	display string // what warnings name: "PART.zip: inner/path" or a file path
	inner   string // slash path inside the archive or folder
	size    int64
	open    func() (io.ReadCloser, error)
}

// base is the member's file name.
func (m member) base() string { return pathBase(m.inner) }

func pathBase(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// folder is the member's parent folder name.
func (m member) folder() string {
	p := strings.ReplaceAll(m.inner, `\`, "/")
	i := strings.LastIndex(p, "/")
	if i < 0 {
		return ""
	}
	return pathBase(p[:i])
}

// splitPart matches a part of a split Takeout archive: NAME-001.zip.
var splitPart = regexp.MustCompile(`^(.*-)(\d{3})\.zip$`)

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
			sibs, _ := filepath.Glob(filepath.Join(filepath.Dir(p), globEscape(m[1])+"[0-9][0-9][0-9].zip"))
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
}

func (l *listing) Close() {
	for _, c := range l.closers {
		_ = c.Close()
	}
}

// list opens each archive (folder or zip) and lists its files.
func list(archives []string) *listing {
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
