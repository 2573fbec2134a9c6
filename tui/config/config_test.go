package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/textfmt"
)

// write puts content in a temp config.toml and returns its path.
func write(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// env is a fake environment.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestLoadGood(t *testing.T) {
	path := write(t, `# my fittui
theme = "high-contrast"
refresh = "30s"

[[account]]
name = "me"
provider = "demo"
[account.options]
persona = "runner"

[[account]]
name = "work"
provider = "fitbit"
options = { units = "metric" }

[provider.fitbit]
client_id = "ABC"
redirect_url = "http://127.0.0.1:8085/callback"
`)
	c, err := Load(path, env())
	if err != nil {
		t.Fatal(err)
	}
	if !c.Found || c.Path != path {
		t.Errorf("Found=%v Path=%q", c.Found, c.Path)
	}
	if c.Theme != "high-contrast" || c.Refresh != 30*time.Second {
		t.Errorf("theme %q refresh %v", c.Theme, c.Refresh)
	}
	want := []Account{
		{Name: "me", Provider: "demo", Options: map[string]string{"persona": "runner"}, Units: textfmt.Metric, Line: 5},
		{Name: "work", Provider: "fitbit", Options: map[string]string{"units": "metric"}, Units: textfmt.Metric, Line: 11},
	}
	if !reflect.DeepEqual(c.Accounts, want) {
		t.Errorf("accounts\n got %+v\nwant %+v", c.Accounts, want)
	}
	if got := c.Accounts[0].Spec(); got.Name != "me" || got.Provider != "demo" || got.Options["persona"] != "runner" {
		t.Errorf("Spec() = %+v", got)
	}
	fb := c.Provider("fitbit")
	if fb.ClientID != "ABC" || fb.RedirectURL != "http://127.0.0.1:8085/callback" || fb.TokenURL != "" {
		t.Errorf("fitbit settings %+v", fb)
	}
}

func TestLoadDefaults(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	xdg.Reload()
	t.Cleanup(xdg.Reload)

	if got, want := DefaultPath(), filepath.Join(dir, "fittui", "config.toml"); got != want {
		t.Fatalf("DefaultPath() = %q, want %q", got, want)
	}
	c, err := Load("", env())
	if err != nil {
		t.Fatal(err)
	}
	if c.Found || c.Path != DefaultPath() || c.Theme != "default" || c.Refresh != time.Minute || len(c.Accounts) != 0 {
		t.Errorf("defaults: %+v", c)
	}
	if _, err := os.Stat(filepath.Join(dir, "fittui")); !os.IsNotExist(err) {
		t.Errorf("Load created the config folder (err %v); it must never write", err)
	}
}

func TestPathPrecedence(t *testing.T) {
	fromFlag := write(t, `theme = "mono"`)
	fromEnv := write(t, `theme = "high-contrast"`)

	c, err := Load(fromFlag, env(EnvConfig, fromEnv))
	if err != nil || c.Path != fromFlag || c.Theme != "mono" {
		t.Errorf("flag should win: %+v %v", c, err)
	}
	c, err = Load("", env(EnvConfig, fromEnv))
	if err != nil || c.Path != fromEnv || c.Theme != "high-contrast" {
		t.Errorf("FITTUI_CONFIG should be used: %+v %v", c, err)
	}

	missing := filepath.Join(t.TempDir(), "nope.toml")
	for _, tc := range []struct {
		flag string
		env  func(string) string
	}{{missing, env()}, {"", env(EnvConfig, missing)}} {
		_, err := Load(tc.flag, tc.env)
		if err == nil || err.Error() != missing+": no such file" {
			t.Errorf("explicit missing file: got %v", err)
		}
	}
}

func TestProviderEnvOverrides(t *testing.T) {
	path := write(t, `
[provider.googlehealth]
client_id = "file-id"
client_secret = "file-secret"
api_url = "https://file.example"
`)
	c, err := Load(path, env(
		"FITTUI_GOOGLEHEALTH_CLIENT_ID", "env-id",
		"FITTUI_GOOGLEHEALTH_TOKEN_URL", "https://env.example/token",
		"FITTUI_GOOGLEHEALTH_API_URL", "", // empty: does not override
		"FITTUI_FITBIT_CLIENT_SECRET", "fb-secret",
		"FITTUI_MISFIT_AUTH_URL", "https://misfit.example/auth",
		"FITTUI_JAWBONE_REDIRECT_URL", "http://127.0.0.1:9/callback",
		"FITTUI_DEMO_CLIENT_ID", "ignored",
	))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]ProviderSettings{
		"googlehealth": {ClientID: "env-id", ClientSecret: "file-secret", TokenURL: "https://env.example/token", APIURL: "https://file.example"},
		"fitbit":       {ClientSecret: "fb-secret"},
		"misfit":       {AuthURL: "https://misfit.example/auth"},
		"jawbone":      {RedirectURL: "http://127.0.0.1:9/callback"},
		"demo":         {},
	}
	for name, want := range tests {
		if got := c.Provider(name); got != want {
			t.Errorf("Provider(%q)\n got %+v\nwant %+v", name, got, want)
		}
	}
	if got := EnvName("googlehealth", "client_id"); got != "FITTUI_GOOGLEHEALTH_CLIENT_ID" {
		t.Errorf("EnvName = %q", got)
	}
}

