package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fittui/fittui/tui/export"
)

// progressBar draws an export's progress (export.Progress) on one terminal
// line (carriage return, erase to the end of the line): days done of the
// total and, while the export waits for a rate limit, until when. It draws nothing for the
// first ShowAfter, so short exports leave no trace, and redraws at most
// every tenth of a second. Not safe for concurrent use.
type progressBar struct {
	w     io.Writer
	label string
	now   func() time.Time
	start time.Time
	last  time.Time
	cur   export.Progress
	shown bool
	// ShowAfter is how long an export runs before the bar appears.
	ShowAfter time.Duration
}

// barWidth is the number of cells of the bar itself; the whole line stays
// within 80 columns.
const barWidth = 24

// newProgressBar returns a bar writing to w (a terminal), its line
// starting with label, e.g. "heart 1min".
func newProgressBar(w io.Writer, label string, now func() time.Time) *progressBar {
	return &progressBar{w: w, label: label, now: now, start: now(), ShowAfter: 500 * time.Millisecond}
}

// Update records p and redraws when it is time to.
func (b *progressBar) Update(p export.Progress) {
	waitChanged := !p.WaitUntil.Equal(b.cur.WaitUntil)
	b.cur = p
	now := b.now()
	switch {
	case waitChanged && !p.WaitUntil.IsZero():
		// a wait is always shown: it may be long
	case now.Sub(b.start) < b.ShowAfter:
		return
	case !waitChanged && b.shown && now.Sub(b.last) < 100*time.Millisecond && p.Done < p.Total:
		return
	}
	b.last = now
	b.draw()
}

func (b *progressBar) draw() {
	p := b.cur
	filled := 0
	if p.Total > 0 {
		filled = min(barWidth, barWidth*p.Done/p.Total)
	}
	line := fmt.Sprintf("%s  %s%s  %d/%d days", b.label, strings.Repeat("█", filled), strings.Repeat("░", barWidth-filled), p.Done, p.Total)
	if !p.WaitUntil.IsZero() {
		line += "  waiting for the rate limit until " + p.WaitUntil.In(b.now().Location()).Format("15:04")
	}
	fmt.Fprintf(b.w, "\r%s\x1b[K", line)
	b.shown = true
}

// Println clears the bar, writes line on a line of its own and draws the
// bar again below it.
func (b *progressBar) Println(line string) {
	if b.shown {
		fmt.Fprint(b.w, "\r\x1b[K")
	}
	fmt.Fprintln(b.w, line)
	if b.shown {
		b.draw()
	}
}

// Clear erases the bar, leaving the cursor at the start of its line.
func (b *progressBar) Clear() {
	if b.shown {
		fmt.Fprint(b.w, "\r\x1b[K")
		b.shown = false
	}
}
