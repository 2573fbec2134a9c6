package wiring

import (
	"github.com/fittui/fittui/providers/takeout"
)

// withImported appends the accounts imported with `fittui import` (the
// takeout provider's index under $XDG_DATA_HOME/fittui/archives) whose
// names are not already in list: a configured account of the same name is
// the one used. An unreadable archives folder is a warning, not a failure.
func (s *Setup) withImported(list []Account) ([]Account, error) {
	infos, err := takeout.Accounts("")
	if err != nil {
		s.warn(err)
		return list, nil // the other accounts still work
	}
	seen := make(map[string]bool, len(list))
	for _, a := range list {
		seen[a.Name] = true
	}
	for _, info := range infos {
		if seen[info.Name] {
			continue
		}
		list = append(list, Account{Name: info.Name, Provider: takeout.Name})
	}
	return list, nil
}
