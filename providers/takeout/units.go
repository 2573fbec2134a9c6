package takeout

import (
	"fmt"
	"math"
	"sort"
)

// Weights in an export follow the account's unit setting (pounds for the
// Australian account checked, 177.6 with bmi 25.73 at 1.77 m). Without a
// profile to say so, each weigh-in's own bmi tells: weight in kg / bmi is
// the height squared, and only one unit gives the height of the archive's
// height file (or, without one, a person's height at all).

var weightUnits = []string{"kg", "lb", "stone"}

// typicalHeight is what an implied height is compared with when the
// archive has no height file.
const typicalHeight = 1.70

// impliedHeight is the height (m) a weigh-in's bmi gives in a unit.
func impliedHeight(w weighIn, unit string) float64 {
	return math.Sqrt(w.weight * weightFactor(unit) / w.bmi)
}

// UnitFinding is how the weight unit was chosen.
type UnitFinding struct {
	Unit string // kg, lb, stone
	// From is "profile", "bmi" (the weigh-ins' bmi and the height file),
	// "earlier import" or "assumed".
	From string
	Why  string
}

// inferWeightUnit votes over the weigh-ins: each picks the unit whose
// implied height is nearest the measured one (median of the height
// file, mm) or, without one, nearest a typical height among plausible
// ones (1.0 to 2.5 m). ok is false without weigh-ins that have a bmi.
func inferWeightUnit(ws []weighIn, heightsMM []float64) (UnitFinding, bool) {
	if len(ws) == 0 {
		return UnitFinding{}, false
	}
	target, measured := typicalHeight, false
	if len(heightsMM) > 0 {
		h := append([]float64(nil), heightsMM...)
		sort.Float64s(h)
		target, measured = h[len(h)/2]/1000, true
	}
	votes := map[string]int{}
	for _, w := range ws {
		best, bestD := "", math.Inf(1)
		for _, u := range weightUnits {
			h := impliedHeight(w, u)
			if !measured && (h < 1.0 || h > 2.5) {
				continue
			}
			if d := math.Abs(h - target); d < bestD {
				best, bestD = u, d
			}
		}
		if best != "" {
			votes[best]++
		}
	}
	unit, n := "", 0
	for _, u := range weightUnits {
		if votes[u] > n {
			unit, n = u, votes[u]
		}
	}
	if unit == "" {
		return UnitFinding{}, false
	}
	ex := ws[0]
	against := "a typical height (no height file)"
	if measured {
		against = fmt.Sprintf("the height file's %.2f m", target)
	}
	return UnitFinding{Unit: unit, From: "bmi", Why: fmt.Sprintf(
		"%d of %d weigh-ins' bmi fit %s only in %s: %s with bmi %s is %.2f m tall in %s",
		n, len(ws), against, unitWords(unit), trimFloat(ex.weight), trimFloat(ex.bmi), impliedHeight(ex, unit), unitWords(unit))}, true
}

func unitWords(u string) string {
	switch u {
	case "lb":
		return "pounds"
	case "stone":
		return "stone"
	}
	return "kilograms"
}

func trimFloat(v float64) string { return fmt.Sprint(math.Round(v*100) / 100) }
