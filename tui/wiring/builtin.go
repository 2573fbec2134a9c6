package wiring

// The providers compiled into fittui: each registers itself with the
// providers registry in its init. A new provider adds one line here.
import (
	_ "github.com/fittui/fittui/providers/demo"
	_ "github.com/fittui/fittui/providers/fitbit"
	_ "github.com/fittui/fittui/providers/googlehealth"
	_ "github.com/fittui/fittui/providers/jawbone"
	_ "github.com/fittui/fittui/providers/misfit"
	_ "github.com/fittui/fittui/providers/takeout"
)
