// Package qr draws QR codes in a terminal with half-block characters: one
// text row holds two module rows (▀ top, ▄ bottom, █ both, space none), so
// a code of n modules plus its quiet zone q needs n+2q columns and
// ceil((n+2q)/2) rows. A code is drawn whole or not at all: callers ask
// Dims or Fit first and fall back to the URL alone when it does not fit.
package qr

import (
	"fmt"
	"strings"

	rscqr "rsc.io/qr"
)

// Ink says which modules the block characters draw.
type Ink int

const (
	// InkLight: blocks are the light modules, spaces the dark ones. Right
	// for light text on a dark background, as most terminals are, when
	// the caller does not colour the code.
	InkLight Ink = iota
	// InkDark: blocks are the dark modules. Right for dark text on a light
	// background, or when the caller styles the code black on white.
	InkDark
)

// Quiet zone widths, in modules. The standard asks for 4; phone cameras
// read codes on screens with 2, which saves room in a terminal.
const (
	StandardQuiet = 4
	MinQuiet      = 2
)

// Code is an encoded QR symbol.
type Code struct {
	n    int
	dark func(x, y int) bool
}

// Encode encodes text at error-correction level L (the smallest code;
// a screen has no smudges).
func Encode(text string) (*Code, error) {
	c, err := rscqr.Encode(text, rscqr.L)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return &Code{n: c.Size, dark: c.Black}, nil
}

// FromMatrix makes a Code from a square matrix of modules (true: dark),
// e.g. to test rendering.
func FromMatrix(m [][]bool) (*Code, error) {
	for _, row := range m {
		if len(row) != len(m) {
			return nil, fmt.Errorf("qr: matrix is not square")
		}
	}
	return &Code{n: len(m), dark: func(x, y int) bool { return m[y][x] }}, nil
}

// Modules is the symbol's width in modules, without quiet zone.
func (c *Code) Modules() int { return c.n }

// Dark reports module (x, y); outside the symbol (the quiet zone) is light.
func (c *Code) Dark(x, y int) bool {
	return x >= 0 && y >= 0 && x < c.n && y < c.n && c.dark(x, y)
}

// Dims is the terminal size the code needs with a quiet zone of quiet
// modules: columns and rows.
func (c *Code) Dims(quiet int) (cols, rows int) {
	w := c.n + 2*max(quiet, 0)
	return w, (w + 1) / 2
}

// Render draws the code with a quiet zone of quiet modules, rows joined
// by "\n" (no trailing newline). Every row has exactly Dims columns. An
// odd last module row is paired with light.
func (c *Code) Render(quiet int, ink Ink) string {
	quiet = max(quiet, 0)
	w, rows := c.Dims(quiet)
	var b strings.Builder
	b.Grow(rows * (w*3 + 1))
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte('\n')
		}
		top := 2*r - quiet
		for x := -quiet; x < c.n+quiet; x++ {
			t, u := c.Dark(x, top), c.Dark(x, top+1)
			if ink == InkLight {
				t, u = !t, !u
			}
			b.WriteString(halfBlock(t, u))
		}
	}
	return b.String()
}

func halfBlock(top, bottom bool) string {
	switch {
	case top && bottom:
		return "█"
	case top:
		return "▀"
	case bottom:
		return "▄"
	}
	return " "
}

// Fit encodes text and draws it with the widest quiet zone, from
// StandardQuiet down to MinQuiet, that fits in cols×rows. ok is false
// (and s empty) when even MinQuiet does not fit or text cannot be
// encoded: show the URL alone then.
func Fit(text string, cols, rows int, ink Ink) (s string, ok bool) {
	c, err := Encode(text)
	if err != nil {
		return "", false
	}
	for q := StandardQuiet; q >= MinQuiet; q-- {
		if w, h := c.Dims(q); w <= cols && h <= rows {
			return c.Render(q, ink), true
		}
	}
	return "", false
}

// Needs is the smallest terminal area (with MinQuiet) a code of text
// takes; ok is false when text cannot be encoded at all.
func Needs(text string) (cols, rows int, ok bool) {
	c, err := Encode(text)
	if err != nil {
		return 0, 0, false
	}
	cols, rows = c.Dims(MinQuiet)
	return cols, rows, true
}
