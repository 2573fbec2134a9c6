package wiring

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/jawbone/jawbonetest"
	"github.com/fittui/fittui/tui/config"
)

var now = time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC)

// loadConfig writes content as a config file and loads it with env as the
// whole environment.
func loadConfig(t *testing.T, content string, env map[string]string) *config.Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func newSetup(t *testing.T, cfg *config.Config) *Setup {
	t.Helper()
	return &Setup{Config: cfg, TokenDir: filepath.Join(t.TempDir(), "tokens"), Now: func() time.Time { return now }}
}

// save stores a record as a sign-in would.
func save(t *testing.T, s *Setup, rec tokenstore.Record) {
	t.Helper()
	st, err := s.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Save(&rec); err != nil {
		t.Fatal(err)
	}
}

func TestAuthConfigFromFileAndEnvironment(t *testing.T) {
	cfg := loadConfig(t, `
[provider.fitbit]
client_id = "FILEID"
token_url = "https://fake.example/oauth2/token"
redirect_url = "http://127.0.0.1:9999/callback"
`, map[string]string{"FITTUI_FITBIT_CLIENT_ID": "ENVID", "FITTUI_FITBIT_AUTH_URL": "https://fake.example/authorize"})
	s := newSetup(t, cfg)
	c, err := s.AuthConfig("fitbit")
	if err != nil {
		t.Fatal(err)
	}
	want := auth.Config{Provider: "fitbit", ClientID: "ENVID", AuthURL: "https://fake.example/authorize",
		TokenURL: "https://fake.example/oauth2/token", RevokeURL: "https://fake.example/oauth2/revoke",
		RedirectURL: "http://127.0.0.1:9999/callback"}
	if c.Provider != want.Provider || c.ClientID != want.ClientID || c.AuthURL != want.AuthURL || c.TokenURL != want.TokenURL ||
		c.RevokeURL != want.RevokeURL || c.RedirectURL != want.RedirectURL || c.ClientSecret != "" || c.Now == nil {
		t.Errorf("got %+v\nwant %+v", c, want)
	}
}

func TestRevokeURLFollowsConfiguredEndpoints(t *testing.T) {
	for _, tc := range []struct {
		provider string
		set      config.ProviderSettings
		want     string
	}{
		{"fitbit", config.ProviderSettings{}, ""}, // the real one, auth's default
		{"fitbit", config.ProviderSettings{TokenURL: "http://127.0.0.1:5000/token"}, "http://127.0.0.1:5000/revoke"},
		{"googlehealth", config.ProviderSettings{TokenURL: "https://oauth2.example/token/"}, "https://oauth2.example/revoke"},
		{"googlehealth", config.ProviderSettings{APIURL: "https://api.example"}, ""},
		{"jawbone", config.ProviderSettings{APIURL: "http://127.0.0.1:6000/nudge/api/v.1.1/"}, "http://127.0.0.1:6000/nudge/api/v.1.1/users/@me/PartnerAppMembership"},
		{"jawbone", config.ProviderSettings{TokenURL: "http://127.0.0.1:6000/token"}, ""},
		{"misfit", config.ProviderSettings{TokenURL: "http://127.0.0.1:7000/token", APIURL: "http://x"}, ""},
	} {
		spec, _ := auth.Lookup(tc.provider)
		if got := revokeURL(spec, tc.set); got != tc.want {
			t.Errorf("%s %+v: %q, want %q", tc.provider, tc.set, got, tc.want)
		}
	}
}

