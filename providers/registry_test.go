package providers_test

import (
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/fittui/fittui/providers"
	// The built-in providers, as tui/wiring/builtin.go lists them.
	_ "github.com/fittui/fittui/providers/demo"
	_ "github.com/fittui/fittui/providers/fitbit"
	_ "github.com/fittui/fittui/providers/googlehealth"
	_ "github.com/fittui/fittui/providers/jawbone"
	_ "github.com/fittui/fittui/providers/misfit"
	_ "github.com/fittui/fittui/providers/takeout"
)

// TestBuiltinDescriptors is the registry's contract: every built-in
// provider's descriptor is complete and consistent, so nothing outside
// providers/ has to know a fact about it that is not there.
func TestBuiltinDescriptors(t *testing.T) {
	regs := providers.Registered()
	names := make([]string, len(regs))
	for i, r := range regs {
		names[i] = r.Name
	}
	if got := strings.Join(names, ","); got != "demo,fitbit,googlehealth,jawbone,misfit,takeout" {
		t.Fatalf("registered %s", got)
	}
	orders := map[int]string{}
	for _, r := range regs {
		t.Run(r.Name, func(t *testing.T) {
			if err := r.Check(); err != nil {
				t.Fatal(err)
			}
			if r.Description == "" || r.New == nil || r.Order <= 0 {
				t.Errorf("description, New and Order are required of a built-in provider: %+v", r)
			}
			if other, dup := orders[r.Order]; dup {
				t.Errorf("order %d shared with %s: lists would depend on names", r.Order, other)
			}
			orders[r.Order] = r.Name
			if len(r.Serves) == 0 {
				t.Error("serves nothing")
			}
			if r.OAuth == nil {
				// No sign-in, no network: no settings, no rate limit.
				if len(r.Settings) > 0 || r.Rate.Requests != 0 || r.Rate.Headers.Any() {
					t.Errorf("no sign-in but settings %v or a rate limit %+v", r.Settings, r.Rate)
				}
				return
			}
			o := r.OAuth
			// Every sign-in provider takes the full set of client settings,
			// so FITTUI_<NAME>_* means the same for all of them.
			var keys []string
			for _, s := range r.Settings {
				keys = append(keys, s.Key)
			}
			if !slices.Equal(keys, providers.SettingKeys()) {
				t.Errorf("settings %v, want %v", keys, providers.SettingKeys())
			}
			if r.Rate.Doc == "" {
				t.Error("a network provider says nothing about its rate limit")
			}
			if h := r.Rate.Headers; h.Remaining != "" && h.Limit == "" {
				t.Errorf("rate headers %+v: remaining without limit", h)
			}
			if o.FixedPort() && o.RedirectPort != providers.DefaultRedirectPort {
				t.Errorf("fixed port %d: the help and README promise %d", o.RedirectPort, providers.DefaultRedirectPort)
			}
			if strings.Contains(o.ClientHelp, "127.0.0.1:") && !o.FixedPort() {
				t.Error("client help names a redirect port the provider does not fix")
			}
			if env := "FITTUI_" + strings.ToUpper(r.Name) + "_CLIENT_ID"; !strings.Contains(o.ClientHelp, env) {
				t.Errorf("client help does not say to set %s: %q", env, o.ClientHelp)
			}
			// The revoke URL's default agrees with the rule that makes it
			// follow configured endpoints.
			switch {
			case o.RevokeBesideToken != "":
				tok, _ := url.Parse(o.TokenURL)
				rev, _ := url.Parse(o.RevokeURL)
				if tok.Host != rev.Host || !strings.HasSuffix(rev.Path, "/"+o.RevokeBesideToken) {
					t.Errorf("revoke URL %s is not %q beside token URL %s", o.RevokeURL, o.RevokeBesideToken, o.TokenURL)
				}
			case o.RevokeUnderAPI != "":
				if !strings.HasSuffix(o.RevokeURL, o.RevokeUnderAPI) {
					t.Errorf("revoke URL %s does not end in %s", o.RevokeURL, o.RevokeUnderAPI)
				}
			}
		})
	}
	// Exactly one importer and one provider of sample accounts (the
	// import command and --demo use them).
	var importers, samples int
	for _, r := range regs {
		if r.Import != nil {
			importers++
		}
		if r.Samples != nil {
			samples++
			for _, s := range r.Samples() {
				if s.Provider != r.Name || s.Name == "" {
					t.Errorf("%s: sample account %+v", r.Name, s)
				}
			}
		}
	}
	if importers != 1 || samples != 1 {
		t.Errorf("%d importers, %d providers of samples", importers, samples)
	}
	if got := strings.Join(providers.SignIns(), ","); got != "googlehealth,fitbit,misfit,jawbone" {
		t.Errorf("sign-ins in list order: %s", got)
	}
}

// servesTable is the README's table of what each provider serves and how
// finely, written from the descriptors.
func servesTable() string {
	regs := providers.Listed()
	var b strings.Builder
	b.WriteString("| finest resolution |")
	for _, r := range regs {
		b.WriteString(" `" + r.Name + "` |")
	}
	b.WriteString("\n|---|")
	for range regs {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, m := range providers.Metrics() {
		b.WriteString("| " + strings.ReplaceAll(string(m), "_", " ") + " |")
		for _, r := range regs {
			cell := "—"
			for _, s := range r.Serves {
				if s.Metric == m {
					cell = s.Resolution()
				}
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestREADMEServesTable keeps the README's resolution table true: it is
// the descriptors' (run with -v to see the table to paste).
func TestREADMEServesTable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := servesTable()
	t.Log("\n" + want)
	if !strings.Contains(string(readme), want) {
		t.Errorf("README.md's table of what each provider serves differs from the descriptors; it should read:\n%s", want)
	}
}

// TestREADMEOptionsAndSettings: the README names every account option
// and setting key a descriptor declares, with the provider that reads it.
func TestREADMEOptionsAndSettings(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range providers.Registered() {
		for _, o := range r.Options {
			if !strings.Contains(string(readme), "`"+o.Key+"`") {
				t.Errorf("README does not mention %s's option `%s`", r.Name, o.Key)
			}
		}
		for _, s := range r.Settings {
			if !strings.Contains(string(readme), "`"+s.Key+"`") {
				t.Errorf("README does not mention %s's setting `%s`", r.Name, s.Key)
			}
		}
	}
}
