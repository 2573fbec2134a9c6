package googlehealth

import (
	"time"

	"github.com/fittui/fittui/providers"
)

// registration is everything fittui knows about the Google Health API, as
// data (see providers.Registration).
var registration = providers.Registration{
	Name:  Name,
	Title: "Google Health API",
	Description: "Fitbit and Pixel Watch data through the Google Health API. " +
		"Sign in with `fittui auth login googlehealth`.",
	Order: 10,
	New:   providers.FactoryOf(New),
	OAuth: &providers.OAuth{
		Title:     "Google Health",
		AuthURL:   "https://accounts.google.com/o/oauth2/v2/auth",
		TokenURL:  "https://oauth2.googleapis.com/token",
		RevokeURL: "https://oauth2.googleapis.com/revoke",
		Revoke:    providers.RevokeForm,
		// The token and revoke endpoints are siblings (…/token, …/revoke).
		RevokeBesideToken: "revoke",
		RevokeHint:        "remove fittui's access at https://myaccount.google.com/connections (Third-party apps & services)",
		Scopes: []string{
			"https://www.googleapis.com/auth/googlehealth.activity_and_fitness.readonly",
			"https://www.googleapis.com/auth/googlehealth.health_metrics_and_measurements.readonly",
			"https://www.googleapis.com/auth/googlehealth.sleep.readonly",
			"https://www.googleapis.com/auth/googlehealth.profile.readonly",
			"https://www.googleapis.com/auth/googlehealth.settings.readonly",
		},
		ScopeSeparator: " ",
		// Google accepts the secret only as form parameters.
		ClientAuth: providers.ClientAuthForm,
		// Desktop clients get a secret and the token endpoint wants it
		// (it is not confidential for installed apps).
		PublicClient: false,
		// Desktop clients accept any loopback port.
		RedirectPort: 0,
		AuthParams: map[string]string{
			"access_type": "offline", // a refresh token
			"prompt":      "consent", // a refresh token again on re-consent
		},
		ClientHelp: "create an OAuth client of type \"Desktop app\" in the Google Cloud console (Google Auth Platform > Clients) for a project with the Google Health API enabled, then set FITTUI_GOOGLEHEALTH_CLIENT_ID and FITTUI_GOOGLEHEALTH_CLIENT_SECRET",
	},
	Rate:     rateLimit,
	Settings: providers.OAuthSettings(),
	Serves: append(providers.Daily(providers.MetricRestingHeartRate, providers.MetricDistance, providers.MetricCalories,
		providers.MetricActiveMinutes, providers.MetricFloors), []providers.Serving{
		{Metric: providers.MetricSteps, Finest: time.Minute},
		{Metric: providers.MetricHeartRate, Finest: time.Minute, Note: "the mean of each minute's readings, with their lowest and highest; the raw readings for export --resolution 1sec"},
		{Metric: providers.MetricSleep, AsRecorded: true, Note: "stages (deep, light, rem, wake) or classic (asleep, restless, awake)"},
		{Metric: providers.MetricWeight, AsRecorded: true},
	}...),
}

// rateLimit is Google's per-user allowance. No rate-limit headers are
// documented; a 429's Retry-After is used when sent (else a clamped
// default).
var rateLimit = providers.RateLimit{
	Requests: 300,
	Window:   time.Minute,
	Headers:  providers.RateHeaders{TrustRetryAfter: true},
	Doc: "300 requests per user per minute (Google Health API rate limits); no headers report it, " +
		"and whether a 429 carries Retry-After is undocumented",
}

func init() { providers.Register(registration) }
