package fitbit

import (
	"fmt"
	"time"

	"github.com/fittui/fittui/providers"
)

// registration is everything fittui knows about Fitbit, as data (see
// providers.Registration).
var registration = providers.Registration{
	Name:  Name,
	Title: "Fitbit Web API (legacy)",
	Description: "Fitbit's original Web API, turned off by Google on 2026-11-02 " +
		"(use Google Health for Fitbit devices now). Sign in with `fittui auth login fitbit`.",
	Order: 20,
	New:   providers.FactoryOf(New),
	OAuth: &providers.OAuth{
		Title:            "Fitbit",
		AuthURL:          "https://www.fitbit.com/oauth2/authorize",
		TokenURL:         "https://api.fitbit.com/oauth2/token",
		RevokeURL:        "https://api.fitbit.com/oauth2/revoke",
		Revoke:           providers.RevokeForm,
		RevokeClientAuth: true,
		// The token and revoke endpoints are siblings (…/token, …/revoke).
		RevokeBesideToken: "revoke",
		RevokeHint:        "remove fittui's access at https://www.fitbit.com/settings/applications (Settings > Applications)",
		Scopes:            []string{"activity", "heartrate", "sleep", "weight", "profile", "settings"},
		ScopeSeparator:    " ",
		// Server and Personal apps: Basic client_id:client_secret.
		ClientAuth: providers.ClientAuthBasic,
		// "Client" apps have no secret and send client_id in the form.
		PublicClient: true,
		// Fitbit matches the registered redirect URI exactly.
		RedirectPort: providers.DefaultRedirectPort,
		ClientHelp: fmt.Sprintf("register an app at https://dev.fitbit.com/apps/new (OAuth 2.0 application type \"Personal\" or \"Client\") "+
			"with the redirect URL http://127.0.0.1:%d/callback, then set FITTUI_FITBIT_CLIENT_ID (and FITTUI_FITBIT_CLIENT_SECRET for Personal/Server apps)",
			providers.DefaultRedirectPort),
	},
	Rate:     rateLimit,
	Settings: providers.OAuthSettings(),
	Serves: append(providers.Daily(providers.MetricRestingHeartRate, providers.MetricDistance, providers.MetricCalories,
		providers.MetricActiveMinutes, providers.MetricFloors), []providers.Serving{
		{Metric: providers.MetricSteps, Finest: time.Minute, Note: "per minute (15 minutes on request); daily totals without intraday access"},
		{Metric: providers.MetricHeartRate, AsRecorded: true, Note: "1sec detail: a reading every 5-15 s; per minute for apps refused 1sec; none without intraday access"},
		{Metric: providers.MetricSleep, AsRecorded: true, Note: "stages (deep, light, rem, wake) or classic (asleep, restless, awake)"},
		{Metric: providers.MetricWeight, AsRecorded: true},
	}...),
}

// rateLimit is Fitbit's per-user allowance; New reads its headers.
var rateLimit = providers.RateLimit{
	Requests: 150,
	Window:   time.Hour,
	Headers: providers.RateHeaders{
		Limit:     "Fitbit-Rate-Limit-Limit",
		Remaining: "Fitbit-Rate-Limit-Remaining",
		Reset:     "Fitbit-Rate-Limit-Reset",
		ResetAs:   providers.ResetSecondsUntil,
		// Retry-After is reported not to match the reset.
		TrustRetryAfter: false,
	},
	Doc: "150 requests per hour per user, windows at the top of the hour (Fitbit Web API rate limits); " +
		"every answer carries Fitbit-Rate-Limit-Limit, -Remaining and -Reset (seconds until the top of the hour)",
}

func init() { providers.Register(registration) }
