// Package layout is the pane manager: it decides where the panes go for a
// terminal size (side by side when wide, tabs when narrow), owns focus,
// draws the pane frames and sends each pane a SizeMsg with the content size
// left inside its frame. Frames and the composed body are cached and only
// redrawn when a pane's content, title, size or focus changes.
package layout

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/textfmt"
)

// Size thresholds.
const (
	// MinWidth x MinHeight is the smallest terminal the dashboard draws in.
	MinWidth, MinHeight = 40, 12
	// WideWidth x WideHeight and above: panes side by side.
	WideWidth, WideHeight = 120, 30
)

// Mode is how the panes are arranged.
type Mode int

const (
	ModeTooSmall Mode = iota
	ModeTabs
	ModeWide
)

// ModeFor picks the arrangement for a terminal of w x h cells.
func ModeFor(w, h int) Mode {
	switch {
	case w < MinWidth || h < MinHeight:
		return ModeTooSmall
	case w >= WideWidth && h >= WideHeight:
		return ModeWide
	}
	return ModeTabs
}

// SizeMsg tells a pane the size of its content area (inside the frame).
type SizeMsg struct{ Width, Height int }

// FocusMsg tells a pane whether it has focus.
type FocusMsg struct{ Focused bool }

// Pane is what the manager arranges.
type Pane interface {
	Update(tea.Msg) tea.Cmd
	// View is the content, exactly the size of the last SizeMsg.
	View() string
	// Title is shown in the frame and on the tab.
	Title() string
	// Version changes whenever View or Title would return something new.
	Version() uint64
	// ShortHelp is the pane's own bindings for the footer.
	ShortHelp() []key.Binding
}

type rect struct{ x, y, w, h int }

type frameKey struct {
	version uint64
	focused bool
	w, h    int
}

// Manager arranges panes.
type Manager struct {
	ctx   *program.Context
	panes []Pane
	focus int
	mode  Mode
	w, h  int

	rects  []rect
	frames [][]string // each pane's framed lines
	keys   []frameKey
	tabBar string
	body   string
	dirty  bool
}

// New makes a manager for panes, in focus order. The first focused pane
// is focus.
func New(ctx *program.Context, focus int, panes ...Pane) *Manager {
	m := &Manager{ctx: ctx, panes: panes, rects: make([]rect, len(panes)),
		frames: make([][]string, len(panes)), keys: make([]frameKey, len(panes))}
	m.focus = clamp(focus, 0, len(panes)-1)
	for i, p := range panes {
		p.Update(FocusMsg{Focused: i == m.focus})
	}
	return m
}

// Mode is the current arrangement.
func (m *Manager) Mode() Mode { return m.mode }

// Focus is the index of the focused pane.
func (m *Manager) Focus() int { return m.focus }

// Focused is the focused pane.
func (m *Manager) Focused() Pane { return m.panes[m.focus] }

// SetFocus moves focus to pane i (wrapping around).
func (m *Manager) SetFocus(i int) {
	n := len(m.panes)
	i = ((i % n) + n) % n
	if i == m.focus {
		return
	}
	m.panes[m.focus].Update(FocusMsg{Focused: false})
	m.focus = i
	m.panes[m.focus].Update(FocusMsg{Focused: true})
	m.tabBar = ""
	m.dirty = true
}

// Next and Prev move focus (and the tab in the narrow layout).
func (m *Manager) Next() { m.SetFocus(m.focus + 1) }
func (m *Manager) Prev() { m.SetFocus(m.focus - 1) }

// Resize lays the panes out for a terminal of w x h cells (the body is
// everything above the root's footer row) and sends each pane its content
// size.
func (m *Manager) Resize(w, h int) {
	w, h = max(w, 0), max(h, 0)
	m.mode = ModeFor(w, h)
	m.w, m.h = w, max(h-FooterRows, 0)
	h = m.h
	m.tabBar = ""
	m.dirty = true
	switch m.mode {
	case ModeWide:
		m.wideRects()
	case ModeTabs:
		for i := range m.rects {
			m.rects[i] = rect{0, 1, w, h - 1}
		}
	default:
		for i := range m.rects {
			m.rects[i] = rect{}
		}
	}
	st := m.ctx.Styles.Pane
	fw, fh := st.GetHorizontalFrameSize(), st.GetVerticalFrameSize()
	for i, p := range m.panes {
		r := m.rects[i]
		p.Update(SizeMsg{Width: max(r.w-fw, 0), Height: max(r.h-fh, 0)})
	}
}

// FooterRows is the height the root keeps below the body.
const FooterRows = 1

// wideRects puts the first pane (accounts) and the second (today) side by
// side on top, the third (history) across the whole width below.
func (m *Manager) wideRects() {
	accW := clamp(m.w*26/100, 30, 40)
	topH := clamp(m.h*45/100, 15, 20)
	m.rects[0] = rect{0, 0, accW, topH}
	if len(m.rects) > 1 {
		m.rects[1] = rect{accW, 0, m.w - accW, topH}
	}
	if len(m.rects) > 2 {
		m.rects[2] = rect{0, topH, m.w, m.h - topH}
	}
}

