package googlehealth

import (
	"context"
	"testing"
)

// TestServesWhatTheDescriptorSays: yesterday's intraday answer from the
// fake is as fine as the registration tells the README and the UI.
func TestServesWhatTheDescriptorSays(t *testing.T) {
	f := newFixture(t, "office")
	in, err := f.p.Intraday(context.Background(), f.today.AddDays(-1))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Steps.Samples) == 0 || len(in.HeartRate.Samples) == 0 {
		t.Fatalf("no samples to judge: %d steps, %d heart rate", len(in.Steps.Samples), len(in.HeartRate.Samples))
	}
	if err := registration.CheckIntraday(in); err != nil {
		t.Fatal(err)
	}
}
