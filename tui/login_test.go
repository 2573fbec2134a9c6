package tui

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/tui/config"
	"github.com/fittui/fittui/tui/login"
	"github.com/fittui/fittui/tui/wiring"
)

// signIn is a fake Fitbit (OAuth and API, on the office persona's data)
// and the login options of a dashboard pointed at it through FITTUI_FITBIT_*
// settings, with the token store in a temporary folder. Logins started
// are recorded so a test can play the browser.
type signIn struct {
	fake    *fitbittest.Server
	port    int
	setup   *wiring.Setup
	opts    login.Options
	started chan login.Attempt
}

func newSignIn(t testing.TB, configText string) *signIn {
	t.Helper()
	s := &signIn{started: make(chan login.Attempt, 8)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", s.port)
	s.fake = fitbittest.New(fitbittest.Config{RedirectURIs: []string{redirect}})
	t.Cleanup(s.fake.Close)
	env := map[string]string{
		"FITTUI_FITBIT_CLIENT_ID": fitbittest.DefaultClientID, "FITTUI_FITBIT_AUTH_URL": s.fake.AuthURL(),
		"FITTUI_FITBIT_TOKEN_URL": s.fake.TokenURL(), "FITTUI_FITBIT_API_URL": s.fake.URL,
		"FITTUI_FITBIT_REDIRECT_URL": redirect,
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(configText), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	s.setup = &wiring.Setup{Config: cfg, TokenDir: filepath.Join(dir, "tokens")}
	s.opts = login.Options{
		Service:   recording{login.Connect(s.setup), s.started},
		Env:       auth.Env{GOOS: "linux", Getenv: func(string) string { return "" }},
		Clipboard: io.Discard,
	}
	return s
}

// browse plays the browser on the newest login: consent, then the
// redirect to the loopback callback.
func (s *signIn) browse(t testing.TB) {
	t.Helper()
	var a login.Attempt
	select {
	case a = <-s.started:
	case <-time.After(10 * time.Second):
		t.Fatal("no login started")
	}
	for more := true; more; {
		select {
		case a = <-s.started:
		default:
			more = false
		}
	}
	if _, err := s.fake.OAuth.Browse(context.Background(), a.URL()); err != nil {
		t.Fatal(err)
	}
}

// recording is a login service that reports the logins it starts.
type recording struct {
	login.Service
	started chan login.Attempt
}

func (r recording) Start(ctx context.Context, provider string) (login.Attempt, error) {
	a, err := r.Service.Start(ctx, provider)
	if err == nil {
		r.started <- a
	}
	return a, err
}

// shortLink shows every login's link as url and its port as 8484, for
// golden files: the real link carries a random state (and is too long for
// a QR code in 80x24), the real port is any free one.
type shortLink struct {
	login.Service
	url string
}

func (s shortLink) Start(ctx context.Context, provider string) (login.Attempt, error) {
	a, err := s.Service.Start(ctx, provider)
	if err != nil {
		return nil, err
	}
	return linkAs{a, s.url}, nil
}

type linkAs struct {
	login.Attempt
	url string
}

func (l linkAs) URL() string { return l.url }

// Port is Fitbit's default: the test's real port is a free one.
func (l linkAs) Port() int { return 8484 }

// live runs the root model as Bubble Tea does: commands in goroutines,
// messages handled one at a time by the test.
type live struct {
	t    testing.TB
	m    *Model
	msgs chan tea.Msg
	done chan struct{}
	once sync.Once
}

func goLive(t testing.TB, m *Model, w, h int) *live {
	t.Helper()
	l := &live{t: t, m: m, msgs: make(chan tea.Msg, 256), done: make(chan struct{})}
	t.Cleanup(func() {
		l.once.Do(func() { close(l.done) })
		if s, ok := m.screen.(loginScreen); ok {
			s.m.Update(tea.KeyMsg{Type: tea.KeyEsc}) // abandons a running login
		}
	})
	l.send(tea.WindowSizeMsg{Width: w, Height: h})
	l.do(m.Init())
	return l
}

func (l *live) do(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		switch msg := cmd().(type) {
		case nil, tea.QuitMsg:
		case tea.BatchMsg:
			for _, c := range msg {
				l.do(c)
			}
		default:
			select {
			case l.msgs <- msg:
			case <-l.done:
			}
		}
	}()
}

func (l *live) send(msg tea.Msg) {
	_, cmd := l.m.Update(msg)
	l.do(cmd)
}

func (l *live) press(keys ...string) {
	for _, k := range keys {
		l.send(keyMsg(k))
	}
}

func (l *live) until(what string, cond func() bool) {
	l.t.Helper()
	deadline := time.After(15 * time.Second)
	for !cond() {
		select {
		case msg := <-l.msgs:
			l.send(msg)
		case <-deadline:
			l.t.Fatalf("never %s; screen:\n%s", what, plain(l.m.View()))
		}
	}
}

func (l *live) shows(want ...string) {
	l.t.Helper()
	l.until(fmt.Sprintf("showed %q", want), func() bool {
		p := plain(l.m.View())
		for _, w := range want {
			if !strings.Contains(p, w) {
				return false
			}
		}
		return true
	})
}

func TestAddAccountFromTheAccountsPane(t *testing.T) {
	s := newSignIn(t, "[[account]]\nname = \"office\"\nprovider = \"demo\"\n")
	opts := Options{Accounts: demoAccounts(t, time.Now), Refresh: time.Minute, Login: s.opts}
	ctx, err := NewContext(opts)
	if err != nil {
		t.Fatal(err)
	}
	m := NewModel(opts, ctx)
	m.noTimers = true
	l := goLive(t, m, 140, 45)
	l.shows("Charge 6") // the demo accounts are in

	// The today pane has focus: a is not its key. It returns no command,
	// so nothing can open later either.
	if _, cmd := m.Update(keyMsg("a")); cmd != nil || m.State() != StateDashboard {
		t.Fatalf("a outside the accounts pane: state %v, command %v", m.State(), cmd != nil)
	}
	l.press("shift+tab", "a")
	l.shows("Add an account: choose a provider", "Fitbit", "fitbit · data shown")
	l.press("down", "enter")
	l.shows("Add a Fitbit account: name it", "Name › fitbit")

	// A name of another provider's account is refused; nothing starts.
	l.press("ctrl+u", "office", "enter")
	l.shows(`"office" is already a demo account`)
	if c := s.fake.OAuth.Counts(); c.Authorize != 0 || m.State() != StateModal {
		t.Fatalf("a refused name went on: %+v", c)
	}

	l.press("ctrl+u", "band", "enter")
	l.shows(`Sign in to Fitbit · account "band"`, "waiting for the browser", "esc cancel")
	s.browse(t)
	l.until("closed the screen", func() bool { return m.State() == StateDashboard })
	i := m.state.Index("band")
	if i < 0 || m.engine.Selected() != i {
		t.Fatalf("band is account %d, selected %d", i, m.engine.Selected())
	}
	l.shows("Signed in to band")
	l.until("band's data arrived", func() bool {
		a := m.state.Get(i)
		return a.HasProfile && a.Today.HasLive && a.Err() == nil
	})
	l.shows("Day · band", "Charge 6", "fitbit")
	if a := m.state.Get(i); a.Provider != "fitbit" || a.SigningIn {
		t.Fatalf("band: provider %q, signing in %v", a.Provider, a.SigningIn)
	}
}

func TestSignInAgainFromTheAccountsPane(t *testing.T) {
	s := newSignIn(t, "[[account]]\nname = \"wrist\"\nprovider = \"fitbit\"\n")
	spec := providers.AccountSpec{Name: "wrist", Provider: "fitbit"}
	revoked := wiring.Unavailable(spec, providers.ErrSignIn("fitbit", "wrist", fmt.Errorf("the provider refused the token")))
	demo := demoAccounts(t, time.Now)
	opts := Options{Accounts: append(demo[:1:1], wiring.Uncached(spec, revoked, time.Now)), Refresh: time.Minute, Login: s.opts}
	ctx, err := NewContext(opts)
	if err != nil {
		t.Fatal(err)
	}
	m := NewModel(opts, ctx)
	m.noTimers = true
	l := goLive(t, m, 140, 45)
	l.shows("sign in again · press s")

	// s on a demo account: nothing to sign in to.
	l.press("shift+tab", "s")
	l.shows("runner is a demo account: it needs no sign-in.")
	if m.State() != StateDashboard {
		t.Fatal("s on a demo account opened a screen")
	}

	// enter on the account that must sign in again: shown, and the login
	// screen starts at once.
	l.press("down", "enter")
	l.shows(`Sign in to Fitbit · account "wrist"`, "waiting for the browser")
	l.until("selected wrist, signing in", func() bool { return m.engine.Selected() == 1 && m.state.Get(1).SigningIn })
	// esc cancels: back to the dashboard, port free, nothing stored.
	l.press("esc")
	l.until("closed the screen", func() bool { return m.State() == StateDashboard })
	if ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", s.port)); err != nil {
		t.Fatalf("the port is still bound after cancel: %v", err)
	} else {
		ln.Close()
	}
	if m.state.Get(1).SigningIn {
		t.Fatal("still signing in after cancel")
	}
	l.shows("sign in again")

	// s signs it in; the account gets its new provider and data.
	l.press("s")
	l.shows("waiting for the browser")
	s.browse(t)
	l.until("closed the screen", func() bool { return m.State() == StateDashboard })
	l.shows("Signed in to wrist")
	l.until("wrist's data arrived", func() bool {
		a := m.state.Get(1)
		return a.HasProfile && a.Err() == nil && a.Today.HasLive
	})
	if len(m.state.Accounts) != 2 {
		t.Fatalf("%d accounts", len(m.state.Accounts))
	}
	lacks(t, m.View(), "sign in again")
}

