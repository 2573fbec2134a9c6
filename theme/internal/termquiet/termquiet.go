// Package termquiet keeps Bubble Tea v1 from querying the terminal while
// Go initialises packages.
//
// Bubble Tea v1.3.10's package init (tea_init.go) calls
// lipgloss.HasDarkBackground, which has termenv write an OSC 11 background
// query and a cursor position request to standard output and wait up to 5
// seconds (termenv.OSCTimeout) for the answer. It runs before main in every
// binary that links Bubble Tea, so `fittui --version` on a terminal that
// does not answer (a relayed pty, a CI runner, some web terminals) would
// wait 5 s and leave the query in the output. There is no opt-out short of
// forking the module.
//
// termenv skips the query when TERM is "dumb". This package sets TERM to
// "dumb" in its init and theme's init puts it back (Restore) right after
// Bubble Tea's. The ordering is the Go specification's: packages are
// initialised in order of import path, each once all its imports are. This
// package imports only os, so it can be initialised as soon as os is, and
// its path (github.com/fittui/...) sorts before termenv's
// (github.com/muesli/...): at the step termenv could be initialised, this
// one could too and comes first. So TERM is "dumb" before termenv,
// lipgloss or Bubble Tea run any code. A pty test (TestStartupSendsNothing
// ToTheTerminal) holds this in place.
package termquiet

import "os"

var (
	term    string
	hadTerm bool
	active  bool
)

func init() {
	term, hadTerm = os.LookupEnv("TERM")
	active = os.Setenv("TERM", "dumb") == nil
}

// Restore gives TERM back its value from before init. Calling it again
// does nothing.
func Restore() {
	if !active {
		return
	}
	active = false
	if hadTerm {
		os.Setenv("TERM", term)
	} else {
		os.Unsetenv("TERM")
	}
}
