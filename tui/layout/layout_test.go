package layout

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/fittui/fittui/theme"
	"github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/textfmt"
)

// pane fills its content area with its letter and counts size messages.
type pane struct {
	title   string
	w, h    int
	focused bool
	sizes   int
	version uint64
	content string
}

func (p *pane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case SizeMsg:
		p.w, p.h = msg.Width, msg.Height
		p.sizes++
		row := strings.Repeat(p.title[:1], max(p.w, 0))
		lines := make([]string, max(p.h, 0))
		for i := range lines {
			lines[i] = row
		}
		p.content = strings.Join(lines, "\n")
		p.version++
	case FocusMsg:
		p.focused = msg.Focused
	}
	return nil
}
func (p *pane) View() string             { return p.content }
func (p *pane) Title() string            { return p.title }
func (p *pane) Version() uint64          { return p.version }
func (p *pane) ShortHelp() []key.Binding { return nil }

func setup(t *testing.T) (*Manager, []*pane) {
	t.Helper()
	lipgloss.SetColorProfile(termenv.Ascii)
	th, _ := theme.Lookup("default")
	ctx := program.New(th, time.Now, time.Minute)
	ps := []*pane{{title: "Accounts"}, {title: "Today · x"}, {title: "History · x"}}
	return New(ctx, 1, ps[0], ps[1], ps[2]), ps
}

func TestModeThresholds(t *testing.T) {
	cases := []struct {
		w, h int
		want Mode
	}{
		{0, 0, ModeTooSmall}, {39, 40, ModeTooSmall}, {100, 11, ModeTooSmall},
		{40, 12, ModeTabs}, {80, 24, ModeTabs}, {119, 45, ModeTabs}, {200, 29, ModeTabs},
		{120, 30, ModeWide}, {140, 45, ModeWide},
	}
	for _, c := range cases {
		if got := ModeFor(c.w, c.h); got != c.want {
			t.Errorf("ModeFor(%d, %d) = %v, want %v", c.w, c.h, got, c.want)
		}
	}
}

func TestPanesGetTheirContentSize(t *testing.T) {
	m, ps := setup(t)
	m.Resize(140, 45)
	// Wide: accounts 36 wide, today the rest, both 19 high; history below.
	// Each frame takes 2 columns of border and 2 of padding, 2 rows of border.
	want := [][2]int{{36 - 4, 19 - 2}, {104 - 4, 19 - 2}, {140 - 4, 44 - 19 - 2}}
	for i, p := range ps {
		if p.w != want[i][0] || p.h != want[i][1] {
			t.Errorf("%s: %dx%d, want %dx%d", p.title, p.w, p.h, want[i][0], want[i][1])
		}
	}
	m.Resize(80, 24)
	for _, p := range ps {
		// Tabs: the whole width, below the tab bar and above the footer.
		if p.w != 76 || p.h != 24-1-1-2 {
			t.Errorf("%s: %dx%d in tabs", p.title, p.w, p.h)
		}
	}
}

