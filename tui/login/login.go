// Package login is the sign-in screen, in the style of a device flow: pick
// a provider and name the account (or sign an account in again), then the
// authorization link on one unbroken line (also an OSC 8 hyperlink), a QR
// code of it when the terminal is big enough, a key that copies the link
// through OSC 52, a spinner with the time left, the ssh -L line on SSH and
// a field for the address the browser ends on when it cannot reach this
// machine's loopback.
//
// All I/O (checking the name, starting, waiting, saving, closing, copying,
// opening the browser) runs in tea.Cmds. Their answers carry the attempt's
// generation, so an answer of an abandoned attempt never lands in a newer
// one; every abandoned attempt has its context cancelled, so its port is
// freed even when nobody waits for it.
package login

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/providers"
	tuictx "github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/wiring"
)

// saveTimeout bounds saving the token and opening the account.
const saveTimeout = 30 * time.Second

// gens numbers attempts and name checks across every screen of the
// program: an answer of a closed screen's login may reach the next
// screen (the root hands messages to whichever screen is open), and must
// not match it.
var gens atomic.Uint64

// Options are what the screen takes from the program.
type Options struct {
	// Service checks names, starts logins and saves grants; nil turns
	// signing in off (see Enabled).
	Service Service
	// Env decides whether the browser opens by itself, whether to show
	// the SSH hint and how to wrap OSC 52 for tmux or screen; a nil
	// Getenv means this process's environment.
	Env auth.Env
	// OpenURL opens the system's browser; nil means auth.OpenBrowser.
	OpenURL func(url string) error
	// Clipboard receives the OSC 52 sequence that copies the link: the
	// program's terminal; nil means os.Stdout.
	Clipboard io.Writer
}

// Enabled reports whether signing in is possible.
func (o Options) Enabled() bool { return o.Service != nil }

func (o Options) env() auth.Env {
	if o.Env.Getenv == nil {
		return auth.OSEnv()
	}
	return o.Env
}

// Messages to the program.
type (
	// SigningInMsg: a login for Account is running (On) or has ended.
	SigningInMsg struct {
		Account string
		On      bool
	}
	// SignedInMsg: the account signed in and its token is saved; the
	// program adds it to the dashboard and closes the screen.
	SignedInMsg struct{ Saved Saved }
	// ClosedMsg: the screen is done (cancelled or closed). Any login it
	// ran has ended and its port is free; Account ("" before a name was
	// chosen) is no longer signing in.
	ClosedMsg struct{ Account string }
)

// Answers of the screen's own commands; gen is the attempt's generation.
type (
	checkedMsg struct {
		gen     uint64
		account string
		err     error
	}
	startedMsg struct {
		gen      uint64
		login    Attempt
		deadline time.Time // the login's end on the program's clock
		err      error
	}
	eventMsg struct {
		gen uint64
		ev  auth.Event
	}
	resultMsg struct {
		gen   uint64
		grant *auth.Grant
		err   error
	}
	savedMsg struct {
		gen   uint64
		saved Saved
		err   error
	}
	browserMsg struct {
		gen uint64
		err error
	}
	copiedMsg struct {
		gen uint64
		err error
	}
)

type step int

const (
	stepPick     step = iota // choose a provider
	stepName                 // name the account
	stepChecking             // the name is being checked
	stepStarting             // the login is starting
	stepWaiting              // link shown, waiting for the browser or a paste
	stepSaving               // the token is being saved
	stepFailed               // what went wrong; retry or close
	stepClosing              // the login is being closed
)

// run is one login attempt.
type run struct {
	gen     uint64
	ctx     context.Context
	cancel  context.CancelFunc
	started chan struct{} // closed once Start has returned
	login   Attempt       // set before started is closed; nil if Start failed
}

// choice is a provider in the picker.
type choice struct {
	name, title string
	shown       bool // this build can show its data
}

