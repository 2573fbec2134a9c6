// Package theme holds fittui's colour themes and the styles built from them.
// STUB: the TUI helper replaces this file.
package theme

import "fmt"

// Names lists the themes fittui knows, default first.
func Names() []string { return []string{"default", "high-contrast", "mono"} }

// Theme is a named colour palette.
type Theme struct{ Name string }

// Lookup returns the theme with the given name.
func Lookup(name string) (Theme, error) {
	for _, n := range Names() {
		if n == name {
			return Theme{Name: n}, nil
		}
	}
	return Theme{}, fmt.Errorf("unknown theme %q (known: default, high-contrast, mono)", name)
}
