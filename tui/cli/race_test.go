//go:build race

package cli

// raceEnabled: the race detector makes the fakes' generated days of
// 1-second heart rate about ten times slower to make, so the heart-rate
// export's request count runs over fewer days under it.
const raceEnabled = true
