package login

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"golang.org/x/oauth2"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/theme"
	"github.com/fittui/fittui/tui/config"
	tuictx "github.com/fittui/fittui/tui/program"
	"github.com/fittui/fittui/tui/wiring"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// pinned is the program clock: the time left stays what Start said.
var pinned = time.Date(2025, 5, 14, 14, 3, 0, 0, time.UTC)

func testContext(t testing.TB) *tuictx.Context {
	t.Helper()
	th, err := theme.Lookup("default")
	if err != nil {
		t.Fatal(err)
	}
	th = theme.Resolve(th, termenv.Ascii, true)
	return tuictx.New(th, func() time.Time { return pinned }, time.Minute)
}

// vars is an environment for config.Load and auth.Env.
type vars map[string]string

func (v vars) get(k string) string { return v[k] }

// env is an auth.Env without a display or SSH unless vars say so.
func env(v vars) auth.Env { return auth.Env{GOOS: "linux", Getenv: v.get} }

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// fixture is a Fitbit-style fake (fixed redirect port, Basic client
// auth, rotating refresh tokens) and a Google-style one (any loopback
// port, secret in the form), with a wiring.Setup pointed at both through
// FITTUI_* settings and a token store in a temporary folder.
type fixture struct {
	fitbit, google *oauthtest.Server
	port           int // Fitbit's redirect port
	setup          *wiring.Setup
	vars           vars
}

func newFixture(t testing.TB, configText string, adjust func(vars)) *fixture {
	t.Helper()
	f := &fixture{port: freePort(t)}
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", f.port)
	f.fitbit = oauthtest.New(oauthtest.Config{
		ClientID: "23ABCD", ClientSecret: "fitbit-client-secret", ClientAuth: oauthtest.ClientAuthHeader,
		RedirectURIs: []string{redirect}, RotateRefresh: true, FitbitErrors: true, FitbitFragment: true,
		UserID: "26FWFL", RevokeClientAuth: true,
	})
	t.Cleanup(f.fitbit.Close)
	f.google = oauthtest.New(oauthtest.Config{
		ClientID: "gid.apps.googleusercontent.com", ClientSecret: "google-client-secret",
		ClientAuth: oauthtest.ClientAuthParams, LoopbackAnyPort: true,
	})
	t.Cleanup(f.google.Close)
	f.vars = vars{
		"FITTUI_FITBIT_CLIENT_ID": "23ABCD", "FITTUI_FITBIT_CLIENT_SECRET": "fitbit-client-secret",
		"FITTUI_FITBIT_AUTH_URL": f.fitbit.AuthURL(), "FITTUI_FITBIT_TOKEN_URL": f.fitbit.TokenURL(),
		"FITTUI_FITBIT_REDIRECT_URL":    redirect,
		"FITTUI_GOOGLEHEALTH_CLIENT_ID": "gid.apps.googleusercontent.com", "FITTUI_GOOGLEHEALTH_CLIENT_SECRET": "google-client-secret",
		"FITTUI_GOOGLEHEALTH_AUTH_URL": f.google.AuthURL(), "FITTUI_GOOGLEHEALTH_TOKEN_URL": f.google.TokenURL(),
	}
	if adjust != nil {
		adjust(f.vars)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(configText), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, f.vars.get)
	if err != nil {
		t.Fatal(err)
	}
	f.setup = &wiring.Setup{Config: cfg, TokenDir: filepath.Join(dir, "tokens")}
	return f
}

// options are the screen's options against the fixture, with env.
func (f *fixture) options(v vars) Options {
	return Options{Service: Connect(f.setup), Env: env(v), Clipboard: &bytes.Buffer{}}
}

// stored reports whether account has a token in the fixture's store.
func (f *fixture) stored(t testing.TB, account string) bool {
	t.Helper()
	accs, err := f.setup.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accs {
		if a.Name == account && a.Token != nil {
			return true
		}
	}
	return false
}

// driver runs the screen as Bubble Tea would: commands in goroutines,
// their messages handled one at a time by the test goroutine. Messages
// for the program (SigningInMsg, SignedInMsg, ClosedMsg) are kept in out.
type driver struct {
	t    testing.TB
	m    *Model
	msgs chan tea.Msg
	done chan struct{}
	once sync.Once
	out  []tea.Msg
	busy inflight
}

func drive(t testing.TB, m *Model, w, h int) *driver {
	t.Helper()
	d := &driver{t: t, m: m, msgs: make(chan tea.Msg, 64), done: make(chan struct{})}
	t.Cleanup(func() {
		d.once.Do(func() { close(d.done) })
		m.abandon() // a login left running ends and frees its port
	})
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.do(m.Init())
	return d
}

