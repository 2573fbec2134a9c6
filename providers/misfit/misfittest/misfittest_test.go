package misfittest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"

	"github.com/fittui/fittui/providers/providertest"
)

var t0 = time.Date(2026, 3, 5, 15, 4, 5, 0, time.UTC)

func get(t *testing.T, s *Server, path string, set func(*http.Request)) (int, http.Header, []byte) {
	t.Helper()
	return providertest.Do(t, "GET", s.URL+path, "", "", set)
}

// The token is accepted in all three ways clients sent it.
func TestTokenPlaces(t *testing.T) {
	s := New(Config{Now: func() time.Time { return t0 }})
	defer s.Close()
	tok := s.Grant().AccessToken
	for via, set := range map[string]func(*http.Request){
		"bearer": func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) },
		"query":  func(r *http.Request) { r.URL.RawQuery = url.Values{"access_token": {tok}}.Encode() },
		"header": func(r *http.Request) { r.Header.Set("access_token", tok) },
	} {
		st, _, body := get(t, s, ResourceRoot+"me/profile", set)
		if st != 200 || !strings.Contains(string(body), `"userId":"`+UserID+`"`) {
			t.Errorf("%s: %d %s", via, st, body)
		}
	}
	st, _, body := get(t, s, ResourceRoot+"me/profile", func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") })
	if st != 401 || string(body) != `{"code":401,"message":"Invalid Access Token"}`+"\n" {
		t.Errorf("bad token: %d %s", st, body)
	}
	for _, r := range s.Requests()[:3] {
		if r.TokenVia == "" {
			t.Errorf("log %+v", r)
		}
	}
}

func TestEndpoints(t *testing.T) {
	s := New(Config{Persona: "runner", Now: func() time.Time { return t0 }})
	defer s.Close()
	tok := s.Grant().AccessToken
	auth := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
	day := providers.Date{Year: 2026, Month: 3, Day: 4}
	q := "?start_date=2026-03-04&end_date=2026-03-04"
	// Ranges are wrapped; the same resource by id is bare.
	for _, kind := range []string{"goals", "sessions", "sleeps"} {
		st, _, body := get(t, s, ResourceRoot+"me/activity/"+kind+q, auth)
		var wrapped map[string][]map[string]any
		if st != 200 || json.Unmarshal(body, &wrapped) != nil || len(wrapped[kind]) == 0 {
			t.Fatalf("%s: %d %s", kind, st, body)
		}
		id := wrapped[kind][0]["id"].(string)
		st, _, body = get(t, s, ResourceRoot+UserID+"/activity/"+kind+"/"+id, auth)
		var one map[string]any
		if st != 200 || json.Unmarshal(body, &one) != nil || one["id"] != id {
			t.Errorf("%s/%s: %d %s", kind, id, st, body)
		}
	}
	if st, _, body := get(t, s, ResourceRoot+"me/activity/goals/"+SessionID(day, 0), auth); st != 404 ||
		string(body) != "Cannot GET "+ResourceRoot+"me/activity/goals/"+SessionID(day, 0) {
		t.Errorf("wrong id: %d %s", st, body)
	}
	// detail=false: one aggregate object for the range.
	st, _, body := get(t, s, ResourceRoot+"me/activity/summary?start_date=2026-03-03&end_date=2026-03-04", auth)
	var agg map[string]float64
	if st != 200 || json.Unmarshal(body, &agg) != nil || agg["steps"] == 0 || agg["points"] == 0 {
		t.Errorf("aggregate: %d %s", st, body)
	}
	// Limits and refusals, with the documented bodies.
	for path, want := range map[string]string{
		"me/activity/summary?detail=true&start_date=2026-01-01&end_date=2026-02-01": `{"error_message":"Invalid parameters"}`,
		"me/activity/summary?detail=true&start_date=2026-02-01":                     `{"error_message":"Invalid parameters"}`,
		"someone/profile": `{"error_code":403,"error_message":"Forbidden"}`,
	} {
		if _, _, body := get(t, s, ResourceRoot+path, auth); strings.TrimSpace(string(body)) != want {
			t.Errorf("%s: %s", path, body)
		}
	}
	// Device: epoch seconds, battery as percent.
	_, _, body = get(t, s, ResourceRoot+"me/device", auth)
	var dev map[string]any
	json.Unmarshal(body, &dev)
	if dev["deviceType"] != "shine" || dev["batteryLevel"] != float64(76) || dev["lastSyncTime"].(float64) < 1.7e9 {
		t.Errorf("device %s", body)
	}
}

func TestRateLimitHeaders(t *testing.T) {
	s := New(Config{Now: func() time.Time { return t0 }, RateLimit: 2})
	defer s.Close()
	reset := "1772726400" // 16:00 UTC
	for i, want := range []int{200, 200, 429} {
		st, h, body := get(t, s, ResourceRoot+"me/profile", func(r *http.Request) { r.Header.Set("access_token", s.Grant().AccessToken) })
		if st != want || h.Get("X-RateLimit-Reset") != reset || h.Get("X-RateLimit-Limit") != "2" {
			t.Fatalf("request %d: %d %v %s", i, st, h, body)
		}
		if st == 429 && strings.TrimSpace(string(body)) != `{"error_code":429,"error_message":"Rate limit exceeded"}` {
			t.Errorf("429 body %s", body)
		}
	}
	s.SetLowerCaseRateHeaders(true)
	s.SetRateLimit(150, 0)
	req, _ := http.NewRequest("GET", s.URL+ResourceRoot+"me/profile", nil)
	resp, _ := http.DefaultTransport.RoundTrip(req)
	resp.Body.Close()
	if resp.Header.Get("x-ratelimit-remaining") != "149" {
		t.Errorf("lower case: %v", resp.Header)
	}
}

func TestIDs(t *testing.T) {
	d := providers.Date{Year: 2031, Month: 12, Day: 31}
	for _, id := range []string{GoalID(d), SessionID(d, 3), SleepID(d, 1)} {
		if len(id) != 24 {
			t.Errorf("id %q", id)
		}
	}
	if got, k, ok := parseID(sessionPrefix, SessionID(d, 3)); !ok || got != d || k != 3 {
		t.Errorf("parse %v %d %v", got, k, ok)
	}
	if _, _, ok := parseID(goalPrefix, SessionID(d, 3)); ok {
		t.Error("wrong prefix accepted")
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	if _, err := Start(Config{}, "0.0.0.0:0"); err == nil {
		t.Fatal("listening on every interface")
	}
}
