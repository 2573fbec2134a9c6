package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/fittui/fittui/auth/oauthtest"
)

func query(t *testing.T, raw string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func TestGoogleLoginThroughLoopback(t *testing.T) {
	fake, cfg := googleFake(t)
	l := startLogin(t, cfg)

	// The authorization URL: PKCE S256, the redirect on the bound port,
	// offline access, the five read-only scopes.
	q := query(t, l.URL())
	if !strings.HasPrefix(l.URL(), fake.AuthURL()+"?") {
		t.Fatalf("URL %s does not use the configured auth URL", RedactURL(l.URL()))
	}
	want := fmt.Sprintf("http://127.0.0.1:%d/callback", l.Port())
	if l.RedirectURI() != want || q.Get("redirect_uri") != want {
		t.Fatalf("redirect %q / %q, want %q", l.RedirectURI(), q.Get("redirect_uri"), want)
	}
	if l.Port() == 0 || q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 ||
		q.Get("access_type") != "offline" || q.Get("prompt") != "consent" || q.Get("response_type") != "code" {
		t.Fatalf("authorize parameters: %v", q)
	}
	spec, _ := Lookup("googlehealth")
	if q.Get("scope") != strings.Join(spec.Scopes, " ") {
		t.Fatalf("scope %q", q.Get("scope"))
	}
	for _, s := range strings.Fields(q.Get("scope")) {
		if !strings.HasSuffix(s, ".readonly") {
			t.Fatalf("scope %s is not read-only", s)
		}
	}
	if until := time.Until(l.Expires()); until < 9*time.Minute || until > 10*time.Minute {
		t.Fatalf("expires in %v, want about 10 minutes", until)
	}

	res, err := fake.Browse(context.Background(), l.URL())
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "Signed in") {
		t.Fatalf("callback page: %d %s", res.Status, res.Body)
	}
	g, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if g.Provider != "googlehealth" || g.Token.AccessToken == "" || g.Token.RefreshToken == "" || len(g.Scopes) != 5 {
		t.Fatalf("grant: %+v", g)
	}
	if d := time.Until(g.RefreshExpiry); d < 6*24*time.Hour || d > 7*24*time.Hour {
		t.Fatalf("refresh expiry in %v, want 7 days", d)
	}
	if c := fake.Counts(); c.Exchange != 1 {
		t.Fatalf("%d exchanges, want 1", c.Exchange)
	}
	// The server is gone: a second callback cannot even connect, and the
	// port is free again.
	if _, err := oauthtest.Visit(context.Background(), want+"?state=x&code=y"); err == nil {
		t.Fatal("callback server still answering after success")
	}
	if !portFree(l.Port()) {
		t.Fatal("port still bound after the login ended")
	}
}

func TestFitbitPublicClientFixedPortWithFragment(t *testing.T) {
	fake, cfg := fitbitFake(t, "") // "Client" app: no secret
	l := startLogin(t, cfg)
	if l.RedirectURI() != cfg.RedirectURL {
		t.Fatalf("redirect %q, want the registered %q verbatim", l.RedirectURI(), cfg.RedirectURL)
	}
	loc, err := fake.Approve(context.Background(), l.URL())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "#_=_") {
		t.Fatalf("fake did not add Fitbit's fragment: %s", RedactURL(loc))
	}
	res, err := oauthtest.Visit(context.Background(), loc)
	if err != nil || res.Status != http.StatusOK {
		t.Fatalf("callback: %+v %v", res, err)
	}
	g, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if g.UserID != "26FWFL" || strings.Join(g.Scopes, " ") != "activity heartrate sleep" {
		t.Fatalf("grant user %q scopes %v (want what was granted, not asked)", g.UserID, g.Scopes)
	}
}

func TestFitbitServerAppUsesBasicAuth(t *testing.T) {
	// The fake accepts only the Basic header; a library auto-detecting the
	// style would send the code once per style.
	fake, cfg := fitbitFake(t, "fsecret")
	l := startLogin(t, cfg)
	if _, err := fake.Browse(context.Background(), l.URL()); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c := fake.Counts(); c.Token != 1 {
		t.Fatalf("%d token requests, want exactly 1", c.Token)
	}
}

func TestEveryAttemptHasFreshStateAndVerifier(t *testing.T) {
	_, cfg := googleFake(t)
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		l := startLogin(t, cfg)
		q := query(t, l.URL())
		for _, v := range []string{q.Get("state"), q.Get("code_challenge")} {
			if v == "" || seen[v] {
				t.Fatalf("attempt %d reuses or lacks state/challenge", i)
			}
			seen[v] = true
		}
		// The challenge is S256 of this attempt's verifier.
		sum := sha256.Sum256([]byte(l.verifier))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != q.Get("code_challenge") {
			t.Fatal("challenge is not S256(verifier)")
		}
		l.Close()
	}
}

