package cli

import "testing"

// The dashboard gets the same sign-in wiring as `fittui auth login`, and
// none with --demo.
func TestDashboardCanSignIn(t *testing.T) {
	isolate(t)
	writeConfig(t, "[[account]]\nname = \"me\"\nprovider = \"demo\"\n")
	r := run(t, nil)
	if r.code != 0 || r.tui == nil || !r.tui.Login.Enabled() {
		t.Fatalf("code %d, login %+v", r.code, r.tui)
	}
	svc := r.tui.Login.Service
	if err := svc.Check("me", "fitbit"); err == nil {
		t.Error(`"me" is a demo account: signing it in to fitbit must be refused`)
	}
	if err := svc.Check("wrist", "fitbit"); err != nil {
		t.Errorf("a new name: %v", err)
	}
	if r.tui.Login.Env.Getenv == nil {
		t.Error("the login screen must get the program's environment")
	}

	r = run(t, nil, "--demo")
	if r.code != 0 || r.tui == nil || r.tui.Login.Enabled() {
		t.Fatalf("--demo: code %d, login enabled", r.code)
	}
}
