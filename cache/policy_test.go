package cache

import (
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

func TestPolicyFresh(t *testing.T) {
	tokyo := mustLoc(t, "Asia/Tokyo")
	ny := mustLoc(t, "America/New_York")
	// now: 2026-03-05 15:04 UTC = 00:04 on 03-06 in Tokyo, 10:04 on 03-05 in New York.
	now := t0
	d := func(day int) providers.Date { return providers.Date{Year: 2026, Month: 3, Day: day} }
	at := func(loc *time.Location, day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, loc) }
	p := DefaultPolicy()
	cases := []struct {
		name    string
		loc     *time.Location
		day     providers.Date
		fetched time.Time
		want    bool
	}{
		{"today, 30s old", ny, d(5), now.Add(-30 * time.Second), true},
		{"today, 1m old", ny, d(5), now.Add(-time.Minute), false},
		{"tomorrow follows today", ny, d(6), now.Add(-30 * time.Second), true},
		{"tomorrow, 2m old", ny, d(6), now.Add(-2 * time.Minute), false},
		{"yesterday fetched this morning", ny, d(4), at(ny, 5, 8, 0), true},
		{"yesterday fetched 3h ago", ny, d(4), now.Add(-3 * time.Hour), false},
		{"yesterday fetched before it ended", ny, d(4), at(ny, 4, 23, 50), false},
		{"settled, fetched the next day", ny, d(3), at(ny, 4, 0, 1), true},
		{"settled, fetched a year later", ny, d(3), now.Add(-time.Minute), true},
		{"settled, fetched while running", ny, d(3), at(ny, 3, 22, 0), false},
		{"zone decides today: Tokyo's today", tokyo, d(6), now.Add(-30 * time.Second), true},
		{"zone decides yesterday: 03-05 in Tokyo, fetched 23:00", tokyo, d(5), at(tokyo, 5, 23, 0), false},
		{"zone decides yesterday: 03-05 in Tokyo, fetched 00:01", tokyo, d(5), at(tokyo, 6, 0, 1), true},
		{"zone decides settled: 03-04 in Tokyo", tokyo, d(4), at(tokyo, 5, 0, 0), true},
		{"fetched in the future", ny, d(1), now.Add(time.Hour), false},
		{"nil location is UTC", nil, d(5), now.Add(-30 * time.Second), true},
	}
	for _, c := range cases {
		if got := p.Fresh(c.day, c.fetched, now, c.loc); got != c.want {
			t.Errorf("%s: Fresh = %v, want %v", c.name, got, c.want)
		}
	}
	// A longer refresh interval keeps today longer; zero values are defaults.
	if !(Policy{Refresh: 5 * time.Minute}).Fresh(d(5), now.Add(-4*time.Minute), now, ny) {
		t.Error("5m refresh: 4m-old today is stale")
	}
	if (Policy{}).Fresh(d(5), now.Add(-2*time.Minute), now, ny) {
		t.Error("zero policy: 2m-old today is fresh")
	}
	if !p.ProfileFresh(now.Add(-29*time.Minute), now) || p.ProfileFresh(now.Add(-31*time.Minute), now) ||
		p.ProfileFresh(now.Add(time.Minute), now) {
		t.Error("profile freshness")
	}
}
