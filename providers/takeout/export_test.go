package takeout

import (
	"encoding/json"
	"fmt"
	"time"
)

// DowngradeRollupsForTest rewrites every month roll-up of account under
// root as version 2 wrote it (no health values or exercise logs), as an
// index imported before they were rolled up.
func DowngradeRollupsForTest(root, account string) error {
	x, err := openIndex(root, account, false)
	if err != nil {
		return err
	}
	m, _, err := x.manifest()
	if err != nil {
		return err
	}
	from, to := parseDate(m.From), parseDate(m.To)
	for y, mo := from.Year, from.Month; y < to.Year || y == to.Year && mo <= to.Month; {
		e, ok := x.st.Get(account, monthKey(y, mo))
		if !ok {
			return fmt.Errorf("no roll-up for %d-%02d", y, mo)
		}
		var r monthRoll
		if err := json.Unmarshal(e.Payload, &r); err != nil {
			return err
		}
		r.Version = 2
		for i := range r.Days {
			r.Days[i].Health, r.Days[i].Exercises = nil, nil
		}
		if err := x.putJSON(monthKey(y, mo), e.Fetched, r); err != nil {
			return err
		}
		if mo++; mo > time.December {
			y, mo = y+1, time.January
		}
	}
	return nil
}
