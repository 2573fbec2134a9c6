package fakekit

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Fault is a way to break the answers to requests whose path contains
// Path ("": every API path). What it does, in this order: wait for Wait
// to close, then Drop the connection, Stall, answer Status, or let the
// fake answer and Spoil the body.
type Fault struct {
	Path string
	// Times is how many answers it breaks: 0 one, negative all until
	// cleared.
	Times int
	// Kind is the fake's own name for the fault, for routes that act on
	// it (a page link pointing elsewhere, an envelope without data).
	Kind int

	// Wait holds the answer until it is closed (or the client gives up,
	// or the fake closes): a delay driven by the test, never the clock.
	Wait <-chan struct{}
	// Drop closes the connection without an answer.
	Drop bool
	// Stall never answers; the request hangs until the client gives up
	// or the fake closes.
	Stall bool
	// Status, with Header and Body, is answered instead.
	Status int
	Header http.Header
	Body   string
	// Spoil changes the good answer's body.
	Spoil func(body []byte) []byte
}

type faults struct {
	mu    sync.Mutex
	rules []*Fault
}

// AddFault adds a fault; the newest matching one wins.
func (s *Server) AddFault(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults.mu.Lock()
	s.faults.rules = append(s.faults.rules, &f)
	s.faults.mu.Unlock()
}

// Break breaks the next n answers (n < 0: all until cleared; 0: none) of
// paths containing path the way f says, f known to the fake as kind (its
// own enum, for routes that act on it).
func (s *Server) Break(path string, kind, n int, f Fault) {
	if n != 0 {
		f.Path, f.Times, f.Kind = path, n, kind
		s.AddFault(f)
	}
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.rules = nil
	s.faults.mu.Unlock()
}

// TakeFault returns the fault for a request to path, counting it.
func (s *Server) TakeFault(path string) (Fault, bool) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	for i := len(s.faults.rules) - 1; i >= 0; i-- {
		f := s.faults.rules[i]
		if f.Times == 0 || !strings.Contains(path, f.Path) {
			continue
		}
		if f.Times > 0 {
			f.Times--
		}
		return *f, true
	}
	return Fault{}, false
}

// Answer carries out f's Wait, Drop, Stall and Status. It reports whether
// the request is dealt with; false means the fake answers as usual (and
// applies f.Spoil to the body).
func (s *Server) Answer(w http.ResponseWriter, r *http.Request, f Fault) bool {
	if f.Wait != nil {
		select {
		case <-f.Wait:
		case <-r.Context().Done():
			return true
		case <-s.stop:
			return true
		}
	}
	switch {
	case f.Drop:
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return true
	case f.Stall:
		select {
		case <-r.Context().Done():
		case <-s.stop:
		}
		return true
	case f.Status != 0:
		for k, v := range f.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(f.Status)
		w.Write([]byte(f.Body))
		return true
	}
	return false
}

// SpoilBody applies f.Spoil, if any, to body.
func (f Fault) SpoilBody(body []byte) []byte {
	if f.Spoil == nil {
		return body
	}
	return f.Spoil(body)
}

// Truncate cuts a body in half: malformed JSON.
func Truncate(body []byte) []byte { return body[:len(body)/2] }

// Missing answers {} (or [{}] for an array): every field missing.
func Missing(body []byte) []byte {
	if len(body) > 0 && body[0] == '[' {
		return []byte(`[{}]`)
	}
	return []byte(`{}`)
}

// WrongTypes turns every number and numeric string into true.
func WrongTypes(body []byte) []byte { return walkNumbers(body, true) }

// WrongNumbers turns every number (not numeric strings) into true.
func WrongNumbers(body []byte) []byte { return walkNumbers(body, false) }

func walkNumbers(raw []byte, strs bool) []byte {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return raw
	}
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case json.Number:
			return true
		case string:
			if _, err := strconv.ParseFloat(x, 64); strs && err == nil {
				return true
			}
			return x
		case []any:
			for i := range x {
				x[i] = walk(x[i])
			}
		case map[string]any:
			for k := range x {
				x[k] = walk(x[k])
			}
		}
		return v
	}
	out, _ := json.Marshal(walk(v))
	return out
}

// Huge returns a Spoil that answers a valid JSON object of about n bytes.
func Huge(n int) func([]byte) []byte {
	return func([]byte) []byte {
		return append(append([]byte(`{"pad":"`), bytes.Repeat([]byte("x"), n)...), `"}`...)
	}
}
