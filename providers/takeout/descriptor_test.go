package takeout_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/takeout"
	"github.com/fittui/fittui/providers/takeout/takeouttest"
)

// TestServesWhatTheDescriptorSays: an imported day is as fine as the
// registration tells the README and the UI, and the registration's
// importer and stored accounts are the package's.
func TestServesWhatTheDescriptorSays(t *testing.T) {
	dir, root := filepath.Join(t.TempDir(), "export"), t.TempDir()
	if _, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "office", From: from, To: from.AddDays(1), Layout: takeouttest.FitbitExport}); err != nil {
		t.Fatal(err)
	}
	imp(t, root, "old", dir)
	in, err := open(t, root, "old").Intraday(context.Background(), from)
	if err != nil {
		t.Fatal(err)
	}
	reg, ok := providers.Lookup(takeout.Name)
	if !ok || len(in.Steps.Samples) == 0 || len(in.HeartRate.Samples) == 0 {
		t.Fatalf("registered %v; %d steps, %d heart-rate samples", ok, len(in.Steps.Samples), len(in.HeartRate.Samples))
	}
	if err := reg.CheckIntraday(in); err != nil {
		t.Fatal(err)
	}
	if reg.Import == nil || reg.Import.DefaultAccount != takeout.DefaultImportAccount || reg.Stored == nil ||
		!strings.Contains(reg.Import.Long, "$XDG_DATA_HOME/fittui/archives") {
		t.Fatalf("importer %+v", reg.Import)
	}
}
