package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/tui/export"
)

func TestProgressBar(t *testing.T) {
	now := time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	var out strings.Builder
	b := newProgressBar(&out, "heart 1min", clock)

	b.Update(export.Progress{Done: 1, Total: 365})
	if out.Len() != 0 {
		t.Fatalf("drawn before ShowAfter: %q", out.String())
	}
	b.Println("note: something")
	if out.String() != "note: something\n" {
		t.Errorf("line without a bar: %q", out.String())
	}
	out.Reset()

	now = now.Add(time.Second)
	b.Update(export.Progress{Done: 73, Total: 365})
	want := "\rheart 1min  " + strings.Repeat("█", 4) + strings.Repeat("░", 20) + "  73/365 days\x1b[K"
	if out.String() != want {
		t.Errorf("bar %q\nwant %q", out.String(), want)
	}
	out.Reset()
	b.Update(export.Progress{Done: 74, Total: 365}) // within a tenth of a second
	if out.Len() != 0 {
		t.Errorf("redrawn too soon: %q", out.String())
	}
	until := time.Date(2026, 1, 20, 13, 0, 0, 0, time.UTC)
	b.Update(export.Progress{Done: 74, Total: 365, WaitUntil: until}) // a wait shows at once
	if !strings.HasSuffix(out.String(), "74/365 days  waiting for the rate limit until 13:00\x1b[K") {
		t.Errorf("waiting: %q", out.String())
	}
	out.Reset()
	b.Println("rate limit reached")
	if !strings.HasPrefix(out.String(), "\r\x1b[Krate limit reached\n\rheart 1min") {
		t.Errorf("line above the bar: %q", out.String())
	}
	out.Reset()
	b.Clear()
	b.Clear()
	if out.String() != "\r\x1b[K" {
		t.Errorf("clear: %q", out.String())
	}
}

// A wait shows even when the export has just started.
func TestProgressBarShowsWaitAtOnce(t *testing.T) {
	now := time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC)
	var out strings.Builder
	b := newProgressBar(&out, "steps day", func() time.Time { return now })
	b.Update(export.Progress{Total: 10, WaitUntil: now.Add(time.Hour)})
	if !strings.Contains(out.String(), "0/10 days  waiting for the rate limit until 13:00") {
		t.Errorf("%q", out.String())
	}
}
