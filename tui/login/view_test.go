package login

import (
	"context"
	"flag"
	"image"
	"image/color"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/auth/qr"
	"github.com/fittui/fittui/tui/textfmt"
)

// A realistic Fitbit authorization URL (fake values, real length): its
// QR code needs 65x33 cells.
const longURL = "https://www.fitbit.com/oauth2/authorize?client_id=23ABCD&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&redirect_uri=http%3A%2F%2F127.0.0.1%3A8484%2Fcallback&response_type=code&scope=activity+heartrate+sleep+weight+profile+settings&state=q1w2e3r4t5y6u7i8o9p0aa"

// shortURL fits a QR code in 80x24.
const shortURL = "https://fit.example/a?state=xyz"

// fakeAttempt is a login that never ends by itself, for drawing.
type fakeAttempt struct {
	url  string
	done chan struct{}
}

func newFakeAttempt(url string) *fakeAttempt {
	return &fakeAttempt{url: url, done: make(chan struct{})}
}

func (a *fakeAttempt) URL() string               { return a.url }
func (a *fakeAttempt) Port() int                 { return 8484 }
func (a *fakeAttempt) Expires() time.Time        { return time.Now().Add(auth.DefaultLoginTimeout) }
func (a *fakeAttempt) Events() <-chan auth.Event { return nil }
func (a *fakeAttempt) Done() <-chan struct{}     { return a.done }
func (a *fakeAttempt) Wait(ctx context.Context) (*auth.Grant, error) {
	select {
	case <-a.done:
	case <-ctx.Done():
	}
	return nil, auth.ErrCancelled
}
func (a *fakeAttempt) SubmitPaste(string) error {
	return &auth.PasteError{Reason: "that looks like a bare code, which fittui cannot check belongs to this sign-in: paste the whole address from the browser's address bar instead; it starts with http://127.0.0.1:8484/callback?..."}
}
func (a *fakeAttempt) Close() error { return nil }

// waiting is a screen waiting on a login with the given URL, with
// everything the waiting screen can show: the SSH hint, a note and a
// refused paste.
func waiting(t testing.TB, url string, ssh bool) *Model {
	t.Helper()
	v := vars{}
	if ssh {
		v = vars{"SSH_CONNECTION": "10.0.0.2 51234 10.0.0.1 22", "USER": "ann"}
	}
	m := Again(testContext(t), Options{Service: nil, Env: env(v)}, "fitbit", "fitbit")
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.step = stepStarting
	m.gen = gens.Add(1)
	a := newFakeAttempt(url)
	t.Cleanup(func() { close(a.done) })
	m.run = &run{gen: m.gen, ctx: context.Background(), cancel: func() {}, started: make(chan struct{})}
	m.onStarted(startedMsg{gen: m.gen, login: a, deadline: pinned.Add(9*time.Minute + 41*time.Second)})
	if m.step != stepWaiting {
		t.Fatalf("step %d", m.step)
	}
	return m
}

var allSizes = flag.Bool("allsizes", false, "sweep every size from 0x0 to 200x60 under the race detector too")

// checkFrame asserts the view is exactly w x h cells, except the link's
// line: that one holds the whole URL (as an OSC 8 hyperlink) unbroken,
// padded to w when shorter and wider than w when the URL is. A QR code,
// when drawn, is whole: as many rows as its size needs, each exactly as
// wide.
func checkFrame(t *testing.T, m *Model, w, h int) (qrRows []string) {
	t.Helper()
	v := m.View()
	if h == 0 {
		if v != "" {
			t.Fatalf("%dx%d: view %q", w, h, v)
		}
		return nil
	}
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Fatalf("%dx%d: %d lines:\n%s", w, h, len(lines), plain(v))
	}
	links := 0
	for i, l := range lines {
		if strings.Contains(l, "\x1b]8;;") {
			links++
			want := m.url + strings.Repeat(" ", max(w-len(m.url), 0))
			if got := ansi.Strip(l); got != want || !strings.Contains(l, auth.Hyperlink(m.url, m.url)) {
				t.Fatalf("%dx%d: link line %d is %q", w, h, i, got)
			}
			continue
		}
		if lw := textfmt.Width(l); lw != w {
			t.Fatalf("%dx%d: line %d is %d wide: %q", w, h, i, lw, plain(l))
		}
		if strings.ContainsAny(l, "█▀▄") {
			if len(qrRows) > 0 && !strings.ContainsAny(lines[i-1], "█▀▄") {
				t.Fatalf("%dx%d: the QR code is split", w, h)
			}
			qrRows = append(qrRows, strings.TrimSpace(ansi.Strip(l)))
		}
	}
	if m.url != "" && links != 1 {
		t.Fatalf("%dx%d: %d link lines", w, h, links)
	}
	if m.url != "" && w >= 80 {
		// What matters most stays longest: the link, the status, the
		// paste field, the keys.
		p := plain(v)
		for i, want := range []string{"left", "› ", "esc cancel"} {
			if h >= i+2 && !strings.Contains(p, want) {
				t.Fatalf("%dx%d: %q is gone:\n%s", w, h, want, p)
			}
		}
	}
	if len(qrRows) > 0 {
		c, _ := qr.Encode(m.url)
		ok := false
		for q := qr.MinQuiet; q <= qr.StandardQuiet; q++ {
			cw, ch := c.Dims(q)
			whole := len(qrRows) == ch && cw <= w
			for _, r := range qrRows {
				whole = whole && utf8.RuneCountInString(r) == cw
			}
			ok = ok || whole
		}
		if !ok {
			t.Fatalf("%dx%d: a clipped QR code (%d rows):\n%s", w, h, len(qrRows), plain(v))
		}
	}
	return qrRows
}

