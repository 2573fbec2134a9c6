package demo

import (
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// OptionPersona picks an account's persona.
const OptionPersona = "persona"

// registration is everything fittui knows about the demo provider, as
// data (see providers.Registration).
var registration = providers.Registration{
	Name:  Name,
	Title: "Demo data",
	Description: "Made-up but realistic data, no account or network needed. " +
		"Option persona: " + strings.Join(Personas(), ", ") + ".",
	Order:    90,
	New:      providers.FactoryOf(New),
	NoSignIn: "demo accounts need no sign-in: run `fittui --demo`",
	Options: []providers.Option{{
		Key:     OptionPersona,
		Meaning: "whose made-up data the account shows (default: the persona named like the account, else office)",
		Values:  Personas(),
	}},
	Serves: append(providers.Daily(providers.MetricRestingHeartRate, providers.MetricDistance, providers.MetricCalories, providers.MetricActiveMinutes), []providers.Serving{
		{Metric: providers.MetricSteps, Finest: time.Minute},
		{Metric: providers.MetricHeartRate, Finest: time.Second},
		{Metric: providers.MetricFloors, Finest: providers.Day, Note: "personas with an altimeter"},
		{Metric: providers.MetricSleep, AsRecorded: true, Note: "stages (deep, light, rem, wake); naps in classic stages (asleep, restless, awake)"},
		{Metric: providers.MetricWeight, AsRecorded: true, Note: "personas with a scale"},
	}...),
	Samples: Accounts,
}

func init() { providers.Register(registration) }