// Model is the login screen.
type Model struct {
	ctx  *tuictx.Context
	opts Options
	w, h int

	step    step
	choices []choice
	cursor  int
	picked  bool // esc on the name goes back to the picker

	provider, title, account string
	name                     textinput.Model
	nameErr                  string

	gen        uint64 // of the newest attempt or name check (from gens)
	run        *run
	login      Attempt // the running login, once started
	url        string
	port       int
	deadline   time.Time
	exchanging bool
	paste      textinput.Model
	pasting    bool
	pasteErr   string
	note       string
	spin       spinner.Model
	failure    string // stepFailed: what happened and what to do
	help       help.Model

	qr qrCache
}

// New is the add-an-account screen: pick a provider, name the account,
// sign in.
func New(ctx *tuictx.Context, opts Options) *Model {
	m := newModel(ctx, opts)
	for _, name := range providers.SignIns() {
		spec, ok := auth.Lookup(name)
		if !ok {
			continue
		}
		m.choices = append(m.choices, choice{name: name, title: spec.Title, shown: CanShow(name)})
	}
	return m
}

// Again is the screen signing account in to provider again; Init starts
// the login at once.
func Again(ctx *tuictx.Context, opts Options, account, provider string) *Model {
	m := newModel(ctx, opts)
	m.setProvider(provider)
	m.account = account
	m.step = stepStarting
	return m
}

func newModel(ctx *tuictx.Context, opts Options) *Model {
	s := ctx.Styles
	m := &Model{ctx: ctx, opts: opts}
	m.name = textinput.New()
	m.name.Prompt = "Name › "
	m.name.PromptStyle = s.Label
	m.name.CharLimit = 64
	m.name.Cursor.SetMode(cursor.CursorStatic)
	m.paste = textinput.New()
	m.paste.Prompt = "› "
	m.paste.PromptStyle = s.Label
	m.paste.PlaceholderStyle = s.Muted
	m.paste.Cursor.SetMode(cursor.CursorStatic)
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(s.Spinner))
	m.help = help.New()
	m.help.Styles = s.Help
	return m
}

func (m *Model) setProvider(p string) {
	m.provider = p
	m.title = p
	if spec, ok := auth.Lookup(p); ok {
		m.title = spec.Title
	}
}

// Init starts the login of an Again screen; New's waits for a choice.
func (m *Model) Init() tea.Cmd {
	if m.step == stepStarting && m.run == nil {
		return m.begin()
	}
	return nil
}

// Update handles a message and returns what to do next.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = max(msg.Width, 0), max(msg.Height, 0)
		m.help.Width = m.w
		m.name.Width = max(m.w-lipgloss.Width(m.name.Prompt)-1, 1)
		m.paste.Width = max(m.w-lipgloss.Width(m.paste.Prompt)-1, 1)
	case tea.KeyMsg:
		return m.key(msg)
	case spinner.TickMsg:
		if m.busy() {
			var cmd tea.Cmd
			m.spin, cmd = m.spin.Update(msg)
			return cmd
		}
	case checkedMsg:
		return m.onChecked(msg)
	case startedMsg:
		return m.onStarted(msg)
	case eventMsg:
		return m.onEvent(msg)
	case resultMsg:
		return m.onResult(msg)
	case savedMsg:
		return m.onSaved(msg)
	case browserMsg:
		if msg.gen == m.gen && m.step == stepWaiting {
			if msg.err != nil {
				m.note = "Could not open a browser (" + msg.err.Error() + "); open the link yourself."
			} else {
				m.note = "Opened in your browser."
			}
		}
	case copiedMsg:
		if msg.gen == m.gen && m.step == stepWaiting {
			if msg.err != nil {
				m.note = "Could not copy the link: " + msg.err.Error()
			} else {
				m.note = copiedNote(m.opts.env())
			}
		}
	}
	return nil
}

