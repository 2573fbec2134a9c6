package jawbone

import (
	"testing"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/providertest"
)

// TestContract: what every provider keeps (package providertest).
func TestContract(t *testing.T) {
	providertest.Run(t, providertest.Harness{Name: Name, Title: "Jawbone UP", BadAPIURLs: []string{"ftp://x"},
		Start: func(t *testing.T) providertest.Account {
			e := setup(t, "office")
			return providertest.Account{Env: providers.Env{Now: e.clock.Now, Tokens: e.tokens, APIURL: e.fake.APIURL()},
				Day: e.today, Fake: e.fake}
		}})
}

// Without an API URL the provider talks to the real API.
func TestDefaultAPIURL(t *testing.T) {
	if d, _ := New(providers.AccountSpec{Name: "me"}, providers.Env{}); d.api.BaseURL != DefaultAPIURL {
		t.Fatalf("default base %q", d.api.BaseURL)
	}
}