func TestBadCallbacksAre400AndLoginGoesOn(t *testing.T) {
	fake, cfg := googleFake(t)
	l := startLogin(t, cfg)
	base := l.RedirectURI()
	state := query(t, l.URL()).Get("state")
	marker := "ZZMARKER"
	cases := map[string]string{
		"wrong state":   "?code=" + marker + "c&state=" + marker + "s",
		"missing state": "?code=" + marker + "c",
		"no code":       "?state=" + url.QueryEscape(state) + "&x=" + marker,
		"script":        "?code=%3Cscript%3E" + marker + "&state=%3Cscript%3E" + marker,
	}
	for name, suffix := range cases {
		res, err := oauthtest.Visit(context.Background(), base+suffix)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Status != http.StatusBadRequest {
			t.Fatalf("%s: status %d, want 400", name, res.Status)
		}
		if strings.Contains(res.Body, marker) || strings.Contains(res.Body, "<script") || strings.Contains(res.Body, state) {
			t.Fatalf("%s: page echoes the query: %s", name, res.Body)
		}
		select {
		case ev := <-l.Events():
			if ev.Kind != EventRejected {
				t.Fatalf("%s: event %+v", name, ev)
			}
		default:
			t.Fatalf("%s: no rejection event", name)
		}
	}
	select {
	case <-l.Done():
		t.Fatal("a bad callback ended the login")
	default:
	}
	if _, err := fake.Browse(context.Background(), l.URL()); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatalf("login after bad callbacks: %v", err)
	}
}