// Every setting key maps to its own field and its own variable.
func TestProviderEnvEveryKey(t *testing.T) {
	for _, p := range OAuthProviders() {
		for i, k := range settingKeys {
			c, err := Load(write(t, ""), env(EnvName(p, k), "v"))
			if err != nil {
				t.Fatal(err)
			}
			got := reflect.ValueOf(c.Provider(p))
			for j := range got.NumField() {
				if want := map[bool]string{true: "v", false: ""}[i == j]; got.Field(j).String() != want {
					t.Errorf("%s: field %s = %q, want %q", EnvName(p, k), got.Type().Field(j).Name, got.Field(j).String(), want)
				}
			}
		}
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    []string // each "LINE: message fragment"
	}{
		{"syntax", "theme = \"mono\"\n\nrefresh = 1m\n", []string{`3: not valid TOML`}},
		{"unterminated", "[[account]]\nname = \"me\n", []string{`2: not valid TOML`}},
		{"unknown top-level key", "theme = \"mono\"\nthem = \"x\"\n", []string{`2: unknown key "them" (known: theme, refresh, cache_size, units, account, provider)`}},
		{"unknown table", "\n[colors]\nfg = \"red\"\nbg = \"blue\"\n", []string{`2: unknown key "colors"`}},
		{"unknown account key", "[[account]]\nname = \"a\"\nprovider = \"demo\"\n\n[[account]]\nname = \"b\"\nprovder = \"demo\"\n",
			[]string{`5: account "b" has no provider`, `7: unknown key "account.provder" (known: name, provider, units, options, goals)`}},
		{"unknown provider key", "[provider.fitbit]\nclient_id = \"x\"\nclientsecret = \"y\"\n", []string{`3: unknown key "provider.fitbit.clientsecret" (known: client_id, client_secret, auth_url, token_url, api_url, redirect_url)`}},
		{"unknown provider table", "theme = \"mono\"\n[provider.fitibt]\nclient_id = \"x\"\n", []string{`2: [provider.fitibt]: unknown provider (settings are for: googlehealth, fitbit, misfit, jawbone)`}},
		{"theme not a string", "refresh = \"1m\"\ntheme = 5\n", []string{`2: theme: expected a string in quotes, found the number 5`}},
		{"refresh not a string", "refresh = 60\n", []string{`1: refresh: expected a string in quotes, found the number 60`}},
		{"bad duration", "theme = \"mono\"\n\n\n\n\n\nrefresh = \"5x\"\n", []string{`7: refresh "5x": not a duration (examples: 30s, 1m, 5m)`}},
		{"refresh too short", "refresh = \"500ms\"\n", []string{`1: refresh "500ms": too short: the minimum is 1s`}},
		{"bad cache size", "theme = \"mono\"\ncache_size = \"tiny\"\n", []string{`2: cache_size "tiny": not a size`}},
		{"cache size too small", "cache_size = \"10KB\"\n", []string{`1: cache_size "10KB": at least 1MiB`}},
		{"unknown theme", "# comment\ntheme = \"neon\"\n", []string{`2: theme "neon": unknown theme (known: default, high-contrast, mono)`}},
		{"account without name", "[[account]]\nprovider = \"demo\"\n", []string{`1: account #1 has no name: add name = "..."`}},
		{"account with empty name", "[[account]]\nname = \"\"\nprovider = \"demo\"\n", []string{`1: account #1 has no name`}},
		{"account without provider", "[[account]]\nname = \"x\"\nprovider = \"demo\"\n[[account]]\nname = \"me\"\n", []string{`4: account "me" has no provider: add provider = "NAME" (for example "demo")`}},
		{"duplicate names", "[[account]]\nname = \"me\"\nprovider = \"demo\"\n\n[[account]]\nname = \"me\"\nprovider = \"demo\"\n", []string{`6: account name "me" is already used on line 2: names must be unique`}},
		{"name not a string", "[[account]]\nname = true\nprovider = \"demo\"\n", []string{`2: account #1 name: expected a string in quotes, found true`}},
		{"option not a string", "[[account]]\nname = \"me\"\nprovider = \"demo\"\n[account.options]\npersona = \"runner\"\nage = 40\n", []string{`6: account #1 options age: expected a string in quotes, found the number 40`}},
		{"inline option not a string", "[[account]]\nname = \"me\"\nprovider = \"demo\"\noptions = { age = 40 }\n", []string{`4: account #1 options age: expected a string in quotes`}},
		{"account is not a table", "theme = \"mono\"\naccount = \"me\"\n", []string{`2: account: write each account as an [[account]] table`}},
		{"options not a table", "[[account]]\nname = \"me\"\nprovider = \"demo\"\noptions = \"persona=runner\"\n", []string{`4: account #1 options: write them as an [account.options] table`}},
		{"keys are case-sensitive", "Theme = \"mono\"\n", []string{`1: unknown key "Theme" (known: theme, refresh, cache_size, units, account, provider)`}},
		{"account array of strings", "account = [\"me\"]\n", []string{`1: account: write each account as an [[account]] table`}},
		{"provider not a table", "\nprovider = 5\n", []string{`2: provider: write provider settings as [provider.NAME] tables`}},
		{"date value", "refresh = 2026-01-15\n", []string{`1: refresh: expected a string in quotes, found a date or time`}},
		{"unknown key in second entry", "[[account]]\nname = \"a\"\nprovider = \"demo\"\nextra = 1\n[[account]]\nname = \"b\"\nprovider = \"demo\"\nextra = 2\n",
			[]string{`4: unknown key "account.extra"`, `8: unknown key "account.extra"`}},
		{"provider settings not a table", "[provider]\nfitbit = \"x\"\n", []string{`2: provider fitbit: write its settings as a [provider.fitbit] table`}},
		{"provider setting wrong type", "[provider.fitbit]\nclient_id = 123\n", []string{`2: provider fitbit client_id: expected a string in quotes, found the number 123`}},
		{"several problems sorted by line", "refresh = \"0s\"\ntheme = \"neon\"\n[[account]]\nprovider = \"demo\"\n", []string{
			`1: refresh "0s": too short`, `2: theme "neon": unknown theme`, `3: account #1 has no name`}},
		{"unknown units", "units = \"furlongs\"\n", []string{`1: units "furlongs": unknown units (known: metric, imperial)`}},
		{"unknown account units", "[[account]]\nname = \"me\"\nprovider = \"demo\"\nunits = \"Imperial\"\n", []string{`4: account #1 units "Imperial": unknown units (known: metric, imperial)`}},
		{"units not a string", "units = 1\n", []string{`1: units: expected a string in quotes, found the number 1`}},
		{"unknown goal", "[[account]]\nname = \"me\"\nprovider = \"demo\"\n[account.goals]\nsteps = 8000\nstep = 9000\n",
			[]string{`6: unknown key "account.goals.step" (known: steps, distance_km, calories, active_minutes, floors, sleep_minutes)`}},
		{"goal not a number", "[[account]]\nname = \"me\"\nprovider = \"demo\"\n[account.goals]\nsteps = \"8000\"\n", []string{`5: account #1 goals steps: expected a number, found a string`}},
		{"goal not positive", "[[account]]\nname = \"me\"\nprovider = \"demo\"\n[account.goals]\nfloors = 0\n", []string{`5: account #1 goals floors = 0: a goal is a number above 0`}},
		{"goal not whole", "[[account]]\nname = \"me\"\nprovider = \"demo\"\n[account.goals]\nsteps = 8000.5\n", []string{`5: account #1 goals steps = 8000.5: expected a whole number`}},
		{"goals not a table", "[[account]]\nname = \"me\"\nprovider = \"demo\"\ngoals = 8000\n", []string{`4: account #1 goals: write them as an [account.goals] table`}},
		{"multi-line string does not confuse lines", "[[account]]\nname = \"me\"\nprovider = \"demo\"\n[account.options]\nnote = \"\"\"\n[[account]]\nname = \"me\"\n\"\"\"\n[[account]]\nname = \"me\"\nprovider = \"demo\"\n",
			[]string{`10: account name "me" is already used on line 2`}},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := write(t, tc.content)
			_, err := Load(path, env())
			if err == nil {
				t.Fatalf("no error; want %q", tc.want)
			}
			ce, ok := err.(*Error)
			if !ok {
				t.Fatalf("error is %T, want *Error: %v", err, err)
			}
			lines := strings.Split(ce.Error(), "\n")
			if len(lines) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(lines), len(tc.want), ce)
			}
			for i, w := range tc.want {
				if want := path + ":" + w; !strings.HasPrefix(lines[i], want) {
					t.Errorf("problem %d:\n got %s\nwant %s...", i, lines[i], want)
				}
			}
		})
	}
}

