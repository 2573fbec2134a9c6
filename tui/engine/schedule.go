package engine

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/tui/state"
)

// Scheduler decides when an account refreshes (cache.Scheduler). Its
// methods read the account's shared budget file, so they are only called
// inside commands.
type Scheduler interface {
	// Due says whether an automatic refresh starts now (then Done follows).
	Due() bool
	// Manual starts the person's refresh, or says until when the budget
	// is spent.
	Manual() (bool, time.Time)
	// Done ends a refresh with its worst failure (nil: none).
	Done(err error)
}

// SkipMsg answers a scheduled fetch that was not due: the request ends
// and nothing changes.
type SkipMsg struct {
	Account int
	Gen     uint64
	Kind    state.Kind
}

// ManualMsg answers askManual: OK, or the budget is spent until Until.
type ManualMsg struct {
	Account int
	OK      bool
	Until   time.Time
}

// scheduled runs the today fetch when s says a refresh is due, then tells
// s how it went; otherwise it answers SkipMsg.
func scheduled(s Scheduler, account int, gen uint64, fetch tea.Cmd) tea.Cmd {
	return func() tea.Msg {
		if !s.Due() {
			return SkipMsg{Account: account, Gen: gen, Kind: state.KindToday}
		}
		return finish(s, fetch())
	}
}

// finishing runs fetch (a refresh s started with Manual) and ends it.
func finishing(s Scheduler, fetch tea.Cmd) tea.Cmd {
	return func() tea.Msg { return finish(s, fetch()) }
}

func finish(s Scheduler, msg tea.Msg) tea.Msg {
	if st, ok := msg.(Streamed); ok {
		st.Next = finishing(s, st.Next) // the refresh ends with the last answer
		return st
	}
	var err error
	if m, ok := msg.(state.TodayAnswer); ok {
		err = m.Err
	}
	s.Done(err)
	return msg
}

// askManual asks s for the person's refresh of account.
func askManual(s Scheduler, account int) tea.Cmd {
	return func() tea.Msg {
		ok, until := s.Manual()
		return ManualMsg{Account: account, OK: ok, Until: until}
	}
}

// Streamed is one answer of a command with more to come: Engine.Update
// applies Msg, then runs Next (glow-style streaming, one message at a
// time, without tea.Sequence's private message type).
type Streamed struct {
	Msg  tea.Msg
	Next tea.Cmd
}

// peekThen answers with peek's message first (when it has one) and then
// runs fetch; with a nil peek it is fetch.
func peekThen(peek, fetch tea.Cmd) tea.Cmd {
	if peek == nil {
		return fetch
	}
	return func() tea.Msg {
		if msg := peek(); msg != nil {
			return Streamed{Msg: msg, Next: fetch}
		}
		return fetch()
	}
}
