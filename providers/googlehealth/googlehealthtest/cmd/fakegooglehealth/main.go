// Command fakegooglehealth runs the fake Google Health API (package googlehealthtest) as a
// standalone server on loopback, so the real fittui binary can be pointed
// at it:
//
//	go run ./providers/googlehealth/googlehealthtest/cmd/fakegooglehealth -addr 127.0.0.1:0
//
// It prints its base URL and the FITTUI_* lines to export, then serves
// until interrupted; -h lists its flags.
package main

import (
	"github.com/fittui/fittui/providers/googlehealth/googlehealthtest"
	"github.com/fittui/fittui/providers/internal/fakekit"
)

func main() { fakekit.Run(googlehealthtest.Command()) }