func TestUnreadableFile(t *testing.T) {
	dir := t.TempDir() // a directory cannot be read as a file
	_, err := Load(dir, env())
	if err == nil || !strings.HasPrefix(err.Error(), dir+": cannot read: ") {
		t.Errorf("got %v", err)
	}
}

func TestErrorAt(t *testing.T) {
	c := &Config{Path: "/x/config.toml"}
	if got := c.ErrorAt(7, `unknown provider "x"`).Error(); got != `/x/config.toml:7: unknown provider "x"` {
		t.Errorf("got %q", got)
	}
}

func TestParseRefresh(t *testing.T) {
	for in, want := range map[string]time.Duration{"1s": time.Second, "1m": time.Minute, "1h30m": 90 * time.Minute} {
		if got, err := ParseRefresh(in); err != nil || got != want {
			t.Errorf("ParseRefresh(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "1", "5x", "999ms", "-1m", "0s"} {
		if _, err := ParseRefresh(in); err == nil {
			t.Errorf("ParseRefresh(%q) accepted", in)
		}
	}
}

func TestScanPositions(t *testing.T) {
	pos := scanPositions(`a = 1
"quoted.key" = 2
b . c = 3
[[t]]
x = 1
[t.sub]
y = 2
[[t]]
x = 'it''s = fine'
[t.sub]
y = 3
`)
	for _, tc := range []struct {
		path []string
		want int
	}{
		{[]string{"a"}, 1},
		{[]string{"quoted.key"}, 2},
		{[]string{"b", "c"}, 3},
		{[]string{"t", "[0]"}, 4},
		{[]string{"t", "[0]", "x"}, 5},
		{[]string{"t", "[0]", "sub", "y"}, 7},
		{[]string{"t", "[1]", "x"}, 9},
		{[]string{"t", "[1]", "sub"}, 10},
		{[]string{"t", "[1]", "sub", "y"}, 11},
		{[]string{"t", "[1]", "sub", "nope"}, 10}, // nearest ancestor
		{[]string{"nope"}, 0},
	} {
		if got := pos.line(tc.path...); got != tc.want {
			t.Errorf("line(%q) = %d, want %d", tc.path, got, tc.want)
		}
	}
	if got := pos.firstLine([]string{"t", "sub", "y"}); got != 7 {
		t.Errorf("firstLine = %d, want 7", got)
	}
}

func TestInlineAccounts(t *testing.T) {
	path := write(t, "account = [\n  { name = \"a\", provider = \"demo\" },\n  { name = \"b\", provider = \"demo\", options = { persona = \"office\" } },\n]\n")
	c, err := Load(path, env())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Accounts) != 2 || c.Accounts[1].Name != "b" || c.Accounts[1].Options["persona"] != "office" || c.Accounts[1].Line != 1 {
		t.Errorf("accounts %+v", c.Accounts)
	}
}

// [account.goals] and units: the file's units for every account that does
// not name its own.
func TestGoalsAndUnits(t *testing.T) {
	path := write(t, `units = "imperial"

[[account]]
name = "me"
provider = "googlehealth"
[account.goals]
steps = 8000
distance_km = 6.5
calories = 2400
active_minutes = 45
floors = 12
sleep_minutes = 450

[[account]]
name = "work"
provider = "demo"
units = "metric"
goals = { steps = 12000 }
`)
	c, err := Load(path, env())
	if err != nil {
		t.Fatal(err)
	}
	want := providers.Goals{Steps: 8000, DistanceKm: 6.5, Calories: 2400, ActiveMinutes: 45, Floors: 12, SleepMinutes: 450}
	if c.Units != textfmt.Imperial || c.Accounts[0].Goals != want || c.Accounts[0].Units != textfmt.Imperial {
		t.Errorf("units %q, me: %+v %q", c.Units, c.Accounts[0].Goals, c.Accounts[0].Units)
	}
	if w := c.Accounts[1]; w.Goals != (providers.Goals{Steps: 12000}) || w.Units != textfmt.Metric {
		t.Errorf("work: %+v %q", w.Goals, w.Units)
	}
	d, err := Load(write(t, ""), env())
	if err != nil || d.Units != textfmt.Metric {
		t.Errorf("default units %q (%v)", d.Units, err)
	}
}
