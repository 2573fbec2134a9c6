package history

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/datearg"
	"github.com/fittui/fittui/tui/keys"
)

// maxPrompt bounds what the date prompt keeps of a paste.
const maxPrompt = 32

// prompt is the date key's one-line prompt. It has no cursor of its own
// (typing appends, backspace deletes), so it needs no blink timer.
type prompt struct {
	open bool
	text []rune
	err  string // why the last date typed was refused
}

func (p prompt) sig() string {
	if !p.open {
		return ""
	}
	return string(p.text) + "\x00" + p.err
}

// key handles a key while the prompt is open. It returns the date typed
// and true when enter gave a date in first..today; a bad date leaves the
// prompt open with the reason, and changes nothing else.
func (p *prompt) key(msg tea.KeyMsg, k *keys.KeyMap, today, first providers.Date) (providers.Date, bool) {
	switch {
	case key.Matches(msg, k.Cancel):
		*p = prompt{}
	case key.Matches(msg, k.Submit):
		d, err := datearg.Parse(string(p.text), today)
		switch {
		case err != nil:
			p.err = err.Error()
		case d.After(today):
			p.err = fmt.Sprintf("%s is after today (%s)", d, today)
		case d.Before(first):
			p.err = fmt.Sprintf("%s is more than 5 years back; the history starts %s", d, first)
		default:
			*p = prompt{}
			return d, true
		}
	case msg.Type == tea.KeyBackspace:
		if len(p.text) > 0 {
			p.text = p.text[:len(p.text)-1]
		}
		p.err = ""
	case msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace:
		for _, r := range msg.Runes {
			if len(p.text) < maxPrompt && r >= ' ' {
				p.text = append(p.text, r)
			}
		}
		if msg.Type == tea.KeySpace && len(msg.Runes) == 0 && len(p.text) < maxPrompt {
			p.text = append(p.text, ' ')
		}
		p.err = ""
	}
	return providers.Date{}, false
}

// lines are the prompt's line and, after a refused date, the reason.
func (m *Model) promptLines() []string {
	s := m.ctx.Styles
	line := s.Title.Render("go to date: ") + s.Value.Render(string(m.prompt.text)) + s.Cursor.Render(" ") +
		s.Muted.Render("  "+datearg.Help)
	if m.prompt.err == "" {
		return []string{line}
	}
	return []string{s.Error.Render("⚠ " + m.prompt.err), line}
}
