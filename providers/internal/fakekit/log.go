package fakekit

import (
	"net/http"
	"net/url"
	"strings"
)

// Request is one logged request.
type Request struct {
	Method, Path string
	Query        string // the raw query
	Body         string // the request body (API requests; at most 1 MiB)
	Status       int    // the answer's status; 0 when none was sent
	OAuth        bool   // to one of the fake's OAuth endpoints
	// TokenVia says how an access token came: "bearer", "query",
	// "header" or "" (none).
	TokenVia string
	// Header holds the request's headers without credentials
	// (Authorization and access_token are left out).
	Header http.Header
}

// Values is the parsed query.
func (r Request) Values() url.Values {
	v, _ := url.ParseQuery(r.Query)
	return v
}

// Key identifies the request for duplicate checks: method, path, query
// (in a stable order) and body.
func (r Request) Key() string {
	return r.Method + " " + r.Path + "?" + r.Values().Encode() + " " + r.Body
}

func clean(h http.Header) http.Header {
	out := h.Clone()
	out.Del("Authorization")
	out.Del("access_token")
	return out
}

// Requests returns the log of requests so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// APILog returns the logged requests outside the OAuth endpoints.
func (s *Server) APILog() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if !r.OAuth {
			out = append(out, r)
		}
	}
	return out
}

// APIRequests counts logged requests outside the OAuth endpoints whose
// path contains sub ("": all).
func (s *Server) APIRequests(sub string) int {
	n := 0
	for _, r := range s.APILog() {
		if strings.Contains(r.Path, sub) {
			n++
		}
	}
	return n
}

// MaxInFlight is the most API requests the fake has been answering at
// once since the last ResetLog.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight
}

// ResetLog empties the request log and the in-flight peak.
func (s *Server) ResetLog() {
	s.mu.Lock()
	s.log = nil
	s.maxInFlight = s.inFlight
	s.mu.Unlock()
}

// Secrets lists every secret the fake's OAuth server issued or received
// (client secret, codes, verifiers, tokens): tests scan messages for them.
func (s *Server) Secrets() []string { return s.OAuth.Secrets() }
