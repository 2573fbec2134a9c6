package theme

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
)

// Styles are every lipgloss style the dashboard draws with, built once from
// a Theme by NewStyles. Components read them from the program context.
type Styles struct {
	Theme Theme

	// Pane frames: border plus horizontal padding. The layout manager takes
	// the content size from GetHorizontalFrameSize/GetVerticalFrameSize.
	//
	// Focus shows in the top edge only: PaneFocused differs from Pane in
	// its top corners and edge (heavy, ┍━ Title ━┑), drawn with
	// BorderLineFocused around PaneTitleFocused. The sides and the bottom
	// are Pane's whatever the focus, so moving focus rewrites one row per
	// pane instead of every row of two panes (the terminal is sent whole
	// changed lines, and every line carries a side).
	Pane        lipgloss.Style
	PaneFocused lipgloss.Style
	// BorderLine draws the sides, the bottom and an unfocused top edge;
	// BorderLineFocused the focused pane's top edge.
	BorderLine        lipgloss.Style
	BorderLineFocused lipgloss.Style
	PaneTitle         lipgloss.Style
	PaneTitleFocused  lipgloss.Style

	// Tab bar (narrow layout).
	TabActive   lipgloss.Style
	TabInactive lipgloss.Style
	TabGap      lipgloss.Style

	// Text.
	Title lipgloss.Style // section headings inside panes
	Label lipgloss.Style // "Steps", "Resting HR"
	Value lipgloss.Style // the numbers
	Muted lipgloss.Style // units, ages, hints
	Good  lipgloss.Style
	Warn  lipgloss.Style
	Bad   lipgloss.Style
	Error lipgloss.Style // error messages shown in panes

	// Lists.
	Cursor   lipgloss.Style // the row under the cursor
	Selected lipgloss.Style // marker of the account shown in the panes

	// Progress bars toward goals.
	ProgressFull  lipgloss.Style
	ProgressEmpty lipgloss.Style
	ProgressDone  lipgloss.Style // goal reached

	// Charts.
	Heart       lipgloss.Style
	Steps       lipgloss.Style
	Sleep       lipgloss.Style
	Weight      lipgloss.Style
	ChartSelect lipgloss.Style // the selected day's bar or column

	// Sleep stages.
	Deep  lipgloss.Style
	Light lipgloss.Style
	REM   lipgloss.Style
	Wake  lipgloss.Style

	// Footer, notices, help.
	Footer   lipgloss.Style
	Notice   lipgloss.Style
	TooSmall lipgloss.Style
	HelpBox  lipgloss.Style
	Help     help.Styles

	// Login screen.
	Spinner lipgloss.Style
	// QR draws a QR code dark on light whatever the terminal's colours,
	// so phone cameras read it; without colour it is plain and the code
	// is drawn for the terminal's background instead.
	QR lipgloss.Style
}

