package googlehealth

import (
	"context"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// A panic while fetching becomes a typed error, not a crash.
func TestMemoRecoversPanics(t *testing.T) {
	m := newMemo(time.Minute, nil)
	_, err := m.Do(context.Background(), "k", func(context.Context) (any, error) {
		var p *point
		return p.members, nil
	})
	kindIs(t, err, providers.KindBadData)
}