func TestSigningInOffWithoutAService(t *testing.T) {
	_, _, m := setup(t, 140, 45)
	press(m, "shift+tab", "a")
	if m.State() != StateDashboard {
		t.Fatal("a opened a screen without a login service")
	}
	contains(t, m.View(), "Signing in is off with --demo")
}

// step is keys to press, then what to wait for: a screen opens through a
// command, so keys meant for it wait until it shows.
type step struct{ keys, after []string }

// loginGolden runs the real program on the demo accounts at w x h, adds a
// Fitbit account from the accounts pane (steps) and
// compares the final view with testdata/<test name>.golden. Every login
// shows url as its link (the real one has a random state); the spinner's
// frame is replaced by its first, which is all that varies.
func loginGolden(t *testing.T, w, h int, url string, steps ...step) {
	t.Helper()
	s := newSignIn(t, "")
	now := func() time.Time { return pinned }
	lo := s.opts
	lo.Service = shortLink{lo.Service, url}
	opts := Options{Accounts: demoAccounts(t, now), Now: now, Refresh: time.Minute, Login: lo}
	ctx, err := NewContext(opts)
	if err != nil {
		t.Fatal(err)
	}
	m := NewModel(opts, ctx)
	m.noTimers = true
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	waitAll(t, tm, todayLoaded)
	waitIdle(t, tm)
	for _, st := range steps {
		for _, k := range st.keys {
			tm.Send(keyMsg(k))
		}
		waitAll(t, tm, st.after)
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if sc, ok := final.screen.(loginScreen); ok {
		t.Cleanup(func() { sc.m.Update(tea.KeyMsg{Type: tea.KeyEsc}) })
	}
	view := final.View()
	for _, f := range spinner.MiniDot.Frames[1:] {
		view = strings.ReplaceAll(view, f, spinner.MiniDot.Frames[0])
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

// goldenLongURL is as long as a real Fitbit authorization link: no QR
// code fits in 50x20 (it needs 65x33).
const goldenLongURL = "https://www.fitbit.com/oauth2/authorize?client_id=23ABCD&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&redirect_uri=http%3A%2F%2F127.0.0.1%3A8484%2Fcallback&response_type=code&scope=activity+heartrate+sleep+weight+profile+settings&state=q1w2e3r4t5y6u7i8o9p0aa"

func TestGoldenLogin(t *testing.T) {
	pick := step{[]string{"shift+tab", "a"}, []string{"choose a provider"}}
	add := []step{pick, {[]string{"down", "enter"}, []string{"name it"}}, {[]string{"enter"}, []string{"waiting for the browser"}}}
	t.Run("picker_80x24", func(t *testing.T) {
		loginGolden(t, 80, 24, goldenLongURL, pick)
	})
	t.Run("with_qr_80x24", func(t *testing.T) {
		loginGolden(t, 80, 24, "https://fit.example/a?state=xyz", add...)
	})
	t.Run("url_only_50x20", func(t *testing.T) {
		loginGolden(t, 50, 20, goldenLongURL, add...)
	})
}
