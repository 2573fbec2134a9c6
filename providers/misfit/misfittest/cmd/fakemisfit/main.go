// Command fakemisfit runs the fake Misfit Cloud API (package misfittest) as a
// standalone server on loopback, so the real fittui binary can be pointed
// at it:
//
//	go run ./providers/misfit/misfittest/cmd/fakemisfit -addr 127.0.0.1:0
//
// It prints its base URL and the FITTUI_* lines to export, then serves
// until interrupted; -h lists its flags.
package main

import (
	"github.com/fittui/fittui/providers/internal/fakekit"
	"github.com/fittui/fittui/providers/misfit/misfittest"
)

func main() { fakekit.Run(misfittest.Command()) }
