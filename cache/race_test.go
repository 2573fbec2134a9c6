//go:build race

package cache

// raceEnabled: the race detector makes the 24 simulated hours of
// TestFitbit24Hours ten times slower; under it they shrink to three, as
// the dashboard's (tui) do. The program's goroutines meet in every hour.
const raceEnabled = true
