//go:build race

package login

// raceEnabled: the size sweep runs on one goroutine; under the race
// detector it only gets slower, so it shrinks.
const raceEnabled = true