func TestMissingClientSettingsSayWhatToSet(t *testing.T) {
	cfg := loadConfig(t, "", nil)
	s := newSetup(t, cfg)
	_, err := s.AuthConfig("fitbit")
	var se *SettingsError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want a *SettingsError", err)
	}
	for _, want := range []string{"FITTUI_FITBIT_CLIENT_ID", `client_id = "..." under [provider.fitbit] in ` + cfg.Path,
		"dev.fitbit.com", "“Signing in” in the README"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message does not say %q:\n%s", want, err)
		}
	}
	// Google's token endpoint wants the desktop client's secret too.
	cfg = loadConfig(t, "[provider.googlehealth]\nclient_id = \"x.apps.googleusercontent.com\"\n", nil)
	_, err = newSetup(t, cfg).AuthConfig("googlehealth")
	if !errors.As(err, &se) || se.Key != "client_secret" || !strings.Contains(err.Error(), "FITTUI_GOOGLEHEALTH_CLIENT_SECRET") {
		t.Errorf("googlehealth without secret: %v", err)
	}
	if _, err := newSetup(t, cfg).AuthConfig("demo"); err == nil || !strings.Contains(err.Error(), "does not sign in") {
		t.Errorf("demo: %v", err)
	}
}

func TestAccountsAreConfiguredThenSignedIn(t *testing.T) {
	cfg := loadConfig(t, `
[[account]]
name = "walks"
provider = "demo"
[[account]]
name = "me"
provider = "fitbit"
[account.options]
x = "y"
[[account]]
name = "new"
provider = "fitbit"
`, nil)
	s := newSetup(t, cfg)
	list, err := s.Accounts()
	if err != nil || len(list) != 3 {
		t.Fatalf("%v %+v", err, list)
	}
	if _, err := os.Stat(s.TokenDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("listing created the token folder: %v", err)
	}

	tok := tokenstore.Token{AccessToken: "at", RefreshToken: "rt", Expiry: now.Add(time.Hour)}
	save(t, s, tokenstore.Record{Provider: "fitbit", Account: "me", Token: tok, Scopes: []string{"activity"}})
	save(t, s, tokenstore.Record{Provider: "googlehealth", Account: "zed", Token: tok})
	save(t, s, tokenstore.Record{Provider: "fitbit", Account: "alpha", Token: tok})
	if err := os.WriteFile(filepath.Join(s.TokenDir, "broken.json"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	list, err = s.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range list {
		got = append(got, a.Name+":"+a.Provider)
	}
	if strings.Join(got, " ") != "walks:demo me:fitbit new:fitbit alpha:fitbit broken: zed:googlehealth" {
		t.Errorf("accounts %v", got)
	}
	me := list[1]
	if !me.Configured || me.Line == 0 || me.Options["x"] != "y" || me.Token == nil || me.Token.Scopes[0] != "activity" {
		t.Errorf("me: %+v", me)
	}
	if list[2].Token != nil || list[5].Configured || list[5].Line != 0 || list[5].Options != nil {
		t.Errorf("new %+v zed %+v", list[2], list[5])
	}
	if list[4].Token == nil || list[4].Token.Err == nil {
		t.Errorf("broken: %+v", list[4])
	}
}

func TestTokenStates(t *testing.T) {
	e := func(mod func(*tokenstore.Entry)) *tokenstore.Entry {
		x := &tokenstore.Entry{Provider: "fitbit", Expiry: now.Add(time.Hour), HasRefresh: true}
		mod(x)
		return x
	}
	for _, tc := range []struct {
		name string
		acc  Account
		code string
		text string
	}{
		{"no token", AccountOf(providers.AccountSpec{Provider: "fitbit"}), StateNotSignedIn, "not signed in"},
		{"valid", Account{Account: config.Account{Provider: "fitbit"}, Token: e(func(*tokenstore.Entry) {})}, StateValid, "valid"},
		{"no expiry", Account{Account: config.Account{Provider: "fitbit"}, Token: e(func(x *tokenstore.Entry) { x.Expiry = time.Time{} })}, StateValid, "valid"},
		{"expired", Account{Account: config.Account{Provider: "fitbit"}, Token: e(func(x *tokenstore.Entry) { x.Expiry = now.Add(-time.Minute) })}, StateExpired, "expired — refreshes on next use"},
		{"expired, no refresh", Account{Account: config.Account{Provider: "fitbit"}, Token: e(func(x *tokenstore.Entry) { x.Expiry, x.HasRefresh = now, false })},
			StateSignIn, "sign in again (the access token expired and the provider gave no refresh token)"},
		{"refused", Account{Account: config.Account{Provider: "fitbit"}, Token: e(func(x *tokenstore.Entry) { x.NeedsSignIn, x.SignInReason = true, "invalid_grant" })},
			StateSignIn, "sign in again (invalid_grant)"},
		{"refresh token dead", Account{Account: config.Account{Provider: "fitbit"}, Token: e(func(x *tokenstore.Entry) { x.RefreshExpiry = now.Add(-time.Hour) })},
			StateSignIn, "sign in again (the refresh token expired on 2026-01-20 11:00)"},
		{"other provider", Account{Account: config.Account{Provider: "googlehealth"}, Token: e(func(*tokenstore.Entry) {})},
			StateSignIn, "sign in again (the stored token is for fitbit, the configuration says googlehealth)"},
		{"damaged", Account{Token: &tokenstore.Entry{Err: &tokenstore.CorruptError{Reason: "the file is empty"}}}, StateDamaged, "damaged file (the file is empty)"},
	} {
		st := tc.acc.TokenState(now)
		if st.Code != tc.code || st.Text() != tc.text {
			t.Errorf("%s: %q %q, want %q %q", tc.name, st.Code, st.Text(), tc.code, tc.text)
		}
	}
}

func TestCheckLoginRefusesAnotherProvidersName(t *testing.T) {
	cfg := loadConfig(t, "[[account]]\nname = \"me\"\nprovider = \"fitbit\"\n", nil)
	s := newSetup(t, cfg)
	if err := s.CheckLogin("me", "fitbit"); err != nil {
		t.Errorf("same provider: %v", err)
	}
	var ce *ConflictError
	if err := s.CheckLogin("me", "googlehealth"); !errors.As(err, &ce) || !strings.Contains(err.Error(), `account "me" is a fitbit account (in the configuration file `) {
		t.Errorf("config conflict: %v", err)
	}
	save(t, s, tokenstore.Record{Provider: "googlehealth", Account: "work", Token: tokenstore.Token{AccessToken: "a"}})
	if err := s.CheckLogin("work", "fitbit"); !errors.As(err, &ce) || !strings.Contains(err.Error(), "fittui auth logout work") {
		t.Errorf("store conflict: %v", err)
	}
	if err := s.CheckLogin("work", "googlehealth"); err != nil {
		t.Errorf("same provider again: %v", err)
	}
	if err := s.CheckLogin("a/b", "fitbit"); err == nil {
		t.Error("a bad name was accepted")
	}
	// A damaged file does not block: signing in again is its cure.
	if err := os.WriteFile(filepath.Join(s.TokenDir, "broken.json"), []byte("nope"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckLogin("broken", "fitbit"); err != nil {
		t.Errorf("damaged: %v", err)
	}
}

// TestOpenGivesTokensAndAPIURL opens a Jawbone account (the real
// provider, linked through builtin.go) against the fake Jawbone server:
// the provider gets the configured API URL and a token source that signs
// in and refreshes.
func TestOpenGivesTokensAndAPIURL(t *testing.T) {
	fake := jawbonetest.New(jawbonetest.Config{})
	defer fake.Close()
	cfg := loadConfig(t, "[[account]]\nname = \"up\"\nprovider = \"jawbone\"\n", map[string]string{
		"FITTUI_JAWBONE_CLIENT_ID": fake.ClientID(), "FITTUI_JAWBONE_CLIENT_SECRET": fake.ClientSecret(),
		"FITTUI_JAWBONE_TOKEN_URL": fake.TokenURL(), "FITTUI_JAWBONE_API_URL": fake.APIURL(),
	})
	s := newSetup(t, cfg)
	s.Now = nil // the fake's tokens live in real time
	list, _ := s.Accounts()
	opened, err := s.Open(list[0])
	if err != nil {
		t.Fatal(err)
	}
	p := opened.Provider
	// Not signed in yet: the first call says to sign in, naming the command.
	_, err = p.Profile(context.Background())
	if providers.KindOf(err) != providers.KindSignIn || !strings.Contains(err.Error(), "fittui auth login jawbone --account up") {
		t.Errorf("before sign-in: %v", err)
	}
	if n := fake.APIRequests(""); n != 0 {
		t.Errorf("%d API requests before sign-in", n)
	}
	// After a sign-in the token is used, and refreshed when expired.
	pair := fake.Grant()
	save(t, s, tokenstore.Record{Provider: "jawbone", Account: "up",
		Token: tokenstore.Token{AccessToken: pair.AccessToken, RefreshToken: pair.RefreshToken, Expiry: time.Now().Add(-time.Minute)}})
	if _, err := p.Profile(context.Background()); err != nil {
		t.Fatalf("signed in: %v", err)
	}
	if c := fake.OAuth.Counts(); c.Refresh != 1 {
		t.Errorf("refreshes %d, want 1", c.Refresh)
	}
	if n := fake.APIRequests("/nudge/api/v.1.1/users/@me"); n == 0 {
		t.Errorf("the configured API URL was not used")
	}
}

func TestOpenErrors(t *testing.T) {
	cfg := loadConfig(t, `
[[account]]
name = "m"
provider = "misfit"
[[account]]
name = "up"
provider = "jawbone"
[[account]]
name = "typo"
provider = "fitibt"
`, nil)
	s := newSetup(t, cfg)
	save(t, s, tokenstore.Record{Provider: "fitbit", Account: "up", Token: tokenstore.Token{AccessToken: "a"}})
	if err := os.WriteFile(filepath.Join(s.TokenDir, "broken.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	list, err := s.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Account{}
	for _, a := range list {
		byName[a.Name] = a
	}

	if _, ok := providers.Lookup("misfit"); !ok {
		_, err := s.Open(byName["m"])
		var nb *NotBuiltError
		if !errors.As(err, &nb) || !strings.Contains(err.Error(), "not available in this build of fittui yet") {
			t.Errorf("misfit: %v", err)
		}
		p := Unavailable(byName["m"].Spec(), err)
		_, perr := p.DaySummary(context.Background(), providers.Date{Year: 2026, Month: 1, Day: 1})
		if pe, ok := providers.AsError(perr); !ok || p.Kind() != "misfit" || !strings.Contains(pe.Message, "not available in this build") {
			t.Errorf("unavailable: %v %v", p.Kind(), perr)
		}
	}
	// The token is for another provider than the configuration says.
	_, err = s.Open(byName["up"])
	if providers.KindOf(err) != providers.KindSignIn || !strings.Contains(err.Error(), "the stored token is for fitbit, not jawbone") {
		t.Errorf("mismatch: %v", err)
	}
	// Client settings missing (after the mismatch is fixed by a new sign-in).
	acc := byName["up"]
	acc.Token = nil
	var se *SettingsError
	if _, err := s.Open(acc); !errors.As(err, &se) {
		t.Errorf("no client id: %v", err)
	}
	if _, err := s.Open(byName["typo"]); err == nil || !strings.Contains(err.Error(), `unknown provider "fitibt"`) {
		t.Errorf("typo: %v", err)
	}
	_, err = s.Open(byName["broken"])
	if providers.KindOf(err) != providers.KindSignIn || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged: %v", err)
	}
}

func TestManualRevokeHints(t *testing.T) {
	for _, p := range config.OAuthProviders() {
		if h := ManualRevokeHint(p); h == ManualRevokeHint("other") {
			t.Errorf("%s has no hint of its own", p)
		}
	}
}

func TestSSHForward(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "ssh -L 8484:127.0.0.1:8484 user@host"},
		{map[string]string{"USER": "ann", "SSH_CONNECTION": "10.0.0.2 51234 10.0.0.1 22"}, "ssh -L 8484:127.0.0.1:8484 ann@10.0.0.1"},
		{map[string]string{"LOGNAME": "bo", "SSH_CONNECTION": "::1 51234 fe80::1 2222"}, "ssh -p 2222 -L 8484:127.0.0.1:8484 bo@fe80::1"},
	} {
		if got := SSHForward(func(k string) string { return tc.env[k] }, 8484); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.env, got, tc.want)
		}
	}
}
