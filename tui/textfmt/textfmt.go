// Package textfmt turns numbers, durations and times into the short texts
// the panes show, and fits styled lines to a width.
package textfmt

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Int formats n with thousands separators: 12,345.
func Int(n int) string {
	if n < 0 {
		return "-" + Int(-n)
	}
	s := strconv.Itoa(n)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	first := len(s) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(s[:first])
	for i := first; i < len(s); i += 3 {
		b.WriteByte(',')
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// HM formats d as hours and minutes: 7:05. Negative durations are 0:00.
func HM(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	m := int(d.Round(time.Minute) / time.Minute)
	return strconv.Itoa(m/60) + ":" + pad2(m%60)
}

// Minutes formats a count of minutes as h:mm.
func Minutes(m int) string { return HM(time.Duration(m) * time.Minute) }

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Ago says how long before now t was: "just now", "20s ago", "2m ago",
// "3h ago"; older than a day it gives the date ("Jan 2"). A zero t is
// "never". Seconds go in steps of ten: the text then changes every ten
// seconds rather than every second, which is all a person needs and saves
// redrawing (and sending) the line every second.
func Ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < 10*time.Second:
		return "just now"
	case d < time.Minute:
		return strconv.Itoa(int(d/(10*time.Second))*10) + "s ago"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m ago"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h ago"
	}
	return t.Format("Jan 2")
}

// Span is a length of time in its largest whole unit: "45s", "12m",
// "3h", "2d".
func Span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(max(d, 0)/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d"
}

// Clock is a last-update text: "2m ago" within the hour, the time of day
// ("12:03") the same day, the date before that.
func Clock(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	if d < time.Hour {
		return Ago(now, t)
	}
	ny, nm, nd := now.Date()
	ty, tm, td := t.In(now.Location()).Date()
	if ny == ty && nm == tm && nd == td {
		return t.Format("15:04")
	}
	return t.Format("Jan 2 15:04")
}

// The *Changes functions say when a text that ages with the clock next
// reads differently, so the dashboard wakes for that moment instead of
// every second to find that nothing changed. A zero time is never.

// AgoChanges is the first moment after now at which Ago(·, t) differs
// from Ago(now, t); zero when it never will (a zero t, or the date Ago
// gives from a day on).
func AgoChanges(now, t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	d := now.Sub(t)
	next := func(unit time.Duration) time.Time { return t.Add((d/unit + 1) * unit) }
	switch {
	case d < 10*time.Second:
		return t.Add(10 * time.Second) // "just now" until then, a t in the future too
	case d < time.Minute:
		return next(10 * time.Second)
	case d < time.Hour:
		return next(time.Minute)
	case d < 24*time.Hour:
		return next(time.Hour)
	}
	return time.Time{}
}

// ClockChanges is AgoChanges for Clock: within the hour Ago's steps, then
// the next midnight of now's zone, when the time of day gains its date.
func ClockChanges(now, t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	if now.Sub(t) < time.Hour {
		return AgoChanges(now, t) // the last step, at t+1h, is Clock's own switch
	}
	ny, nm, nd := now.Date()
	ty, tm, td := t.In(now.Location()).Date()
	if ny == ty && nm == tm && nd == td {
		return time.Date(ny, nm, nd+1, 0, 0, 0, 0, now.Location())
	}
	return time.Time{}
}

// SpanChanges is the first length above d at which Span reads differently.
func SpanChanges(d time.Duration) time.Duration {
	unit := 24 * time.Hour
	switch {
	case d < 0:
		return time.Second // "0s" until then
	case d < time.Minute:
		unit = time.Second
	case d < time.Hour:
		unit = time.Minute
	case d < 48*time.Hour:
		unit = time.Hour
	}
	return (d/unit + 1) * unit
}

// Earliest is the earliest non-zero time of ts; zero when all are.
func Earliest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if !t.IsZero() && (out.IsZero() || t.Before(out)) {
			out = t
		}
	}
	return out
}

// Percent of v toward goal, rounded, for every pane and `fittui today`
// alike; 0 when there is no goal. It says 100 only once the goal is
// reached: 9,960 of 10,000 steps is 99%, not a goal met.
func Percent(v, goal float64) int {
	if goal <= 0 {
		return 0
	}
	p := int(v/goal*100 + 0.5)
	if p >= 100 && v < goal {
		return 99
	}
	return p
}

// Unknown is what a value nobody measured shows on screen: never a 0
// that reads as a measurement.
const Unknown = "–"

// Count is n with thousands separators when known, else Unknown.
func Count(n int, known bool) string {
	if !known {
		return Unknown
	}
	return Int(n)
}

