// Package program holds the Context: what every component of the
// dashboard shares (screen size, theme, styles, keys, clock, refresh
// interval). The root model owns it and hands the same pointer to every
// pane, so a theme or size change reaches all of them.
package program

import (
	"time"

	"github.com/fittui/fittui/theme"
	"github.com/fittui/fittui/tui/keys"
)

// Context is shared, read-mostly state. Only the root model writes it.
type Context struct {
	// ScreenWidth and ScreenHeight are the terminal's size.
	ScreenWidth, ScreenHeight int

	Theme   theme.Theme
	Styles  *theme.Styles
	Keys    *keys.KeyMap
	Now     func() time.Time
	Refresh time.Duration
}

// New builds a context; a nil now means time.Now.
func New(t theme.Theme, now func() time.Time, refresh time.Duration) *Context {
	if now == nil {
		now = time.Now
	}
	return &Context{
		Theme:   t,
		Styles:  theme.NewStyles(t),
		Keys:    keys.Default(),
		Now:     now,
		Refresh: refresh,
	}
}
