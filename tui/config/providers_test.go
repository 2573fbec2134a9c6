package config

// The providers whose descriptors (settings keys, sample accounts) these
// tests use, as the program registers them.
import (
	_ "github.com/fittui/fittui/providers/demo"
	_ "github.com/fittui/fittui/providers/fitbit"
	_ "github.com/fittui/fittui/providers/googlehealth"
	_ "github.com/fittui/fittui/providers/jawbone"
	_ "github.com/fittui/fittui/providers/misfit"
)
