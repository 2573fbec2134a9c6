package wiring

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/takeout"
	"github.com/fittui/fittui/providers/takeout/takeouttest"
)

// TestMain keeps every test of the package away from the person's
// imported archives: Accounts lists $XDG_DATA_HOME/fittui/archives.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "connect-data-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_DATA_HOME", dir)
	xdg.Reload()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestAccountsIncludeImportedArchives(t *testing.T) {
	from := providers.Date{Year: 2024, Month: time.January, Day: 8}
	src := t.TempDir()
	if _, err := takeouttest.WriteDir(src, takeouttest.Options{From: from, To: from.AddDays(1), Layout: takeouttest.FitbitExport}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"old", "me"} {
		if _, err := takeout.Import(context.Background(), takeout.Options{Paths: []string{src}, Account: name}); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { _ = os.RemoveAll(takeout.DefaultRoot()) })
	if !strings.HasPrefix(takeout.DefaultRoot(), os.Getenv("XDG_DATA_HOME")) {
		t.Fatalf("archives root %s is not under the test's XDG_DATA_HOME", takeout.DefaultRoot())
	}

	// "me" is configured (the configured account wins); "old" is only imported.
	s := newSetup(t, loadConfig(t, "[[account]]\nname = \"me\"\nprovider = \"demo\"\n", nil))
	accs, err := s.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	if len(accs) != 2 || accs[0].Name != "me" || accs[0].Provider != "demo" || accs[1].Name != "old" || accs[1].Provider != takeout.Name || accs[1].Configured {
		t.Fatalf("accounts %+v", accs)
	}
	opened, err := s.Open(accs[1])
	if err != nil {
		t.Fatal(err)
	}
	p := opened.Provider
	sum, err := p.DaySummary(context.Background(), from)
	if err != nil || sum.Steps == 0 {
		t.Errorf("imported account's day: %+v %v", sum, err)
	}

	// An unreadable archives folder does not hide the other accounts.
	root := takeout.DefaultRoot()
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Dir(root)+"/archives", []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}
	var warned error
	s = newSetup(t, loadConfig(t, "[[account]]\nname = \"me\"\nprovider = \"demo\"\n", nil))
	s.OnWarning = func(err error) { warned = err }
	accs, err = s.Accounts()
	if err != nil || len(accs) != 1 || warned == nil {
		t.Errorf("accounts %+v err %v warning %v", accs, err, warned)
	}
}
