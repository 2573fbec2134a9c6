package state

import "github.com/fittui/fittui/providers"

// The providers say "not known" with a zero (a day outside an imported
// archive is all zeros, a tracker not worn counts no steps). These rules
// are the one place that reads those zeros, so the panes and `fittui
// today` agree on what is a measurement: unknown is "–" on screen and
// null in JSON, never 0.

// StepsKnown reports whether the day's step count is a measurement: a
// day with no step recorded has no count, as the history pane has always
// shown it.
func StepsKnown(s providers.DaySummary) bool { return s.Steps > 0 }

// TotalsKnown reports whether the day's distance, calories and active
// minutes are measurements: some total is not zero. A summary of zeros is
// a day the provider holds nothing for.
func TotalsKnown(s providers.DaySummary) bool {
	return s.Steps > 0 || s.DistanceKm > 0 || s.Calories > 0 || s.ActiveMinutes > 0 || s.Floors > 0
}

// StepsChartEmpty is what an empty steps-per-interval chart says, given
// the day's summary: "no steps yet" only when the day's total agrees;
// a total without intraday detail (Misfit, a summary-only day) says the
// detail is missing, not the steps.
func StepsChartEmpty(s providers.DaySummary, today bool) string {
	switch {
	case StepsKnown(s):
		return "daily total only: no detail"
	case today:
		return "no steps yet"
	}
	return "no steps recorded"
}
