package config

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Error is a problem with the configuration file. Each problem prints as
// FILE:LINE: MESSAGE on its own line, like a compiler's.
type Error struct {
	Path     string
	Problems []Problem
}

// Problem is one thing wrong in the file.
type Problem struct {
	Line int // 1-based; 0 when the problem has no line (missing file)
	Msg  string
}

// maxProblems caps how many problems one Error lists.
const maxProblems = 10

func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Path)
		if p.Line > 0 {
			b.WriteString(":" + strconv.Itoa(p.Line))
		}
		b.WriteString(": " + p.Msg)
	}
	return b.String()
}

func (e *Error) add(line int, msg string) {
	if len(e.Problems) < maxProblems {
		e.Problems = append(e.Problems, Problem{Line: line, Msg: msg})
	}
}

func (e *Error) sort() {
	sort.SliceStable(e.Problems, func(i, j int) bool { return e.Problems[i].Line < e.Problems[j].Line })
}

// ErrorAt returns an *Error for a problem found after loading, e.g. when
// an account's provider turns out to be unknown.
func (c *Config) ErrorAt(line int, msg string) error {
	return &Error{Path: c.Path, Problems: []Problem{{Line: line, Msg: msg}}}
}

// decodeError turns the decoder's error into an *Error with a line.
func (c *Config) decodeError(err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.LastKey != "" && !strings.Contains(msg, pe.LastKey) {
			msg = fmt.Sprintf("%s (after key %q)", msg, pe.LastKey)
		}
		return &Error{Path: c.Path, Problems: []Problem{{Line: pe.Position.Line, Msg: "not valid TOML: " + msg}}}
	}
	return &Error{Path: c.Path, Problems: []Problem{{Msg: strings.TrimPrefix(err.Error(), "toml: ")}}}
}
