package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/oauth2"
)

// Login is one sign-in attempt: a loopback callback server, a fresh PKCE
// verifier and state, and a deadline. Start one with Start; it ends with
// the first valid callback or paste, the deadline, Close, or a cancelled
// context, and then frees its port. Methods are safe for concurrent use.
type Login struct {
	r           *resolved
	conf        *oauth2.Config
	authURL     string
	redirectURI string
	port        int
	host        string // expected Host header, e.g. 127.0.0.1:8484
	path        string
	state       string
	verifier    string
	expires     time.Time

	srv *http.Server
	ln  net.Listener

	ctx    context.Context
	cancel context.CancelCauseFunc
	stop   context.CancelFunc // the deadline's

	claimed atomic.Bool // the state has been used by a callback or paste
	answers chan answer // to run; buffered 1, only the claimer sends
	events  chan Event
	done    chan struct{}

	grant *Grant
	err   error
}

// answer is what the browser brought back: a code or an error code.
type answer struct {
	code    string
	errCode string
	via     string       // "callback" or "paste" (for the log)
	reply   chan outcome // nil for a paste
}

type outcome struct {
	page page
}

// Grant is a successful sign-in: the token and what the provider said
// about it. Save it with SaveGrant.
type Grant struct {
	Provider      string
	Token         *oauth2.Token
	Scopes        []string  // granted
	UserID        string    // the provider's user id, when it sends one
	RefreshExpiry time.Time // when the refresh token dies, when said
}

// EventKind tells a UI what happened while a login waits.
type EventKind int

const (
	// EventRejected: a callback or paste was refused; Reason says why.
	// The login goes on.
	EventRejected EventKind = iota
	// EventExchanging: a valid answer arrived; the code is being
	// exchanged for a token.
	EventExchanging
)

// Event is a step a UI may show. Reason never holds secrets.
type Event struct {
	Kind   EventKind
	Reason string
}

