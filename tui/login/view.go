package login

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/auth/qr"
	"github.com/fittui/fittui/tui/textfmt"
	"github.com/fittui/fittui/tui/wiring"
)

// Block priorities: when the screen is short the highest number goes
// first. The link, the status and the paste field go last.
const (
	prioURL = iota
	prioStatus
	prioField
	prioFooter
	prioError
	prioSSHCommand
	prioTitle
	prioLabel
	prioPasteLabel
	prioNote
	prioSSHText
	prioQR
	prioHint
	prioBlank // and up: blank lines, the later the sooner dropped
)

// block is lines kept or dropped whole when the screen is short.
type block struct {
	lines []string
	prio  int
	qr    bool // the QR code's place: the largest code that fits, or nothing
	noQR  bool // shown only when the QR code is not
	url   bool // the link: never cut, only padded
	foot  bool // filler goes above it, so it sits on the bottom line
}

// View draws the screen in exactly the size of the last WindowSizeMsg;
// only the link's line may be wider (it is never cut or wrapped).
func (m *Model) View() string {
	if m.h <= 0 {
		return ""
	}
	var blocks []block
	switch m.step {
	case stepPick:
		blocks = m.pickView()
	case stepName, stepChecking:
		blocks = m.nameView()
	case stepFailed:
		blocks = m.failedView()
	default:
		blocks = m.waitView()
	}
	return m.compose(blocks)
}

func (m *Model) footer(b []key.Binding) block {
	return block{lines: []string{m.help.ShortHelpView(b)}, prio: prioFooter, foot: true}
}

func blank(n int) block { return block{lines: []string{""}, prio: prioBlank + n} }

// text wraps s to the width and styles every line.
func (m *Model) text(s string, st lipgloss.Style, prio int) block {
	w := max(m.w, 1)
	var lines []string
	for _, l := range strings.Split(ansi.Wrap(s, w, "-"), "\n") {
		lines = append(lines, st.Render(strings.TrimRight(l, " ")))
	}
	return block{lines: lines, prio: prio}
}

func (m *Model) pickView() []block {
	s := m.ctx.Styles
	out := []block{m.text("Add an account: choose a provider", s.Title, prioTitle), blank(1)}
	tw := 0
	for _, c := range m.choices {
		tw = max(tw, len(c.title))
	}
	for i, c := range m.choices {
		mark := "  "
		if i == m.cursor {
			mark = s.Cursor.Render("›") + " "
		}
		what := s.Good.Render("data shown")
		if !c.shown {
			what = s.Muted.Render("sign-in only: this build cannot show its data yet")
		}
		line := mark + s.Value.Render(fmt.Sprintf("%-*s", tw, c.title)) + "  " + s.Muted.Render(c.name) + s.Muted.Render(" · ") + what
		out = append(out, block{lines: []string{line}, prio: prioField})
	}
	out = append(out, blank(2),
		m.text("You sign in in your browser; the provider's client id must be set first (see “Signing in” in the README).", s.Muted, prioNote),
		blank(3), m.footer(m.ctx.Keys.ShortLoginPick()))
	return out
}

func (m *Model) nameView() []block {
	s := m.ctx.Styles
	out := []block{
		m.text("Add a "+m.title+" account: name it", s.Title, prioTitle), blank(1),
		{lines: []string{m.name.View()}, prio: prioField},
	}
	if m.nameErr != "" {
		out = append(out, m.text(m.nameErr, s.Error, prioError))
	}
	if m.step == stepChecking {
		out = append(out, block{lines: []string{m.spin.View() + " checking the name…"}, prio: prioStatus})
	}
	out = append(out, blank(2),
		m.text("The dashboard lists the account under this name. Naming an existing "+m.title+" account signs it in again and replaces its token.", s.Muted, prioNote),
		blank(3), m.footer(m.ctx.Keys.ShortLoginName()))
	return out
}

func (m *Model) failedView() []block {
	s := m.ctx.Styles
	return []block{
		m.text(m.heading("Could not sign in to "), s.Bad, prioTitle), blank(1),
		m.text(m.failure, s.Error, prioStatus), blank(2),
		m.footer(m.ctx.Keys.ShortLoginFailed()),
	}
}

func (m *Model) heading(prefix string) string {
	return prefix + m.title + " · account " + fmt.Sprintf("%q", m.account)
}

func (m *Model) waitView() []block {
	s := m.ctx.Styles
	out := []block{m.text(m.heading("Sign in to "), s.Title, prioTitle), blank(3)}
	if m.step == stepStarting || m.url == "" {
		status := "starting the sign-in…"
		if m.step == stepClosing {
			status = "cancelling…"
		}
		return append(out, block{lines: []string{m.spin.View() + " " + status}, prio: prioStatus},
			m.footer([]key.Binding{m.ctx.Keys.Cancel}))
	}
	label := "Open this link in a browser and approve access:"
	if textfmt.Width(m.url) > m.w {
		label = "Open this link in a browser and approve access (it is wider than the window: press c to copy it whole):"
	}
	out = append(out,
		m.text(label, s.Label, prioLabel),
		block{lines: []string{auth.Hyperlink(m.url, m.url)}, prio: prioURL, url: true},
		block{qr: true, prio: prioQR},
		block{lines: []string{s.Muted.Render("(enlarge the terminal to see a QR code)")}, prio: prioHint, noQR: true},
		block{lines: []string{m.spin.View() + " " + m.status()}, prio: prioStatus},
	)
	if m.note != "" {
		out = append(out, m.text(m.note, s.Muted, prioNote))
	} else {
		out = append(out, blank(0))
	}
	if auth.IsSSH(m.opts.env()) {
		out = append(out,
			m.text("You are on SSH: forward the callback port first. On your computer run:", s.Label, prioSSHText),
			block{lines: []string{"    " + s.Value.Render(wiring.SSHForward(m.opts.env().Getenv, m.port))}, prio: prioSSHCommand},
		)
	}
	out = append(out,
		m.text("Browser cannot reach this machine? Approve, then paste the address it ends on:", s.Label, prioPasteLabel),
		block{lines: []string{m.paste.View()}, prio: prioField},
	)
	if m.pasteErr != "" {
		out = append(out, m.text(m.pasteErr, s.Error, prioError))
	}
	keys := m.ctx.Keys.ShortLoginWait(m.pasting)
	if m.step == stepSaving {
		keys = nil
	}
	return append(out, blank(2), m.footer(keys))
}

