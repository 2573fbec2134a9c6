package theme

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// DarkFromEnv reads COLORFGBG ("fg;bg" or "fg;extra;bg"), which rxvt,
// Konsole and others set, and reports whether the background is dark.
// known is false when the variable is missing or unreadable.
func DarkFromEnv(getenv func(string) string) (dark, known bool) {
	if getenv == nil {
		return true, false
	}
	v := getenv("COLORFGBG")
	if v == "" {
		return true, false
	}
	parts := strings.Split(v, ";")
	bg, err := strconv.Atoi(strings.TrimSpace(parts[len(parts)-1]))
	if err != nil || bg < 0 || bg > 255 {
		return true, false
	}
	// ANSI 7 (white) and 9..15 (bright colours) are light backgrounds.
	return !(bg == 7 || (bg >= 9 && bg <= 15)), true
}

// SetupBackground decides once, without asking the terminal, whether the
// background is dark and tells lipgloss so that adaptive colours never
// trigger lipgloss's own terminal query: that query (OSC 11) can stall the
// first frame for seconds on terminals that do not answer it. Without
// COLORFGBG a dark background is assumed. It returns the decision.
func SetupBackground(getenv func(string) string) bool {
	dark, _ := DarkFromEnv(getenv)
	lipgloss.SetHasDarkBackground(dark)
	return dark
}
