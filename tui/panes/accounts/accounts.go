// Package accounts is the accounts pane: every account with its provider,
// status, last update and device battery; a cursor to pick the account the
// other panes show.
package accounts

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/layout"
	"github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/state"
	"github.com/fittui/fittui/tui/textfmt"
)

// SelectMsg asks the root to show account Index in the other panes.
type SelectMsg struct{ Index int }

// AddMsg asks the root for the add-an-account screen.
type AddMsg struct{}

// SignInMsg asks the root to sign account Index in (again).
type SignInMsg struct{ Index int }

// Model is the accounts pane.
type Model struct {
	ctx      *program.Context
	state    *state.Dashboard
	cursor   int
	selected int
	focused  bool
	w, h     int

	// Render cache: content is redrawn when an account's state, the ages
	// shown, the cursor, the selection, focus or size change.
	ages    []string
	texts   []string // status texts as of the last render (they age: state.StatusTextAt)
	seen    []uint64
	content string
	version uint64
}

// New makes the pane.
func New(ctx *program.Context, s *state.Dashboard) *Model {
	return &Model{ctx: ctx, state: s}
}

// Title implements layout.Pane.
func (m *Model) Title() string { return "Accounts" }

// Version implements layout.Pane.
func (m *Model) Version() uint64 { return m.version }

// View implements layout.Pane.
func (m *Model) View() string { return m.content }

// ShortHelp implements layout.Pane.
func (m *Model) ShortHelp() []key.Binding { return m.ctx.Keys.ShortAccounts() }

// Cursor is the row under the cursor.
func (m *Model) Cursor() int { return m.cursor }

// Selected is the account the other panes show.
func (m *Model) Selected() int { return m.selected }

// Update handles size, focus and the pane's keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case layout.SizeMsg:
		if msg.Width != m.w || msg.Height != m.h {
			m.w, m.h = msg.Width, msg.Height
			m.render()
		}
	case layout.FocusMsg:
		if m.focused != msg.Focused {
			m.focused = msg.Focused
			m.render()
		}
	case tea.KeyMsg:
		k := m.ctx.Keys
		n := len(m.state.Accounts)
		switch {
		case key.Matches(msg, k.Up) && m.cursor > 0:
			m.cursor--
			m.render()
		case key.Matches(msg, k.Down) && m.cursor < n-1:
			m.cursor++
			m.render()
		case key.Matches(msg, k.Select) && n > 0:
			i := m.cursor
			sel := func() tea.Msg { return SelectMsg{Index: i} }
			if m.state.Accounts[i].Status() == state.StatusSignIn {
				// Show it, and sign it in: that is what it needs.
				return tea.Batch(sel, func() tea.Msg { return SignInMsg{Index: i} })
			}
			return sel
		case key.Matches(msg, k.AddAccount):
			return func() tea.Msg { return AddMsg{} }
		case key.Matches(msg, k.SignIn) && n > 0:
			i := m.cursor
			return func() tea.Msg { return SignInMsg{Index: i} }
		}
	}
	return nil
}

// SetSelected marks account i as shown and puts the cursor on it.
func (m *Model) SetSelected(i int) {
	if i == m.selected && i == m.cursor {
		return
	}
	m.selected, m.cursor = i, i
	m.render()
}

// Refresh redraws the pane if any account's state or age text changed.
// It is cheap when nothing did: one version compare and one short age
// text per account.
func (m *Model) Refresh() {
	n := len(m.state.Accounts)
	if len(m.seen) != n {
		m.render()
		return
	}
	now := m.ctx.Now()
	after := state.UncheckedAfter(m.ctx.Refresh)
	for i, a := range m.state.Accounts {
		if a.Version != m.seen[i] || textfmt.Clock(now, a.LastUpdate) != m.ages[i] || a.StatusTextAt(now, after) != m.texts[i] {
			m.render()
			return
		}
	}
}

// NextChange is when the pane's view next changes with the clock alone
// (ages, "not checked for 5m", a rate limit ending): the root model wakes
// then instead of every second. Zero: not by the clock.
func (m *Model) NextChange(now time.Time) time.Time {
	after := state.UncheckedAfter(m.ctx.Refresh)
	var next time.Time
	for _, a := range m.state.Accounts {
		next = textfmt.Earliest(next, a.StatusTextChanges(now, after))
		// The age shows beside the status as in status(): not once
		// unchecked (the status says how long), not when offline.
		if _, unchecked := a.Unchecked(now, after); !unchecked && a.Status() != state.StatusOffline {
			next = textfmt.Earliest(next, textfmt.ClockChanges(now, a.LastUpdate))
		}
	}
	return next
}

// detail is how much each entry shows; the richest that fits wins.
type detail int

const (
	oneLine   detail = iota // name and status dot
	twoLines                // name; status and devices
	joined                  // name; status; devices on one line; a blank line
	perDevice               // name; status; one line per device; a blank line
)

