package keys

import (
	"testing"

	"github.com/charmbracelet/bubbles/key"
)

// Global keys are matched before a pane sees a key, so a pane binding that
// shares a key with a global one could never fire.
func TestNoPaneKeyIsShadowedByAGlobalOne(t *testing.T) {
	k := Default()
	global := map[string]string{}
	for _, b := range append(k.Global(), k.CloseHelp) {
		for _, s := range b.Keys() {
			global[s] = b.Help().Desc
		}
	}
	for _, group := range [][]key.Binding{k.AccountKeys(), k.HistoryKeys(), k.DayKeys()} {
		seen := map[string]bool{}
		for _, b := range group {
			for _, s := range b.Keys() {
				if d, ok := global[s]; ok {
					t.Errorf("%q is both %q and global %q", s, b.Help().Desc, d)
				}
				if seen[s] {
					t.Errorf("%q bound twice in one pane", s)
				}
				seen[s] = true
			}
		}
	}
}

func TestEveryBindingHasHelp(t *testing.T) {
	k := Default()
	for _, col := range k.FullHelp() {
		for _, b := range col {
			if b.Help().Key == "" || b.Help().Desc == "" || len(b.Keys()) == 0 {
				t.Errorf("binding %v lacks keys or help", b.Keys())
			}
		}
	}
	for _, b := range append(append(append(k.ShortGlobal(), k.ShortAccounts()...), k.ShortHistory()...), k.ShortDay()...) {
		if !b.Enabled() || b.Help().Desc == "" {
			t.Errorf("short help %v", b.Help())
		}
	}
}

func TestTheIssuesKeys(t *testing.T) {
	k := Default()
	want := map[*key.Binding][]string{
		&k.Quit: {"q", "ctrl+c"}, &k.Help: {"?"}, &k.NextPane: {"tab"}, &k.PrevPane: {"shift+tab"},
		&k.Refresh: {"r"}, &k.Up: {"up", "k"}, &k.Down: {"down", "j"}, &k.Select: {"enter"},
		&k.PrevDay: {"left", "h"}, &k.NextDay: {"right", "l"}, &k.Metric: {"m"}, &k.GoTo: {"g"},
		&k.OpenDay: {"enter"}, &k.LastDay: {"end", "G"},
		&k.Account: {"1", "2", "3", "4", "5", "6", "7", "8", "9"},
	}
	for b, keys := range want {
		got := b.Keys()
		if len(got) != len(keys) {
			t.Errorf("%s: %v, want %v", b.Help().Desc, got, keys)
			continue
		}
		for i := range keys {
			if got[i] != keys[i] {
				t.Errorf("%s: %v, want %v", b.Help().Desc, got, keys)
			}
		}
	}
}