// Render redraws the frames whose pane changed and recomposes the body. It
// reports whether the body changed. Call it after updating panes; it is
// cheap when nothing changed.
func (m *Manager) Render() bool {
	if m.mode == ModeTooSmall {
		if m.body != "" {
			m.body = ""
			return true
		}
		return false
	}
	changed := m.dirty
	for i, p := range m.panes {
		if !m.visible(i) {
			continue
		}
		r := m.rects[i]
		k := frameKey{version: p.Version(), focused: i == m.focus, w: r.w, h: r.h}
		if k != m.keys[i] || m.frames[i] == nil {
			m.frames[i] = m.frame(p, r, k.focused)
			m.keys[i] = k
			changed = true
		}
	}
	if m.mode == ModeTabs && m.tabBar == "" {
		m.tabBar = m.renderTabs()
		changed = true
	}
	if changed {
		m.compose()
	}
	m.dirty = false
	return changed
}

// View is the composed body, m.w x m.h cells.
func (m *Manager) View() string { return m.body }

// Visible reports whether pane i is on screen (side by side: all; tabs:
// the focused one; too small: none).
func (m *Manager) Visible(i int) bool { return m.visible(i) }

func (m *Manager) visible(i int) bool {
	return m.mode == ModeWide || (m.mode == ModeTabs && i == m.focus)
}

// frame draws pane p in its rectangle with the pane style's border and
// padding; the top edge carries the title. The pieces are styled once per
// frame and the content lines (already fitted by the pane) are framed by
// concatenation, which keeps a redraw far cheaper than Style.Render.
//
// Focus changes the top edge only (see theme.Styles.PaneFocused): the
// sides and the bottom edge are the same bytes focused or not, so a focus
// change sends the terminal two rows, not two whole panes.
func (m *Manager) frame(p Pane, r rect, focused bool) []string {
	s := m.ctx.Styles
	st, line := s.Pane, s.BorderLine
	top, topLine, title := st.GetBorderStyle(), line, s.PaneTitle
	if focused {
		top, topLine, title = s.PaneFocused.GetBorderStyle(), s.BorderLineFocused, s.PaneTitleFocused
	}
	cw, ch := r.w-st.GetHorizontalFrameSize(), r.h-st.GetVerticalFrameSize()
	if cw < 1 || ch < 1 {
		return textfmt.Block(nil, r.w, r.h)
	}
	b := st.GetBorderStyle()
	left := line.Render(b.Left) + strings.Repeat(" ", st.GetPaddingLeft())
	right := strings.Repeat(" ", st.GetPaddingRight()) + line.Render(b.Right)

	out := make([]string, 0, r.h)
	// ╭─ Title ───╮ : the title gets what is left after corners and dashes.
	t := strings.TrimRight(textfmt.Fit(p.Title(), r.w-6), " ")
	fill := r.w - 5 - textfmt.Width(t)
	out = append(out, topLine.Render(top.TopLeft+top.Top)+" "+title.Render(t)+" "+
		topLine.Render(strings.Repeat(top.Top, max(fill, 0))+top.TopRight))
	lines := textfmt.Lines(p.View())
	blank := strings.Repeat(" ", cw)
	for i := range ch {
		l := blank
		if i < len(lines) {
			l = lines[i]
		}
		out = append(out, left+l+right)
	}
	out = append(out, line.Render(b.BottomLeft+strings.Repeat(b.Bottom, r.w-2)+b.BottomRight))
	return out
}

func (m *Manager) renderTabs() string {
	s := m.ctx.Styles
	var b strings.Builder
	b.WriteString(" ")
	for i, p := range m.panes {
		if i > 0 {
			b.WriteString(s.TabGap.Render(" │ "))
		}
		name := tabName(p.Title())
		if i == m.focus {
			b.WriteString(s.TabActive.Render(name))
		} else {
			b.WriteString(s.TabInactive.Render(name))
		}
	}
	return textfmt.Fit(b.String(), m.w)
}

// tabName is the first word of a pane title ("Today · runner" -> "Today").
func tabName(title string) string {
	if i := strings.Index(title, " · "); i >= 0 {
		return title[:i]
	}
	return title
}

func (m *Manager) compose() {
	lines := make([]string, m.h)
	blank := strings.Repeat(" ", m.w)
	for i := range lines {
		lines[i] = blank
	}
	if m.mode == ModeTabs && m.h > 0 {
		lines[0] = m.tabBar
	}
	// Panes do not overlap and rows are filled left to right, so each row
	// is the concatenation of the frames that cover it.
	rows := make([]strings.Builder, m.h)
	for i := range m.panes {
		if !m.visible(i) {
			continue
		}
		r := m.rects[i]
		for j, l := range m.frames[i] {
			y := r.y + j
			if y < 0 || y >= m.h || j >= r.h {
				break
			}
			rows[y].WriteString(l)
		}
	}
	for y := range rows {
		if rows[y].Len() > 0 {
			lines[y] = rows[y].String()
		}
	}
	m.body = strings.Join(lines, "\n")
}

func clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(max(v, lo), hi)
}

// Panes returns the panes in focus order.
func (m *Manager) Panes() []Pane { return m.panes }