// Start begins a sign-in: it checks cfg, binds the loopback port (a
// *PortInUseError when taken) and starts the callback server. It returns
// at once; call Wait for the result. ctx bounds the whole login:
// cancelling it abandons the attempt. Stored tokens are never touched by a
// login; save the grant with SaveGrant.
func Start(ctx context.Context, cfg Config) (*Login, error) {
	r, err := resolve(cfg)
	if err != nil {
		return nil, err
	}
	redir, err := r.redirect()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(redir.port)))
	if err != nil {
		return nil, listenError(r, redir.port, err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	redir.setPort(port)

	l := &Login{
		r:           r,
		redirectURI: redir.String(),
		port:        port,
		host:        redir.u.Host,
		path:        redir.path(),
		state:       randomString(16),
		verifier:    oauth2.GenerateVerifier(),
		ln:          ln,
		answers:     make(chan answer, 1),
		events:      make(chan Event, 16),
		done:        make(chan struct{}),
	}
	l.conf = r.oauth2Config(l.redirectURI)
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(l.verifier)}
	for k, v := range r.spec.AuthParams {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	l.authURL = l.conf.AuthCodeURL(l.state, opts...)
	l.expires = time.Now().Add(r.LoginTimeout)

	base, cancel := context.WithCancelCause(ctx)
	l.ctx, l.stop = context.WithDeadlineCause(base, l.expires, ErrTimeout)
	l.cancel = cancel

	l.srv = &http.Server{
		Handler:           http.HandlerFunc(l.serveCallback),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	go l.srv.Serve(ln)
	go l.run()
	r.log.Debug("login started", "port", port, "redirect_uri", l.redirectURI,
		"authorize", RedactURL(l.authURL), "expires_in", r.LoginTimeout.String())
	return l, nil
}

// URL is the authorization URL to open in a browser. It contains the
// state: show it to the person, never log it.
func (l *Login) URL() string { return l.authURL }

// RedirectURI is the loopback redirect URI, e.g.
// http://127.0.0.1:8484/callback.
func (l *Login) RedirectURI() string { return l.redirectURI }

// Port is the loopback port the callback listens on (for SSHHint).
func (l *Login) Port() int { return l.port }

// Expires is when the login times out.
func (l *Login) Expires() time.Time { return l.expires }

// Provider is the provider's registry name.
func (l *Login) Provider() string { return l.r.Provider }

// Done is closed when the login has ended and its port is free.
func (l *Login) Done() <-chan struct{} { return l.done }

// Events delivers steps a UI may show while waiting (rejected callbacks,
// exchange started). It is never closed; select on Done as well. Events
// are dropped when nobody reads.
func (l *Login) Events() <-chan Event { return l.events }

// Wait blocks until the login ends and returns the grant, or ErrDenied,
// ErrTimeout, ErrCancelled, *ProviderError or *ExchangeError. Cancelling
// ctx abandons the login (ErrCancelled). When Wait returns, the port is
// free. Wait may be called more than once; it returns the same result.
func (l *Login) Wait(ctx context.Context) (*Grant, error) {
	select {
	case <-l.done:
	case <-ctx.Done():
		l.cancel(ErrCancelled)
		<-l.done
	}
	return l.grant, l.err
}

// Close abandons the login if it is still running (Wait returns
// ErrCancelled) and frees the port before returning.
func (l *Login) Close() error {
	l.cancel(ErrCancelled)
	<-l.done
	return nil
}

func (l *Login) emit(e Event) {
	select {
	case l.events <- e:
	default:
	}
}

// run owns the login's end: the first answer, the deadline or a cancel.
func (l *Login) run() {
	var (
		g   *Grant
		err error
		a   answer
		got bool
	)
	select {
	case a = <-l.answers:
		got = true
		g, err = l.finish(a)
	case <-l.ctx.Done():
		err = ErrCancelled
		if errors.Is(context.Cause(l.ctx), ErrTimeout) {
			err = ErrTimeout
		}
		l.r.log.Debug("login ended", "result", resultWord(err))
	}
	l.grant, l.err = g, err
	if got && a.reply != nil {
		a.reply <- outcome{page: pageFor(err)}
	}
	// Shutdown waits for the handler writing the result page, then the
	// listener is gone: a second callback gets "connection refused".
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	if l.srv.Shutdown(sctx) != nil {
		l.srv.Close()
	}
	cancel()
	// Shutdown only closes listeners Serve has started on; close ours in
	// case Serve had not got that far, so the port is free before Done.
	l.ln.Close()
	l.stop()
	l.cancel(ErrCancelled)
	l.r.log.Debug("callback server closed", "port", l.port)
	close(l.done)
}

func (l *Login) finish(a answer) (*Grant, error) {
	switch {
	case a.errCode == "access_denied":
		l.r.log.Debug("login denied", "via", a.via)
		return nil, fmt.Errorf("%s: %w", l.r.Provider, ErrDenied)
	case a.errCode != "":
		l.r.log.Debug("login refused by provider", "via", a.via, "error", a.errCode)
		return nil, &ProviderError{Provider: l.r.Provider, Code: a.errCode}
	}
	l.emit(Event{Kind: EventExchanging})
	l.r.log.Debug("exchanging code", "via", a.via, "token_url", RedactURL(l.r.TokenURL))
	ctx := context.WithValue(l.ctx, oauth2.HTTPClient, l.r.HTTPClient)
	tok, err := l.conf.Exchange(ctx, a.code, oauth2.VerifierOption(l.verifier))
	if err != nil {
		if c := context.Cause(l.ctx); c != nil {
			if errors.Is(c, ErrTimeout) {
				return nil, ErrTimeout
			}
			return nil, ErrCancelled
		}
		status, code, clean := classify(err, l.r.ClientSecret, a.code, l.verifier)
		l.r.log.Debug("code exchange failed", "status", status, "error", code)
		return nil, &ExchangeError{Provider: l.r.Provider, Status: status, Code: code, Err: clean}
	}
	g := &Grant{
		Provider: l.r.Provider,
		Token:    tok,
		Scopes:   l.r.grantedScopes(tok),
		UserID:   extraString(tok, "user_id"),
	}
	if s := extraSeconds(tok, "refresh_token_expires_in"); s > 0 {
		g.RefreshExpiry = time.Now().Add(time.Duration(s) * time.Second)
	}
	l.r.log.Debug("code exchanged", "expiry", tok.Expiry, "refresh_token", tok.RefreshToken != "", "scopes", len(g.Scopes))
	return g, nil
}

func resultWord(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrTimeout):
		return "timeout"
	case errors.Is(err, ErrCancelled):
		return "cancelled"
	case errors.Is(err, ErrDenied):
		return "denied"
	}
	return "error"
}

