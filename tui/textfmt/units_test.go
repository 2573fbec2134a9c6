package textfmt

import (
	"fmt"
	"testing"
)

func TestUnits(t *testing.T) {
	show := func(v float64, unit string, format string) string { return fmt.Sprintf(format, v) + " " + unit }
	for _, c := range []struct {
		u            Units
		dist, weight string
	}{{Metric, "5.00 km", "71.3 kg"}, {"", "5.00 km", "71.3 kg"}, {Imperial, "3.11 mi", "157.2 lb"}} {
		d, du := c.u.Distance(5)
		w, wu := c.u.Weight(71.3)
		if got := show(d, du, "%.2f"); got != c.dist {
			t.Errorf("%q: distance %s, want %s", c.u, got, c.dist)
		}
		if got := show(w, wu, "%.1f"); got != c.weight {
			t.Errorf("%q: weight %s, want %s", c.u, got, c.weight)
		}
	}
	if u, ok := ParseUnits("imperial"); !ok || u != Imperial {
		t.Error("imperial")
	}
	if _, ok := ParseUnits("Imperial"); ok {
		t.Error("names are lower case")
	}
}
