package textfmt

import (
	"github.com/charmbracelet/x/ansi"
	"testing"
	"time"
)

func TestInt(t *testing.T) {
	for in, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 12345: "12,345",
		1234567: "1,234,567", -1234: "-1,234", 100000: "100,000"} {
		if got := Int(in); got != want {
			t.Errorf("Int(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestHM(t *testing.T) {
	if got := HM(7*time.Hour + 5*time.Minute + 31*time.Second); got != "7:06" {
		t.Errorf("HM = %q", got)
	}
	if got := Minutes(432); got != "7:12" {
		t.Errorf("Minutes(432) = %q", got)
	}
	if got := HM(-time.Minute); got != "0:00" {
		t.Errorf("HM(-1m) = %q", got)
	}
}

func TestAgoAndClock(t *testing.T) {
	now := time.Date(2025, 5, 14, 14, 3, 30, 0, time.UTC)
	cases := []struct {
		t          time.Time
		ago, clock string
	}{
		{time.Time{}, "never", "never"},
		{now, "just now", "just now"},
		{now.Add(-5 * time.Second), "just now", "just now"},
		{now.Add(-29 * time.Second), "20s ago", "20s ago"},
		{now.Add(-2 * time.Minute), "2m ago", "2m ago"},
		{now.Add(-3 * time.Hour), "3h ago", "11:03"},
		{now.Add(-30 * time.Hour), "May 13", "May 13 08:03"},
	}
	for _, c := range cases {
		if got := Ago(now, c.t); got != c.ago {
			t.Errorf("Ago(%v) = %q, want %q", c.t, got, c.ago)
		}
		if got := Clock(now, c.t); got != c.clock {
			t.Errorf("Clock(%v) = %q, want %q", c.t, got, c.clock)
		}
	}
}

func TestFitAndBlock(t *testing.T) {
	if got := Fit("hello", 8); got != "hello   " {
		t.Errorf("Fit pad = %q", got)
	}
	if got := Fit("hello world", 6); got != "hello…" {
		t.Errorf("Fit cut = %q", got)
	}
	if got := Fit("x", 0); got != "" {
		t.Errorf("Fit 0 = %q", got)
	}
	b := Block([]string{"a", "bbbbbb"}, 3, 3)
	if len(b) != 3 || b[0] != "a  " || b[1] != "bb…" || b[2] != "   " {
		t.Errorf("Block = %q", b)
	}
	if got := Columns("left", "right", 12); got != "left   right" {
		t.Errorf("Columns = %q", got)
	}
	if got := Columns("left", "right", 4); got != "rig…" {
		t.Errorf("Columns narrow = %q", got)
	}
	if Percent(50, 0) != 0 || Percent(8432, 10000) != 84 {
		t.Error("Percent")
	}
}

func TestWidthAgreesWithAnsi(t *testing.T) {
	for _, s := range []string{
		"", "plain", "Steps     8,432 / 10,000", "██████░░░░  84%", "╭─ Today · runner ─╮",
		"⠉⠑⠢⢄⡀ ┊", "\x1b[1;38;2;1;2;3mbold\x1b[0m · x", "› 1 runner ◂", "● ok · ◌ ◷ ✗", "⚠ error",
		"日本語", "e\u0301", "🙂 ok", "tab\there", "\x1b]8;;http://x\x1b\\link", "–…", "Zürich Ωμέγα",
	} {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, ansi says %d", s, got, want)
		}
	}
}

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		v, goal float64
		want    int
	}{{6559, 10000, 66}, {6549, 10000, 65}, {9960, 10000, 99}, {9999, 10000, 99}, {10000, 10000, 100}, {12345, 10000, 123}, {5, 0, 0}} {
		if got := Percent(c.v, c.goal); got != c.want {
			t.Errorf("Percent(%v, %v) = %d, want %d", c.v, c.goal, got, c.want)
		}
	}
}

