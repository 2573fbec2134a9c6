package wiring

import (
	"github.com/fittui/fittui/providers"
)

// withImported appends the accounts providers keep by themselves
// (Registration.Stored: the archives imported with `fittui import`) whose
// names are not already in list: a configured account of the same name is
// the one used. A provider that cannot list them is a warning, not a
// failure.
func (s *Setup) withImported(list []Account) ([]Account, error) {
	seen := make(map[string]bool, len(list))
	for _, a := range list {
		seen[a.Name] = true
	}
	for _, r := range providers.Listed() {
		if r.Stored == nil {
			continue
		}
		specs, err := r.Stored()
		if err != nil {
			s.warn(err)
			continue // the other accounts still work
		}
		for _, spec := range specs {
			if seen[spec.Name] {
				continue
			}
			seen[spec.Name] = true
			list = append(list, AccountOf(providers.AccountSpec{Name: spec.Name, Provider: r.Name, Options: spec.Options}))
		}
	}
	return list, nil
}