// claim hands an answer to run; only the first caller wins, so the code is
// exchanged at most once.
func (l *Login) claim(a answer) bool {
	if !l.claimed.CompareAndSwap(false, true) {
		return false
	}
	l.answers <- a
	return true
}

func (l *Login) stateOK(got string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(l.state)) == 1
}

// serveCallback is the loopback callback handler.
func (l *Login) serveCallback(w http.ResponseWriter, req *http.Request) {
	reject := func(p page, reason string) {
		l.r.log.Debug("callback rejected", "reason", reason)
		l.emit(Event{Kind: EventRejected, Reason: "a browser request was refused: " + reason})
		p.write(w)
	}
	switch {
	case req.Host != l.host:
		reject(pageWrongHost, "wrong host")
		return
	case req.URL.Path != l.path:
		reject(pageNotFound, "wrong path")
		return
	case req.Method != http.MethodGet:
		w.Header().Set("Allow", http.MethodGet)
		reject(pageMethod, "method "+cleanMethod(req.Method)+" not allowed")
		return
	}
	q := req.URL.Query()
	state := q.Get("state")
	switch {
	case state == "":
		reject(pageBadState, "missing state")
		return
	case !l.stateOK(state):
		reject(pageBadState, "state does not match")
		return
	}
	a := answer{code: q.Get("code"), errCode: cleanCode(q.Get("error")), via: "callback", reply: make(chan outcome, 1)}
	if a.code == "" && a.errCode == "" {
		reject(pageNoCode, "no code")
		return
	}
	if !l.claim(a) {
		reject(pageReused, "state already used")
		return
	}
	l.r.log.Debug("callback received", "result", "ok")
	select {
	case o := <-a.reply:
		o.page.write(w)
	case <-l.done:
		pageEnded.write(w)
	}
}

// PasteError is a refused paste; its message tells the person what to
// paste instead. The login goes on.
type PasteError struct{ Reason string }

func (e *PasteError) Error() string { return e.Reason }

// SubmitPaste takes the redirect URL the person copied from the browser's
// address bar (for when the browser cannot reach this machine's
// loopback). It checks it at once: a refused paste returns a *PasteError
// whose message explains what to paste, and the login goes on. An accepted
// one returns nil and Wait delivers the result. After the login ended it
// returns ErrLoginOver. It does no I/O, so a UI may call it from Update.
func (l *Login) SubmitPaste(raw string) error {
	select {
	case <-l.done:
		return ErrLoginOver
	default:
	}
	want := l.redirectURI + "?..."
	raw = strings.TrimSpace(raw)
	raw = strings.Trim(raw, `"'<>`)
	fail := func(reason string) error {
		l.r.log.Debug("paste rejected", "reason", reason)
		return &PasteError{Reason: reason}
	}
	if raw == "" {
		return fail("nothing was pasted: paste the whole address from the browser's address bar; it starts with " + want)
	}
	if !strings.Contains(raw, "?") {
		return fail("that looks like a bare code, which fittui cannot check belongs to this sign-in: paste the whole address from the browser's address bar instead; it starts with " + want)
	}
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw // some browsers hide the scheme
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fail("that is not a web address: paste the whole address from the browser's address bar; it starts with " + want)
	}
	if u.Path != l.path {
		return fail("that address is not this sign-in's callback: paste the address the browser shows after you approve; it starts with " + want)
	}
	q := u.Query()
	state := q.Get("state")
	if state == "" {
		return fail("the address has no state, so fittui cannot check it belongs to this sign-in: copy the whole address again (the end may have been cut off)")
	}
	if !l.stateOK(state) {
		return fail("that address belongs to a different sign-in attempt (its state does not match): use the address from approving the link shown now")
	}
	a := answer{code: q.Get("code"), errCode: cleanCode(q.Get("error")), via: "paste"}
	if a.code == "" && a.errCode == "" {
		return fail("the address has no code: copy the whole address again after approving in the browser")
	}
	if !l.claim(a) {
		return fail("this sign-in has already received its answer")
	}
	l.r.log.Debug("paste accepted")
	return nil
}

