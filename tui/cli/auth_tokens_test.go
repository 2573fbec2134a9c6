package cli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/cache"

	"github.com/adrg/xdg"

	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/providers"
)

// runNow runs fittui in-process with the real clock (the fake's tokens
// live in real time).
func runNow(t *testing.T, args ...string) result {
	t.Helper()
	return runWith(t, func(a *app) { a.now = time.Now }, args...)
}

func TestAuthList(t *testing.T) {
	isolate(t)
	fake, _ := fitbitFake(t)
	writeConfig(t, "[[account]]\nname = \"walks\"\nprovider = \"demo\"\n[[account]]\nname = \"later\"\nprovider = \"fitbit\"\n")

	r := runNow(t, "auth", "list")
	if r.code != 0 || !regexp.MustCompile(`(?m)^later +fitbit +not signed in +- +-$`).MatchString(r.out) || strings.Contains(r.out, "walks") {
		t.Errorf("configured only: exit %d\n%s%s", r.code, r.out, r.err)
	}

	seed(t, "fitbit", "me", fake.Grant("activity", "heartrate"), "activity", "heartrate")
	old := fake.Grant()
	old.Expiry = time.Now().Add(-2 * time.Hour)
	seed(t, "fitbit", "old", old)
	st, _, _ := tokenstore.OpenDefault()
	if err := os.WriteFile(filepath.Join(st.Dir(), "broken.json"), []byte(`{"version":1,`), 0o600); err != nil {
		t.Fatal(err)
	}
	dead := fake.Grant()
	seed(t, "fitbit", "dead", dead)
	rec, _ := st.Load("dead")
	rec.NeedsSignIn, rec.SignInReason = true, "the provider refused the refresh token (invalid_grant): it expired or access was revoked"
	st.Save(&rec)

	r = runNow(t, "auth", "list")
	if r.code != 0 || r.err != "" {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	if len(lines) != 6 || !regexp.MustCompile(`^ACCOUNT +PROVIDER +STATE +EXPIRES +SCOPES$`).MatchString(lines[0]) {
		t.Fatalf("table:\n%s", r.out)
	}
	for i, re := range []string{
		`^later +fitbit +not signed in +- +-$`,
		`^broken +- +damaged file \(not valid JSON near byte 13\) +- +-$`,
		`^dead +fitbit +sign in again \(the provider refused the refresh token \(invalid_grant\): it expired or access was revoked\) +\d{4}-\d\d-\d\d \d\d:\d\d \(in (59m|1h)\) +-$`,
		`^me +fitbit +valid +\d{4}-\d\d-\d\d \d\d:\d\d \(in (59m|1h)\) +activity heartrate$`,
		`^old +fitbit +expired — refreshes on next use +\d{4}-\d\d-\d\d \d\d:\d\d \((1h59m|2h) ago\) +-$`,
	} {
		if !regexp.MustCompile(re).MatchString(lines[i+1]) {
			t.Errorf("line %d %q does not match %s", i+1, lines[i+1], re)
		}
	}
	noSecrets(t, "auth list", r.out+r.err, fake)

	r = runNow(t, "auth", "list", "--json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.out), &rows); err != nil || len(rows) != 5 {
		t.Fatalf("JSON %v:\n%s", err, r.out)
	}
	me := rows[3]
	if me["account"] != "me" || me["provider"] != "fitbit" || me["state"] != "valid" || me["expiry"] == nil ||
		strings.Join(toStrings(me["scopes"]), ",") != "activity,heartrate" {
		t.Errorf("me: %v", me)
	}
	if _, err := time.Parse(time.RFC3339, me["expiry"].(string)); err != nil {
		t.Errorf("expiry %v", me["expiry"])
	}
	if rows[0]["state"] != "not_signed_in" || rows[0]["expiry"] != nil || len(toStrings(rows[0]["scopes"])) != 0 ||
		rows[1]["state"] != "damaged" || rows[2]["state"] != "sign_in_again" || rows[4]["state"] != "expired" {
		t.Errorf("states: %v", rows)
	}
	if _, has := rows[2]["reason"]; !has {
		t.Errorf("no reason for sign_in_again")
	}
	for _, row := range rows {
		for k := range row {
			switch k {
			case "account", "provider", "state", "reason", "expiry", "scopes":
			default:
				t.Errorf("unexpected key %q", k)
			}
		}
	}
	noSecrets(t, "auth list --json", r.out, fake)
}

func toStrings(v any) []string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

func TestAuthListEmpty(t *testing.T) {
	isolate(t)
	r := run(t, nil, "auth", "list")
	if r.code != 0 || r.out != "" || !strings.Contains(r.err, "No accounts are signed in. Sign in with `fittui auth login PROVIDER`") {
		t.Errorf("exit %d out %q err %q", r.code, r.out, r.err)
	}
	if _, err := os.Stat(filepath.Join(xdg.StateHome, "fittui", "tokens")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("listing created the token folder: %v", err)
	}
	if r := run(t, nil, "auth", "list", "--json"); r.code != 0 || r.out != "[]\n" {
		t.Errorf("JSON: %q", r.out)
	}
}

func TestAuthRefresh(t *testing.T) {
	isolate(t)
	fake, _ := fitbitFake(t)
	first := fake.Grant("activity")
	seed(t, "fitbit", "me", first, "activity")

	r := runNow(t, "auth", "refresh")
	if r.code != 0 || !regexp.MustCompile(`^me \(fitbit\): refreshed; valid until \d{4}-\d\d-\d\d \d\d:\d\d \(in (59m|1h)\)\n$`).MatchString(r.out) {
		t.Fatalf("exit %d out %q err %q", r.code, r.out, r.err)
	}
	rec, _ := load(t, "me")
	if c := fake.Counts(); c.Refresh != 1 || rec.Token.RefreshToken == first.RefreshToken || !fake.ValidAccessToken(rec.Token.AccessToken) {
		t.Errorf("refreshes %d, stored token rotated: %v", c.Refresh, rec.Token.RefreshToken != first.RefreshToken)
	}
	noSecrets(t, "refresh", r.out+r.err, fake)

	// The person removed fittui's access: invalid_grant, sign in again.
	fake.RevokeAll()
	r = runNow(t, "auth", "refresh", "--account", "me")
	want := "fittui: me (fitbit): sign in again (the provider refused the refresh token (invalid_grant): it expired or access was revoked): run `fittui auth login fitbit --account me`\n"
	if r.code != 1 || r.err != want || r.out != "" {
		t.Errorf("exit %d stderr %q\nwant %q", r.code, r.err, want)
	}
	noSecrets(t, "refresh failure", r.out+r.err, fake)
	// No retry loop: the account is marked, the next try asks nobody.
	before := fake.Counts().Refresh
	runNow(t, "auth", "refresh", "--account", "me")
	if fake.Counts().Refresh != before {
		t.Error("a refused refresh token was tried again")
	}

	// --all: one good, one bad -> both reported, exit 1.
	seed(t, "fitbit", "other", fake.Grant("activity"))
	r = runNow(t, "auth", "refresh", "--all")
	if r.code != 1 || !strings.Contains(r.out, "other (fitbit): refreshed") || !strings.Contains(r.err, "fittui: me (fitbit): sign in again") ||
		!strings.HasSuffix(r.err, "fittui: 1 of 2 accounts could not be refreshed\n") {
		t.Errorf("--all: exit %d out %q err %q", r.code, r.out, r.err)
	}
	// Several accounts and no choice: ask.
	r = runNow(t, "auth", "refresh")
	if r.code != 2 || !strings.Contains(r.err, "several accounts are signed in (me, other): pass --account NAME or --all") {
		t.Errorf("no choice: exit %d %q", r.code, r.err)
	}
	if r := runNow(t, "auth", "refresh", "--account", "me", "--all"); r.code != 2 {
		t.Errorf("both flags: exit %d %q", r.code, r.err)
	}
	if r := runNow(t, "auth", "refresh", "--account", "nobody"); r.code != 2 || !strings.Contains(r.err, `no account named "nobody" (signed-in accounts: me, other)`) {
		t.Errorf("unknown: exit %d %q", r.code, r.err)
	}
}

func TestAuthRefreshUnreachable(t *testing.T) {
	isolate(t)
	fake, _ := fitbitFake(t)
	p := fake.Grant()
	seed(t, "fitbit", "me", p)
	fake.Close() // nobody answers at the token URL
	r := runNow(t, "auth", "refresh")
	if r.code != 1 || !strings.HasPrefix(r.err, "fittui: me (fitbit): unreachable: the provider's token endpoint could not be reached") ||
		!strings.Contains(r.err, "the token is unchanged, try again later") {
		t.Errorf("exit %d %q", r.code, r.err)
	}
	if rec, _ := load(t, "me"); rec.Token.RefreshToken != p.RefreshToken || rec.NeedsSignIn {
		t.Error("the token changed")
	}
}

func cacheDir(t *testing.T, account string) string {
	t.Helper()
	dir := filepath.Join(xdg.CacheHome, "fittui", cache.AccountDir(account))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "day.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestAuthLogout(t *testing.T) {
	isolate(t)
	fake, _ := fitbitFake(t)
	p := fake.Grant("activity")
	path := seed(t, "fitbit", "me", p)
	dir := cacheDir(t, "me")

	r := runNow(t, "auth", "logout", "me")
	if r.code != 0 || r.err != "" {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
	want := "Revoked fittui's access at Fitbit.\nDeleted the local token of account me (" + path + ").\nIts cached data stays in " + dir + " (add --purge to delete it).\n"
	if r.out != want {
		t.Errorf("stdout %q\nwant %q", r.out, want)
	}
	if c := fake.Counts(); c.Revoke != 1 || fake.ValidAccessToken(p.AccessToken) {
		t.Errorf("revokes %d, access token still valid: %v", c.Revoke, fake.ValidAccessToken(p.AccessToken))
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("token file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "day.json")); err != nil {
		t.Errorf("the cache went without --purge: %v", err)
	}
	noSecrets(t, "logout", r.out+r.err, fake)

	// --purge removes the cache too; nothing else in the cache folder.
	seed(t, "fitbit", "me", fake.Grant())
	keep := cacheDir(t, "mentor")
	r = runNow(t, "auth", "logout", "me", "--purge")
	if r.code != 0 || !strings.HasSuffix(r.out, "Deleted the cached data in "+dir+".\n") {
		t.Errorf("--purge: exit %d %q %q", r.code, r.out, r.err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("cache dir still there: %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("another account's cache went: %v", err)
	}

	if r := runNow(t, "auth", "logout", "me"); r.code != 2 || !strings.Contains(r.err, `account "me" is not signed in (signed-in accounts: none)`) {
		t.Errorf("again: exit %d %q", r.code, r.err)
	}
	if r := runNow(t, "auth", "logout", "../x"); r.code != 2 {
		t.Errorf("bad name: exit %d %q", r.code, r.err)
	}
}

func TestAuthLogoutRevokeFails(t *testing.T) {
	isolate(t)
	fake, _ := fitbitFake(t)
	path := seed(t, "fitbit", "me", fake.Grant())
	fake.Close()
	r := runNow(t, "auth", "logout", "me")
	if r.code != 1 {
		t.Errorf("exit %d", r.code)
	}
	for _, want := range []string{"fittui: could not revoke fittui's access at Fitbit: fitbit: could not reach the revoke endpoint",
		"Deleting the local token anyway.",
		"fittui: logged out here, but fittui's access at Fitbit was not revoked",
		"https://www.fitbit.com/settings/applications"} {
		if !strings.Contains(r.err, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.err)
		}
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the local token stayed: %v", err)
	}
}

func TestAuthLogoutWithoutRevocation(t *testing.T) {
	isolate(t)
	fake, _ := fitbitFake(t) // a server for the token; misfit has no revoke endpoint
	t.Setenv("FITTUI_MISFIT_CLIENT_ID", "mid")
	t.Setenv("FITTUI_MISFIT_CLIENT_SECRET", "msecret")
	path := seed(t, "misfit", "shine", fake.Grant())
	r := runNow(t, "auth", "logout", "shine")
	if r.code != 0 || !strings.HasPrefix(r.out, "Misfit offers no way to revoke a token from fittui;") {
		t.Errorf("exit %d out %q err %q", r.code, r.out, r.err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("token file: %v", err)
	}
	if fake.Counts().Revoke != 0 {
		t.Error("a revoke request went out")
	}
}

func TestDebugShowsStepsNeverSecrets(t *testing.T) {
	isolate(t)
	fake, _ := fitbitFake(t)
	l := start(t, nil, "--debug", "auth", "login", "fitbit", "--account", "me", "--no-browser")
	u := l.url(t)
	loc, err := fake.Approve(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	l.paste(t, strings.Replace(loc, "state=", "state=x", 1)) // a wrong state
	l.waitErr(t, "Not accepted")
	l.paste(t, loc)
	if code := l.wait(t); code != 0 {
		t.Fatalf("exit %d:\n%s", code, l.err.String())
	}
	login := l.err.String()
	for _, want := range []string{"level=DEBUG", "login started", "paste rejected", "exchanging code", "token saved"} {
		if !strings.Contains(login, want) {
			t.Errorf("debug output does not show %q:\n%s", want, login)
		}
	}
	r := runWith(t, func(a *app) { a.now = time.Now }, "--debug", "auth", "refresh", "--account", "me")
	if r.code != 0 || !strings.Contains(r.err, "token refreshed") {
		t.Errorf("refresh: exit %d\n%s", r.code, r.err)
	}
	r2 := runWith(t, func(a *app) { a.now = time.Now }, "--debug", "auth", "logout", "me")
	all := login + r.err + r.out + r2.err + r2.out
	noSecrets(t, "--debug output", all, fake)
	if strings.Contains(all, "code=") || strings.Contains(all, "state=") {
		t.Errorf("a query made it into the output:\n%s", all)
	}
}

func TestDashboardDebugLogFile(t *testing.T) {
	isolate(t)
	r := run(t, nil, "--demo", "--debug")
	path := filepath.Join(xdg.StateHome, "fittui", "debug.log")
	if r.code != 0 || r.err != "fittui: debug log: "+path+"\n" {
		t.Errorf("exit %d stderr %q", r.code, r.err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("debug log %v %v", fi, err)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "dashboard starting") {
		t.Errorf("debug log:\n%s", data)
	}
}

func TestSignedInAccountsReachTheDashboard(t *testing.T) {
	isolate(t)
	fake, _ := fitbitFake(t)
	writeConfig(t, "[[account]]\nname = \"walks\"\nprovider = \"demo\"\n[[account]]\nname = \"shine\"\nprovider = \"misfit\"\n")
	seed(t, "fitbit", "me", fake.Grant())

	r := run(t, nil)
	if r.code != 0 || r.tui == nil {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
	if got := strings.Join(accountNames(r.tui.Accounts), ","); got != "walks,shine,me" {
		t.Errorf("accounts %s", got)
	}
	for _, acc := range r.tui.Accounts {
		if acc.Provider == nil || acc.Spec.Provider == "" {
			t.Errorf("%s: no provider", acc.Spec.Name)
		}
	}
	if _, ok := providers.Lookup("misfit"); !ok {
		shine := r.tui.Accounts[1]
		_, err := shine.Provider.Profile(context.Background())
		if pe, ok := providers.AsError(err); !ok || !strings.Contains(pe.Message, "the misfit provider is not available in this build of fittui yet") {
			t.Errorf("misfit account: %v", err)
		}
		r := run(t, nil, "today", "--account", "shine")
		if r.code != 1 || r.err != "fittui: account \"shine\": the misfit provider is not available in this build of fittui yet, so its data cannot be shown; a later version will add it\n" {
			t.Errorf("today: exit %d %q", r.code, r.err)
		}
	}
	// --demo shows the demo only; the first account still works.
	r = run(t, nil, "--demo")
	if strings.Join(accountNames(r.tui.Accounts), ",") != strings.Join(demoNames(), ",") {
		t.Errorf("--demo: %v", accountNames(r.tui.Accounts))
	}
	if r := run(t, nil, "today", "--date", "2026-01-15"); r.code != 0 {
		t.Errorf("today on the demo account: %d %s", r.code, r.err)
	}
}

func TestDashboardWithOnlySignedInAccountsHasNoNotice(t *testing.T) {
	isolate(t)
	fake, _ := fitbitFake(t)
	seed(t, "fitbit", "me", fake.Grant())
	r := run(t, nil)
	if r.code != 0 || r.tui.Notice != "" || strings.Join(accountNames(r.tui.Accounts), ",") != "me" {
		t.Errorf("exit %d notice %q accounts %v", r.code, r.tui.Notice, accountNames(r.tui.Accounts))
	}
}

func TestAuthCommandSurface(t *testing.T) {
	isolate(t)
	fake, _ := fitbitFake(t)
	seed(t, "fitbit", "me", fake.Grant())
	r := run(t, nil, "__complete", "auth", "login", "")
	if !strings.HasPrefix(r.out, "googlehealth\nfitbit\nmisfit\njawbone\n:4\n") {
		t.Errorf("PROVIDER completion:\n%s", r.out)
	}
	r = run(t, nil, "__complete", "auth", "logout", "")
	if !strings.HasPrefix(r.out, "me\n:4\n") {
		t.Errorf("NAME completion:\n%s", r.out)
	}
	r = run(t, nil, "__complete", "auth", "refresh", "--account", "")
	if !strings.HasPrefix(r.out, "me\n:4\n") {
		t.Errorf("--account completion:\n%s", r.out)
	}
	if r := run(t, nil, "auth", "bogus"); r.code != 2 || !strings.HasPrefix(r.err, `fittui: unknown command "bogus" for "fittui auth"`) {
		t.Errorf("auth bogus: %d %q", r.code, r.err)
	}
	for args, wants := range map[string][]string{
		"auth --help":         {"login", "list", "refresh", "logout", "FITTUI_<PROVIDER>_CLIENT_ID", "“Signing in” in the README", "$XDG_STATE_HOME/fittui/tokens"},
		"auth login --help":   {"--account", "--no-browser", "--port", "paste", "ssh -L", "http://127.0.0.1:8484/callback"},
		"auth list --help":    {"--json", "account", "provider", "state", "expiry", "scopes", "not_signed_in"},
		"auth refresh --help": {"--account", "--all"},
		"auth logout --help":  {"--purge", "revoke"},
		"--help":              {"auth", "--debug"},
	} {
		r := run(t, nil, strings.Fields(args)...)
		for _, want := range wants {
			if !strings.Contains(r.out, want) {
				t.Errorf("%s does not mention %q", args, want)
			}
		}
	}
}

// --purge deletes the folder the cache really uses, also for a name the
// cache has to escape ("work@home" lives in "work%40home").
func TestAuthLogoutPurgeFollowsTheCacheLayout(t *testing.T) {
	isolate(t)
	fake, _ := fitbitFake(t)
	seed(t, "fitbit", "work@home", fake.Grant("activity"))
	dir := cacheDir(t, "work@home")
	if filepath.Base(dir) != "work%40home" {
		t.Fatalf("cache folder %q", dir)
	}
	r := runNow(t, "auth", "logout", "work@home", "--purge")
	if r.code != 0 || !strings.HasSuffix(r.out, "Deleted the cached data in "+dir+".\n") {
		t.Fatalf("--purge: exit %d %q %q", r.code, r.out, r.err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("cache dir still there: %v", err)
	}
}
