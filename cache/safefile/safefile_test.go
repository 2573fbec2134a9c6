package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "file")
	if err := os.WriteFile(regular, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(regular, link); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(regular, NoFollow, 5); err != nil || string(b) != "hello" {
		t.Fatalf("regular: %q %v", b, err)
	}
	if b, err := ReadFile(link, Follow, 5); err != nil || string(b) != "hello" {
		t.Fatalf("followed link: %q %v", b, err)
	}
	var nr *NotRegularError
	if _, err := ReadFile(link, NoFollow, 5); !errors.As(err, &nr) || nr.Kind != "a symbolic link" || !strings.Contains(err.Error(), link) {
		t.Fatalf("link not followed: %v", err)
	}
	var tl *TooLargeError
	if _, err := ReadFile(regular, NoFollow, 4); !errors.As(err, &tl) || !strings.Contains(err.Error(), "larger than 4 bytes") {
		t.Fatalf("limit: %v", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), NoFollow, 4); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing: %v", err)
	}
	if _, err := ReadFile(dir, Follow, 4); !errors.As(err, &nr) || nr.Kind != "a folder" {
		t.Fatalf("folder: %v", err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{1 << 20: "1 MiB", 64 << 10: "64 KiB", 1000: "1000 bytes", 64 << 20: "64 MiB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