func TestWrongMethodPathAndHostRejected(t *testing.T) {
	fake, cfg := googleFake(t)
	l := startLogin(t, cfg)
	loc, err := fake.Approve(context.Background(), l.URL()) // a valid answer
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(loc)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	do := func(method, target, host string) int {
		req, _ := http.NewRequest(method, target, nil)
		if host != "" {
			req.Host = host
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := do(http.MethodPost, loc, ""); s != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d", s)
	}
	other := *u
	other.Path = "/other"
	if s := do(http.MethodGet, other.String(), ""); s != http.StatusNotFound {
		t.Fatalf("wrong path: %d", s)
	}
	if s := do(http.MethodGet, loc, fmt.Sprintf("evil.example:%d", l.Port())); s != http.StatusBadRequest {
		t.Fatalf("wrong host: %d", s)
	}
	if s := do(http.MethodGet, loc, fmt.Sprintf("localhost:%d", l.Port())); s != http.StatusBadRequest {
		t.Fatalf("localhost host for a 127.0.0.1 redirect: %d", s)
	}
	// None of them used the state: the real answer still works.
	if s := do(http.MethodGet, loc, ""); s != http.StatusOK {
		t.Fatalf("real callback: %d", s)
	}
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestLocalhostRedirectExpectsLocalhostHost(t *testing.T) {
	fake, cfg := googleFake(t)
	cfg.RedirectURL = "http://localhost/callback" // any port gets filled in
	l := startLogin(t, cfg)
	want := fmt.Sprintf("http://localhost:%d/callback", l.Port())
	if l.RedirectURI() != want {
		t.Fatalf("redirect %q, want %q", l.RedirectURI(), want)
	}
	loc, _ := fake.Approve(context.Background(), l.URL())
	// Dial 127.0.0.1 (we never listen on ::1) but send Host: localhost.
	u, _ := url.Parse(loc)
	req, _ := http.NewRequest(http.MethodGet, strings.Replace(loc, "localhost", "127.0.0.1", 1), nil)
	req.Host = u.Host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestReusedStateWhileExchanging(t *testing.T) {
	fake, cfg := googleFake(t)
	l := startLogin(t, cfg)
	loc, err := fake.Approve(context.Background(), l.URL())
	if err != nil {
		t.Fatal(err)
	}
	arrived, release := fake.HoldToken()
	first := make(chan oauthtest.CallbackResult)
	go func() {
		res, err := oauthtest.Visit(context.Background(), loc)
		if err != nil {
			t.Error(err)
		}
		first <- res
	}()
	<-arrived // the exchange is in flight; the server is still up
	res, err := oauthtest.Visit(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusBadRequest || !strings.Contains(res.Body, "already") {
		t.Fatalf("reused state: %d %s", res.Status, res.Body)
	}
	if err := l.SubmitPaste(loc); err == nil || !strings.Contains(err.Error(), "already") {
		t.Fatalf("paste of a used answer: %v", err)
	}
	release()
	if r := <-first; r.Status != http.StatusOK {
		t.Fatalf("first callback: %+v", r)
	}
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c := fake.Counts(); c.Exchange != 1 {
		t.Fatalf("%d exchanges, want 1", c.Exchange)
	}
}

func TestAccessDenied(t *testing.T) {
	fake, cfg := googleFake(t)
	l := startLogin(t, cfg)
	fake.Deny(true)
	res, err := fake.Browse(context.Background(), l.URL())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Body, "denied") {
		t.Fatalf("page: %s", res.Body)
	}
	_, err = l.Wait(context.Background())
	if !errors.Is(err, ErrDenied) {
		t.Fatalf("got %v, want ErrDenied", err)
	}
	if !portFree(l.Port()) {
		t.Fatal("port still bound")
	}
	if c := fake.Counts(); c.Token != 0 {
		t.Fatal("a denied login asked for a token")
	}
}

func TestOtherProviderErrorEndsLogin(t *testing.T) {
	_, cfg := googleFake(t)
	l := startLogin(t, cfg)
	state := query(t, l.URL()).Get("state")
	res, err := oauthtest.Visit(context.Background(), l.RedirectURI()+"?error=invalid_scope&error_description=ZZMARKER&state="+url.QueryEscape(state))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(res.Body, "ZZMARKER") || strings.Contains(res.Body, "invalid_scope") {
		t.Fatalf("page echoes the query: %s", res.Body)
	}
	_, err = l.Wait(context.Background())
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Code != "invalid_scope" {
		t.Fatalf("got %v, want ProviderError invalid_scope", err)
	}
	if !strings.Contains(err.Error(), "invalid_scope") {
		t.Fatalf("message does not say what the provider said: %v", err)
	}
}

func TestPasteFlow(t *testing.T) {
	fake, cfg := fitbitFake(t, "fsecret")
	l := startLogin(t, cfg)
	loc, err := fake.Approve(context.Background(), l.URL())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(loc)
	code := u.Query().Get("code")
	state := u.Query().Get("state")

	refused := map[string]struct{ paste, says string }{
		"empty":       {"  ", "whole address"},
		"bare code":   {code, "bare code"},
		"query only":  {"code=" + code, "bare code"},
		"no state":    {l.RedirectURI() + "?code=" + code, "no state"},
		"wrong state": {l.RedirectURI() + "?code=" + code + "&state=" + state + "x", "different sign-in"},
		"wrong path":  {strings.Replace(loc, "/callback", "/elsewhere", 1), "not this sign-in's callback"},
		"no code":     {l.RedirectURI() + "?state=" + state, "no code"},
	}
	for name, c := range refused {
		err := l.SubmitPaste(c.paste)
		var pe *PasteError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), c.says) {
			t.Fatalf("%s: got %v, want a PasteError saying %q", name, err, c.says)
		}
		noSecrets(t, name, err.Error(), []string{code, state})
	}
	select {
	case <-l.Done():
		t.Fatal("a refused paste ended the login")
	default:
	}
	// As copied from the address bar: scheme hidden, Fitbit's fragment.
	pasted := strings.TrimPrefix(loc, "http://")
	if err := l.SubmitPaste("  " + pasted + "\n"); err != nil {
		t.Fatalf("good paste refused: %v", err)
	}
	g, err := l.Wait(context.Background())
	if err != nil || g.Token.AccessToken == "" {
		t.Fatalf("after paste: %v", err)
	}
	if err := l.SubmitPaste(loc); !errors.Is(err, ErrLoginOver) {
		t.Fatalf("paste after the end: %v", err)
	}
	// The callback server closed with the login even though the answer
	// came by paste.
	if !portFree(l.Port()) {
		t.Fatal("port still bound after a pasted login")
	}
}

func TestPastedDenialEndsLogin(t *testing.T) {
	fake, cfg := googleFake(t)
	l := startLogin(t, cfg)
	fake.Deny(true)
	loc, _ := fake.Approve(context.Background(), l.URL())
	if err := l.SubmitPaste(loc); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Wait(context.Background()); !errors.Is(err, ErrDenied) {
		t.Fatalf("got %v", err)
	}
}

func (c Config) withPort(p int) Config {
	c.RedirectURL = fmt.Sprintf("http://127.0.0.1:%d/callback", p)
	return c
}

func TestTimeoutFreesPortAndKeepsTokens(t *testing.T) {
	fake, cfg := googleFake(t)
	st := openStore(t)
	seed(t, st, "googlehealth", "me", fake.Grant("x"), time.Now().Add(time.Hour))
	path, _ := st.Path("me")
	before, _ := os.ReadFile(path)

	cfg.LoginTimeout = 50 * time.Millisecond
	l := startLogin(t, cfg)
	_, err := l.Wait(context.Background())
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("got %v, want ErrTimeout", err)
	}
	if !portFree(l.Port()) {
		t.Fatal("port still bound after timeout")
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("a timed-out login changed the stored token")
	}
	if err := l.SubmitPaste("http://x/callback?code=a&state=b"); !errors.Is(err, ErrLoginOver) {
		t.Fatalf("paste after timeout: %v", err)
	}
}

