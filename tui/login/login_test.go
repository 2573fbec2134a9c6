package login

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/auth/oauthtest"
)

// addFitbit drives the add-an-account screen to a waiting Fitbit login
// named name ("" keeps the default) and returns the link.
func addFitbit(t *testing.T, d *driver, name string) string {
	t.Helper()
	d.shows("Add an account: choose a provider")
	d.press("down", "enter")
	d.shows("Add a Fitbit account: name it")
	if name != "" {
		d.press("ctrl+u", name)
	}
	d.press("enter")
	d.shows("waiting for the browser · 10:00 left")
	return urlOf(t, d.m.View())
}

func TestCallbackSignsInAndSaves(t *testing.T) {
	f := newFixture(t, "", nil)
	d := drive(t, New(testContext(t), f.options(nil)), 100, 40)
	u := addFitbit(t, d, "")
	if !strings.HasPrefix(u, f.fitbit.AuthURL()+"?") {
		t.Fatalf("link %s", u)
	}
	if !strings.Contains(plain(d.m.View()), u) {
		t.Fatal("the link is not shown whole on one line")
	}
	d.gotMsg("said fitbit is signing in", func(m tea.Msg) bool { return m == SigningInMsg{Account: "fitbit", On: true} })

	res, err := f.fitbit.Browse(context.Background(), u) // the browser
	if err != nil || res.Status != http.StatusOK || !strings.Contains(res.Body, "Signed in") {
		t.Fatalf("browser got %d %v %q", res.Status, err, res.Body)
	}
	d.gotMsg("signed in", func(m tea.Msg) bool { _, ok := m.(SignedInMsg); return ok })
	s, _ := got[SignedInMsg](d)
	if s.Saved.Spec.Name != "fitbit" || s.Saved.Spec.Provider != "fitbit" || s.Saved.Provider == nil ||
		s.Saved.Provider.Kind() != "fitbit" || s.Saved.Unreadable != "" || !strings.HasSuffix(s.Saved.Path, ".json") {
		t.Fatalf("saved %+v", s.Saved)
	}
	if !f.stored(t, "fitbit") {
		t.Fatal("no token stored")
	}
	if c := f.fitbit.Counts(); c.Exchange != 1 {
		t.Errorf("%d exchanges", c.Exchange)
	}
	if !portFree(f.port) {
		t.Error("the callback port is still bound after the sign-in")
	}
}

func TestPastedAddressSignsIn(t *testing.T) {
	f := newFixture(t, "", nil)
	d := drive(t, Again(testContext(t), f.options(nil), "work", "googlehealth"), 100, 40)
	d.shows(`Sign in to Google Health · account "work"`)
	d.shows("waiting for the browser")
	u := urlOf(t, d.m.View())
	loc, err := f.google.Approve(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}

	// A bare code is refused with the reason, and the login goes on.
	code := strings.SplitN(strings.SplitN(loc, "code=", 2)[1], "&", 2)[0]
	d.press("tab", code, "enter")
	d.shows("Not accepted: that looks like a bare code")
	d.shows("waiting for the browser")

	// The whole address, pasted: accepted.
	d.press("ctrl+u")
	d.pasteText(loc)
	d.press("enter")
	d.gotMsg("signed in", func(m tea.Msg) bool { _, ok := m.(SignedInMsg); return ok })
	if s, _ := got[SignedInMsg](d); s.Saved.Spec.Name != "work" || s.Saved.Spec.Provider != "googlehealth" {
		t.Fatalf("saved %+v", s.Saved.Spec)
	}
	if c := f.google.Counts(); c.Exchange != 1 {
		t.Errorf("%d exchanges", c.Exchange)
	}
	if !f.stored(t, "work") {
		t.Fatal("no token stored")
	}
}

func TestBracketedPasteGoesToTheField(t *testing.T) {
	f := newFixture(t, "", nil)
	d := drive(t, Again(testContext(t), f.options(nil), "me", "googlehealth"), 100, 40)
	d.shows("waiting for the browser")
	d.pasteText("http://127.0.0.1:1/elsewhere?state=x&code=y")
	if !d.m.pasting || !strings.Contains(plain(d.m.View()), "127.0.0.1:1/elsewhere") {
		t.Fatalf("a paste must land in the field:\n%s", plain(d.m.View()))
	}
	d.press("enter")
	d.shows("Not accepted: that address is not this sign-in's callback")
	// c types into the field now; tab leaves it, then c copies.
	d.press("tab", "c")
	d.shows("Copied the link")
}