func TestSpan(t *testing.T) {
	for d, want := range map[time.Duration]string{45 * time.Second: "45s", 6 * time.Minute: "6m", 3*time.Hour + 59*time.Minute: "3h", 50 * time.Hour: "2d", -time.Second: "0s"} {
		if got := Span(d); got != want {
			t.Errorf("Span(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestWrapAtWords(t *testing.T) {
	const note = "Jawbone UP reports one resting heart rate a day and no heart-rate samples; steps are hourly totals"
	got := Wrap(note, 44, 0)
	want := []string{"Jawbone UP reports one resting heart rate a", "day and no heart-rate samples; steps are", "hourly totals"}
	if len(got) != len(want) {
		t.Fatalf("Wrap = %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d %q, want %q", i, got[i], want[i])
		}
	}
	// Shortened honestly: whole words and " …", never "rate a…".
	if got := Wrap(note, 44, 1); len(got) != 1 || got[0] != "Jawbone UP reports one resting heart rate …" {
		t.Errorf("one line: %q", got)
	}
	if got := Shorten(note, 20); got != "Jawbone UP reports …" {
		t.Errorf("Shorten = %q", got)
	}
	if got := Shorten("Supercalifragilistic", 8); got != "Superca…" {
		t.Errorf("one long word: %q", got)
	}
	if got := Wrap("abcdefghij xy", 4, 0); len(got) != 4 || got[0] != "abcd" || got[2] != "ij" || got[3] != "xy" {
		t.Errorf("long word: %q", got)
	}
	for _, w := range []int{1, 2, 3, 5, 13} {
		for _, l := range Wrap(note, w, 3) {
			if Width(l) > w {
				t.Errorf("width %d: %q", w, l)
			}
		}
	}
}

// TestChangesWalk walks each ageing text from change to change: the text
// holds until the moment the *Changes function names and differs there,
// so a dashboard that wakes only then misses nothing.
func TestChangesWalk(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	at := time.Date(2025, 5, 14, 22, 40, 3, 0, tokyo)
	for name, text := range map[string]struct {
		f       func(now, t time.Time) string
		changes func(now, t time.Time) time.Time
	}{
		"Ago":   {Ago, AgoChanges},
		"Clock": {Clock, ClockChanges},
	} {
		now, steps := at.Add(-5*time.Second), 0
		for {
			next := text.changes(now, at)
			if next.IsZero() {
				break
			}
			if !next.After(now) {
				t.Fatalf("%s: next change %v is not after %v", name, next, now)
			}
			before, after := text.f(next.Add(-time.Nanosecond), at), text.f(next, at)
			if before != text.f(now, at) || before == after {
				t.Fatalf("%s at %v: %q until %v, then %q", name, now, before, next, after)
			}
			now, steps = next, steps+1
		}
		// Ago: 6 steps of 10 s, 59 of a minute, 23 of an hour; Clock: the
		// hour's 65, then midnight (the date appears) and no more.
		want := map[string]int{"Ago": 6 + 59 + 23, "Clock": 6 + 59 + 1}[name]
		if steps != want {
			t.Errorf("%s changed %d times, want %d (last at %v)", name, steps, want, now)
		}
		if later := now.Add(72 * time.Hour); text.f(later, at) != text.f(now, at) {
			t.Errorf("%s still changes after its last change: %q then %q", name, text.f(now, at), text.f(later, at))
		}
	}
	if !AgoChanges(at, time.Time{}).IsZero() || !ClockChanges(at, time.Time{}).IsZero() {
		t.Error("a zero time changes")
	}
	d, steps := -2*time.Second, 0
	for d < 5*24*time.Hour {
		next := SpanChanges(d)
		if next <= d || Span(next-time.Nanosecond) != Span(d) || Span(next) == Span(d) {
			t.Fatalf("Span: %q at %v until %v, then %q", Span(d), d, next, Span(next))
		}
		d, steps = next, steps+1
	}
	if steps != 1+59+59+47+3 {
		t.Errorf("Span changed %d times in 5 days", steps)
	}
	if got := Earliest(time.Time{}, at.Add(time.Hour), at, time.Time{}); !got.Equal(at) {
		t.Errorf("Earliest = %v", got)
	}
	if !Earliest(time.Time{}).IsZero() {
		t.Error("Earliest of nothing is not zero")
	}
}