func TestCancelFreesPort(t *testing.T) {
	_, cfg := googleFake(t)
	for _, how := range []string{"start ctx", "wait ctx", "close"} {
		ctx, cancel := context.WithCancel(context.Background())
		l, err := Start(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		switch how {
		case "start ctx":
			cancel()
			_, err = l.Wait(context.Background())
		case "wait ctx":
			wctx, wcancel := context.WithCancel(context.Background())
			wcancel()
			_, err = l.Wait(wctx)
		case "close":
			l.Close()
			_, err = l.Wait(context.Background())
		}
		cancel()
		if !errors.Is(err, ErrCancelled) {
			t.Fatalf("%s: got %v, want ErrCancelled", how, err)
		}
		if !portFree(l.Port()) {
			t.Fatalf("%s: port still bound", how)
		}
	}
}

func TestFixedPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	_, cfg := fitbitFake(t, "")
	cfg = cfg.withPort(port)
	_, err = Start(context.Background(), cfg)
	var pe *PortInUseError
	if !errors.As(err, &pe) || pe.Port != port {
		t.Fatalf("got %v, want PortInUseError for %d", err, port)
	}
	msg := err.Error()
	for _, want := range []string{fmt.Sprint(port), "FITTUI_FITBIT_REDIRECT_URL", "--port", "register"} {
		if !strings.Contains(msg, want) {
			t.Fatalf("message %q does not mention %q", msg, want)
		}
	}
	// --port moves it.
	cfg.Port = freePort(t)
	l := startLogin(t, cfg)
	if l.Port() != cfg.Port || !strings.Contains(l.RedirectURI(), fmt.Sprintf(":%d/callback", cfg.Port)) {
		t.Fatalf("--port ignored: %s", l.RedirectURI())
	}
}

func TestExchangeFailureIsTypedAndHappensOnce(t *testing.T) {
	fake, cfg := googleFake(t)
	fake.FailNext(1, http.StatusInternalServerError)
	l := startLogin(t, cfg)
	res, _ := fake.Browse(context.Background(), l.URL())
	if res.Status != http.StatusBadGateway {
		t.Fatalf("page status %d", res.Status)
	}
	_, err := l.Wait(context.Background())
	var ee *ExchangeError
	if !errors.As(err, &ee) || ee.Status != 500 || ee.Code != "server_error" {
		t.Fatalf("got %#v", err)
	}
	if c := fake.Counts(); c.Exchange != 1 {
		t.Fatalf("%d exchange requests; a code must be sent once", c.Exchange)
	}
	noSecrets(t, "exchange error", err.Error(), fake.Secrets())

	// Wrong client secret: the error says what to check.
	cfg.ClientSecret = "wrong"
	l = startLogin(t, cfg)
	fake.Browse(context.Background(), l.URL())
	_, err = l.Wait(context.Background())
	if !errors.As(err, &ee) || ee.Code != "invalid_client" || !strings.Contains(err.Error(), "FITTUI_GOOGLEHEALTH_CLIENT_ID") {
		t.Fatalf("got %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		cfg  Config
		says string
	}{
		{Config{Provider: "nope", ClientID: "x"}, "not an OAuth provider"},
		{Config{Provider: "fitbit"}, "FITTUI_FITBIT_CLIENT_ID"},
		{Config{Provider: "googlehealth", ClientID: "x"}, "FITTUI_GOOGLEHEALTH_CLIENT_SECRET"},
		{Config{Provider: "jawbone", ClientID: "x"}, "FITTUI_JAWBONE_CLIENT_SECRET"},
		{Config{Provider: "fitbit", ClientID: "x", RedirectURL: "https://127.0.0.1:1/callback"}, "http://"},
		{Config{Provider: "fitbit", ClientID: "x", RedirectURL: "http://example.com:1/callback"}, "127.0.0.1 or localhost"},
		{Config{Provider: "fitbit", ClientID: "x", RedirectURL: "http://127.0.0.1:1/callback?a=b"}, "query"},
		{Config{Provider: "fitbit", ClientID: "x", Port: 70000}, "not a port"},
	}
	for _, c := range cases {
		_, err := Start(context.Background(), c.cfg)
		var ce *ConfigError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), c.says) {
			t.Fatalf("%+v: got %v, want a ConfigError saying %q", c.cfg, err, c.says)
		}
	}
}

