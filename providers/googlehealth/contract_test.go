package googlehealth

import (
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/providertest"
)

// TestContract: what every provider keeps (package providertest).
func TestContract(t *testing.T) {
	providertest.Run(t, providertest.Harness{Name: Name, Title: "Google Health API",
		BadAPIURLs: []string{"health.googleapis.com", "ftp://x/", "http://"},
		Start: func(t *testing.T) providertest.Account {
			f := newFixture(t, "office")
			return providertest.Account{Env: providers.Env{Now: func() time.Time { return f.now }, Tokens: f.tokens, APIURL: f.fake.URL},
				Day: f.today, Fake: f.fake}
		},
		Timeout: func(p providers.Provider, d time.Duration) { p.(*Provider).api.Timeout = d },
		BaseURL: func(p providers.Provider) string { return p.(*Provider).api.BaseURL }, DefaultAPIURL: DefaultAPIURL})
}
