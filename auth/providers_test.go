package auth

// The providers whose descriptors (sign-in data) these tests use.
import (
	_ "github.com/fittui/fittui/providers/fitbit"
	_ "github.com/fittui/fittui/providers/googlehealth"
	_ "github.com/fittui/fittui/providers/jawbone"
	_ "github.com/fittui/fittui/providers/misfit"
)
