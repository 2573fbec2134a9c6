package config

import (
	"fmt"
	"strconv"
	"strings"
)

// MinCacheSize is the smallest cache_size allowed: less would prune the
// entries of a single history view while they are written.
const MinCacheSize = 1 << 20

// sizeUnits are the suffixes ParseSize accepts, longest first so "MiB"
// is not read as "B".
var sizeUnits = []struct {
	suffix string
	bytes  int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30},
	{"B", 1},
}

// ParseSize reads a size such as "256MB", "1.5GiB", "512M" or "1048576"
// (bytes); it must be at least MinCacheSize.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range sizeUnits {
		if len(t) > len(u.suffix) && strings.EqualFold(t[len(t)-len(u.suffix):], u.suffix) {
			t, mult = strings.TrimSpace(t[:len(t)-len(u.suffix)]), u.bytes
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("%q: not a size (write e.g. \"256MB\", \"1GiB\")", s)
	}
	n := int64(f * float64(mult))
	if n < MinCacheSize {
		return 0, fmt.Errorf("%q: at least 1MiB", s)
	}
	return n, nil
}