func TestRedirectPolicy(t *testing.T) {
	cases := []struct {
		cfg      Config
		port     int
		redirect string
	}{
		{Config{Provider: "googlehealth", ClientID: "x", ClientSecret: "y"}, 0, "http://127.0.0.1:0/callback"},
		{Config{Provider: "googlehealth", ClientID: "x", ClientSecret: "y", Port: 5000}, 5000, "http://127.0.0.1:5000/callback"},
		{Config{Provider: "fitbit", ClientID: "x"}, DefaultFixedPort, "http://127.0.0.1:8484/callback"},
		{Config{Provider: "fitbit", ClientID: "x", Port: 9000}, 9000, "http://127.0.0.1:9000/callback"},
		{Config{Provider: "fitbit", ClientID: "x", RedirectURL: "http://localhost:8888/callback"}, 8888, "http://localhost:8888/callback"},
		{Config{Provider: "fitbit", ClientID: "x", RedirectURL: "http://127.0.0.1:8080/"}, 8080, "http://127.0.0.1:8080/"},
		{Config{Provider: "misfit", ClientID: "x", ClientSecret: "y"}, DefaultFixedPort, "http://127.0.0.1:8484/callback"},
		{Config{Provider: "jawbone", ClientID: "x", ClientSecret: "y", RedirectURL: "http://127.0.0.1/cb"}, DefaultFixedPort, "http://127.0.0.1:8484/cb"},
	}
	for _, c := range cases {
		r, err := resolve(c.cfg)
		if err != nil {
			t.Fatal(err)
		}
		d, err := r.redirect()
		if err != nil {
			t.Fatal(err)
		}
		if d.port != c.port {
			t.Fatalf("%+v: port %d, want %d", c.cfg, d.port, c.port)
		}
		d.setPort(d.port) // what Start does once bound
		if d.String() != c.redirect {
			t.Fatalf("%+v: redirect %q, want %q", c.cfg, d.String(), c.redirect)
		}
	}
}

func TestProviderTable(t *testing.T) {
	if got := strings.Join(Providers(), ","); got != "fitbit,googlehealth,jawbone,misfit" {
		t.Fatalf("providers %s", got)
	}
	for _, name := range Providers() {
		s, _ := Lookup(name)
		if s.AuthStyle != oauth2.AuthStyleInHeader && s.AuthStyle != oauth2.AuthStyleInParams {
			t.Fatalf("%s: auth style %v is not explicit", name, s.AuthStyle)
		}
		if s.AuthURL == "" || s.TokenURL == "" || len(s.Scopes) == 0 || s.ClientHelp == "" {
			t.Fatalf("%s: incomplete spec", name)
		}
		if (s.Revoke == RevokeNone) != (s.RevokeURL == "") {
			t.Fatalf("%s: revoke style and URL disagree", name)
		}
		for _, sc := range s.Scopes {
			if strings.Contains(sc, "write") {
				t.Fatalf("%s asks for a write scope %s", name, sc)
			}
		}
		// A public client must always send client_id in the form.
		r, err := resolve(Config{Provider: name, ClientID: "id", ClientSecret: "s"})
		if err != nil {
			t.Fatal(err)
		}
		if r.authStyle() != s.AuthStyle {
			t.Fatalf("%s: style with secret %v", name, r.authStyle())
		}
	}
	r, _ := resolve(Config{Provider: "fitbit", ClientID: "id"})
	if r.authStyle() != oauth2.AuthStyleInParams {
		t.Fatal("fitbit public client does not use form parameters")
	}
	m, _ := resolve(Config{Provider: "misfit", ClientID: "id", ClientSecret: "s"})
	if got := m.oauth2Config("x").Scopes; len(got) != 1 || got[0] != "public,tracking,session,sleeps" {
		t.Fatalf("misfit scope %q, want comma-separated", got)
	}
}
