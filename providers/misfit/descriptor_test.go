package misfit

import (
	"testing"

	"github.com/fittui/fittui/providers"
)

// TestServesWhatTheDescriptorSays: today's intraday answer from the fake
// is as fine as the registration tells the README and the UI.
func TestServesWhatTheDescriptorSays(t *testing.T) {
	e := setup(t, "office")
	in, err := e.p.Intraday(ctx(t), e.today.AddDays(-1))
	if err != nil {
		t.Fatal(err)
	}
	if in.Steps.Resolution != providers.Day || len(in.HeartRate.Samples) > 0 {
		t.Fatalf("daily data only, as the descriptor says: %+v", in)
	}
	if err := registration.CheckIntraday(in); err != nil {
		t.Fatal(err)
	}
}
