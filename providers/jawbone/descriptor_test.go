package jawbone

import "testing"

// TestServesWhatTheDescriptorSays: today's intraday answer from the fake
// is as fine as the registration tells the README and the UI.
func TestServesWhatTheDescriptorSays(t *testing.T) {
	e := setup(t, "office")
	in, err := e.p.Intraday(ctx(t), e.today.AddDays(-1))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Steps.Samples) == 0 {
		t.Fatalf("no step samples to judge: %+v", in)
	}
	if err := registration.CheckIntraday(in); err != nil {
		t.Fatal(err)
	}
}
