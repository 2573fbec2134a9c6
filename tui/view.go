package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/fittui/fittui/tui/layout"
	"github.com/fittui/fittui/tui/textfmt"
)

// View returns the kept frame.
func (m *Model) View() string { return m.frame }

// render rebuilds the kept frame from the kept pieces that changed.
func (m *Model) render() {
	w, h := m.ctx.ScreenWidth, m.ctx.ScreenHeight
	st := m.State()
	force := st != m.frameState || m.frame == ""
	m.frameState = st
	switch st {
	case StateStarting:
		m.frame = "fittui · loading…"
		return
	case StateTooSmall:
		m.frame = tooSmall(m, w, h)
		return
	case StateModal:
		m.frame = m.screen.View()
		return
	}
	bodyChanged := m.layout.Render()
	footerChanged := m.renderFooter()
	if st == StateHelp {
		if m.helpView == "" {
			m.helpView = m.renderHelp(w, h-layout.FooterRows)
			force = true
		}
		if force || footerChanged {
			m.frame = m.helpView + "\n" + m.footer
		}
		return
	}
	if force || bodyChanged || footerChanged {
		m.frame = m.layout.View() + "\n" + m.footer
	}
}

// renderFooter redraws the footer when what it shows changed: the start
// notice, else the short help of the global keys and the focused pane's.
func (m *Model) renderFooter() bool {
	w := m.ctx.ScreenWidth
	k := fmt.Sprintf("%d|%d|%v|%s", w, m.layout.Focus(), m.showHelp, m.notice)
	if k == m.footerKey {
		return false
	}
	m.footerKey = k
	s := m.ctx.Styles
	var line string
	switch {
	case m.notice != "":
		line = s.Notice.Render(m.notice)
	case m.showHelp:
		line = m.help.ShortHelpView([]key.Binding{m.ctx.Keys.CloseHelp, m.ctx.Keys.Quit})
	default:
		keys := append(m.layout.Focused().ShortHelp(), m.ctx.Keys.ShortGlobal()...)
		line = m.help.ShortHelpView(keys)
	}
	m.footer = textfmt.Fit(line, w)
	return true
}

// renderHelp is the full key help in a box over the body.
func (m *Model) renderHelp(w, h int) string {
	s := m.ctx.Styles
	fw, fh := s.HelpBox.GetHorizontalFrameSize(), s.HelpBox.GetVerticalFrameSize()
	cw, ch := w-fw, h-fh
	if cw < 1 || ch < 1 {
		return strings.Join(textfmt.Block(nil, w, h), "\n")
	}
	hm := m.help
	hm.Width = cw
	lines := []string{s.Title.Render("Keys"), ""}
	lines = append(lines, textfmt.Lines(hm.FullHelpView(m.ctx.Keys.FullHelp()))...)
	lines = append(lines, "",
		s.Muted.Render(fmt.Sprintf("Side by side from %dx%d, tabs below that; needs at least %dx%d.",
			layout.WideWidth, layout.WideHeight, layout.MinWidth, layout.MinHeight)),
		s.Muted.Render("History: t range (7d, 30d, 90d, 1y) · m metric (overview, each, workouts)"),
		s.Muted.Render("  · g go to a date (2024-03-01, yesterday, -7d, -3m, -1y)."),
		s.Muted.Render("Charts: ▲ and the line below: the cursor's day · dim: today, not over"),
		s.Muted.Render("  (averages leave it out) · ┈ the goal · the left axis gives the values."))
	box := s.HelpBox.Render(strings.Join(textfmt.Block(lines, cw, ch), "\n"))
	return strings.Join(textfmt.Block(textfmt.Lines(box), w, h), "\n")
}

// tooSmall is the notice shown below the minimum size.
func tooSmall(m *Model, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	msg := fmt.Sprintf("terminal too small (need %dx%d, have %dx%d)", layout.MinWidth, layout.MinHeight, w, h)
	lines := strings.Split(ansi.Wrap(msg, w, " "), "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	top := (h - len(lines)) / 2
	out := make([]string, 0, h)
	for range top {
		out = append(out, "")
	}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		pad := max((w-textfmt.Width(l))/2, 0)
		out = append(out, strings.Repeat(" ", pad)+m.ctx.Styles.TooSmall.Render(l))
	}
	return strings.Join(out, "\n")
}
