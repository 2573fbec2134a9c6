package providers

import (
	"testing"
)

type noting struct{ Provider }

func (noting) Notes() []string { return []string{"left out one sleep"} }

type wrapper struct{ Provider }

func (w wrapper) Unwrap() Provider { return w.Provider }

type plain struct{ Provider }

func (plain) Kind() string { return "plain" }

func TestNotesOfLooksThroughWrappers(t *testing.T) {
	if n := NotesOf(wrapper{wrapper{noting{}}}); len(n) != 1 || n[0] != "left out one sleep" {
		t.Errorf("notes through two wrappers: %q", n)
	}
	if n := NotesOf(wrapper{plain{}}); n != nil {
		t.Errorf("a provider without notes: %q", n)
	}
	if n := NotesOf(nil); n != nil {
		t.Errorf("nil: %q", n)
	}
}
