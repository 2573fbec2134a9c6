//go:build race

package tui

// raceEnabled: the race detector makes the single-goroutine size sweeps
// about ten times slower without finding anything in them, so they shrink.
const raceEnabled = true
