package takeouttest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// WriteDir writes the archive as a folder under dir.
func WriteDir(dir string, o Options) (*Oracle, error) {
	files, or, err := Files(o)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return nil, err
		}
	}
	return or, nil
}

// Zip encodes files as a zip archive (deflated, at the fastest level:
// the same format to the reader, and the tests' archives are tens of MB).
func Zip(files []File) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, f := range files {
		w, err := zw.Create(f.Name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.Data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Tgz encodes files as a gzipped tar archive, the other format Takeout
// offers.
func Tgz(files []File) ([]byte, error) {
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed) // a valid level: no error
	tw := tar.NewWriter(gz)
	mod := time.Date(2026, 3, 1, 10, 10, 10, 0, time.UTC)
	dirs := map[string]bool{}
	for _, f := range files {
		for d := filepath.ToSlash(filepath.Dir(f.Name)); d != "." && !dirs[d]; d = filepath.ToSlash(filepath.Dir(d)) {
			dirs[d] = true
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: mod}); err != nil {
				return nil, err
			}
		}
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: f.Name, Mode: 0o644, Size: int64(len(f.Data)), ModTime: mod}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.Data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteZip writes the archive as one zip file.
func WriteZip(path string, o Options) (*Oracle, error) {
	return write(path, o, Zip)
}

// WriteTgz writes the archive as one .tgz file.
func WriteTgz(path string, o Options) (*Oracle, error) {
	return write(path, o, Tgz)
}

func write(path string, o Options, enc func([]File) ([]byte, error)) (*Oracle, error) {
	files, or, err := Files(o)
	if err != nil {
		return nil, err
	}
	b, err := enc(files)
	if err != nil {
		return nil, err
	}
	return or, os.WriteFile(path, b, 0o644)
}

// WriteSplit writes the archive as parts zips named like Takeout's:
// dir/base-001.zip, dir/base-002.zip, ...; each part is a complete zip
// holding some of the files.
func WriteSplit(dir, base string, parts int, o Options) ([]string, *Oracle, error) {
	files, or, err := Files(o)
	if err != nil {
		return nil, nil, err
	}
	var paths []string
	for k := range parts {
		var part []File
		for i, f := range files {
			if i%parts == k {
				part = append(part, f)
			}
		}
		b, err := Zip(part)
		if err != nil {
			return nil, nil, err
		}
		p := filepath.Join(dir, fmt.Sprintf("%s-%03d.zip", base, k+1))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return nil, nil, err
		}
		paths = append(paths, p)
	}
	return paths, or, nil
}
