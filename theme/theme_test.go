package theme

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestLookupKnowsEveryName(t *testing.T) {
	for _, n := range Names() {
		th, err := Lookup(n)
		if err != nil {
			t.Fatalf("Lookup(%q): %v", n, err)
		}
		if th.Name != n {
			t.Errorf("Lookup(%q).Name = %q", n, th.Name)
		}
		if th.Text == nil || th.Accent == nil || th.Wake == nil {
			t.Errorf("theme %q has unset colours", n)
		}
	}
	if th, err := Lookup(""); err != nil || th.Name != "default" {
		t.Errorf(`Lookup("") = %q, %v; want default`, th.Name, err)
	}
}

func TestLookupUnknownNamesTheKnownOnes(t *testing.T) {
	_, err := Lookup("solarized")
	if err == nil {
		t.Fatal("want an error for an unknown theme")
	}
	for _, n := range Names() {
		if !strings.Contains(err.Error(), n) {
			t.Errorf("error %q does not list %q", err, n)
		}
	}
}

func TestNoColorForcesMono(t *testing.T) {
	th, err := ForEnv("high-contrast", env("NO_COLOR", "1"))
	if err != nil || !th.Mono || th.Name != "mono" {
		t.Fatalf("NO_COLOR=1: got %q mono=%v err=%v", th.Name, th.Mono, err)
	}
	th, _ = ForEnv("high-contrast", env("NO_COLOR", ""))
	if th.Name != "high-contrast" {
		t.Errorf("empty NO_COLOR must not force mono, got %q", th.Name)
	}
	if _, err := ForEnv("nope", env("NO_COLOR", "1")); err == nil {
		t.Error("an unknown theme must stay an error under NO_COLOR")
	}
}

func TestDarkFromEnv(t *testing.T) {
	cases := []struct {
		v           string
		dark, known bool
	}{
		{"", true, false},
		{"15;0", true, true},
		{"0;15", false, true},
		{"0;7", false, true},
		{"7;default;0", true, true},
		{"12;8", true, true},
		{"garbage", true, false},
	}
	for _, c := range cases {
		dark, known := DarkFromEnv(env("COLORFGBG", c.v))
		if dark != c.dark || known != c.known {
			t.Errorf("COLORFGBG=%q: dark=%v known=%v, want %v %v", c.v, dark, known, c.dark, c.known)
		}
	}
}

func TestMonoStylesHaveNoColour(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	th, _ := Lookup("mono")
	s := NewStyles(th)
	for name, st := range map[string]lipgloss.Style{
		"Value": s.Value, "Bad": s.Bad, "Heart": s.Heart, "Cursor": s.Cursor,
		"TabActive": s.TabActive, "Pane": s.Pane, "PaneFocused": s.PaneFocused,
	} {
		out := st.Render("x")
		if strings.Contains(out, "38;2;") || strings.Contains(out, "48;2;") {
			t.Errorf("mono %s renders a colour: %q", name, out)
		}
	}
	// Focus must still be visible without colour.
	if s.Pane.Render("x") == s.PaneFocused.Render("x") {
		t.Error("mono focused and unfocused panes look the same")
	}
	if s.Cursor.Render("x") == "x" {
		t.Error("mono cursor has no attribute")
	}
}

func TestDefaultAdaptsToBackground(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	th, _ := Lookup("default")
	s := NewStyles(th)
	lipgloss.SetHasDarkBackground(true)
	dark := s.Value.Render("x")
	lipgloss.SetHasDarkBackground(false)
	light := s.Value.Render("x")
	lipgloss.SetHasDarkBackground(true)
	if dark == light {
		t.Errorf("default theme does not adapt: %q", dark)
	}
	if !strings.Contains(dark, "38;2;") {
		t.Errorf("default theme renders no colour: %q", dark)
	}
}

func TestFrameSizesAgree(t *testing.T) {
	// The layout manager relies on focused and unfocused frames having the
	// same size, or panes would jump when focus moves.
	for _, n := range Names() {
		th, _ := Lookup(n)
		s := NewStyles(th)
		if s.Pane.GetHorizontalFrameSize() != s.PaneFocused.GetHorizontalFrameSize() ||
			s.Pane.GetVerticalFrameSize() != s.PaneFocused.GetVerticalFrameSize() {
			t.Errorf("%s: focused and unfocused frame sizes differ", n)
		}
	}
}

func TestResolveKeepsTheLookAndDropsTheSearch(t *testing.T) {
	defer lipgloss.SetColorProfile(termenv.Ascii)
	for _, p := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI} {
		lipgloss.SetColorProfile(p)
		for _, dark := range []bool{true, false} {
			lipgloss.SetHasDarkBackground(dark)
			th, _ := Lookup("default")
			want := NewStyles(th).Heart.Render("x")
			got := NewStyles(Resolve(th, p, dark)).Heart.Render("x")
			if got != want {
				t.Errorf("profile %v dark %v: resolved %q, adaptive %q", p, dark, got, want)
			}
			if c, ok := Resolve(th, p, dark).Heart.(lipgloss.Color); !ok || (p != termenv.TrueColor && strings.HasPrefix(string(c), "#")) {
				t.Errorf("profile %v: heart resolved to %#v", p, Resolve(th, p, dark).Heart)
			}
		}
	}
	lipgloss.SetHasDarkBackground(true)
	m, _ := Lookup("mono")
	if Resolve(m, termenv.TrueColor, true) != m {
		t.Error("mono has nothing to resolve")
	}
}