func TestCancelFreesThePortAndKeepsTokens(t *testing.T) {
	f := newFixture(t, "", nil)
	// An existing token of the account must survive a cancelled login.
	st, _ := f.setup.Tokens()
	pair := f.fitbit.Grant("activity")
	if _, err := auth.SaveGrant(context.Background(), st, "fitbit", &auth.Grant{Provider: "fitbit", Token: pairToken(pair)}); err != nil {
		t.Fatal(err)
	}
	d := drive(t, Again(testContext(t), f.options(nil), "fitbit", "fitbit"), 100, 40)
	d.shows("waiting for the browser")
	if portFree(f.port) {
		t.Fatal("the callback port is not bound while waiting")
	}
	d.press("esc")
	d.gotMsg("closed", func(m tea.Msg) bool { return m == ClosedMsg{Account: "fitbit"} })
	if !portFree(f.port) {
		t.Fatal("the port is still bound after cancel")
	}
	rec, err := st.Load("fitbit")
	if err != nil || rec.Token.AccessToken != pair.AccessToken {
		t.Fatalf("the stored token changed: %v", err)
	}
	if c := f.fitbit.Counts(); c.Exchange != 0 {
		t.Errorf("%d exchanges", c.Exchange)
	}
}

func TestCancelWhileStartingFreesThePort(t *testing.T) {
	f := newFixture(t, "", nil)
	m := Again(testContext(t), f.options(nil), "fitbit", "fitbit")
	d := drive(t, m, 100, 40) // Start runs in the background now
	d.press("esc")
	d.gotMsg("closed", func(m tea.Msg) bool { _, ok := m.(ClosedMsg); return ok })
	if !portFree(f.port) {
		t.Fatal("the port is still bound after cancelling a starting login")
	}
}

func TestDeniedShowsWhatToDoAndRetries(t *testing.T) {
	f := newFixture(t, "", nil)
	d := drive(t, Again(testContext(t), f.options(nil), "fitbit", "fitbit"), 100, 40)
	d.shows("waiting for the browser")
	first := urlOf(t, d.m.View())
	f.fitbit.Deny(true)
	res, err := f.fitbit.Browse(context.Background(), first)
	if err != nil || !strings.Contains(res.Body, "denied") {
		t.Fatalf("browser got %v %q", err, res.Body)
	}
	d.shows("Sign-in was denied in the browser; nothing was changed")
	d.shows("Could not sign in to Fitbit")
	d.shows("r try again")
	d.gotMsg("said signing in ended", func(m tea.Msg) bool { return m == SigningInMsg{Account: "fitbit", On: false} })
	if f.stored(t, "fitbit") {
		t.Fatal("a denied login stored a token")
	}

	f.fitbit.Deny(false)
	d.press("r")
	d.shows("waiting for the browser")
	second := urlOf(t, d.m.View())
	if second == first {
		t.Fatal("a retry must have a fresh state and verifier")
	}
	if _, err := f.fitbit.Browse(context.Background(), second); err != nil {
		t.Fatal(err)
	}
	d.gotMsg("signed in", func(m tea.Msg) bool { _, ok := m.(SignedInMsg); return ok })
}

func TestTimeoutAndExchangeErrorAreShown(t *testing.T) {
	f := newFixture(t, "", nil)
	opts := f.options(nil)
	opts.Service = shortLogins{Service: opts.Service, setup: f, timeout: 150 * time.Millisecond}
	d := drive(t, Again(testContext(t), opts, "fitbit", "fitbit"), 100, 40)
	d.shows("Nobody finished the sign-in in time, so it timed out; nothing was changed")
	if !portFree(f.port) {
		t.Fatal("a timed-out login still holds the port")
	}

	f2 := newFixture(t, "", nil)
	d = drive(t, Again(testContext(t), f2.options(nil), "fitbit", "fitbit"), 100, 40)
	d.shows("waiting for the browser")
	f2.fitbit.FailNext(1, http.StatusInternalServerError)
	f2.fitbit.Browse(context.Background(), urlOf(t, d.m.View()))
	d.shows("could not finish the sign-in")
	d.shows("HTTP 500")
}

func TestMissingClientIDSaysWhatToSet(t *testing.T) {
	f := newFixture(t, "", func(v vars) { delete(v, "FITTUI_FITBIT_CLIENT_ID") })
	d := drive(t, Again(testContext(t), f.options(nil), "fitbit", "fitbit"), 100, 40)
	d.shows("Could not sign in to Fitbit")
	d.shows("no client id is set: set FITTUI_FITBIT_CLIENT_ID")
	d.press("esc")
	d.gotMsg("closed", func(m tea.Msg) bool { return m == ClosedMsg{Account: "fitbit"} })
}

