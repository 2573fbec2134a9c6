package fakekit_test

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/providers/googlehealth/googlehealthtest"
	"github.com/fittui/fittui/providers/internal/fakekit"
	"github.com/fittui/fittui/providers/jawbone/jawbonetest"
	"github.com/fittui/fittui/providers/misfit/misfittest"
)

// TestCommands runs every fake's standalone command (what its main runs)
// on a free port and checks that what it prints points at a working fake.
func TestCommands(t *testing.T) {
	for _, tc := range []struct {
		cmd    fakekit.Command
		args   []string
		prefix string // of the FITTUI_* settings
		apiURL func(root string) string
		auth   string // the OAuth paths under the root
		token  string
		secret bool   // a client secret is printed
		probe  string // an API path under the API URL, asked without a token: 401
		header string // a rate header the probe's answer carries with "150"
		note   string // in the last lines
	}{
		{fitbittest.Command(), []string{"-persona", "runner", "-no-intraday"}, "FITTUI_FITBIT_", nil,
			"/oauth2/authorize", "/oauth2/token", false, "/1/user/-/profile.json", "Fitbit-Rate-Limit-Limit", "# revoke: "},
		{misfittest.Command(), []string{"-persona", "runner"}, "FITTUI_MISFIT_", nil,
			"/auth/dialog/authorize", "/auth/tokens/exchange", true, "/move/resource/v1/user/me/profile", "X-RateLimit-Limit",
			"# Misfit has no revoke endpoint"},
		{jawbonetest.Command(), []string{"-page-size", "3"}, "FITTUI_JAWBONE_", func(root string) string { return root + jawbonetest.APIPath },
			"/auth/oauth2/auth", "/auth/oauth2/token", true, "/users/@me", "", "# disconnect (fittui auth logout): DELETE "},
		{googlehealthtest.Command(), []string{"-persona", "runner", "-empty-pages"}, "FITTUI_GOOGLEHEALTH_", nil,
			"/authorize", "/token", true, "/v4/users/me/settings", "", ""},
	} {
		t.Run(tc.cmd.Name, func(t *testing.T) {
			out, w := io.Pipe()
			stop := make(chan os.Signal, 1)
			code := make(chan int, 1)
			go func() {
				code <- fakekit.RunForTest(tc.cmd, append([]string{"-addr", "127.0.0.1:0"}, tc.args...), w, io.Discard, stop)
				w.Close()
			}()
			sc := bufio.NewScanner(out)
			var first string
			env := map[string]string{}
			var notes []string
			for sc.Scan() {
				l := sc.Text()
				switch {
				case first == "":
					first = l
				case strings.HasPrefix(l, "export "):
					k, v, _ := strings.Cut(strings.TrimPrefix(l, "export "), "=")
					env[k] = v
				case strings.HasPrefix(l, "#"):
					notes = append(notes, l)
				}
				if len(env) >= 5 && (tc.note == "" || len(notes) > 0) {
					break
				}
			}
			go io.Copy(io.Discard, out)
			defer func() {
				stop <- os.Interrupt
				if c := <-code; c != 0 {
					t.Errorf("exit %d", c)
				}
			}()
			api := env[tc.prefix+"API_URL"]
			root, _, _ := strings.Cut(strings.TrimPrefix(first, tc.cmd.Name+" listening on "), " ")
			if tc.apiURL != nil && api != tc.apiURL(root) || tc.apiURL == nil && api != root {
				t.Fatalf("first line %q, API URL %q", first, api)
			}
			if !strings.HasPrefix(root, "http://127.0.0.1:") || env[tc.prefix+"TOKEN_URL"] != root+tc.token ||
				env[tc.prefix+"AUTH_URL"] != root+tc.auth || env[tc.prefix+"CLIENT_ID"] != tc.cmd.Defaults.ClientID ||
				tc.secret && env[tc.prefix+"CLIENT_SECRET"] == "" || !strings.Contains(first, "(persona ") {
				t.Fatalf("%q then %v", first, env)
			}
			if tc.note != "" && (len(notes) == 0 || !strings.HasPrefix(notes[0], tc.note)) {
				t.Errorf("notes %q", notes)
			}
			c := &http.Client{Timeout: 10 * time.Second}
			resp, err := c.Get(api + tc.probe)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 401 || tc.header != "" && resp.Header.Get(tc.header) != "150" {
				t.Fatalf("unauthenticated %s: %d %v", tc.probe, resp.StatusCode, resp.Header)
			}
		})
	}
}

// A bad flag or a non-loopback address ends the command with exit code 2
// and a message.
func TestCommandRefuses(t *testing.T) {
	var stderr strings.Builder
	if c := fakekit.RunForTest(fitbittest.Command(), []string{"-addr", "0.0.0.0:0"}, io.Discard, &stderr, nil); c != 2 ||
		!strings.Contains(stderr.String(), "fakefitbit: fake Fitbit: address \"0.0.0.0:0\" is not a loopback address") {
		t.Errorf("0.0.0.0: exit %d: %s", c, stderr.String())
	}
	stderr.Reset()
	if c := fakekit.RunForTest(misfittest.Command(), []string{"-no-such-flag"}, io.Discard, &stderr, nil); c != 2 ||
		!strings.Contains(stderr.String(), "flag provided but not defined: -no-such-flag") {
		t.Errorf("bad flag: exit %d: %s", c, stderr.String())
	}
}