// TestEverySize sweeps every terminal size from 0x0 to 200x60 (under the
// race detector every 7th width and 5th height, unless -allsizes) on every
// step of the screen: no panic, exactly w x h (but the link's line), a
// QR code whole or not at all, and decodable when drawn.
func TestEverySize(t *testing.T) {
	f := newFixture(t, "[[account]]\nname = \"me\"\nprovider = \"demo\"\n", nil)
	picker := New(testContext(t), f.options(nil))
	name := New(testContext(t), f.options(nil))
	name.Update(keyMsg("enter"))
	name.nameErr = nameError(f.setup.CheckLogin("me", "googlehealth"))
	failed := Again(testContext(t), f.options(nil), "fitbit", "fitbit")
	failed.fail(&auth.PortInUseError{Provider: "fitbit", Port: 8484, FixedPort: true})
	long := waiting(t, longURL, true)
	long.note = "Ignored: a browser request was refused: state does not match (still waiting)"
	long.Update(keyMsg("tab"))
	long.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("abc")})
	long.submitPaste()
	short := waiting(t, shortURL, false)
	screens := map[string]*Model{"picker": picker, "name": name, "failed": failed, "long": long, "short": short}

	decoded := map[string]bool{}
	for w := 0; w <= 200; w++ {
		for h := 0; h <= 60; h++ {
			if raceEnabled && !*allSizes && w%7 != 0 && h%5 != 0 {
				continue
			}
			for which, m := range screens {
				m.Update(tea.WindowSizeMsg{Width: w, Height: h})
				rows := checkFrame(t, m, w, h)
				if len(rows) > 0 && (w%40 == 0 || h == 60) {
					if got := decode(t, rows); got != m.url {
						t.Fatalf("%s %dx%d: the QR code reads %q", which, w, h, got)
					}
					decoded[which] = true
				}
			}
		}
	}
	if !decoded["short"] || !decoded["long"] {
		t.Fatalf("QR codes drawn and read: %v", decoded)
	}
}

func TestQRCodeOnlyWhenItFits(t *testing.T) {
	m := waiting(t, longURL, false)
	for _, tc := range []struct {
		w, h int
		qr   bool
	}{
		{80, 24, false}, {100, 40, false}, {64, 60, false}, {65, 60, true}, {120, 45, true}, {200, 60, true},
	} {
		m.Update(tea.WindowSizeMsg{Width: tc.w, Height: tc.h})
		v := plain(m.View())
		if got := strings.Contains(v, "▀"); got != tc.qr {
			t.Errorf("%dx%d: QR code drawn %v, want %v:\n%s", tc.w, tc.h, got, tc.qr, v)
		}
		if hint := strings.Contains(v, "(enlarge the terminal to see a QR code)"); hint == tc.qr {
			t.Errorf("%dx%d: hint %v with QR %v", tc.w, tc.h, hint, tc.qr)
		}
	}
	m = waiting(t, shortURL, false)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if v := plain(m.View()); !strings.Contains(v, "▀") || !strings.Contains(v, "waiting for the browser · 9:41 left") {
		t.Fatalf("80x24 with a short link:\n%s", v)
	}
}

// The spinner turns a dozen times a second: redrawing must not encode
// the QR code again.
func BenchmarkWaitingView(b *testing.B) {
	for name, url := range map[string]string{"long_link": longURL, "short_link": shortURL} {
		b.Run(name, func(b *testing.B) {
			m := waiting(b, url, true)
			m.Update(tea.WindowSizeMsg{Width: 160, Height: 50})
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// decode reads QR rows drawn for a dark background (blocks are light
// modules) with a real decoder.
func decode(t *testing.T, rows []string) string {
	t.Helper()
	w := utf8.RuneCountInString(rows[0])
	const scale = 4
	img := image.NewGray(image.Rect(0, 0, w*scale, 2*len(rows)*scale))
	for r, line := range rows {
		x := 0
		for _, ch := range line {
			top, bottom := ch == '█' || ch == '▀', ch == '█' || ch == '▄'
			for half, light := range []bool{top, bottom} {
				c := color.Gray{Y: 0}
				if light {
					c = color.Gray{Y: 255}
				}
				for dy := 0; dy < scale; dy++ {
					for dx := 0; dx < scale; dx++ {
						img.SetGray(x*scale+dx, (2*r+half)*scale+dy, c)
					}
				}
			}
			x++
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the drawn QR code cannot be read: %v", err)
	}
	return res.GetText()
}