func TestPortInUseThenRetry(t *testing.T) {
	f := newFixture(t, "", nil)
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", f.port))
	if err != nil {
		t.Fatal(err)
	}
	d := drive(t, Again(testContext(t), f.options(nil), "fitbit", "fitbit"), 100, 40)
	d.shows(fmt.Sprintf("port %d on 127.0.0.1 is already in use", f.port))
	ln.Close()
	d.press("r")
	d.shows("waiting for the browser")
}

func TestNameIsCheckedBeforeSigningIn(t *testing.T) {
	f := newFixture(t, "[[account]]\nname = \"me\"\nprovider = \"demo\"\n", nil)
	d := drive(t, New(testContext(t), f.options(nil)), 100, 40)
	d.shows("choose a provider")
	view := plain(d.m.View())
	for _, want := range []string{"Google Health", "Fitbit", "Misfit", "Jawbone UP",
		"googlehealth · data shown", "fitbit · data shown", "misfit · data shown", "jawbone · data shown"} {
		if !strings.Contains(view, want) {
			t.Fatalf("picker lacks %q:\n%s", want, view)
		}
	}
	d.press("down", "enter")
	d.shows("Name › fitbit")
	d.press("ctrl+u", "me", "enter")
	d.shows(`"me" is already a demo account (in the configuration file`)
	d.shows("pick another name")
	if d.m.step != stepName || f.fitbit.Counts().Authorize != 0 || !portFree(f.port) {
		t.Fatal("a refused name must not start a login")
	}
	d.press("ctrl+u", "a/b", "enter")
	d.shows("contains a path separator")
	// esc goes back to the picker, and from there closes.
	d.press("esc")
	d.shows("choose a provider")
	d.press("esc")
	d.gotMsg("closed", func(m tea.Msg) bool { return m == ClosedMsg{} })
}

func TestOpensTheBrowserOnlyWithADisplayAndNoSSH(t *testing.T) {
	f := newFixture(t, "", nil)
	opened := make(chan string, 4)
	opts := f.options(vars{"DISPLAY": ":0"})
	opts.OpenURL = func(u string) error { opened <- u; return nil }
	d := drive(t, Again(testContext(t), opts, "fitbit", "fitbit"), 100, 40)
	d.shows("Opened in your browser.")
	if u := <-opened; u != urlOf(t, d.m.View()) {
		t.Fatalf("opened %s", u)
	}
	if strings.Contains(plain(d.m.View()), "ssh -L") {
		t.Fatal("SSH hint without SSH")
	}
	d.press("esc")
	d.gotMsg("closed", func(m tea.Msg) bool { _, ok := m.(ClosedMsg); return ok })

	// A failing opener is not an error.
	opts.OpenURL = func(string) error { return errors.New("could not open a browser (xdg-open): not found") }
	d = drive(t, Again(testContext(t), opts, "fitbit", "fitbit"), 100, 40)
	d.shows("open the link yourself")
	d.shows("waiting for the browser")
	d.press("esc")
	d.gotMsg("closed", func(m tea.Msg) bool { _, ok := m.(ClosedMsg); return ok })

	// Over SSH: no browser here, and the ssh -L line.
	opts = f.options(vars{"DISPLAY": ":0", "SSH_CONNECTION": "10.0.0.2 51234 10.0.0.1 2222", "USER": "ann"})
	opts.OpenURL = func(u string) error { opened <- u; return nil }
	d = drive(t, Again(testContext(t), opts, "fitbit", "fitbit"), 100, 40)
	d.shows(fmt.Sprintf("ssh -p 2222 -L %d:127.0.0.1:%d ann@10.0.0.1", f.port, f.port))
	d.shows("You are on SSH")
	// End the login and let every command it started return: a browser
	// opener, had one been started, has run by then.
	d.press("esc")
	d.gotMsg("closed", func(m tea.Msg) bool { _, ok := m.(ClosedMsg); return ok })
	d.drain()
	select {
	case u := <-opened:
		t.Fatalf("opened a browser over SSH: %s", u)
	default:
	}
}

