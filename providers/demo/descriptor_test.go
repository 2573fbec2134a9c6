package demo

import (
	"context"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// TestServesWhatTheDescriptorSays: every persona's day is as fine as the
// registration tells the README and the UI.
func TestServesWhatTheDescriptorSays(t *testing.T) {
	now := time.Date(2026, 1, 15, 20, 0, 0, 0, time.UTC)
	for _, spec := range Accounts() {
		p, err := New(spec, providers.Env{Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		in, err := p.Intraday(context.Background(), providers.Date{Year: 2026, Month: 1, Day: 14})
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Steps.Samples) == 0 || len(in.HeartRate.Samples) == 0 {
			t.Fatalf("%s: no samples to judge", spec.Name)
		}
		if err := registration.CheckIntraday(in); err != nil {
			t.Errorf("%s: %v", spec.Name, err)
		}
	}
}
