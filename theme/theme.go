// Package theme holds fittui's colour themes and the styles built from them.
//
// A Theme is a palette; NewStyles turns it into the lipgloss styles every
// component uses. Styles are built once per theme at start-up and handed
// around in the program context: nothing creates a style while drawing.
package theme

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Names lists the themes fittui knows, default first.
func Names() []string { return []string{"default", "high-contrast", "mono"} }

// Theme is a named colour palette. In the mono theme every colour is
// lipgloss.NoColor and the styles use bold, faint, reverse and underline
// instead.
type Theme struct {
	Name string
	Mono bool

	Text   lipgloss.TerminalColor // ordinary text
	Muted  lipgloss.TerminalColor // labels, secondary text
	Border lipgloss.TerminalColor // unfocused pane borders
	Accent lipgloss.TerminalColor // focus, selection, active tab

	Good lipgloss.TerminalColor // goal reached, status ok
	Warn lipgloss.TerminalColor // loading, rate limited, low battery soon
	Bad  lipgloss.TerminalColor // errors, low battery

	Heart  lipgloss.TerminalColor
	Steps  lipgloss.TerminalColor
	Sleep  lipgloss.TerminalColor
	Weight lipgloss.TerminalColor

	// Sleep stages.
	Deep  lipgloss.TerminalColor
	Light lipgloss.TerminalColor
	REM   lipgloss.TerminalColor
	Wake  lipgloss.TerminalColor
}

// Lookup returns the theme with the given name; "" means "default".
func Lookup(name string) (Theme, error) {
	switch name {
	case "", "default":
		return defaultTheme(), nil
	case "high-contrast":
		return highContrast(), nil
	case "mono":
		return mono(), nil
	}
	return Theme{}, fmt.Errorf("unknown theme %q (known: %s)", name, strings.Join(Names(), ", "))
}

// ForEnv is Lookup that also honours NO_COLOR (https://no-color.org): when
// it is set to anything non-empty the mono theme is used whatever name says.
// An unknown name is still an error so a typo is never hidden.
func ForEnv(name string, getenv func(string) string) (Theme, error) {
	t, err := Lookup(name)
	if err != nil {
		return t, err
	}
	if getenv != nil && getenv("NO_COLOR") != "" {
		return mono(), nil
	}
	return t, nil
}

func ac(light, dark string) lipgloss.AdaptiveColor {
	return lipgloss.AdaptiveColor{Light: light, Dark: dark}
}

// defaultTheme adapts to the terminal's background (see SetupBackground).
func defaultTheme() Theme {
	return Theme{
		Name:   "default",
		Text:   ac("#1f2328", "#e6edf3"),
		Muted:  ac("#6e7781", "#8b949e"),
		Border: ac("#afb8c1", "#484f58"),
		Accent: ac("#0969da", "#58a6ff"),
		Good:   ac("#1a7f37", "#3fb950"),
		Warn:   ac("#9a6700", "#d29922"),
		Bad:    ac("#cf222e", "#f85149"),
		Heart:  ac("#cf222e", "#ff7b72"),
		Steps:  ac("#1a7f37", "#56d364"),
		Sleep:  ac("#8250df", "#bc8cff"),
		Weight: ac("#9a6700", "#e3b341"),
		Deep:   ac("#3e1f79", "#6e40c9"),
		Light:  ac("#218bff", "#79c0ff"),
		REM:    ac("#bf3989", "#f778ba"),
		Wake:   ac("#bc4c00", "#ffa657"),
	}
}

// highContrast uses pure, saturated colours and black/white text.
func highContrast() Theme {
	return Theme{
		Name:   "high-contrast",
		Text:   ac("#000000", "#ffffff"),
		Muted:  ac("#262626", "#e4e4e4"),
		Border: ac("#000000", "#ffffff"),
		Accent: ac("#0000d7", "#00ffff"),
		Good:   ac("#005f00", "#00ff00"),
		Warn:   ac("#5f5f00", "#ffff00"),
		Bad:    ac("#af0000", "#ff5f5f"),
		Heart:  ac("#af0000", "#ff5f5f"),
		Steps:  ac("#005f00", "#00ff00"),
		Sleep:  ac("#5f00af", "#d787ff"),
		Weight: ac("#5f5f00", "#ffff00"),
		Deep:   ac("#00005f", "#8787ff"),
		Light:  ac("#005faf", "#5fd7ff"),
		REM:    ac("#870087", "#ff87ff"),
		Wake:   ac("#af5f00", "#ffaf00"),
	}
}

// mono has no colours at all.
func mono() Theme {
	n := lipgloss.NoColor{}
	return Theme{
		Name: "mono", Mono: true,
		Text: n, Muted: n, Border: n, Accent: n,
		Good: n, Warn: n, Bad: n,
		Heart: n, Steps: n, Sleep: n, Weight: n,
		Deep: n, Light: n, REM: n, Wake: n,
	}
}
