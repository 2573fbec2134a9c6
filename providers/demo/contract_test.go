package demo_test

import (
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/demo"
	"github.com/fittui/fittui/providers/providertest"
)

// TestContract: what every provider keeps (package providertest), the
// parts that apply offline.
func TestContract(t *testing.T) {
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	providertest.Run(t, providertest.Harness{Name: demo.Name, Title: "Demo data", Options: map[string]string{"persona": "runner"},
		Start: func(t *testing.T) providertest.Account {
			return providertest.Account{Env: providers.Env{Now: func() time.Time { return now }},
				Day: providers.Date{Year: 2026, Month: time.June, Day: 15}}
		}})
}