// do runs cmd in the background, expanding batches.
func (d *driver) do(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	d.busy.add()
	go func() {
		defer d.busy.finish()
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				d.do(c)
			}
			return
		}
		if msg == nil {
			return
		}
		select {
		case d.msgs <- msg:
		case <-d.done:
		}
	}()
}

// send hands msg to the screen now.
func (d *driver) send(msg tea.Msg) {
	switch msg.(type) {
	case SigningInMsg, SignedInMsg, ClosedMsg:
		d.out = append(d.out, msg)
		return
	}
	d.do(d.m.Update(msg))
}

func (d *driver) press(keys ...string) {
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

// pasteText sends text as a bracketed paste.
func (d *driver) pasteText(s string) {
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true})
}

// until handles messages until cond holds; it fails after 10 s.
func (d *driver) until(what string, cond func() bool) {
	d.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case msg := <-d.msgs:
			d.send(msg)
		case <-deadline:
			d.t.Fatalf("never %s; screen:\n%s", what, plain(d.m.View()))
		}
	}
}

// shows waits until the plain view contains want.
func (d *driver) shows(want string) {
	d.t.Helper()
	d.until("showed "+want, func() bool {
		v := plain(d.m.View())
		return strings.Contains(v, want) || strings.Contains(reflowed(v), strings.Join(strings.Fields(want), " "))
	})
}

// reflowed is a view's text with its lines joined as one paragraph (the
// box's sides and the spaces collapsed): a message that names a temporary
// path wraps where the path's random part makes it, so a phrase of it
// may span two lines.
func reflowed(v string) string {
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		lines[i] = strings.Trim(l, " │┃║")
	}
	return strings.Join(strings.Fields(strings.Join(lines, " ")), " ")
}

// settle handles what arrives within a short while.
// drain handles messages until every command started so far has
// returned and its message is handled: after it, nothing more can
// happen unless the test acts. The spinner's ticks are dropped, which
// ends their chain (each tick schedules the next). It fails after 10 s
// (a command that never returns, such as a running login's wait).
func (d *driver) drain() {
	d.t.Helper()
	deadline := time.After(10 * time.Second)
	handle := func(msg tea.Msg) {
		if _, tick := msg.(spinner.TickMsg); !tick {
			d.send(msg)
		}
	}
	for {
		select {
		case msg := <-d.msgs:
			handle(msg)
			continue
		default:
		}
		if d.busy.idle() {
			return
		}
		select {
		case msg := <-d.msgs:
			handle(msg)
		case <-d.busy.changed:
		case <-deadline:
			d.t.Fatalf("commands still running after 10 s; screen:\n%s", plain(d.m.View()))
		}
	}
}

// inflight counts running commands; changed is signalled when one ends
// (after its message is queued, so idle with an empty queue is final).
type inflight struct {
	mu      sync.Mutex
	n       int
	changed chan struct{}
}

func (f *inflight) add() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.changed == nil {
		f.changed = make(chan struct{}, 1)
	}
	f.n++
}

func (f *inflight) finish() {
	f.mu.Lock()
	f.n--
	f.mu.Unlock()
	select {
	case f.changed <- struct{}{}:
	default:
	}
}

func (f *inflight) idle() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n == 0
}

// got returns the first program message of type T.
func got[T any](d *driver) (T, bool) {
	for _, m := range d.out {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

func (d *driver) gotMsg(what string, pred func(tea.Msg) bool) {
	d.t.Helper()
	d.until(what, func() bool {
		for _, m := range d.out {
			if pred(m) {
				return true
			}
		}
		return false
	})
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func plain(s string) string { return ansi.Strip(s) }

// urlOf is the authorization URL on the screen's link line.
func urlOf(t testing.TB, view string) string {
	t.Helper()
	for _, l := range strings.Split(view, "\n") {
		if i := strings.Index(l, "\x1b]8;;"); i >= 0 {
			rest := l[i+5:]
			if j := strings.Index(rest, "\x1b\\"); j >= 0 {
				return rest[:j]
			}
		}
	}
	t.Fatalf("no hyperlink on the screen:\n%s", plain(view))
	return ""
}

// portFree reports whether port can be bound again.
func portFree(port int) bool {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

func pairToken(p oauthtest.Pair) *oauth2.Token {
	return &oauth2.Token{AccessToken: p.AccessToken, TokenType: "Bearer", RefreshToken: p.RefreshToken, Expiry: p.Expiry}
}
