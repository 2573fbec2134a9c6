package jawbone

import (
	"time"

	"github.com/fittui/fittui/providers"
)

// registration is everything fittui knows about Jawbone UP, as data (see
// providers.Registration).
var registration = providers.Registration{
	Name:  Name,
	Title: "Jawbone UP",
	Description: "The Jawbone UP API (shut down in 2017), for compatible servers and " +
		"recorded copies. Sign in with `fittui auth login jawbone`.",
	Order: 40,
	New:   providers.FactoryOf(New),
	OAuth: &providers.OAuth{
		Title:     "Jawbone UP",
		AuthURL:   "https://jawbone.com/auth/oauth2/auth",
		TokenURL:  "https://jawbone.com/auth/oauth2/token",
		RevokeURL: "https://jawbone.com/nudge/api/v.1.1/users/@me/PartnerAppMembership",
		// "Disconnect the app": DELETE with the access token.
		Revoke:         providers.RevokeDeleteBearer,
		RevokeUnderAPI: "/users/@me/PartnerAppMembership",
		RevokeHint:     "remove the app in the account settings of your Jawbone-compatible server (Jawbone UP itself is shut down)",
		// Profile, moves (activity), sleep, body (weight), heart rate.
		Scopes:         []string{"basic_read", "move_read", "sleep_read", "weight_read", "heartrate_read"},
		ScopeSeparator: " ",
		ClientAuth:     providers.ClientAuthForm,
		PublicClient:   false,
		// Jawbone matches a registered prefix; a fixed port is the one
		// choice that works whatever prefix was registered.
		RedirectPort: providers.DefaultRedirectPort,
		ClientHelp:   "Jawbone UP is shut down; point FITTUI_JAWBONE_AUTH_URL and FITTUI_JAWBONE_TOKEN_URL at a compatible server and set FITTUI_JAWBONE_CLIENT_ID and FITTUI_JAWBONE_CLIENT_SECRET",
	},
	Rate:     rateLimit,
	Settings: providers.OAuthSettings(),
	Serves: []providers.Serving{
		{Metric: providers.MetricSteps, Finest: time.Hour, Note: "hourly totals"},
		{Metric: providers.MetricRestingHeartRate, Finest: providers.Day, Note: "no heart-rate samples"},
		{Metric: providers.MetricDistance, Finest: providers.Day},
		{Metric: providers.MetricCalories, Finest: providers.Day, Note: "active + basal"},
		{Metric: providers.MetricActiveMinutes, Finest: providers.Day, Note: "active time"},
		{Metric: providers.MetricSleep, AsRecorded: true, Note: "phases: wake, light, deep, rem"},
		{Metric: providers.MetricWeight, AsRecorded: true, Note: "from body events"},
	},
}

// rateLimit: Jawbone documented no limit and no rate-limit headers; a 429
// is honoured all the same, by Retry-After, else an X-RateLimit-Reset
// (Unix time) as compatible servers send.
var rateLimit = providers.RateLimit{
	Headers: providers.RateHeaders{
		Reset:           "X-RateLimit-Reset",
		ResetAs:         providers.ResetUnixSeconds,
		TrustRetryAfter: true,
	},
	Doc: "no limit documented",
}

func init() { providers.Register(registration) }
