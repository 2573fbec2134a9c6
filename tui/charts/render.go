package charts

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Cell colour classes.
const (
	clsPlain    uint8 = iota // no colour (blank cells)
	clsNormal                // the chart's style
	clsSelected              // the selection style
	clsGoal                  // the goal line
	clsToday                 // today's partial day
	numCls
)

// grid is a width x height block of runes, each with a colour class.
// A zero rune is a blank cell.
type grid struct {
	w, h  int
	runes []rune
	class []uint8
}

func newGrid(w, h int) *grid {
	return &grid{w: w, h: h, runes: make([]rune, w*h), class: make([]uint8, w*h)}
}

func (g *grid) set(x, y int, r rune, c uint8) {
	if x < 0 || y < 0 || x >= g.w || y >= g.h {
		return
	}
	g.runes[y*g.w+x] = r
	g.class[y*g.w+x] = c
}

func (g *grid) at(x, y int) rune { return g.runes[y*g.w+x] }

// pen holds the escape sequences that open and close one colour, taken
// from a single Render of a foreground-only copy of a style, so colouring
// a run of cells costs a string copy rather than a Style.Render.
type pen struct{ open, close string }

const penProbe = "\u2588"

// newPen keeps only the style's foreground (and its renderer, hence its
// colour profile): padding, borders, widths, margins and the like would
// break the chart's exact size.
func newPen(s lipgloss.Style) pen {
	fg := s.GetForeground()
	if _, none := fg.(lipgloss.NoColor); none {
		return pen{}
	}
	clean := s.UnsetString().UnsetTransform().
		UnsetBold().UnsetItalic().UnsetUnderline().UnsetStrikethrough().
		UnsetReverse().UnsetBlink().UnsetFaint().UnsetBackground().
		UnsetWidth().UnsetHeight().UnsetMaxWidth().UnsetMaxHeight().
		UnsetAlign().UnsetPadding().UnsetMargins().UnsetMarginBackground().
		UnsetBorderStyle().UnsetBorderTop().UnsetBorderRight().
		UnsetBorderBottom().UnsetBorderLeft().UnsetBorderForeground().
		UnsetBorderBackground().UnsetInline().UnsetTabWidth().
		UnsetUnderlineSpaces().UnsetStrikethroughSpaces().UnsetColorWhitespace()
	out := clean.Render(penProbe)
	i := strings.Index(out, penProbe)
	if i < 0 || strings.Count(out, penProbe) != 1 {
		return pen{}
	}
	p := pen{open: out[:i], close: out[i+len(penProbe):]}
	// Only zero-width escape sequences may surround a cell.
	if ansi.StringWidth(p.open) != 0 || ansi.StringWidth(p.close) != 0 || strings.ContainsAny(p.open+p.close, "\n\r") {
		return pen{}
	}
	return p
}

// render writes the grid line by line; runs of cells with the same colour
// class share one pair of escape sequences. Blank cells are plain spaces.
func (g *grid) render(pens [numCls]pen) string {
	var sb strings.Builder
	sb.Grow(g.h*(g.w*3+1) + 64)
	for y := range g.h {
		if y > 0 {
			sb.WriteByte('\n')
		}
		cur := clsPlain
		row := y * g.w
		for x := range g.w {
			r, c := g.runes[row+x], g.class[row+x]
			if r == 0 || r == ' ' {
				r, c = ' ', clsPlain
			}
			if c != cur {
				sb.WriteString(pens[cur].close)
				sb.WriteString(pens[c].open)
				cur = c
			}
			sb.WriteRune(r)
		}
		sb.WriteString(pens[cur].close)
	}
	return sb.String()
}
