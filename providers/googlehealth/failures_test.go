package googlehealth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/googlehealth/googlehealthtest"
)

// An access token that expired early: one refresh, the request is sent
// again and succeeds.
func TestExpiredTokenRefreshesAndRetriesOnce(t *testing.T) {
	f := newFixture(t, "office")
	f.fake.ExpireAccessTokens()
	if _, err := f.p.Profile(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if n := f.tokens.Refreshes(); n < 1 || n > 2 { // settings and devices may both see the 401
		t.Fatalf("%d refreshes", n)
	}
	statuses := map[int]int{}
	for _, r := range f.fake.Requests() {
		statuses[r.Status]++
	}
	if statuses[401] < 1 || statuses[200] != 2 {
		t.Fatalf("statuses %v", statuses)
	}
}

// A 401 that a fresh token does not cure is a sign-in problem after
// exactly one retry.
func TestUnauthorizedAfterRefreshIsSignIn(t *testing.T) {
	f := newFixture(t, "office")
	f.fake.Inject(googlehealthtest.Fault{Kind: googlehealthtest.FaultStatus, Path: "/settings", Times: -1,
		Code: 401, Status: "UNAUTHENTICATED", Reason: "ACCESS_TOKEN_EXPIRED", Message: "Request had invalid authentication credentials."})
	_, err := f.p.Settings(ctx(t))
	pe := kindIs(t, err, providers.KindSignIn)
	if !strings.Contains(pe.Message, "fittui auth login googlehealth --account me") {
		t.Fatalf("message %q", pe.Message)
	}
	if f.fake.Count() != 2 || f.tokens.Refreshes() != 1 {
		t.Fatalf("%d requests, %d refreshes; want 2 and 1", f.fake.Count(), f.tokens.Refreshes())
	}
}

// A revoked grant: the API says 401, the refresh says invalid_grant.
func TestRevokedIsSignIn(t *testing.T) {
	f := newFixture(t, "office")
	f.fake.Revoke()
	_, err := f.p.DaySummary(ctx(t), f.today)
	kindIs(t, err, providers.KindSignIn)
	for _, s := range f.fake.OAuth.Secrets() {
		if strings.Contains(err.Error(), s) {
			t.Fatal("a token or secret leaked into the error")
		}
	}
}

func TestRateLimited(t *testing.T) {
	f := newFixture(t, "office")
	if _, err := f.p.Settings(ctx(t)); err != nil {
		t.Fatal(err)
	}
	f.fake.SetRateLimit(1)
	f.fake.Requests() // the settings call above does not count after SetRateLimit
	if _, err := f.p.devices(ctx(t)); err != nil {
		t.Fatal(err)
	}
	_, err := f.p.DaySummary(ctx(t), f.today)
	pe := kindIs(t, err, providers.KindRateLimited)
	// Retry-After is under a minute here; RetryAt is on the provider's clock.
	if d := pe.RetryAt.Sub(f.now); d < time.Second || d > time.Minute {
		t.Fatalf("RetryAt %v is %v away", pe.RetryAt, d)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != 429 || ae.Status != "RESOURCE_EXHAUSTED" || ae.Reason != "RATE_LIMIT_EXCEEDED" {
		t.Fatalf("cause %#v", ae)
	}

	// Without Retry-After: a clamped default backoff.
	f.fake.SetRetryAfter(false)
	f.fresh()
	_, err = f.p.UserProfile(ctx(t))
	pe = kindIs(t, err, providers.KindRateLimited)
	if d := pe.RetryAt.Sub(f.now); d != time.Minute {
		t.Fatalf("RetryAt %v away, want the 1-minute default", d)
	}
	// A garbage Retry-After is clamped too.
	f.fake.SetRateLimit(-1)
	f.fake.Inject(googlehealthtest.Fault{Kind: googlehealthtest.FaultStatus, Code: 429, Status: "RESOURCE_EXHAUSTED",
		Reason: "RATE_LIMIT_EXCEEDED", RetryAfter: "99999999999"})
	_, err = f.p.UserProfile(ctx(t))
	pe = kindIs(t, err, providers.KindRateLimited)
	if d := pe.RetryAt.Sub(f.now); d != time.Hour {
		t.Fatalf("RetryAt %v away, want the 1-hour cap", d)
	}
}

func TestAccountNotLinked(t *testing.T) {
	f := newFixture(t, "office")
	f.fake.SetAccountNotLinked(true)
	_, err := f.p.Profile(ctx(t))
	pe := kindIs(t, err, providers.KindSignIn)
	for _, want := range []string{"ACCOUNT_NOT_LINKED", "link your Fitbit account", "fittui auth login googlehealth --account me"} {
		if !strings.Contains(pe.Message, want) {
			t.Errorf("message %q lacks %q", pe.Message, want)
		}
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != "FAILED_PRECONDITION" || ae.Code != 400 {
		t.Fatalf("cause %#v", ae)
	}
}

// A scope the person unticked: calls that need it say which; composite
// answers leave the part empty and keep the rest.
func TestMissingScope(t *testing.T) {
	f := newFixture(t, "office")
	f.fake.DenyScope(googlehealthtest.Scopes[2]) // sleep
	_, err := f.p.Sleep(ctx(t), f.today, f.today)
	pe := kindIs(t, err, providers.KindSignIn)
	if !strings.Contains(pe.Message, ScopeSleep) || !strings.Contains(pe.Message, "sleep data") {
		t.Fatalf("message %q", pe.Message)
	}
	days, err := f.p.DailySeries(ctx(t), f.today.AddDays(-2), f.today)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range days {
		if d.SleepMinutes != 0 || d.Steps == 0 || d.WeightKg == 0 {
			t.Fatalf("day %+v", d)
		}
	}

	f.fake.DenyScope(googlehealthtest.Scopes[1]) // heart rate, weight
	f.fresh()
	in, err := f.p.Intraday(ctx(t), f.today)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.HeartRate.Samples) != 0 || len(in.Steps.Samples) == 0 || !strings.Contains(in.Note, ScopeMetrics) {
		t.Fatalf("intraday: %d hr, %d steps, note %q", len(in.HeartRate.Samples), len(in.Steps.Samples), in.Note)
	}
	s, err := f.p.DaySummary(ctx(t), f.today)
	if err != nil || s.RestingHeartRate != 0 || s.Steps == 0 {
		t.Fatalf("summary %+v, %v", s, err)
	}

	f.fake.DenyScope(googlehealthtest.Scopes[0]) // activity: steps are not optional
	f.fresh()
	_, err = f.p.DaySummary(ctx(t), f.today)
	pe = kindIs(t, err, providers.KindSignIn)
	if !strings.Contains(pe.Message, ScopeActivity) {
		t.Fatalf("message %q", pe.Message)
	}
}

func TestOtherGoogleErrors(t *testing.T) {
	cases := []struct {
		fault googlehealthtest.Fault
		kind  providers.ErrorKind
		text  string
	}{
		{googlehealthtest.Fault{Code: 403, Status: "PERMISSION_DENIED", Reason: "SERVICE_DISABLED", Message: "Google Health API has not been used in project 123"},
			providers.KindUnknown, "enable health.googleapis.com"},
		{googlehealthtest.Fault{Code: 403, Status: "PERMISSION_DENIED", Message: "Could not mint UberMint from GaiaMint"},
			providers.KindSignIn, "moved to a Google Account"},
		{googlehealthtest.Fault{Code: 403, Status: "PERMISSION_DENIED", Reason: "USER_PROJECT_DENIED", Message: "User is not authorized to access health data."},
			providers.KindSignIn, "test user"},
		{googlehealthtest.Fault{Code: 400, Status: "INVALID_ARGUMENT", Reason: "INVALID_DATA_POINT_FILTER", Message: "Invalid data point filter"},
			providers.KindUnknown, "fittui bug"},
		{googlehealthtest.Fault{Code: 503, Status: "UNAVAILABLE", Message: "The service is currently unavailable."},
			providers.KindUnreachable, "cannot reach"},
		{googlehealthtest.Fault{Code: 504, Status: "DEADLINE_EXCEEDED", Message: "Deadline exceeded"},
			providers.KindUnreachable, "cannot reach"},
		{googlehealthtest.Fault{Kind: googlehealthtest.FaultHTML, Code: 502},
			providers.KindUnreachable, "cannot reach"},
	}
	for _, c := range cases {
		f := newFixture(t, "office")
		if c.fault.Kind == 0 {
			c.fault.Kind = googlehealthtest.FaultStatus
		}
		c.fault.Path = "/settings"
		f.fake.Inject(c.fault)
		_, err := f.p.Profile(ctx(t))
		pe := kindIs(t, err, c.kind)
		if !strings.Contains(pe.Error(), c.text) {
			t.Errorf("%d %s: %q lacks %q", c.fault.Code, c.fault.Reason, pe.Error(), c.text)
		}
	}
}

// Bad answers give a clear typed error, never a panic, and later calls
// work again.
func TestBadAnswers(t *testing.T) {
	cases := []struct {
		kind googlehealthtest.FaultKind
		path string
		want providers.ErrorKind
		text string
	}{
		{googlehealthtest.FaultMalformedJSON, "sleep", providers.KindBadData, "JSON"},
		{googlehealthtest.FaultMalformedJSON, "settings", providers.KindBadData, "JSON"},
		{googlehealthtest.FaultWrongTypes, "sleep", providers.KindBadData, "expected"},
		{googlehealthtest.FaultWrongTypes, "steps/dataPoints:dailyRollUp", providers.KindBadData, "expected"},
		{googlehealthtest.FaultWrongTypes, "pairedDevices", providers.KindBadData, "expected"},
		{googlehealthtest.FaultMissingFields, "sleep", providers.KindBadData, "without"},
		{googlehealthtest.FaultMissingFields, "/heart-rate/dataPoints:rollUp", providers.KindBadData, "without"},
		{googlehealthtest.FaultMissingFields, "steps/dataPoints:dailyRollUp", providers.KindBadData, "without"},
		{googlehealthtest.FaultMissingFields, "settings", providers.KindBadData, "timeZone"},
		{googlehealthtest.FaultHugeBody, "sleep", providers.KindBadData, "too large"},
	}
	for _, c := range cases {
		f := newFixture(t, "office")
		f.fake.Inject(googlehealthtest.Fault{Kind: c.kind, Path: c.path})
		err := refresh(ctx(t), f)
		if err == nil {
			t.Fatalf("fault %d on %s: no error", c.kind, c.path)
		}
		pe := kindIs(t, err, c.want)
		if !strings.Contains(pe.Error(), c.text) && !strings.Contains(strings.ToLower(pe.Error()), c.text) {
			t.Errorf("fault %d on %s: %q lacks %q", c.kind, c.path, pe.Error(), c.text)
		}
		f.fresh()
		if err := refresh(ctx(t), f); err != nil {
			t.Errorf("fault %d on %s: still failing after it cleared: %v", c.kind, c.path, err)
		}
	}
}

// refresh asks for everything the today pane and history show.
func refresh(ctx context.Context, f *fixture) error {
	if _, err := f.p.Profile(ctx); err != nil {
		return err
	}
	if _, err := f.p.DaySummary(ctx, f.today); err != nil {
		return err
	}
	if _, err := f.p.Intraday(ctx, f.today); err != nil {
		return err
	}
	if _, err := f.p.Sleep(ctx, f.today, f.today); err != nil {
		return err
	}
	_, err := f.p.DailySeries(ctx, f.today.AddDays(-29), f.today)
	return err
}

// A stalled server: each attempt ends at the request timeout with a
// KindUnreachable error.
func TestStalledServer(t *testing.T) {
	f := newFixture(t, "office")
	f.p.api.Timeout = 200 * time.Millisecond
	f.fake.Inject(googlehealthtest.Fault{Kind: googlehealthtest.FaultStall, Path: "/settings"})
	start := time.Now()
	_, err := f.p.Profile(ctx(t))
	pe := kindIs(t, err, providers.KindUnreachable)
	if !strings.Contains(pe.Error(), "no answer within") || time.Since(start) > 10*time.Second {
		t.Fatalf("%v after %v", pe, time.Since(start))
	}
	// The caller giving up ends the wait too, with the caller's error.
	f.fake.Inject(googlehealthtest.Fault{Kind: googlehealthtest.FaultStall, Path: "/settings"})
	f.p.api.Timeout = time.Minute
	c, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := f.p.Settings(c); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want the context's deadline", err)
	}
}

// Answers that are not Google's error body fall back to the status.
func TestPlainStatus(t *testing.T) {
	f := newFixture(t, "office")
	f.fake.Inject(googlehealthtest.Fault{Kind: googlehealthtest.FaultHTML, Code: http.StatusNotFound, Path: "/settings"})
	_, err := f.p.Settings(ctx(t))
	kindIs(t, err, providers.KindUnknown)
}
