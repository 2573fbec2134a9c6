package export

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// names lists dir's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestAtomicFileCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	f, err := CreateAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	io.WriteString(f, "date,steps\n")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("target exists before Commit: %v", err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	f.Abort() // after Commit: nothing happens
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "date,steps\n" {
		t.Fatalf("content %q %v", b, err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"out.csv"}) {
		t.Errorf("folder holds %v", got)
	}
	if st, _ := os.Stat(path); runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("new file mode %v, want 0600", st.Mode().Perm())
	}
	if err := f.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
}

// An existing file stays as it was until Commit, keeps its mode after, and
// is untouched by Abort.
func TestAtomicFileReplaceAndAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o644)
	f, err := CreateAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "half a")
	f.Abort()
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("after Abort the file holds %q", b)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"out.json"}) {
		t.Errorf("Abort left %v", got)
	}

	f, err = CreateAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "new")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if b, _ := os.ReadFile(path); string(b) != "new" || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o644) {
		t.Errorf("after Commit: %q mode %v", b, st.Mode().Perm())
	}
}

// A link is followed: the file it points to is replaced, the link stays.
func TestAtomicFileThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.csv")
	link := filepath.Join(dir, "link.csv")
	os.WriteFile(real, []byte("old"), 0o600)
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symlinks:", err)
	}
	f, err := CreateAtomic(link)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "new")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if b, _ := os.ReadFile(real); string(b) != "new" {
		t.Errorf("target holds %q", b)
	}
}

func TestAtomicFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := CreateAtomic(dir); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("a folder as target: %v", err)
	}
	if _, err := CreateAtomic(filepath.Join(dir, "missing", "out.csv")); err == nil || !strings.HasPrefix(err.Error(), "cannot write ") ||
		strings.Contains(err.Error(), ".tmp") {
		t.Errorf("missing folder: %v", err)
	}

	// Commit fails (the target became a non-empty folder meanwhile): the
	// temporary file goes, the error names the target.
	path := filepath.Join(dir, "out.csv")
	f, err := CreateAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "rows")
	os.MkdirAll(filepath.Join(path, "x"), 0o700)
	if err := f.Commit(); err == nil || !strings.Contains(err.Error(), "cannot write "+path) {
		t.Errorf("Commit onto a folder: %v", err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"out.csv"}) {
		t.Errorf("folder holds %v after a failed Commit", got)
	}
}

func TestAtomicFileReadOnlyFolder(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("folder permissions do not stop this user")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	_, err := CreateAtomic(filepath.Join(dir, "out.csv"))
	if err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("read-only folder: %v", err)
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("folder holds %v", got)
	}
}
