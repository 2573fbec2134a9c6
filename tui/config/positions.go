package config

import (
	"slices"
	"strconv"
	"strings"
)

// The TOML decoder does not tell where a key was written, so this file
// scans the text for table headers and "key = value" lines and remembers the
// line of each key. It only has to be good enough to point a person at the
// right line of a file the decoder has already accepted.

// keyLine is one key written in the file.
type keyLine struct {
	path []string // full key, with "[i]" segments for array-of-tables entries
	line int      // 1-based
}

// positions is the scanned layout of a config file, in file order.
type positions []keyLine

func scanPositions(data string) positions {
	var (
		out     positions
		table   []string           // current table, with indices
		counts  = map[string]int{} // [[x]] entries seen per header
		inMulti string             // closing quotes of an open multi-line string
	)
	for i, raw := range strings.Split(data, "\n") {
		lineNo := i + 1
		s := strings.TrimSpace(raw)
		if inMulti != "" {
			if strings.Count(s, inMulti)%2 == 1 {
				inMulti = ""
			}
			continue
		}
		switch {
		case s == "" || s[0] == '#':
			continue
		case strings.HasPrefix(s, "[["):
			end := strings.Index(s, "]]")
			if end < 0 {
				continue
			}
			key := parseKey(s[2:end])
			id := strings.Join(key, "\x00")
			counts[id]++
			table = append(key, index(counts[id]-1))
			out = append(out, keyLine{path: slices.Clone(table), line: lineNo})
		case s[0] == '[':
			end := strings.LastIndex(s, "]")
			if end < 0 {
				continue
			}
			key := parseKey(s[1:end])
			// A sub-table of an array-of-tables entry belongs to its latest entry.
			table = withIndices(key, counts)
			out = append(out, keyLine{path: slices.Clone(table), line: lineNo})
		default:
			eq := keyEnd(s)
			if eq < 0 {
				continue
			}
			key := parseKey(s[:eq])
			if len(key) == 0 {
				continue
			}
			out = append(out, keyLine{path: append(slices.Clone(table), key...), line: lineNo})
			value := s[eq+1:]
			for _, q := range []string{`"""`, `'''`} {
				if strings.Count(value, q)%2 == 1 {
					inMulti = q
				}
			}
		}
	}
	return out
}

// withIndices inserts the latest index after every prefix of key that is an
// array of tables, so [account.options] becomes account.[2].options.
func withIndices(key []string, counts map[string]int) []string {
	var out []string
	for i, k := range key {
		out = append(out, k)
		if n, ok := counts[strings.Join(key[:i+1], "\x00")]; ok && i < len(key)-1 {
			out = append(out, index(n-1))
		}
	}
	return out
}

// keyEnd returns the index of the '=' that ends the key on a key/value line,
// skipping quoted key parts; -1 when there is none.
func keyEnd(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '\'':
			j := strings.IndexByte(s[i+1:], s[i])
			if j < 0 {
				return -1
			}
			i += j + 1
		case '=':
			return i
		}
	}
	return -1
}

// parseKey splits a (possibly dotted, possibly quoted) TOML key.
func parseKey(s string) []string {
	var parts []string
	s = strings.TrimSpace(s)
	for s != "" {
		var part string
		switch s[0] {
		case '"', '\'':
			j := strings.IndexByte(s[1:], s[0])
			if j < 0 {
				return parts
			}
			part = s[1 : j+1]
			if s[0] == '"' {
				if u, err := strconv.Unquote(s[:j+2]); err == nil {
					part = u
				}
			}
			s = s[j+2:]
		default:
			j := strings.IndexByte(s, '.')
			if j < 0 {
				j = len(s)
			}
			part = strings.TrimSpace(s[:j])
			s = s[j:]
		}
		parts = append(parts, part)
		s = strings.TrimSpace(s)
		s = strings.TrimPrefix(s, ".")
		s = strings.TrimSpace(s)
	}
	return parts
}

// line returns the line of path, or of its nearest written ancestor (keys
// inside inline tables share their table's line); 0 when unknown.
func (p positions) line(path ...string) int {
	for n := len(path); n > 0; n-- {
		for _, kl := range p {
			if slices.Equal(kl.path, path[:n]) {
				return kl.line
			}
		}
	}
	return 0
}

// firstLine returns the line where a key without indices (as MetaData
// reports it) is first written; 0 when unknown.
func (p positions) firstLine(key []string) int {
	for _, kl := range p {
		if slices.Equal(stripIndices(kl.path), key) {
			return kl.line
		}
	}
	return 0
}

func stripIndices(path []string) []string {
	out := make([]string, 0, len(path))
	for _, k := range path {
		if !strings.HasPrefix(k, "[") {
			out = append(out, k)
		}
	}
	return out
}

// index is the path segment for entry i of an array of tables.
func index(i int) string { return "[" + strconv.Itoa(i) + "]" }
