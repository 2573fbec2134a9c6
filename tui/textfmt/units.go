package textfmt

// Units are the units numbers are shown in: the configuration's units =
// "metric" | "imperial". Only what a person reads changes; JSON and
// exports stay metric.
type Units string

const (
	Metric   Units = "metric"
	Imperial Units = "imperial"
)

// UnitNames lists the units a configuration may name.
var UnitNames = []string{string(Metric), string(Imperial)}

// ParseUnits reads a units name; ok is false for any other text.
func ParseUnits(s string) (Units, bool) {
	switch Units(s) {
	case Metric, Imperial:
		return Units(s), true
	}
	return "", false
}

// Conversion factors (exact by definition).
const (
	kmPerMile = 1.609344
	kgPerLb   = 0.45359237
)

// Distance is km in u, with its unit: 5.00 km is 3.11 mi.
func (u Units) Distance(km float64) (float64, string) {
	if u == Imperial {
		return km / kmPerMile, "mi"
	}
	return km, "km"
}

// Weight is kg in u, with its unit: 71.3 kg is 157.2 lb.
func (u Units) Weight(kg float64) (float64, string) {
	if u == Imperial {
		return kg / kgPerLb, "lb"
	}
	return kg, "kg"
}