func TestCopyWritesOSC52(t *testing.T) {
	f := newFixture(t, "", nil)
	for _, tc := range []struct {
		name   string
		v      vars
		prefix string
	}{
		{"plain", nil, "\x1b]52;c;"},
		{"tmux", vars{"TMUX": "/tmp/tmux-0/default,1,0"}, "\x1bPtmux;\x1b\x1b]52;c;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := f.options(tc.v)
			clip := &bytes.Buffer{}
			opts.Clipboard = clip
			d := drive(t, Again(testContext(t), opts, "fitbit", "fitbit"), 100, 40)
			d.shows("waiting for the browser")
			u := urlOf(t, d.m.View())
			d.press("c")
			d.shows("Copied the link to the clipboard")
			want := tc.prefix + base64.StdEncoding.EncodeToString([]byte(u))
			if !strings.HasPrefix(clip.String(), want) {
				t.Fatalf("wrote %q, want it to start %q", clip.String(), want)
			}
			if tc.v["TMUX"] != "" {
				d.shows("allow-passthrough")
			}
			d.press("esc")
			d.gotMsg("closed", func(m tea.Msg) bool { _, ok := m.(ClosedMsg); return ok })
		})
	}
}

func TestRefusedCallbackIsShownAndTheLoginGoesOn(t *testing.T) {
	f := newFixture(t, "", nil)
	d := drive(t, Again(testContext(t), f.options(nil), "fitbit", "fitbit"), 100, 40)
	d.shows("waiting for the browser")
	res, err := oauthtest.Visit(context.Background(), fmt.Sprintf("http://127.0.0.1:%d/callback?state=wrong&code=x", f.port))
	if err != nil || res.Status != http.StatusBadRequest {
		t.Fatalf("%d %v", res.Status, err)
	}
	d.shows("Ignored: a browser request was refused: state does not match (still waiting)")
	f.fitbit.Browse(context.Background(), urlOf(t, d.m.View()))
	d.gotMsg("signed in", func(m tea.Msg) bool { _, ok := m.(SignedInMsg); return ok })
}

// A result of an abandoned attempt never lands in a newer one: after a
// denial and a retry, a success of the first attempt is dropped, and so
// is every other kind of answer it could send.
func TestLateAnswersOfAnAbandonedAttemptAreDropped(t *testing.T) {
	f := newFixture(t, "", nil)
	d := drive(t, Again(testContext(t), f.options(nil), "fitbit", "fitbit"), 100, 40)
	d.shows("waiting for the browser")
	stale := d.m.gen
	f.fitbit.Deny(true)
	f.fitbit.Browse(context.Background(), urlOf(t, d.m.View()))
	d.shows("denied")
	f.fitbit.Deny(false)
	d.press("r")
	d.shows("waiting for the browser")
	if d.m.gen == stale {
		t.Fatal("a retry must be a new generation")
	}
	before := plain(d.m.View())
	grant := &auth.Grant{Provider: "fitbit", Token: pairToken(f.fitbit.Grant("activity"))}
	for _, msg := range []tea.Msg{
		resultMsg{gen: stale, grant: grant},
		resultMsg{gen: stale, err: auth.ErrCancelled},
		startedMsg{gen: stale, err: errors.New("late start")},
		eventMsg{gen: stale, ev: auth.Event{Kind: auth.EventExchanging}},
		savedMsg{gen: stale, saved: Saved{Path: "/nowhere"}},
		browserMsg{gen: stale, err: errors.New("late browser")},
		copiedMsg{gen: stale},
		checkedMsg{gen: stale},
	} {
		if cmd := d.m.Update(msg); cmd != nil {
			t.Errorf("%T of an old attempt started a command", msg)
		}
		if d.m.step != stepWaiting {
			t.Fatalf("%T of an old attempt changed the step to %d", msg, d.m.step)
		}
	}
	if after := plain(d.m.View()); after != before {
		t.Fatalf("old answers changed the screen:\n%s", after)
	}
	if f.stored(t, "fitbit") {
		t.Fatal("an old attempt's grant was saved")
	}
	// The current attempt still works.
	f.fitbit.Browse(context.Background(), urlOf(t, d.m.View()))
	d.gotMsg("signed in", func(m tea.Msg) bool { _, ok := m.(SignedInMsg); return ok })
}

// After esc, the cancelled login's own answer (ErrCancelled from Wait)
// arrives while the screen closes: it must not show a failure.
func TestCancelledLoginsAnswerIsDropped(t *testing.T) {
	f := newFixture(t, "", nil)
	d := drive(t, Again(testContext(t), f.options(nil), "fitbit", "fitbit"), 100, 40)
	d.shows("waiting for the browser")
	d.press("esc")
	d.gotMsg("closed", func(m tea.Msg) bool { _, ok := m.(ClosedMsg); return ok })
	d.drain() // the cancelled Wait's answer has arrived and been handled
	if d.m.step != stepClosing || strings.Contains(plain(d.m.View()), "Could not sign in") {
		t.Fatalf("step %d after cancel:\n%s", d.m.step, plain(d.m.View()))
	}
	if _, ok := got[SigningInMsg](d); !ok {
		t.Fatal("no SigningInMsg")
	}
}

