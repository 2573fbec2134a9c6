package theme

import (
	"os"

	// Imported for its place in the initialisation order: this package's
	// init runs after Bubble Tea's (see package termquiet).
	_ "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/fittui/fittui/theme/internal/termquiet"
)

// init ends the quiet start: Bubble Tea's init has run without querying
// the terminal, so TERM gets its value back. termenv and lipgloss looked
// at the terminal while TERM was "dumb", so their defaults are set up
// again from the real environment, and the background is decided from
// COLORFGBG (dark when unknown) without asking the terminal, for every
// command: nothing in fittui needs the terminal's answer.
func init() {
	termquiet.Restore()
	out := termenv.NewOutput(os.Stdout)
	termenv.SetDefaultOutput(out)
	lipgloss.DefaultRenderer().SetOutput(out)
	lipgloss.SetColorProfile(out.EnvColorProfile())
	SetupBackground(os.Getenv)
}
