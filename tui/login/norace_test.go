//go:build !race

package login

const raceEnabled = false