// busy says whether the spinner turns.
func (m *Model) busy() bool {
	switch m.step {
	case stepChecking, stepStarting, stepWaiting, stepSaving, stepClosing:
		return true
	}
	return false
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.ctx.Keys
	switch m.step {
	case stepPick:
		switch {
		case key.Matches(msg, k.Cancel):
			return closed("")
		case key.Matches(msg, k.Up) && m.cursor > 0:
			m.cursor--
		case key.Matches(msg, k.Down) && m.cursor < len(m.choices)-1:
			m.cursor++
		case key.Matches(msg, k.Submit) && len(m.choices) > 0:
			m.picked = true
			m.setProvider(m.choices[m.cursor].name)
			m.step = stepName
			m.nameErr = ""
			m.name.SetValue(m.provider)
			m.name.CursorEnd()
			return m.name.Focus()
		}
	case stepName, stepChecking:
		switch {
		case key.Matches(msg, k.Cancel):
			m.gen = gens.Add(1) // drop a check on its way
			m.name.Blur()
			if m.picked {
				m.step = stepPick
				return nil
			}
			return closed("")
		case key.Matches(msg, k.Submit):
			if m.step == stepChecking {
				return nil
			}
			return m.check()
		default:
			if m.step == stepChecking {
				return nil
			}
			var cmd tea.Cmd
			m.name, cmd = m.name.Update(msg)
			m.nameErr = ""
			return cmd
		}
	case stepStarting, stepWaiting:
		if key.Matches(msg, k.Cancel) {
			return m.cancel()
		}
		if m.step == stepWaiting {
			return m.waitingKey(msg)
		}
	case stepFailed:
		switch {
		case key.Matches(msg, k.Cancel):
			return closed(m.account)
		case key.Matches(msg, k.Retry):
			return m.begin()
		}
	}
	return nil
}

func (m *Model) waitingKey(msg tea.KeyMsg) tea.Cmd {
	k := m.ctx.Keys
	if msg.Paste && !m.pasting {
		// A bracketed paste goes to the field wherever the focus was.
		m.pasting = true
		m.paste.Focus()
	}
	if m.pasting {
		switch {
		case key.Matches(msg, k.Submit):
			m.submitPaste()
			return nil
		case key.Matches(msg, k.Paste) && !msg.Paste:
			m.pasting = false
			m.paste.Blur()
			return nil
		}
		var cmd tea.Cmd
		m.paste, cmd = m.paste.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, k.CopyLink):
		return m.copyLink()
	case key.Matches(msg, k.Paste):
		m.pasting = true
		return m.paste.Focus()
	}
	return nil
}

// check asks whether the typed name may sign in (reads the token store).
func (m *Model) check() tea.Cmd {
	account := strings.TrimSpace(m.name.Value())
	m.gen = gens.Add(1)
	gen, svc, provider := m.gen, m.opts.Service, m.provider
	m.step = stepChecking
	return tea.Batch(m.spin.Tick, func() tea.Msg {
		return checkedMsg{gen: gen, account: account, err: svc.Check(account, provider)}
	})
}

func (m *Model) onChecked(msg checkedMsg) tea.Cmd {
	if msg.gen != m.gen || m.step != stepChecking {
		return nil
	}
	if msg.err != nil {
		m.step = stepName
		m.nameErr = nameError(msg.err)
		return nil
	}
	m.name.Blur()
	m.account = msg.account
	return m.begin()
}

// nameError says why a name cannot sign in, in the screen's words (the
// connect error speaks of the command line's --account flag).
func nameError(err error) string {
	var ce *wiring.ConflictError
	if !errors.As(err, &ce) {
		return err.Error()
	}
	msg := fmt.Sprintf("%q is already a %s account (%s), so it cannot sign in to %s: pick another name", ce.Account, ce.Existing, ce.Where, ce.Provider)
	if ce.Where == "in the token store" {
		msg += fmt.Sprintf(", or first log it out with `fittui auth logout %s`", ce.Account)
	}
	return msg
}

