package demo

import (
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
)

// memoSize bounds the generated days kept in memory. A day is about
// 160 KB, and 2.8 MB more once Intraday has made its 1-second samples, so
// the cache is shared by every demo account rather than kept per account:
// four days (today for three accounts plus one browsed day) stay under
// 12 MB whatever the config says.
const memoSize = 4

type memoKey struct {
	persona string
	zone    string
	date    providers.Date
}

type memoEntry struct {
	key  memoKey
	once sync.Once
	day  *dayData
}

// memo is a tiny LRU of generated days. Generation runs outside the lock
// (under the entry's Once), so a slow day never blocks lookups of others
// and concurrent callers of the same day share one generation.
type memo struct {
	mu      sync.Mutex
	entries []*memoEntry // least recently used first
}

var days memo

func (m *memo) get(p *persona, loc *time.Location, d providers.Date) *dayData {
	key := memoKey{p.name, loc.String(), d}
	m.mu.Lock()
	var e *memoEntry
	for i, x := range m.entries {
		if x.key == key {
			e = x
			m.entries = append(m.entries[:i], m.entries[i+1:]...)
			break
		}
	}
	if e == nil {
		e = &memoEntry{key: key}
		if len(m.entries) >= memoSize {
			m.entries = append(m.entries[:0], m.entries[1:]...)
		}
	}
	m.entries = append(m.entries, e)
	m.mu.Unlock()
	e.once.Do(func() { e.day = p.generateDay(d, loc) })
	return e.day
}

// reset empties the cache (tests and benchmarks of the uncached path).
func (m *memo) reset() {
	m.mu.Lock()
	m.entries = nil
	m.mu.Unlock()
}
