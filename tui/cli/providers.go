package cli

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/providers"
)

// What the commands say about providers comes from the providers
// registry: help texts, examples and messages are written from the
// descriptors, so a new provider needs no change here.

// signIns are the registered OAuth providers, in list order.
func signIns() []providers.Registration {
	var out []providers.Registration
	for _, r := range providers.Listed() {
		if r.OAuth != nil {
			out = append(out, r)
		}
	}
	return out
}

// exampleSignIn is the provider the examples sign in to: the first listed;
// fixedPort asks for one whose redirect port is fixed (for --port).
func exampleSignIn(fixedPort bool) string {
	for _, r := range signIns() {
		if !fixedPort || r.OAuth.FixedPort() {
			return r.Name
		}
	}
	return "PROVIDER"
}

// spokenList joins items as "a, b, c" and, with conj, "a, b and c".
func spokenList(items []string, conj string) string {
	if conj == "" || len(items) < 2 {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}

// signInNames lists the sign-in providers' names ("a, b or c").
func signInNames(conj string) string {
	var names []string
	for _, r := range signIns() {
		names = append(names, r.Name)
	}
	return spokenList(names, conj)
}

// signInEnvNames lists the sign-in providers as FITTUI_<PROVIDER>_ spells
// them ("A, B, C").
func signInEnvNames() string {
	var names []string
	for _, r := range signIns() {
		names = append(names, strings.ToUpper(r.Name))
	}
	return strings.Join(names, ", ")
}

// fixedPortTitles names the providers that need the exact redirect URL
// registered ("A, B and C").
func fixedPortTitles() string {
	var titles []string
	for _, r := range signIns() {
		if r.OAuth.FixedPort() {
			titles = append(titles, r.OAuth.Title)
		}
	}
	return spokenList(titles, "and")
}

// defaultRedirect is the redirect URL of the fixed-port providers.
func defaultRedirect() string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", auth.DefaultFixedPort, auth.CallbackPath)
}

// portDefaults says which port each provider listens on by default:
// "8484 for a, b; any free port for c".
func portDefaults() string {
	byPort := map[int][]string{}
	for _, r := range signIns() {
		byPort[r.OAuth.RedirectPort] = append(byPort[r.OAuth.RedirectPort], r.Name)
	}
	var parts []string
	for _, port := range slices.Sorted(maps.Keys(byPort)) {
		if port == 0 {
			continue
		}
		parts = append(parts, strconv.Itoa(port)+" for "+strings.Join(byPort[port], ", "))
	}
	if names := byPort[0]; len(names) > 0 {
		parts = append(parts, "any free port for "+strings.Join(names, ", "))
	}
	return strings.Join(parts, "; ")
}

// revokers says which providers revoke: "A, B, C; not D".
func revokers() string {
	var yes, no []string
	for _, r := range signIns() {
		if r.OAuth.Revoke == providers.RevokeNone {
			no = append(no, r.OAuth.Title)
		} else {
			yes = append(yes, r.OAuth.Title)
		}
	}
	s := strings.Join(yes, ", ")
	if len(no) > 0 {
		s += "; not " + strings.Join(no, ", ")
	}
	return s
}

// sampleConfig is the example account of the help: a sample account (it
// works with no set-up), as TOML lines indented by two spaces.
func sampleConfig() string {
	specs := providers.SampleAccounts()
	if len(specs) == 0 {
		return "  [[account]]\n  name = \"me\"\n  provider = \"NAME\""
	}
	spec := specs[0]
	var b strings.Builder
	fmt.Fprintf(&b, "  [[account]]\n  name = \"me\"\n  provider = %q", spec.Provider)
	if len(spec.Options) > 0 {
		b.WriteString("\n  [account.options]")
		for _, k := range slices.Sorted(maps.Keys(spec.Options)) {
			fmt.Fprintf(&b, "\n  %s = %q", k, spec.Options[k])
		}
	}
	return b.String()
}

// noSignInHint is what to say to someone asking to sign in to provider
// when it needs no sign-in ("" when the descriptor says nothing).
func noSignInHint(provider string) string {
	if r, ok := providers.Lookup(provider); ok && r.OAuth == nil {
		return r.NoSignIn
	}
	return ""
}
