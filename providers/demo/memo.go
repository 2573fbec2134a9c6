package demo

import (
	"sync"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// memoSize bounds the generated days kept in memory. A day is about
// 160 KB, and its 1-second samples 2.8 MB more (kept apart, for
// memoSize days too), so the cache is shared by every demo account rather
// than kept per account: four days (today for three accounts plus one
// browsed day) stay under 12 MB whatever the config says.
const memoSize = 4

// testMemoSize is the days a test binary keeps (about 40 MB; the
// 1-second samples still for memoSize days only): the fakes of every
// provider serve the demo's days, and a package's tests ask for the same
// persona's month again and again. With memoSize, every test set-up
// generated its days anew (75% of a provider package's CPU).
const testMemoSize = 256

type memoKey struct {
	persona string
	zone    string
	date    providers.Date
}

type memoEntry[K comparable, V any] struct {
	key  K
	once sync.Once
	val  V
}

// lru is a tiny LRU of values made once. Making runs outside the lock
// (under the entry's Once), so a slow one never blocks lookups of others
// and concurrent callers of the same key share one.
type lru[K comparable, V any] struct {
	size    int
	mu      sync.Mutex
	entries []*memoEntry[K, V] // least recently used first
}

func (m *lru[K, V]) get(key K, build func() V) V {
	m.mu.Lock()
	var e *memoEntry[K, V]
	for i, x := range m.entries {
		if x.key == key {
			e = x
			m.entries = append(m.entries[:i], m.entries[i+1:]...)
			break
		}
	}
	if e == nil {
		e = &memoEntry[K, V]{key: key}
		if len(m.entries) >= m.size {
			m.entries = append(m.entries[:0], m.entries[1:]...)
		}
	}
	m.entries = append(m.entries, e)
	m.mu.Unlock()
	e.once.Do(func() { e.val = build() })
	return e.val
}

// reset empties the cache (tests and benchmarks of the uncached path).
func (m *lru[K, V]) reset() {
	m.mu.Lock()
	m.entries = nil
	m.mu.Unlock()
}

// memo keeps generated days.
type memo struct{ lru[memoKey, *dayData] }

var days = &memo{lru[memoKey, *dayData]{size: daysKept()}}

func daysKept() int {
	if testing.Testing() {
		return testMemoSize
	}
	return memoSize
}

func (m *memo) get(p *persona, loc *time.Location, d providers.Date) *dayData {
	return m.lru.get(memoKey{p.name, loc.String(), d}, func() *dayData { return p.generateDay(d, loc) })
}

// seconds keeps the 1-second samples of the days asked for them last.
var seconds = &lru[*dayData, []providers.Sample]{size: memoSize}
