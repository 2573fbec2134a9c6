package takeout_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/fittui/fittui/providers/takeout"
	"github.com/fittui/fittui/providers/takeout/takeouttest"
)

// hugeLineZip is a small zip of a real archive plus one member holding
// a header and then a single line of n bytes (it compresses to almost
// nothing, as in a malicious archive).
func hugeLineZip(t *testing.T, member, header string, n int) string {
	t.Helper()
	files, _, err := takeouttest.Files(takeouttest.Options{Persona: "office", From: from, To: from.AddDays(1), Layout: takeouttest.GoogleTakeout})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed) // 96 MB of one digit, five times
	})
	for _, f := range files {
		if f.Name == member {
			continue
		}
		w, _ := zw.Create(f.Name)
		_, _ = w.Write(f.Data)
	}
	w, err := zw.Create(member)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(header)); err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte{'7'}, 1<<20)
	for left := n; left > 0; left -= len(chunk) {
		if _, err := w.Write(chunk[:min(left, len(chunk))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "takeout.zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// allocated is what f allocates in all (runtime.MemStats.TotalAlloc).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// One long line in a CSV or the profile (a 96 MB line in a zip of a few
// hundred kB) is refused with a clear message, in bounded memory; the
// rest of the archive is imported.
func TestHugeLinesAreRefusedInBoundedMemory(t *testing.T) {
	const lineBytes = 96 << 20
	for _, c := range []struct {
		member, header, want string
	}{
		{"Takeout/Fitbit/Physical Activity_GoogleData/heart_rate_2024-01-08.csv", "timestamp,beats per minute,data source\n2024-01-08T00:00:00Z,", "longer than"},
		{"Takeout/Fitbit/Physical Activity_GoogleData/heart_rate_2024-01-08.csv", "timestamp,beats per minute,data source\n\"", "longer than"}, // inside quotes: newlines would not end it
		{"Takeout/Fitbit/Your Profile/Profile.csv", "id,full_name,display_name,timezone\nA,", "larger than"},
		{"Takeout/Fitbit/Sleep Score/sleep_score.csv", "sleep_log_entry_id,timestamp,overall_score\n", "longer than"},
		{"Takeout/Fitbit/Global Export Data/heart_rate-2024-01-08.json", `[{"dateTime":"`, "larger than"}, // one list item
	} {
		path := hugeLineZip(t, c.member, c.header, lineBytes)
		var rep *takeout.Report
		var err error
		n := allocated(func() {
			rep, err = takeout.Import(context.Background(), takeout.Options{Paths: []string{path}, Account: "big", Root: t.TempDir()})
		})
		if err != nil {
			t.Fatalf("%s: %v", c.member, err)
		}
		// Less than the line itself: a reader that holds the line fails.
		t.Logf("%s: %d MB allocated", c.member, n>>20)
		if n > 64<<20 {
			t.Errorf("%s: the import allocated %d MB for a %d MB line", c.member, n>>20, lineBytes>>20)
		}
		ok := false
		for _, s := range rep.Skipped {
			if strings.HasSuffix(s.File, c.member) && strings.Contains(s.Reason, c.want) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s: skipped %v, want it named with %q", c.member, rep.Skipped, c.want)
		}
		if f := found(rep, "steps"); f.Samples == 0 {
			t.Errorf("%s: the rest of the archive was not imported: %+v", c.member, rep.Found)
		}
	}
}