// NewStyles builds the styles of t. Call it once per theme.
func NewStyles(t Theme) *Styles {
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	s := &Styles{Theme: t}

	unfocusedBorder, boxBorder := lipgloss.RoundedBorder(), lipgloss.RoundedBorder()
	if t.Mono || t.Name == "high-contrast" {
		// Without colour (or for weak eyes) focus must show in the shape.
		unfocusedBorder, boxBorder = lipgloss.NormalBorder(), lipgloss.ThickBorder()
	}
	s.Pane = lipgloss.NewStyle().Border(unfocusedBorder).BorderForeground(t.Border).Padding(0, 1)
	s.PaneFocused = lipgloss.NewStyle().Border(focusedBorder(unfocusedBorder)).BorderForeground(t.Accent).Padding(0, 1)
	s.BorderLine = fg(t.Border)
	s.BorderLineFocused = fg(t.Accent)
	s.PaneTitle = fg(t.Muted).Bold(true)
	s.PaneTitleFocused = fg(t.Accent).Bold(true)

	s.TabActive = fg(t.Accent).Bold(true).Underline(true)
	s.TabInactive = fg(t.Muted)
	s.TabGap = fg(t.Border)

	s.Title = fg(t.Text).Bold(true)
	s.Label = fg(t.Muted)
	s.Value = fg(t.Text).Bold(true)
	s.Muted = fg(t.Muted)
	s.Good = fg(t.Good)
	s.Warn = fg(t.Warn)
	s.Bad = fg(t.Bad).Bold(true)
	s.Error = fg(t.Bad)

	s.Cursor = fg(t.Accent).Bold(true)
	s.Selected = fg(t.Accent).Bold(true)

	s.ProgressFull = fg(t.Accent)
	s.ProgressEmpty = fg(t.Border)
	s.ProgressDone = fg(t.Good)

	s.Heart = fg(t.Heart)
	s.Steps = fg(t.Steps)
	s.Sleep = fg(t.Sleep)
	s.Weight = fg(t.Weight)
	s.ChartSelect = fg(t.Accent).Bold(true)

	s.Deep = fg(t.Deep)
	s.Light = fg(t.Light)
	s.REM = fg(t.REM)
	s.Wake = fg(t.Wake)

	s.Footer = fg(t.Muted)
	s.Notice = fg(t.Warn).Bold(true)
	s.TooSmall = fg(t.Warn).Bold(true)
	s.HelpBox = lipgloss.NewStyle().Border(boxBorder).BorderForeground(t.Accent).Padding(0, 1)
	s.Help = help.Styles{
		Ellipsis:       fg(t.Muted),
		ShortKey:       fg(t.Text).Bold(true),
		ShortDesc:      fg(t.Muted),
		ShortSeparator: fg(t.Border),
		FullKey:        fg(t.Text).Bold(true),
		FullDesc:       fg(t.Muted),
		FullSeparator:  fg(t.Border),
	}

	s.Spinner = fg(t.Accent)
	s.QR = lipgloss.NewStyle().Foreground(lipgloss.Color("0")).Background(lipgloss.Color("15"))

	if t.Mono {
		monoStyles(s)
	}
	return s
}

// focusedBorder is b with a heavy top edge whose corners still join b's
// light sides (┍━━┑): in every theme, colour or none, a focused pane's top
// edge has another shape than an unfocused one's.
func focusedBorder(b lipgloss.Border) lipgloss.Border {
	b.Top, b.TopLeft, b.TopRight = "━", "┍", "┑"
	return b
}

// monoStyles replaces colour with text attributes.
func monoStyles(s *Styles) {
	plain := lipgloss.NewStyle()
	bold := plain.Bold(true)
	faint := plain.Faint(true)
	rev := plain.Reverse(true)
	under := plain.Underline(true)

	s.BorderLine, s.BorderLineFocused = plain, bold
	s.PaneTitle, s.PaneTitleFocused = plain, rev.Bold(true)
	s.TabActive, s.TabInactive, s.TabGap = rev.Bold(true), plain, faint
	s.Title, s.Label, s.Value, s.Muted = bold, faint, bold, faint
	s.Good, s.Warn, s.Bad, s.Error = plain, under, bold.Underline(true), bold
	s.Cursor, s.Selected = rev, bold
	s.ProgressFull, s.ProgressEmpty, s.ProgressDone = plain, faint, bold
	s.Heart, s.Steps, s.Sleep, s.Weight, s.ChartSelect = plain, plain, plain, plain, rev
	s.Deep, s.Light, s.REM, s.Wake = bold, plain, under, faint
	s.Footer, s.Notice, s.TooSmall = faint, bold, bold
	s.Spinner, s.QR = bold, plain
	s.Help = help.Styles{
		Ellipsis: faint, ShortKey: bold, ShortDesc: plain, ShortSeparator: faint,
		FullKey: bold, FullDesc: plain, FullSeparator: faint,
	}
}
