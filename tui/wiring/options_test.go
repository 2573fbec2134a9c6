package wiring

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestUnreadOptionIsLogged: an option the provider's descriptor does not
// list (a typo) is said in the debug log; one it lists is not, and the
// account opens either way.
func TestUnreadOptionIsLogged(t *testing.T) {
	cfg := loadConfig(t, `
[[account]]
name = "walks"
provider = "demo"
[account.options]
persona = "runner"
persnoa = "office"
`, nil)
	s := newSetup(t, cfg)
	var log bytes.Buffer
	s.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	list, err := s.Accounts()
	if err != nil || len(list) != 1 {
		t.Fatalf("%v %+v", err, list)
	}
	if _, err := s.Open(list[0]); err != nil {
		t.Fatal(err)
	}
	out := log.String()
	if !strings.Contains(out, "option=persnoa") || !strings.Contains(out, "known=persona") || strings.Contains(out, "option=persona") {
		t.Fatalf("log:\n%s", out)
	}
}