func TestBodyIsExactlyTheScreen(t *testing.T) {
	m, _ := setup(t)
	for _, sz := range [][2]int{{140, 45}, {120, 30}, {80, 24}, {40, 12}, {119, 50}, {200, 60}} {
		m.Resize(sz[0], sz[1])
		m.Render()
		lines := strings.Split(m.View(), "\n")
		if len(lines) != sz[1]-FooterRows {
			t.Fatalf("%v: %d lines", sz, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != sz[0] {
				t.Fatalf("%v: line %d is %d wide: %q", sz, i, w, l)
			}
		}
	}
}

func TestFramesCarryTitlesAndFocus(t *testing.T) {
	m, ps := setup(t)
	m.Resize(140, 45)
	m.Render()
	v := m.View()
	// Today has focus: its top edge is heavy, the others' light.
	for _, title := range []string{"╭─ Accounts ─", "┍━ Today · x ━", "╭─ History · x ─"} {
		if !strings.Contains(v, title) {
			t.Errorf("no %q in\n%s", title, v)
		}
	}
	if !ps[1].focused || ps[0].focused || ps[2].focused {
		t.Fatal("today should have focus")
	}
	m.Next()
	if m.Focus() != 2 || !ps[2].focused || ps[1].focused {
		t.Fatal("next")
	}
	m.Next()
	m.Prev()
	m.Prev()
	if m.Focus() != 1 {
		t.Fatalf("prev: %d", m.Focus())
	}
}

// TestFocusChangesOnlyTopEdges: the terminal is sent whole changed lines,
// so focus must not show in the sides (every line has one): moving it
// changes the top row of the pane it leaves and of the pane it enters,
// in every theme.
func TestFocusChangesOnlyTopEdges(t *testing.T) {
	defer lipgloss.SetColorProfile(termenv.Ascii)
	for _, name := range theme.Names() {
		th, _ := theme.Lookup(name)
		m, _ := setup(t)
		lipgloss.SetColorProfile(termenv.TrueColor) // colours count too
		m.ctx = program.New(th, time.Now, time.Minute)
		m.Resize(140, 45)
		m.Render()
		before := strings.Split(m.View(), "\n")
		m.Next() // today -> history
		if !m.Render() {
			t.Fatalf("%s: a focus change must redraw", name)
		}
		after := strings.Split(m.View(), "\n")
		if !strings.Contains(after[19], "\x1b[") && name != "mono" {
			t.Fatalf("%s: drawn without colour", name)
		}
		var changed []int
		for i := range after {
			if after[i] != before[i] {
				changed = append(changed, i)
			}
		}
		// Today's top edge is row 0, history's row 19 (see TestPanesGetTheirContentSize).
		if len(changed) != 2 || changed[0] != 0 || changed[1] != 19 {
			t.Fatalf("%s: focus changed rows %v, want [0 19]:\n%s", name, changed, m.View())
		}
		if !strings.HasPrefix(ansi.Strip(after[19]), "┍━ History · x ━") || !strings.Contains(ansi.Strip(after[0]), "─ Today · x ─") {
			t.Errorf("%s: top edges after the move:\n%s\n%s", name, after[0], after[19])
		}
	}
}

func TestTabsShowOnlyTheFocusedPane(t *testing.T) {
	m, _ := setup(t)
	m.Resize(80, 24)
	m.Render()
	v := m.View()
	if !strings.HasPrefix(v, " Accounts │ Today │ History") {
		t.Fatalf("tab bar: %q", strings.SplitN(v, "\n", 2)[0])
	}
	if !strings.Contains(v, "TTTT") || strings.Contains(v, "AAAA") || strings.Contains(v, "HHHH") {
		t.Fatal("only today's content should show")
	}
	m.Next()
	if !m.Render() {
		t.Fatal("a focus change must redraw")
	}
	if !strings.Contains(m.View(), "HHHH") {
		t.Fatal("history tab not shown")
	}
}

func TestRenderIsCachedUntilSomethingChanges(t *testing.T) {
	m, ps := setup(t)
	m.Resize(140, 45)
	m.Render()
	if m.Render() {
		t.Fatal("a second render without changes reported a change")
	}
	ps[2].content = strings.Replace(ps[2].content, "H", "h", 1)
	ps[2].version++
	if !m.Render() || !strings.Contains(m.View(), "hH") {
		t.Fatal("a pane's new version must be drawn")
	}
}

func TestTinySizesDoNotPanic(t *testing.T) {
	m, _ := setup(t)
	for w := -1; w < 45; w++ {
		for h := -1; h < 16; h++ {
			m.Resize(w, h)
			m.Render()
			if m.Mode() != ModeTooSmall {
				for _, l := range strings.Split(m.View(), "\n") {
					if textfmt.Width(l) != w {
						t.Fatalf("%dx%d: line %q", w, h, l)
					}
				}
			}
		}
	}
}
