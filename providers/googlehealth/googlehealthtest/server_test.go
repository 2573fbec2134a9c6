package googlehealthtest

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers/providertest"
)

var pinned = time.Date(2026, 11, 20, 19, 37, 20, 0, time.UTC)

func start(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return pinned }
	}
	s := New(cfg)
	t.Cleanup(s.Close)
	return s, s.Grant().AccessToken
}

type answer struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

func call(t *testing.T, s *Server, tok, method, path, body string) answer {
	t.Helper()
	status, h, b := providertest.Do(t, method, s.URL+path, tok, body, nil)
	a := answer{status: status, header: h, raw: string(b)}
	json.Unmarshal(b, &a.body)
	return a
}

func list(dt, filter string, extra ...string) string {
	q := url.Values{"filter": {filter}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return "/v4/users/me/dataTypes/" + dt + "/dataPoints?" + q.Encode()
}

// googleError checks the error body shape and returns status and reason.
func googleError(t *testing.T, a answer) (string, string) {
	t.Helper()
	e, ok := a.body["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error body: %d %s", a.status, a.raw)
	}
	if int(e["code"].(float64)) != a.status || e["message"] == "" {
		t.Fatalf("error body %s", a.raw)
	}
	reason := ""
	if ds, ok := e["details"].([]any); ok && len(ds) > 0 {
		d := ds[0].(map[string]any)
		if d["@type"] != "type.googleapis.com/google.rpc.ErrorInfo" {
			t.Fatalf("detail %v", d)
		}
		reason, _ = d["reason"].(string)
	}
	status, _ := e["status"].(string)
	return status, reason
}

