package charts

import (
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// Helpers shared by the chart tests.

var noStyle = lipgloss.NewStyle()

// trueColor returns a renderer that always emits 24-bit colour, whatever
// the test's terminal (the default renderer is ASCII under go test).
func trueColor() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	return r
}

// Foreground SGR parameters of the test colours under TrueColor.
const (
	redSGR  = "38;2;255;0;0"
	blueSGR = "38;2;0;0;255"
)

// assertSize fails unless s is exactly h lines of exactly w cells.
func assertSize(t *testing.T, s string, w, h int) {
	t.Helper()
	if w <= 0 || h <= 0 {
		if s != "" {
			t.Fatalf("size %dx%d: got %q, want empty", w, h, s)
		}
		return
	}
	lines := strings.Split(s, "\n")
	if len(lines) != h {
		t.Fatalf("size %dx%d: got %d lines:\n%s", w, h, len(lines), s)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("size %dx%d: line %d is %d cells wide: %q", w, h, i, got, l)
		}
		if got := lipgloss.Width(l); got != w {
			t.Fatalf("size %dx%d: line %d is %d cells wide for lipgloss: %q", w, h, i, got, l)
		}
	}
}

// cells returns the chart's runes, row by row, without escape sequences.
func cells(s string) [][]rune {
	var out [][]rune
	for _, l := range strings.Split(ansi.Strip(s), "\n") {
		out = append(out, []rune(l))
	}
	return out
}

// colours returns, for every cell, the SGR parameters in force when it was
// written ("" for none).
func colours(s string) [][]string {
	var out [][]string
	for _, l := range strings.Split(s, "\n") {
		var row []string
		cur := ""
		for i := 0; i < len(l); {
			if l[i] == '\x1b' && i+1 < len(l) && l[i+1] == '[' {
				j := strings.IndexByte(l[i:], 'm')
				if j < 0 {
					break
				}
				params := l[i+2 : i+j]
				if params == "0" || params == "" {
					cur = ""
				} else {
					cur = params
				}
				i += j + 1
				continue
			}
			_, n := utf8.DecodeRuneInString(l[i:])
			row = append(row, cur)
			i += n
		}
		out = append(out, row)
	}
	return out
}

// eighths is the height in eighths of a lower block rune (0 for others).
func eighths(r rune) int {
	if r >= '▁' && r <= '█' {
		return int(r-'▁') + 1
	}
	return 0
}

// columnHeights sums, per column, the block heights in eighths.
func columnHeights(s string) []int {
	rows := cells(s)
	if len(rows) == 0 {
		return nil
	}
	h := make([]int, len(rows[0]))
	for _, row := range rows {
		for x, r := range row {
			h[x] += eighths(r)
		}
	}
	return h
}

// brailleDots returns which dot rows (0 top .. 3 bottom) a braille rune
// sets, in any of its two dot columns.
func brailleDots(r rune) [4]bool {
	var d [4]bool
	if r < 0x2800 || r > 0x28FF {
		return d
	}
	b := r - 0x2800
	d[0] = b&0x01 != 0 || b&0x08 != 0
	d[1] = b&0x02 != 0 || b&0x10 != 0
	d[2] = b&0x04 != 0 || b&0x20 != 0
	d[3] = b&0x40 != 0 || b&0x80 != 0
	return d
}

// topDot is the highest dot of column x, counted in dots from the chart's
// top (0), or -1 when the column has no braille dots.
func topDot(rows [][]rune, x int) int {
	for y, row := range rows {
		d := brailleDots(row[x])
		for k := range 4 {
			if d[k] {
				return y*4 + k
			}
		}
	}
	return -1
}

func isBraille(r rune) bool { return r > 0x2800 && r <= 0x28FF }

func stripped(s string) string { return ansi.Strip(s) }
