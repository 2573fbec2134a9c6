package takeout_test

import (
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/providertest"
	"github.com/fittui/fittui/providers/takeout"
	"github.com/fittui/fittui/providers/takeout/takeouttest"
)

// TestContract: what every provider keeps (package providertest), the
// parts that apply offline, on a three-day archive.
func TestContract(t *testing.T) {
	dir, root := t.TempDir(), t.TempDir()
	if _, err := takeouttest.WriteDir(dir, takeouttest.Options{Persona: "office", From: from, To: from.AddDays(2),
		Layout: takeouttest.FitbitExport}); err != nil {
		t.Fatal(err)
	}
	imp(t, root, "contract", dir) // the suite's account name
	providertest.Run(t, providertest.Harness{Name: takeout.Name, Title: "Imported archive", Options: map[string]string{"root": root},
		Start: func(t *testing.T) providertest.Account {
			return providertest.Account{Env: providers.Env{Now: func() time.Time { return nowFix }}, Day: from.AddDays(1)}
		}})
}