// The root hands every message to whichever screen is open: the answer
// of a closed screen's login must not match the next screen's.
func TestAnswerOfAClosedScreenDoesNotReachTheNext(t *testing.T) {
	f := newFixture(t, "", nil)
	first := drive(t, Again(testContext(t), f.options(nil), "fitbit", "fitbit"), 100, 40)
	first.shows("waiting for the browser")
	firstGen := first.m.gen
	first.press("esc")
	first.gotMsg("closed", func(m tea.Msg) bool { _, ok := m.(ClosedMsg); return ok })

	next := drive(t, Again(testContext(t), f.options(nil), "fitbit", "fitbit"), 100, 40)
	next.shows("waiting for the browser")
	grant := &auth.Grant{Provider: "fitbit", Token: pairToken(f.fitbit.Grant("activity"))}
	for _, msg := range []tea.Msg{resultMsg{gen: firstGen, err: auth.ErrCancelled}, resultMsg{gen: firstGen, grant: grant}} {
		if cmd := next.m.Update(msg); cmd != nil || next.m.step != stepWaiting {
			t.Fatalf("the first screen's %+v reached the next: step %d", msg, next.m.step)
		}
	}
}

func TestMisfitSignsInAndIsReadable(t *testing.T) {
	// Misfit (no refresh tokens, comma-separated scopes) signs in through
	// the same screen, and the saved account is readable in this build.
	srv := oauthtest.New(oauthtest.Config{ClientID: "mid", ClientSecret: "msecret", ClientAuth: oauthtest.ClientAuthParams,
		LoopbackAnyPort: true, OmitScope: true, NoRefreshTokens: true, ScopeSeparator: ","})
	defer srv.Close()
	port := freePort(t)
	f := newFixture(t, "", func(v vars) {
		v["FITTUI_MISFIT_CLIENT_ID"], v["FITTUI_MISFIT_CLIENT_SECRET"] = "mid", "msecret"
		v["FITTUI_MISFIT_AUTH_URL"], v["FITTUI_MISFIT_TOKEN_URL"] = srv.AuthURL(), srv.TokenURL()
		v["FITTUI_MISFIT_REDIRECT_URL"] = fmt.Sprintf("http://127.0.0.1:%d/callback", port)
	})
	d := drive(t, Again(testContext(t), f.options(nil), "misfit", "misfit"), 100, 40)
	d.shows("waiting for the browser")
	if _, err := srv.Browse(context.Background(), urlOf(t, d.m.View())); err != nil {
		t.Fatal(err)
	}
	d.gotMsg("signed in", func(m tea.Msg) bool { _, ok := m.(SignedInMsg); return ok })
	s, _ := got[SignedInMsg](d)
	if s.Saved.Unreadable != "" || s.Saved.Provider == nil || s.Saved.Provider.Kind() != "misfit" {
		t.Fatalf("saved %+v", s.Saved)
	}
}

func TestSaveFailureIsShown(t *testing.T) {
	f := newFixture(t, "", nil)
	opts := f.options(nil)
	opts.Service = failingSave{opts.Service}
	d := drive(t, Again(testContext(t), opts, "fitbit", "fitbit"), 100, 40)
	d.shows("waiting for the browser")
	f.fitbit.Browse(context.Background(), urlOf(t, d.m.View()))
	d.shows("Signed in to Fitbit, but the token could not be saved: no space left on device")
	d.shows("r try again")
	if _, ok := got[SignedInMsg](d); ok {
		t.Fatal("a failed save reported success")
	}
}

// shortLogins starts logins that time out quickly.
type shortLogins struct {
	Service
	setup   *fixture
	timeout time.Duration
}

func (s shortLogins) Start(ctx context.Context, provider string) (Attempt, error) {
	cfg, err := s.setup.setup.AuthConfig(provider)
	if err != nil {
		return nil, err
	}
	cfg.LoginTimeout = s.timeout
	return auth.Start(ctx, cfg)
}

type failingSave struct{ Service }

func (failingSave) Save(context.Context, string, *auth.Grant) (Saved, error) {
	return Saved{}, errors.New("no space left on device")
}
