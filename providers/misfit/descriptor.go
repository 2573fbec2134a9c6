package misfit

import (
	"time"

	"github.com/fittui/fittui/providers"
)

// registration is everything fittui knows about Misfit, as data (see
// providers.Registration).
var registration = providers.Registration{
	Name:  Name,
	Title: "Misfit",
	Description: "Misfit Cloud API (shut down by Fossil in 2023): daily totals, activity sessions and sleep " +
		"from a compatible server. Sign in with `fittui auth login misfit`. Options: timezone (IANA name), " +
		"distance_unit (mi or km).",
	Order: 30,
	New:   providers.FactoryOf(New),
	OAuth: &providers.OAuth{
		Title:      "Misfit",
		AuthURL:    "https://api.misfitwearables.com/auth/dialog/authorize",
		TokenURL:   "https://api.misfitwearables.com/auth/tokens/exchange",
		Revoke:     providers.RevokeNone,
		RevokeHint: "Misfit offers no way to revoke a token; if your server is a compatible one, remove the app's access in its account settings",
		// Activity, sessions, sleep and the public profile.
		Scopes:         []string{"public", "tracking", "session", "sleeps"},
		ScopeSeparator: ",",
		ClientAuth:     providers.ClientAuthForm,
		PublicClient:   false,
		// The redirect must match the app's domain; assume exact.
		RedirectPort: providers.DefaultRedirectPort,
		ClientHelp:   "Misfit's cloud is shut down; point FITTUI_MISFIT_AUTH_URL and FITTUI_MISFIT_TOKEN_URL at a compatible server and set FITTUI_MISFIT_CLIENT_ID and FITTUI_MISFIT_CLIENT_SECRET",
	},
	Rate:     rateLimit,
	Settings: providers.OAuthSettings(),
	Options: []providers.Option{
		{Key: OptionTimeZone, Meaning: "the IANA time zone of the account's days, e.g. Europe/Paris (default: the offset of the newest goal, else UTC)"},
		{Key: OptionDistanceUnit, Meaning: "the unit of Misfit's distance fields, which its docs never state", Values: []string{"mi", "km"}, Default: "mi"},
	},
	Serves: append(providers.Daily(providers.MetricDistance, providers.MetricCalories), []providers.Serving{
		{Metric: providers.MetricSteps, Finest: providers.Day, Note: "no intraday steps"},
		{Metric: providers.MetricActiveMinutes, Finest: providers.Day, Note: "from activity sessions"},
		{Metric: providers.MetricSleep, AsRecorded: true, Note: "stages: wake, light, deep"},
	}...),
}

// rateLimit is Misfit's per-user allowance; New reads its headers.
var rateLimit = providers.RateLimit{
	Requests: 150,
	Window:   time.Hour,
	Headers: providers.RateHeaders{
		// Case-insensitive; python-misfit's mocks send them lower-case.
		Limit:     "X-RateLimit-Limit",
		Remaining: "X-RateLimit-Remaining",
		Reset:     "X-RateLimit-Reset",
		ResetAs:   providers.ResetUnixSeconds, // unlike Fitbit's seconds-until
	},
	Doc: "150 requests per hour per user (Misfit Resource API); answers carry X-RateLimit-Limit, " +
		"-Remaining and -Reset (a Unix time)",
}

func init() { providers.Register(registration) }