// begin starts a new attempt, abandoning any other.
func (m *Model) begin() tea.Cmd {
	m.abandon()
	m.gen = gens.Add(1)
	ctx, cancel := context.WithCancel(context.Background())
	r := &run{gen: m.gen, ctx: ctx, cancel: cancel, started: make(chan struct{})}
	m.run, m.login = r, nil
	m.step = stepStarting
	m.url, m.port, m.deadline = "", 0, time.Time{}
	m.exchanging, m.pasting, m.pasteErr, m.note, m.failure = false, false, "", "", ""
	m.paste.Reset()
	m.paste.Blur()
	svc, provider, now := m.opts.Service, m.provider, m.ctx.Now
	return tea.Batch(m.spin.Tick, func() tea.Msg {
		l, err := svc.Start(ctx, provider)
		if err != nil {
			l = nil
		}
		r.login = l
		close(r.started)
		msg := startedMsg{gen: r.gen, login: l, err: err}
		if l != nil {
			msg.deadline = now().Add(time.Until(l.Expires()))
		}
		return msg
	})
}

// abandon cancels the current attempt without waiting: its context ends
// the login and frees the port.
func (m *Model) abandon() {
	if m.run != nil {
		m.run.cancel()
		m.run, m.login = nil, nil
	}
}

func (m *Model) onStarted(msg startedMsg) tea.Cmd {
	if msg.gen != m.gen || m.step != stepStarting {
		return nil // abandoned: its context is cancelled
	}
	if msg.err != nil {
		m.abandon()
		m.fail(msg.err)
		return nil
	}
	r := m.run
	m.login = msg.login
	m.step = stepWaiting
	m.url, m.port, m.deadline = msg.login.URL(), msg.login.Port(), msg.deadline
	m.paste.Placeholder = "http://127.0.0.1:" + fmt.Sprint(m.port) + "/…?code=…&state=…"
	account := m.account
	cmds := []tea.Cmd{
		func() tea.Msg { return SigningInMsg{Account: account, On: true} },
		wait(r), listen(r),
	}
	if auth.ShouldOpenBrowser(m.opts.env()) {
		open, url, gen := m.opts.OpenURL, m.url, m.gen
		if open == nil {
			open = auth.OpenBrowser
		}
		cmds = append(cmds, func() tea.Msg { return browserMsg{gen: gen, err: open(url)} })
	}
	return tea.Batch(cmds...)
}

// wait runs until the login ends.
func wait(r *run) tea.Cmd {
	return func() tea.Msg {
		g, err := r.login.Wait(r.ctx)
		return resultMsg{gen: r.gen, grant: g, err: err}
	}
}

// listen delivers the login's next event; it is sent again after each.
func listen(r *run) tea.Cmd {
	return func() tea.Msg {
		select {
		case ev := <-r.login.Events():
			return eventMsg{gen: r.gen, ev: ev}
		case <-r.login.Done():
			return nil
		}
	}
}

func (m *Model) onEvent(msg eventMsg) tea.Cmd {
	if msg.gen != m.gen || m.step != stepWaiting {
		return nil
	}
	switch msg.ev.Kind {
	case auth.EventRejected:
		m.note = "Ignored: " + msg.ev.Reason + " (still waiting)"
	case auth.EventExchanging:
		m.exchanging = true
	}
	return listen(m.run)
}

func (m *Model) onResult(msg resultMsg) tea.Cmd {
	if msg.gen != m.gen || m.step != stepWaiting {
		return nil
	}
	m.abandon() // ended; frees nothing more, drops the context
	if msg.err != nil {
		m.fail(msg.err)
		return signingIn(m.account, false)
	}
	m.step = stepSaving
	svc, account, gen, g := m.opts.Service, m.account, m.gen, msg.grant
	return func() tea.Msg {
		// Not cancelled by the screen: the person approved, and a code
		// cannot be exchanged twice.
		ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
		defer cancel()
		saved, err := svc.Save(ctx, account, g)
		return savedMsg{gen: gen, saved: saved, err: err}
	}
}