// Fit truncates s (which may hold ANSI styles) to width cells, ending in
// "…" when cut, and pads it with spaces to exactly width cells.
func Fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := Width(s)
	if w > width {
		s = ansi.Truncate(s, width, "…")
		w = Width(s)
	}
	if w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// Width is the number of terminal cells s occupies, ANSI sequences aside.
//
// Lines of the dashboard are measured often, and ansi.StringWidth segments
// every string into grapheme clusters. Width counts one cell per rune for
// the narrow scripts and symbols the panes draw with (Latin, punctuation,
// arrows, box drawing, blocks, geometric shapes, braille) and hands
// anything else (wide, combining, emoji) to ansi.StringWidth.
func Width(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			j, ok := skipEscape(s, i)
			if !ok {
				return ansi.StringWidth(s)
			}
			i = j
			continue
		case c >= 0x20 && c < 0x7f:
			n++
			i++
			continue
		case c < 0x80:
			return ansi.StringWidth(s) // control characters
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !narrow(r) {
			return ansi.StringWidth(s)
		}
		n++
		i += size
	}
	return n
}

// narrow reports runes that are always one cell wide and never combine.
func narrow(r rune) bool {
	switch {
	case r >= 0xa0 && r < 0x300: // Latin-1 and Latin Extended
		return true
	case r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205e: // punctuation
		return true
	case r >= 0x2190 && r <= 0x21ff: // arrows
		return true
	case r >= 0x2500 && r <= 0x25ff: // box drawing, blocks, geometric shapes
		return true
	case r >= 0x2800 && r <= 0x28ff: // braille
		return true
	}
	return false
}

// skipEscape returns the index after the CSI sequence (ESC [ ... final)
// starting at i; ok is false for any other escape.
func skipEscape(s string, i int) (int, bool) {
	if i+1 >= len(s) || s[i+1] != '[' {
		return 0, false
	}
	for j := i + 2; j < len(s); j++ {
		if s[j] >= 0x40 && s[j] <= 0x7e {
			return j + 1, true
		}
	}
	return 0, false
}

// Block fits lines into exactly width x height cells: each line fitted
// with Fit, missing lines blank, extra lines dropped.
func Block(lines []string, width, height int) []string {
	if height <= 0 {
		return nil
	}
	out := make([]string, height)
	blank := Fit("", width)
	for i := range out {
		if i < len(lines) {
			out[i] = Fit(lines[i], width)
		} else {
			out[i] = blank
		}
	}
	return out
}

// Lines splits s into lines; "" is no lines.
func Lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// Columns joins a left and a right text on one line of width cells, the
// right text flush right; the left one is cut first when they do not fit.
func Columns(left, right string, width int) string {
	rw := Width(right)
	if rw >= width {
		return Fit(right, width)
	}
	return Fit(left, width-rw-1) + " " + right
}

// Wrap breaks plain text s at spaces into lines of at most width cells,
// and at most n of them (n <= 0: as many as it takes). Text that needs
// more lines is shortened at a word boundary, the last line ending in
// " …" (Shorten): a note never stops mid-word. Only a word longer than
// width is cut.
func Wrap(s string, width, n int) []string {
	if width <= 0 {
		return nil
	}
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		for Width(w) > width {
			head := ansi.Truncate(w, width, "")
			if cur != "" {
				lines, cur = append(lines, cur), ""
			}
			lines = append(lines, head)
			w = w[len(head):]
		}
		switch {
		case w == "":
		case cur == "":
			cur = w
		case Width(cur)+1+Width(w) <= width:
			cur += " " + w
		default:
			lines, cur = append(lines, cur), w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if n > 0 && len(lines) > n {
		lines[n-1] = Shorten(lines[n-1]+" "+lines[n], width)
		lines = lines[:n]
	}
	return lines
}

// Shorten fits plain text s in width cells: whole when it fits, else cut
// after the last whole word that leaves room for " …". A first word too
// long for that is cut with "…".
func Shorten(s string, width int) string {
	if Width(s) <= width {
		return s
	}
	room := width - 2 // " …"
	if room <= 0 {
		return ansi.Truncate(s, width, "…")
	}
	cut := ansi.Truncate(s, room, "")
	if len(cut) < len(s) && s[len(cut)] != ' ' { // inside a word: back to its start
		i := strings.LastIndexByte(cut, ' ')
		if i < 0 {
			return ansi.Truncate(s, width, "…")
		}
		cut = cut[:i]
	}
	if cut = strings.TrimRight(cut, " "); cut == "" {
		return ansi.Truncate(s, width, "…")
	}
	return cut + " …"
}
