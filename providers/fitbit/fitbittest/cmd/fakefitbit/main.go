// Command fakefitbit runs the fake Fitbit Web API (package fitbittest) as a
// standalone server on loopback, so the real fittui binary can be pointed
// at it:
//
//	go run ./providers/fitbit/fitbittest/cmd/fakefitbit -addr 127.0.0.1:0
//
// It prints its base URL and the FITTUI_* lines to export, then serves
// until interrupted; -h lists its flags.
package main

import (
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/providers/internal/fakekit"
)

func main() { fakekit.Run(fitbittest.Command()) }