func (m *Model) render() {
	m.version++
	accs := m.state.Accounts
	now := m.ctx.Now()
	m.seen = m.seen[:0]
	m.ages = m.ages[:0]
	m.texts = m.texts[:0]
	after := state.UncheckedAfter(m.ctx.Refresh)
	for _, a := range accs {
		m.seen = append(m.seen, a.Version)
		m.ages = append(m.ages, textfmt.Clock(now, a.LastUpdate))
		m.texts = append(m.texts, a.StatusTextAt(now, after))
	}
	if m.w <= 0 || m.h <= 0 {
		m.content = ""
		return
	}
	if len(accs) == 0 {
		m.content = strings.Join(textfmt.Block([]string{m.ctx.Styles.Muted.Render("no accounts configured")}, m.w, m.h), "\n")
		return
	}
	var entries [][]string
	for d := perDevice; d >= oneLine; d-- {
		entries = entries[:0]
		total := 0
		for i, a := range accs {
			e := m.entry(i, a, d)
			entries = append(entries, e)
			total += len(e)
		}
		if d >= joined {
			total-- // no blank line after the last entry
		}
		if total <= m.h {
			break
		}
	}
	// Scroll so the cursor's entry is visible.
	first := 0
	for first < m.cursor && rows(entries[first:m.cursor+1]) > m.h {
		first++
	}
	var lines []string
	for _, e := range entries[first:] {
		lines = append(lines, e...)
	}
	m.content = strings.Join(textfmt.Block(lines, m.w, m.h), "\n")
}

func rows(es [][]string) int {
	n := 0
	for _, e := range es {
		n += len(e)
	}
	return n
}

func (m *Model) entry(i int, a *state.Account, d detail) []string {
	s := m.ctx.Styles
	mark := "  "
	if m.focused && i == m.cursor {
		mark = s.Cursor.Render("›") + " "
	}
	num := " "
	if i < 9 {
		num = strconv.Itoa(i + 1)
	}
	name := a.Name
	if i == m.selected {
		name = s.Selected.Render(name + " ◂")
	} else {
		name = s.Value.Render(name)
	}
	right := s.Muted.Render(a.Provider)
	if d == oneLine {
		right = m.dot(a) + " " + right
	}
	out := []string{textfmt.Columns(mark+s.Muted.Render(num)+" "+name, right, m.w)}
	const indent = "    "
	switch d {
	case twoLines:
		st := m.status(a)
		if dv := m.devices(a); dv != "" {
			st += s.Muted.Render(" · ") + dv
		}
		out = append(out, indent+st)
	case joined:
		out = append(out, indent+m.status(a), indent+m.devices(a), "")
	case perDevice:
		out = append(out, indent+m.status(a))
		if !a.HasProfile || len(a.Profile.Devices) == 0 {
			out = append(out, indent+m.devices(a))
		}
		if a.HasProfile {
			for _, dv := range a.Profile.Devices {
				out = append(out, indent+m.device(dv))
			}
		}
		out = append(out, "")
	}
	return out
}

// dot is the status as one coloured symbol.
func (m *Model) dot(a *state.Account) string {
	s := m.ctx.Styles
	if _, ok := a.Unchecked(m.ctx.Now(), state.UncheckedAfter(m.ctx.Refresh)); ok {
		return s.Muted.Render("○") // ok when last asked, not known now
	}
	switch a.Status() {
	case state.StatusOK:
		return s.Good.Render("●")
	case state.StatusLoading, state.StatusSigningIn, state.StatusIdle:
		return s.Warn.Render("◌")
	case state.StatusRateLimited:
		return s.Warn.Render("◷")
	}
	return s.Bad.Render("✗")
}

func (m *Model) status(a *state.Account) string {
	s := m.ctx.Styles
	_, unchecked := a.Unchecked(m.ctx.Now(), state.UncheckedAfter(m.ctx.Refresh))
	text := a.StatusTextAt(m.ctx.Now(), state.UncheckedAfter(m.ctx.Refresh))
	switch a.Status() {
	case state.StatusOK, state.StatusLoading, state.StatusSigningIn, state.StatusIdle:
	case state.StatusRateLimited:
		text = s.Warn.Render(text)
	case state.StatusSignIn:
		text = s.Bad.Render(text) + s.Muted.Render(" · press s")
	default:
		text = s.Bad.Render(text)
	}
	if !a.Through.IsZero() && a.Status() == state.StatusOK && textfmt.Width(text)+6 > m.w { // the row indents it 4, the dot 2
		text = "archive · " + a.Through.In(time.UTC).Format("Jan 2 2006") // the narrow form
	}
	out := m.dot(a) + " " + text
	switch {
	case a.LastUpdate.IsZero(), unchecked: // the text says how long
	case !a.Through.IsZero(): // an archive: its text says what it holds, its age is no news
	case a.Status() == state.StatusOffline:
		// What is on screen is older data: say from when, as a time, in
		// full when the row has room.
		at := a.LastUpdate.In(a.Location(time.Local)).Format("15:04")
		if textfmt.Width(out)+len(", last updated 15:04")+4 <= m.w {
			out += s.Muted.Render(", last updated " + at)
		} else {
			out += s.Muted.Render(" · " + at)
		}
	default:
		out += s.Muted.Render(" · " + textfmt.Clock(m.ctx.Now(), a.LastUpdate))
	}
	return out
}

// devices lists the account's devices with their battery, low ones marked.
func (m *Model) devices(a *state.Account) string {
	s := m.ctx.Styles
	if !a.HasProfile {
		return ""
	}
	if len(a.Profile.Devices) == 0 {
		return s.Muted.Render("no devices")
	}
	parts := make([]string, 0, len(a.Profile.Devices))
	for _, d := range a.Profile.Devices {
		parts = append(parts, m.device(d))
	}
	return strings.Join(parts, s.Muted.Render(" · "))
}

func (m *Model) device(d providers.Device) string {
	s := m.ctx.Styles
	name := s.Muted.Render(d.Name)
	var batt string
	switch {
	case d.BatteryPercent >= 0:
		batt = strconv.Itoa(d.BatteryPercent) + "%"
	case d.BatteryLevel != "":
		batt = strings.ToLower(d.BatteryLevel)
	default:
		return name
	}
	if d.BatteryLow() {
		return name + " " + s.Bad.Render(batt+" low")
	}
	return name + " " + s.Value.Render(batt)
}