// status is the spinner's text.
func (m *Model) status() string {
	switch {
	case m.step == stepSaving:
		return "signed in; saving the token…"
	case m.step == stepClosing:
		return "closing…"
	case m.exchanging:
		return "got the answer; getting the token…"
	}
	left := m.deadline.Sub(m.ctx.Now())
	secs := max(int(math.Ceil(left.Seconds())), 0)
	return fmt.Sprintf("waiting for the browser · %d:%02d left", secs/60, secs%60)
}

// compose lays the blocks out in exactly w x h: first with the QR code,
// dropping only what matters less than it until the largest code that
// fits has room; failing that without it, dropping the least important
// blocks until the rest fits. Filler goes above the footer.
func (m *Model) compose(blocks []block) string {
	keep := make([]bool, len(blocks))
	rows := func(withQR bool) (n int) {
		for i, b := range blocks {
			if keep[i] && !b.qr && !(withQR && b.noQR) {
				n += len(b.lines)
			}
		}
		return n
	}
	drop := func(above int, withQR bool) bool {
		v := -1
		for i, b := range blocks {
			if keep[i] && !b.qr && !(withQR && b.noQR) && b.prio > above && (v < 0 || b.prio > blocks[v].prio) {
				v = i
			}
		}
		if v >= 0 {
			keep[v] = false
		}
		return v >= 0
	}
	var code []string
	hasQR := false
	for i, b := range blocks {
		keep[i] = true
		hasQR = hasQR || b.qr
	}
	if hasQR {
		for {
			if c, ok := m.qrLines(m.h - rows(true)); ok {
				code = c
				break
			}
			if !drop(prioQR, true) {
				break
			}
		}
	}
	withQR := code != nil
	if !withQR {
		for i := range blocks {
			keep[i] = !blocks[i].qr
		}
		for rows(false) > m.h && drop(-1, false) {
		}
	}
	fill := m.h - rows(withQR) - len(code)
	out := make([]string, 0, m.h)
	blankLine := textfmt.Fit("", m.w)
	for i, b := range blocks {
		if !keep[i] || (withQR && b.noQR) {
			continue
		}
		if b.foot {
			for ; fill > 0; fill-- {
				out = append(out, blankLine)
			}
		}
		switch {
		case b.qr:
			out = append(out, code...)
		case b.url:
			for _, l := range b.lines {
				if pad := m.w - textfmt.Width(l); pad > 0 {
					l += strings.Repeat(" ", pad)
				}
				out = append(out, l)
			}
		default:
			for _, l := range b.lines {
				out = append(out, textfmt.Fit(l, m.w))
			}
		}
	}
	for ; fill > 0; fill-- {
		out = append(out, blankLine)
	}
	return strings.Join(out[:min(len(out), m.h)], "\n")
}

// qrCache keeps the encoded link and its drawings, so redrawing the screen
// (the spinner turns twelve times a second) never encodes again.
type qrCache struct {
	url    string
	code   *qr.Code
	drawn  map[int]string // by quiet zone
	w      int
	lines  map[int][]string // by quiet zone, centred in w
	failed bool
}

// qrLines is the largest QR code of the link (quiet zone 4 down to 2
// modules) that fits in w x rows, centred; false when none does.
func (m *Model) qrLines(rows int) ([]string, bool) {
	c := &m.qr
	if c.url != m.url {
		*c = qrCache{url: m.url}
		code, err := qr.Encode(m.url)
		c.code, c.failed = code, err != nil
	}
	if c.failed || m.w <= 0 || rows <= 0 {
		return nil, false
	}
	if c.w != m.w {
		c.w, c.lines = m.w, nil
	}
	for q := qr.StandardQuiet; q >= qr.MinQuiet; q-- {
		cw, ch := c.code.Dims(q)
		if cw > m.w || ch > rows {
			continue
		}
		if l, ok := c.lines[q]; ok {
			return l, true
		}
		if c.drawn == nil {
			c.drawn = map[int]string{}
		}
		s, ok := c.drawn[q]
		if !ok {
			s = c.code.Render(q, m.ink())
			c.drawn[q] = s
		}
		left := strings.Repeat(" ", (m.w-cw)/2)
		right := strings.Repeat(" ", m.w-cw-(m.w-cw)/2)
		var lines []string
		for _, l := range strings.Split(s, "\n") {
			if coloured(m.ctx) {
				l = m.ctx.Styles.QR.Render(l)
			}
			lines = append(lines, left+l+right)
		}
		if c.lines == nil {
			c.lines = map[int][]string{}
		}
		c.lines[q] = lines
		return lines, true
	}
	return nil, false
}

// ink draws dark modules when the QR style paints them black on white,
// else whichever the terminal's background makes dark.
func (m *Model) ink() qr.Ink {
	if coloured(m.ctx) || !lipgloss.HasDarkBackground() {
		return qr.InkDark
	}
	return qr.InkLight
}
