package theme

import (
	"strconv"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Resolve fixes t's colours for one terminal: adaptive colours become the
// light or dark variant, and every colour is converted to profile once.
//
// lipgloss converts a colour each time a style renders; in a 16- or
// 256-colour terminal that is a nearest-colour search in HSLuv space per
// styled piece of text, which made redrawing the dashboard several times
// dearer. Resolved colours are plain ANSI indexes that need no search.
func Resolve(t Theme, profile termenv.Profile, dark bool) Theme {
	if t.Mono {
		return t
	}
	r := func(c lipgloss.TerminalColor) lipgloss.TerminalColor { return resolve(c, profile, dark) }
	t.Text, t.Muted, t.Border, t.Accent = r(t.Text), r(t.Muted), r(t.Border), r(t.Accent)
	t.Good, t.Warn, t.Bad = r(t.Good), r(t.Warn), r(t.Bad)
	t.Heart, t.Steps, t.Sleep, t.Weight = r(t.Heart), r(t.Steps), r(t.Sleep), r(t.Weight)
	t.Deep, t.Light, t.REM, t.Wake = r(t.Deep), r(t.Light), r(t.REM), r(t.Wake)
	return t
}

func resolve(c lipgloss.TerminalColor, profile termenv.Profile, dark bool) lipgloss.TerminalColor {
	var s string
	switch v := c.(type) {
	case lipgloss.AdaptiveColor:
		s = v.Light
		if dark {
			s = v.Dark
		}
	case lipgloss.Color:
		s = string(v)
	default:
		return c
	}
	switch tc := profile.Color(s).(type) {
	case termenv.ANSIColor:
		return lipgloss.Color(strconv.Itoa(int(tc)))
	case termenv.ANSI256Color:
		return lipgloss.Color(strconv.Itoa(int(tc)))
	case termenv.RGBColor:
		return lipgloss.Color(string(tc))
	}
	return lipgloss.NoColor{}
}