func TestBearerRequired(t *testing.T) {
	s, tok := start(t, Config{})
	a := call(t, s, "", "GET", "/v4/users/me/settings", "")
	if st, r := googleError(t, a); a.status != 401 || st != "UNAUTHENTICATED" || r != "CREDENTIALS_MISSING" {
		t.Fatalf("%d %s %s", a.status, st, r)
	}
	a = call(t, s, "at-bogus", "GET", "/v4/users/me/settings", "")
	if a.status != 401 {
		t.Fatalf("bogus token: %d", a.status)
	}
	if a = call(t, s, tok, "GET", "/v4/users/me/settings", ""); a.status != 200 || a.body["timeZone"] != "America/New_York" {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	s.ExpireAccessTokens()
	if a = call(t, s, tok, "GET", "/v4/users/me/settings", ""); a.status != 401 {
		t.Fatalf("expired: %d", a.status)
	}
}

// The whole sign-in through the fake's own base URL: authorize with PKCE,
// redirect to a loopback callback, code exchange, then an API call.
func TestOAuthThroughBaseURL(t *testing.T) {
	s, _ := start(t, Config{})
	verifier := "v-" + strings.Repeat("x", 50)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{
		"response_type": {"code"}, "client_id": {s.ClientID()}, "redirect_uri": {"http://127.0.0.1:4711/callback"},
		"scope": {strings.Join(Scopes, " ")}, "state": {"st"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"}, "access_type": {"offline"}, "prompt": {"consent"},
	}
	loc, err := s.OAuth.Approve(context.Background(), s.AuthURL()+"?"+q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(loc)
	form := url.Values{"grant_type": {"authorization_code"}, "code": {u.Query().Get("code")}, "redirect_uri": {"http://127.0.0.1:4711/callback"},
		"client_id": {s.ClientID()}, "client_secret": {s.ClientSecret()}, "code_verifier": {verifier}}
	resp, err := http.PostForm(s.TokenURL(), form)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ AccessToken, RefreshToken, Scope string }
	json.NewDecoder(resp.Body).Decode(&struct {
		A *string `json:"access_token"`
		R *string `json:"refresh_token"`
		S *string `json:"scope"`
	}{&tok.AccessToken, &tok.RefreshToken, &tok.Scope})
	resp.Body.Close()
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Scope != strings.Join(Scopes, " ") {
		t.Fatalf("token %+v", tok)
	}
	if a := call(t, s, tok.AccessToken, "GET", "/v4/users/me/pairedDevices", ""); a.status != 200 || len(a.body["pairedDevices"].([]any)) != 2 {
		t.Fatalf("%d %s", a.status, a.raw)
	}
}

func TestFilterRules(t *testing.T) {
	s, tok := start(t, Config{})
	cases := []struct {
		path, reason string
	}{
		{list("steps", `steps.interval.civil_start_time > "2026-11-19"`), "INVALID_DATA_POINT_FILTER"},
		{list("steps", `steps.interval.civil_start_time <= "2026-11-19"`), "INVALID_DATA_POINT_FILTER"},
		{list("daily-resting-heart-rate", `daily-resting-heart-rate.date >= "2026-11-19"`), "INVALID_DATA_POINT_FILTER_DATA_TYPE_RESTRICTION"},
		{list("daily-resting-heart-rate", `daily_resting_heart_rate.interval.start_time >= "2026-11-19T00:00:00Z"`), "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER"},
		{list("sleep", `sleep.interval.civil_start_time >= "2026-11-19"`), "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER"},
		{list("heart-rate", `heart_rate.sample_time.physical_time >= "2026-11-19T00:00:00"`), "INVALID_DATA_POINT_FILTER"},
		{list("steps", `steps.interval.civil_start_time >= "2026-11-20" AND steps.interval.civil_start_time < "2026-11-19"`), "INVALID_TIME_RANGE"},
		{list("steps", `steps.interval.civil_start_time >= 2026-11-20`), "INVALID_DATA_POINT_FILTER_SYNTAX"},
		{"/v4/users/me/dataTypes/daily_resting_heart_rate/dataPoints", "INVALID_PARENT_DATA_TYPE_COLLECTION"},
		{"/v4/users/me/dataTypes/dailyRestingHeartRate/dataPoints", "INVALID_PARENT_DATA_TYPE_COLLECTION"},
		{list("sleep", "", "dataSourceFamily", "users/me/dataSourceFamilies/google-wearables"), "INVALID_DATA_POINT_DATA_SOURCE_FAMILY"},
	}
	for _, c := range cases {
		a := call(t, s, tok, "GET", c.path, "")
		st, reason := googleError(t, a)
		if a.status != 400 || st != "INVALID_ARGUMENT" || reason != c.reason {
			t.Errorf("%s: %d %s %s, want %s", c.path, a.status, st, reason, c.reason)
		}
	}
	a := call(t, s, tok, "GET", "/v4/users/me/dataTypes/floors/dataPoints", "")
	if _, _ = googleError(t, a); !strings.Contains(a.raw, "List is not supported for data type floors") {
		t.Errorf("floors list: %s", a.raw)
	}
}

// Lists: newest first, int64 values as strings, offsets and civil times
// with every point, sleep pages of 25, tokens tied to their request.
func TestListWireFormat(t *testing.T) {
	s, tok := start(t, Config{})
	a := call(t, s, tok, "GET", list("steps", `steps.interval.civil_start_time >= "2026-11-19" AND steps.interval.civil_start_time < "2026-11-20"`), "")
	pts := a.body["dataPoints"].([]any)
	if a.status != 200 || len(pts) < 30 || a.body["nextPageToken"] != nil {
		t.Fatalf("%d, %d points", a.status, len(pts))
	}
	if !regexp.MustCompile(`"count":"\d+"`).MatchString(a.raw) || regexp.MustCompile(`"count":\d`).MatchString(a.raw) {
		t.Fatal("counts are not strings")
	}
	prev := ""
	for _, p := range pts {
		st := p.(map[string]any)["steps"].(map[string]any)["interval"].(map[string]any)
		if st["startUtcOffset"] != "-18000s" || st["civilStartTime"] == nil {
			t.Fatalf("interval %v", st)
		}
		if start := st["startTime"].(string); prev != "" && start >= prev {
			t.Fatalf("not newest first: %s after %s", start, prev)
		} else {
			prev = start
		}
	}

	a = call(t, s, tok, "GET", list("sleep", `sleep.interval.civil_end_time >= "2026-10-01"`), "")
	if n := len(a.body["dataPoints"].([]any)); n != 25 || a.body["nextPageToken"] == nil {
		t.Fatalf("sleep page of %d", n)
	}
	tokn := a.body["nextPageToken"].(string)
	a = call(t, s, tok, "GET", list("sleep", `sleep.interval.civil_end_time >= "2026-10-02"`, "pageToken", tokn), "")
	if a.status != 400 {
		t.Fatalf("a token reused with another filter: %d", a.status)
	}
}

func TestRollupLimitsAndFormat(t *testing.T) {
	s, tok := start(t, Config{})
	daily := func(dt string, from, to string, extra string) answer {
		f := strings.Split(from, "-")
		e := strings.Split(to, "-")
		body := fmt.Sprintf(`{"range":{"start":{"date":{"year":%s,"month":%s,"day":%s}},"end":{"date":{"year":%s,"month":%s,"day":%s}}}%s}`,
			f[0], strings.TrimLeft(f[1], "0"), strings.TrimLeft(f[2], "0"), e[0], strings.TrimLeft(e[1], "0"), strings.TrimLeft(e[2], "0"), extra)
		return call(t, s, tok, "POST", "/v4/users/me/dataTypes/"+dt+"/dataPoints:dailyRollUp", body)
	}
	bad := []struct {
		a      answer
		reason string
		text   string
	}{
		{daily("steps", "2026-08-01", "2026-11-01", ""), "INVALID_ROLLUP_QUERY_DURATION", "90 days"},
		{daily("total-calories", "2026-11-01", "2026-11-16", ""), "INVALID_ROLLUP_QUERY_DURATION", "14 days"},
		{daily("steps", "2026-11-10", "2026-11-10", ""), "INVALID_TIME_RANGE", ""},
		{daily("sleep", "2026-11-10", "2026-11-11", ""), "", "DailyRollup is not supported for data type sleep"},
		{daily("daily-resting-heart-rate", "2026-11-10", "2026-11-11", ""), "", "DailyRollup is not supported"},
		{daily("total-calories", "2026-11-10", "2026-11-11", `,"pageSize":20`), "", "pageSize"},
		{call(t, s, tok, "POST", "/v4/users/me/dataTypes/steps/dataPoints:dailyRollUp", `{"range":{"startTime":"2026-11-10T00:00:00Z"}}`), "", "Unknown"},
		{call(t, s, tok, "POST", "/v4/users/me/dataTypes/heart-rate/dataPoints:rollUp",
			`{"range":{"startTime":"2026-11-01T00:00:00Z","endTime":"2026-11-16T00:00:00Z"},"windowSize":"60s"}`), "INVALID_ROLLUP_QUERY_DURATION", "14 days"},
		{call(t, s, tok, "POST", "/v4/users/me/dataTypes/steps/dataPoints:rollUp",
			`{"range":{"startTime":"2026-11-01T00:00:00Z","endTime":"2026-11-02T00:00:00Z"},"windowSize":"0.5s"}`), "INVALID_ROLLUP_WINDOW", ""},
		{call(t, s, tok, "GET", "/v4/users/me/dataTypes/steps/dataPoints:rollUp", ""), "", "No method"},
	}
	for i, c := range bad {
		if c.a.status/100 != 4 {
			t.Errorf("case %d: %d %s", i, c.a.status, c.a.raw)
			continue
		}
		_, reason := googleError(t, c.a)
		if reason != c.reason || !strings.Contains(c.a.raw, c.text) {
			t.Errorf("case %d: reason %q, body %s", i, reason, c.a.raw)
		}
	}

	// Exactly 90 and 14 days are fine; newest first; zero sums are {}.
	if a := daily("steps", "2026-08-22", "2026-11-20", ""); a.status != 200 || len(a.body["rollupDataPoints"].([]any)) != 90 {
		t.Fatalf("90 days: %d", a.status)
	}
	a := daily("total-calories", "2026-11-06", "2026-11-20", "")
	pts := a.body["rollupDataPoints"].([]any)
	first := pts[0].(map[string]any)["civilStartTime"].(map[string]any)["date"].(map[string]any)
	if a.status != 200 || len(pts) != 14 || first["day"].(float64) != 19 {
		t.Fatalf("14 days: %d, %d points, first %v", a.status, len(pts), first)
	}
	a = call(t, s, tok, "POST", "/v4/users/me/dataTypes/steps/dataPoints:rollUp",
		`{"range":{"startTime":"2026-11-20T07:00:00Z","endTime":"2026-11-20T08:00:00Z"},"windowSize":"60s"}`) // 02:00-03:00 in New York
	if a.status != 200 || len(a.body["rollupDataPoints"].([]any)) != 60 || !strings.Contains(a.raw, `"steps":{}`) {
		t.Fatalf("night steps: %d %.300s", a.status, a.raw)
	}
	// Floors of a tracker without an altimeter: no points at all.
	s2, tok2 := start(t, Config{Persona: "nightshift"})
	a = call(t, s2, tok2, "POST", "/v4/users/me/dataTypes/floors/dataPoints:dailyRollUp",
		`{"range":{"start":{"date":{"year":2026,"month":11,"day":10}},"end":{"date":{"year":2026,"month":11,"day":11}}}}`)
	if a.status != 200 || a.body["rollupDataPoints"] != nil {
		t.Fatalf("floors: %s", a.raw)
	}
}

func TestRateLimit(t *testing.T) {
	s, tok := start(t, Config{RateLimit: 3})
	for i := range 3 {
		if a := call(t, s, tok, "GET", "/v4/users/me/settings", ""); a.status != 200 {
			t.Fatalf("request %d: %d", i, a.status)
		}
	}
	a := call(t, s, tok, "GET", "/v4/users/me/settings", "")
	st, reason := googleError(t, a)
	ra := a.header.Get("Retry-After")
	if a.status != 429 || st != "RESOURCE_EXHAUSTED" || reason != "RATE_LIMIT_EXCEEDED" || ra == "" || ra == "0" {
		t.Fatalf("%d %s %s Retry-After %q", a.status, st, reason, ra)
	}
	if s.Count() != 4 || s.Requests()[3].Status != 429 {
		t.Fatalf("log %v", s.Requests())
	}
}

func TestKnobs(t *testing.T) {
	s, tok := start(t, Config{})
	s.SetAccountNotLinked(true)
	a := call(t, s, tok, "GET", "/v4/users/me/profile", "")
	if st, r := googleError(t, a); a.status != 400 || st != "FAILED_PRECONDITION" || r != "ACCOUNT_NOT_LINKED" {
		t.Fatalf("%d %s %s", a.status, st, r)
	}
	s.ClearFaults()
	s.DenyScope(Scopes[2])
	a = call(t, s, tok, "GET", list("sleep", ""), "")
	if st, r := googleError(t, a); a.status != 403 || st != "PERMISSION_DENIED" || r != "ACCESS_TOKEN_SCOPE_INSUFFICIENT" {
		t.Fatalf("%d %s %s", a.status, st, r)
	}
	if a = call(t, s, tok, "GET", list("steps", `steps.interval.civil_start_time >= "2026-11-20"`), ""); a.status != 200 {
		t.Fatalf("other scopes refused too: %d", a.status)
	}
	s.ClearFaults()
	s.Inject(Fault{Kind: FaultWrongTypes, Path: "profile"})
	if a = call(t, s, tok, "GET", "/v4/users/me/settings", ""); a.status != 200 || a.body["timeZone"] != "America/New_York" {
		t.Fatalf("fault hit another path: %s", a.raw)
	}
	if a = call(t, s, tok, "GET", "/v4/users/me/profile", ""); a.body["age"] != true {
		t.Fatalf("wrong types: %s", a.raw)
	}
	s.Inject(Fault{Kind: FaultMalformedJSON, Times: 2})
	for range 2 {
		if a = call(t, s, tok, "GET", "/v4/users/me/profile", ""); a.status != 200 || json.Valid([]byte(a.raw)) {
			t.Fatalf("malformed: %s", a.raw)
		}
	}
	if a = call(t, s, tok, "GET", "/v4/users/me/profile", ""); !json.Valid([]byte(a.raw)) {
		t.Fatal("fault outlived its count")
	}
	s.Revoke()
	if a = call(t, s, tok, "GET", "/v4/users/me/profile", ""); a.status != 401 {
		t.Fatalf("revoked: %d", a.status)
	}
}

func TestLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "8.8.8.8:80", ":0"} {
		if s, err := Start(Config{Addr: addr}); err == nil {
			s.Close()
			t.Errorf("listened on %s", addr)
		}
	}
}