// redirect is the loopback redirect URI being built.
type redirect struct {
	u    *url.URL
	raw  string // as configured, used verbatim when the port is unchanged
	port int
}

func (d *redirect) path() string {
	if d.u.Path == "" {
		return "/"
	}
	return d.u.Path
}

func (d *redirect) setPort(p int) {
	if d.port == p && d.raw != "" {
		return
	}
	d.port = p
	d.u.Host = net.JoinHostPort(d.u.Hostname(), strconv.Itoa(p))
	d.raw = ""
}

func (d *redirect) String() string {
	if d.raw != "" {
		return d.raw
	}
	return d.u.String()
}

func (r *resolved) redirect() (*redirect, error) {
	env := EnvPrefix(r.Provider) + "REDIRECT_URL"
	if r.Port < 0 || r.Port > 65535 {
		return nil, &ConfigError{Provider: r.Provider, Message: fmt.Sprintf("port %d is not a port number", r.Port)}
	}
	d := &redirect{}
	if r.RedirectURL == "" {
		d.u = &url.URL{Scheme: "http", Host: "127.0.0.1", Path: CallbackPath}
	} else {
		u, err := url.Parse(r.RedirectURL)
		if err != nil {
			return nil, &ConfigError{Provider: r.Provider, Message: fmt.Sprintf("%s is not a URL: %v", env, err)}
		}
		host := u.Hostname()
		switch {
		case u.Scheme != "http":
			return nil, &ConfigError{Provider: r.Provider, Message: env + " must start with http:// (a loopback address on this machine)"}
		case host != "127.0.0.1" && host != "localhost":
			return nil, &ConfigError{Provider: r.Provider, Message: env + " must point at 127.0.0.1 or localhost: fittui listens on this machine only"}
		case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
			return nil, &ConfigError{Provider: r.Provider, Message: env + " must not carry a query, fragment or user"}
		}
		d.u = u
		d.raw = r.RedirectURL
		if p := u.Port(); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 || n > 65535 {
				return nil, &ConfigError{Provider: r.Provider, Message: env + " has a bad port"}
			}
			d.port = n
		} else {
			d.raw = "" // a port will be added
		}
	}
	if r.Port != 0 {
		d.port = r.Port
		d.raw = ""
	}
	if d.port == 0 && r.spec.FixedPort {
		d.port = r.spec.RedirectPort
		d.raw = ""
	}
	return d, nil
}

func listenError(r *resolved, port int, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return &PortInUseError{Provider: r.Provider, Port: port, FixedPort: r.spec.FixedPort, Err: err}
	}
	if errors.Is(err, syscall.EACCES) {
		return fmt.Errorf("%s: not allowed to listen on port %d (ports below 1024 need privileges): pick a port above 1024 with --port or %sREDIRECT_URL: %w", r.Provider, port, EnvPrefix(r.Provider), err)
	}
	return fmt.Errorf("%s: cannot listen on 127.0.0.1:%d for the sign-in callback: %w", r.Provider, port, err)
}

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

func extraString(tok *oauth2.Token, key string) string {
	s, _ := tok.Extra(key).(string)
	return s
}

func extraSeconds(tok *oauth2.Token, key string) int64 {
	switch v := tok.Extra(key).(type) {
	case float64:
		return int64(v)
	case string:
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	return 0
}