func (m *Model) onSaved(msg savedMsg) tea.Cmd {
	if msg.gen != m.gen || m.step != stepSaving {
		return nil
	}
	if msg.err != nil {
		m.step = stepFailed
		m.failure = "Signed in to " + m.title + ", but the token could not be saved: " + msg.err.Error() +
			" Nothing else was changed; fix that and press r to sign in again."
		return signingIn(m.account, false)
	}
	m.step = stepClosing
	saved := msg.saved
	return func() tea.Msg { return SignedInMsg{Saved: saved} }
}

// cancel abandons the login and closes the screen once its port is free.
func (m *Model) cancel() tea.Cmd {
	r, account := m.run, m.account
	m.abandon()
	m.gen = gens.Add(1)
	m.step = stepClosing
	if r == nil {
		return closed(account)
	}
	return func() tea.Msg {
		<-r.started
		if r.login != nil {
			r.login.Close() // returns once the port is free
		}
		return ClosedMsg{Account: account}
	}
}

func (m *Model) submitPaste() {
	if m.login == nil {
		return
	}
	err := m.login.SubmitPaste(m.paste.Value())
	var pe *auth.PasteError
	switch {
	case err == nil:
		m.pasteErr = ""
		m.note = "Pasted address accepted."
		m.paste.Reset()
		m.paste.Blur()
		m.pasting = false
	case errors.As(err, &pe):
		m.pasteErr = "Not accepted: " + pe.Reason
	case errors.Is(err, auth.ErrLoginOver):
		// The result is on its way.
	default:
		m.pasteErr = "Not accepted: " + err.Error()
	}
}

// copyLink puts the link on the clipboard with OSC 52, written straight
// to the terminal in one Write: Bubble Tea v1 has no command for raw
// output in the alternate screen (tea.Printf prints nothing there). This
// is safe because the renderer also writes each frame with a single Write
// to the same *os.File, and the runtime serialises Writes to one file, so
// the sequence never lands inside a frame; and an OSC sequence prints
// nothing and moves no cursor, so the frame the renderer believes is on
// screen stays there.
func (m *Model) copyLink() tea.Cmd {
	w := m.opts.Clipboard
	if w == nil {
		w = os.Stdout
	}
	seq, gen := auth.ClipboardFor(m.opts.env(), m.url), m.gen
	return func() tea.Msg {
		_, err := io.WriteString(w, seq)
		return copiedMsg{gen: gen, err: err}
	}
}

func copiedNote(env auth.Env) string {
	n := "Copied the link to the clipboard (through the terminal: if nothing arrived, your terminal does not allow OSC 52; select the link instead)."
	if env.Getenv("TMUX") != "" {
		n = "Copied the link to the clipboard (in tmux this needs `set -g allow-passthrough on`; if nothing arrived, select the link instead)."
	}
	return n
}

// fail shows what went wrong and what to do.
func (m *Model) fail(err error) {
	m.step = stepFailed
	m.pasting = false
	m.paste.Blur()
	switch {
	case errors.Is(err, auth.ErrDenied):
		m.failure = "Sign-in was denied in the browser; nothing was changed. If that was a mistake, press r and approve this time."
	case errors.Is(err, auth.ErrTimeout):
		m.failure = "Nobody finished the sign-in in time, so it timed out; nothing was changed. Press r to start again."
	case errors.Is(err, auth.ErrCancelled):
		m.failure = "The sign-in was cancelled; nothing was changed. Press r to start again."
	default:
		m.failure = err.Error()
	}
}

func closed(account string) tea.Cmd {
	return func() tea.Msg { return ClosedMsg{Account: account} }
}

func signingIn(account string, on bool) tea.Cmd {
	return func() tea.Msg { return SigningInMsg{Account: account, On: on} }
}

// coloured says whether styles draw colours here: then the QR code is
// drawn dark on light by its style, else for the terminal's background.
func coloured(ctx *tuictx.Context) bool {
	return !ctx.Theme.Mono && lipgloss.ColorProfile() != termenv.Ascii
}
