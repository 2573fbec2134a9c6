package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/tui"
)

// syncBuffer is an output stream a test reads while fittui writes it.
type syncBuffer struct {
	mu   sync.Mutex
	b    bytes.Buffer
	grew chan struct{} // closed by the next write; nil while nobody waits
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.grew != nil {
		close(s.grew)
		s.grew = nil
	}
	return s.b.Write(p)
}

// next returns what was written so far and a channel the next write
// closes: a test waits for output on it, not by polling.
func (s *syncBuffer) next() (string, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.grew == nil {
		s.grew = make(chan struct{})
	}
	return s.b.String(), s.grew
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// live is a fittui run in progress: a login waiting for its browser.
type live struct {
	out, err *syncBuffer
	stdin    *io.PipeWriter
	cancel   context.CancelFunc // Ctrl+C
	code     chan int
	opened   chan string // URLs given to the browser opener
}

// start runs fittui in the background with a pipe as standard input.
func start(t *testing.T, adjust func(*app), args ...string) *live {
	t.Helper()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	l := &live{out: &syncBuffer{}, err: &syncBuffer{}, stdin: pw, cancel: cancel, code: make(chan int, 1), opened: make(chan string, 4)}
	a := &app{
		build:   BuildInfo{Version: "1.2.3"},
		in:      pr,
		out:     l.out,
		errOut:  l.err,
		now:     time.Now, // the fake's tokens live in real time
		getenv:  os.Getenv,
		runTUI:  func(tui.Options) error { return nil },
		openURL: func(u string) error { l.opened <- u; return nil },
	}
	if adjust != nil {
		adjust(a)
	}
	go func() { l.code <- a.run(ctx, args) }()
	t.Cleanup(func() {
		cancel()
		pw.Close()
		select {
		case <-l.code:
		case <-time.After(10 * time.Second):
			t.Error("fittui did not stop")
		}
	})
	return l
}

// url waits for the authorization URL: the first line of standard output.
func (l *live) url(t *testing.T) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		out, grew := l.out.next()
		if line, _, ok := strings.Cut(out, "\n"); ok {
			if !strings.HasPrefix(line, "http://") {
				t.Fatalf("first line of stdout is not the URL alone: %q", line)
			}
			return line
		}
		select {
		case <-grew:
		case code := <-l.code:
			l.code <- code
			t.Fatalf("fittui ended (%d) before printing a URL; stderr:\n%s", code, l.err.String())
		case <-deadline:
			t.Fatalf("no URL on stdout; stderr:\n%s", l.err.String())
		}
	}
}

// paste types a line on standard input.
func (l *live) paste(t *testing.T, line string) {
	t.Helper()
	if _, err := io.WriteString(l.stdin, line+"\n"); err != nil {
		t.Fatal(err)
	}
}

// waitErr waits until stderr contains want.
func (l *live) waitErr(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		got, grew := l.err.next()
		if strings.Contains(got, want) {
			return
		}
		select {
		case <-grew:
		case <-deadline:
			t.Fatalf("stderr never said %q:\n%s", want, l.err.String())
		}
	}
}

// eofReader tells when its reader has answered end of file.
type eofReader struct {
	r    io.Reader
	once sync.Once
	eof  chan struct{}
}

func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		e.once.Do(func() { close(e.eof) })
	}
	return n, err
}

// wait returns the exit code.
func (l *live) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-l.code:
		l.code <- code // for Cleanup
		return code
	case <-time.After(15 * time.Second):
		t.Fatalf("fittui did not finish; stderr:\n%s", l.err.String())
	}
	return -1
}

// freePort returns a port that was free a moment ago, for providers whose
// redirect URI names a fixed port.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// fitbitFake is a Fitbit-style OAuth server (exact redirect URI, rotating
// refresh tokens, Fitbit error bodies, Basic client auth) that fittui is
// pointed at through FITTUI_FITBIT_*. It returns the redirect port.
func fitbitFake(t *testing.T) (*oauthtest.Server, int) {
	t.Helper()
	port := freePort(t)
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", port)
	s := oauthtest.New(oauthtest.Config{
		ClientID: "23ABCD", ClientSecret: "fitbit-client-secret", ClientAuth: oauthtest.ClientAuthHeader,
		RedirectURIs: []string{redirect}, RotateRefresh: true, FitbitErrors: true, FitbitFragment: true,
		UserID: "26FWFL", RevokeClientAuth: true,
	})
	t.Cleanup(s.Close)
	for k, v := range map[string]string{"CLIENT_ID": "23ABCD", "CLIENT_SECRET": "fitbit-client-secret",
		"AUTH_URL": s.AuthURL(), "TOKEN_URL": s.TokenURL(), "REDIRECT_URL": redirect} {
		t.Setenv("FITTUI_FITBIT_"+k, v)
	}
	return s, port
}

// googleFake is a Google-style server: any loopback port, secret in the
// form, refresh tokens that do not rotate.
func googleFake(t *testing.T) *oauthtest.Server {
	t.Helper()
	s := oauthtest.New(oauthtest.Config{
		ClientID: "gid.apps.googleusercontent.com", ClientSecret: "google-client-secret",
		ClientAuth: oauthtest.ClientAuthParams, LoopbackAnyPort: true,
	})
	t.Cleanup(s.Close)
	for k, v := range map[string]string{"CLIENT_ID": "gid.apps.googleusercontent.com", "CLIENT_SECRET": "google-client-secret",
		"AUTH_URL": s.AuthURL(), "TOKEN_URL": s.TokenURL()} {
		t.Setenv("FITTUI_GOOGLEHEALTH_"+k, v)
	}
	return s
}

// seed stores a token the fake issued, as if account had signed in.
func seed(t *testing.T, provider, account string, p oauthtest.Pair, scopes ...string) string {
	t.Helper()
	st, _, err := tokenstore.OpenDefault()
	if err != nil {
		t.Fatal(err)
	}
	rec := &tokenstore.Record{Provider: provider, Account: account, Scopes: scopes,
		Token: tokenstore.Token{AccessToken: p.AccessToken, TokenType: "Bearer", RefreshToken: p.RefreshToken, Expiry: p.Expiry}}
	if err := st.Save(rec); err != nil {
		t.Fatal(err)
	}
	path, _ := st.Path(account)
	return path
}

func load(t *testing.T, account string) (tokenstore.Record, error) {
	t.Helper()
	st, _, err := tokenstore.OpenDefault()
	if err != nil {
		t.Fatal(err)
	}
	return st.Load(account)
}

// noSecrets fails if text holds anything the fake issued or received:
// client secret, codes, states, PKCE values, tokens.
func noSecrets(t *testing.T, what, text string, s *oauthtest.Server) {
	t.Helper()
	for _, secret := range s.Secrets() {
		if strings.Contains(text, secret) {
			t.Errorf("%s contains a secret (%.12s…):\n%s", what, secret, text)
		}
	}
}
