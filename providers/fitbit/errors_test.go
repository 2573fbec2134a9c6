package fitbit

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
	"github.com/fittui/fittui/providers/providertest"
)

func TestExpiredTokenRefreshesAndRetriesOnce(t *testing.T) {
	e := setup(t, "office")
	e.fake.ExpireTokens()
	got, err := e.p.DaySummary(ctx(t), e.today)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := e.fake.Demo().DaySummary(ctx(t), e.today)
	if got.Steps != want.Steps {
		t.Fatalf("steps %d, want %d", got.Steps, want.Steps)
	}
	if n := e.tokens.Refreshes(); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
	if n := e.fake.APIRequests("/activities/date/"); n != 2 {
		t.Fatalf("%d summary requests, want 2 (the 401 and the retry)", n)
	}

	// Several requests finding the token expired at once share a refresh.
	e.fresh()
	e.fake.ExpireTokens()
	if _, err := e.p.DailySeries(ctx(t), e.today.AddDays(-29), e.today); err != nil {
		t.Fatal(err)
	}
	if n := e.tokens.Refreshes(); n != 2 {
		t.Fatalf("%d refreshes after 4 concurrent expiries, want 2", n)
	}
}

func TestExpiredTwiceIsSignIn(t *testing.T) {
	e := setup(t, "office")
	// The refresh works but the server keeps saying expired: one retry only.
	e.fake.ExpireTokens()
	e.fake.SetExpireNew(true)
	_, err := e.p.DaySummary(ctx(t), e.today)
	mustKind(t, err, providers.KindSignIn)
	if n := e.fake.APIRequests("/activities/date/"); n != 2 || e.tokens.Refreshes() != 1 {
		t.Fatalf("%d requests and %d refreshes, want 2 and 1", n, e.tokens.Refreshes())
	}
	providertest.NoSecrets(t, e.fake.Secrets(), err.Error())
}

func TestRefreshRefusedIsSignIn(t *testing.T) {
	e := setup(t, "office")
	e.fake.ExpireTokens()
	e.fake.OAuth.FailNext(1, http.StatusBadRequest)
	_, err := e.p.DaySummary(ctx(t), e.today)
	mustKind(t, err, providers.KindSignIn)
	if n := e.fake.APIRequests("/activities/date/"); n != 1 {
		t.Fatalf("%d requests, want 1 (no retry without a new token)", n)
	}
}

func TestInvalidTokenIsSignInWithoutRetry(t *testing.T) {
	e := setup(t, "office")
	e.fake.Revoke()
	_, err := e.p.DaySummary(ctx(t), e.today)
	pe := mustKind(t, err, providers.KindSignIn)
	if !strings.Contains(pe.Message, "fittui auth login fitbit --account me") {
		t.Fatalf("message %q does not say what to do", pe.Message)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 401 || !ae.Has("invalid_token") {
		t.Fatalf("cause %v", err)
	}
	if e.tokens.Refreshes() != 0 || e.fake.OAuth.Counts().Refresh != 0 {
		t.Fatal("refreshed after invalid_token")
	}
	if n := e.fake.APIRequests(""); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
	// Fitbit's message quotes the token; ours never does.
	providertest.NoSecrets(t, e.fake.Secrets(), err.Error())
	if strings.Contains(err.Error(), "Access token invalid") {
		t.Fatalf("Fitbit's message repeated: %v", err)
	}
}

func TestRateLimited(t *testing.T) {
	e := setup(t, "office")
	// The rate headers, read by the descriptor's names, go to Env.OnRate
	// (the shared budget listens there).
	var seen []providers.RateReading
	var mu sync.Mutex
	last := func() (providers.RateReading, int) {
		mu.Lock()
		defer mu.Unlock()
		if len(seen) == 0 {
			return providers.RateReading{}, 0
		}
		return seen[len(seen)-1], len(seen)
	}
	p, err := New(providers.AccountSpec{Name: "me", Provider: Name}, providers.Env{Now: e.clock.Now, Tokens: e.tokens, APIURL: e.fake.URL,
		OnRate: func(r providers.RateReading) { mu.Lock(); seen = append(seen, r); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	e.p = p
	if _, err := e.p.DaySummary(ctx(t), e.today); err != nil {
		t.Fatal(err)
	}
	rl, n := last()
	// t0 is 15:04:05 UTC: 55 min 55 s to the top of the hour.
	topOfHour := time.Date(2026, 3, 5, 16, 0, 0, 0, time.UTC)
	if n != 1 || rl.Limit != 150 || rl.Remaining != 149 || !rl.Reset.Equal(topOfHour) {
		t.Fatalf("rate limit %+v (observed %d)", rl, n)
	}

	e.fake.SetRateLimit(150, 150) // the hour's budget is spent
	e.fresh()
	_, err = e.p.DaySummary(ctx(t), e.today)
	pe := mustKind(t, err, providers.KindRateLimited)
	if !pe.RetryAt.Equal(topOfHour) {
		t.Fatalf("RetryAt %v, want %v from Fitbit-Rate-Limit-Reset (not Retry-After)", pe.RetryAt, topOfHour)
	}
	if rl, _ := last(); rl.Remaining != 0 {
		t.Fatalf("remaining %d after 429", rl.Remaining)
	}
	// Until then nothing is sent.
	before := e.fake.APIRequests("")
	_, err = e.p.Sleep(ctx(t), e.today, e.today)
	mustKind(t, err, providers.KindRateLimited)
	if e.fake.APIRequests("") != before {
		t.Fatal("requests sent while rate limited")
	}
	// After the reset requests flow again.
	e.clock.Advance(time.Hour)
	if _, err := e.p.DaySummary(ctx(t), e.today); err != nil {
		t.Fatal(err)
	}
}

func TestRateLimitResetClamped(t *testing.T) {
	for _, tc := range []struct {
		reset string
		omit  bool
		want  time.Duration
	}{
		{reset: "soon", want: 60 * time.Second},
		{reset: "-20", want: 60 * time.Second},
		{reset: "NaN", want: 60 * time.Second},
		{reset: "99999999", want: time.Hour},
		{reset: "0", want: time.Second},
		{reset: "120", want: 2 * time.Minute},
		{omit: true, want: 60 * time.Second},
	} {
		e := setup(t, "office")
		e.fake.SetRateLimit(5, 5)
		e.fake.SetResetHeader(tc.reset)
		e.fake.SetOmitRateHeaders(tc.omit)
		_, err := e.p.DaySummary(ctx(t), e.today)
		pe := mustKind(t, err, providers.KindRateLimited)
		if got := pe.RetryAt.Sub(t0); got != tc.want {
			t.Errorf("reset %q omit %v: wait %v, want %v", tc.reset, tc.omit, got, tc.want)
		}
	}
}

func TestGoneIsPermanent(t *testing.T) {
	e := setup(t, "office")
	e.fake.SetGone(true)
	_, err := e.p.DaySummary(ctx(t), e.today)
	pe := mustKind(t, err, providers.KindGone)
	if pe.Message != "Fitbit Web API has been turned off; add a Google Health account" ||
		err.Error() != "fitbit: Fitbit Web API has been turned off; add a Google Health account" {
		t.Fatalf("message %q / %q", pe.Message, err.Error())
	}
	if n := e.fake.APIRequests(""); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
	// Never retried, whatever is asked and however long after.
	e.fake.SetGone(false)
	e.clock.Advance(48 * time.Hour)
	c := ctx(t)
	_, err1 := e.p.Profile(c)
	_, err2 := e.p.Intraday(c, e.today)
	_, err3 := e.p.DailySeries(c, e.today.AddDays(-29), e.today)
	_, err4 := e.p.Sleep(c, e.today, e.today)
	_, err5 := e.p.DaySummary(c, e.today)
	for _, err := range []error{err1, err2, err3, err4, err5} {
		mustKind(t, err, providers.KindGone)
	}
	if n := e.fake.APIRequests(""); n != 1 {
		t.Fatalf("%d requests after 410, want still 1", n)
	}
	// The fake's OAuth endpoints are gone too.
	e2 := setup(t, "office")
	e2.fake.SetGone(true)
	resp, err := http.Post(e2.fake.TokenURL(), "application/x-www-form-urlencoded", strings.NewReader("grant_type=refresh_token"))
	if err != nil || resp.StatusCode != http.StatusGone {
		t.Fatalf("token endpoint in 410 mode: %v %v", err, resp)
	}
	resp.Body.Close()
}

func TestIntradayForbiddenFallsBack(t *testing.T) {
	for _, omit := range []bool{false, true} {
		e := setup(t, "office")
		if omit {
			e.fake.SetOmitIntraday(true) // older servers: 200 without the block
		} else {
			e.fake.SetIntradayForbidden(true)
		}
		got, err := e.p.Intraday(ctx(t), e.today)
		if err != nil {
			t.Fatal(err)
		}
		sum, _ := e.fake.Demo().DaySummary(ctx(t), e.today)
		if got.Note != IntradayNote || len(got.HeartRate.Samples) != 0 || len(got.Steps.Samples) != 1 ||
			got.Steps.Samples[0].Value != float64(sum.Steps) || !got.Steps.Samples[0].Time.Equal(e.today.In(e.loc)) {
			t.Fatalf("omit=%v: fallback %+v", omit, got)
		}
		// The summary is shared with DaySummary, and the refusal is
		// remembered: the next refresh asks for no intraday data.
		if _, err := e.p.DaySummary(ctx(t), e.today); err != nil {
			t.Fatal(err)
		}
		if n := e.fake.APIRequests("/activities/date/"); n != 1 {
			t.Fatalf("%d summary requests, want 1", n)
		}
		intraday := e.fake.APIRequests("/1d/")
		e.fresh()
		if got, err := e.p.Intraday(ctx(t), e.today); err != nil || got.Note != IntradayNote {
			t.Fatalf("second call: %v %q", err, got.Note)
		}
		if n := e.fake.APIRequests("/1d/"); n != intraday {
			t.Fatalf("asked for intraday again within the hour (%d -> %d)", intraday, n)
		}
		// An hour later it asks again and gets the real thing.
		e.fake.SetIntradayForbidden(false)
		e.fake.SetOmitIntraday(false)
		e.clock.Advance(intradayRecheck)
		if got, err := e.p.Intraday(ctx(t), e.today); err != nil || got.Note != "" || len(got.HeartRate.Samples) == 0 {
			t.Fatalf("omit=%v after the recheck: %v %q %+v", omit, err, got.Note, e.fake.Requests())
		}
	}
}

// call runs every Provider method that reads path-ish data.
type call struct {
	name, path string
	run        func(e *env) error
}

var calls = []call{
	{"profile", "/profile.json", func(e *env) error { _, err := e.p.Profile(ctx(nil)); return err }},
	{"devices", "/devices.json", func(e *env) error { _, err := e.p.Profile(ctx(nil)); return err }},
	{"summary", "/activities/date/", func(e *env) error { _, err := e.p.DaySummary(ctx(nil), e.today); return err }},
	{"heart intraday", "/heart/date/", func(e *env) error { _, err := e.p.Intraday(ctx(nil), e.today); return err }},
	{"steps intraday", "/steps/date/", func(e *env) error { _, err := e.p.Intraday(ctx(nil), e.today); return err }},
	{"steps series", "/steps/date/", func(e *env) error { _, err := e.p.DailySeries(ctx(nil), e.today.AddDays(-9), e.today); return err }},
	{"heart series", "/heart/date/", func(e *env) error { _, err := e.p.DailySeries(ctx(nil), e.today.AddDays(-9), e.today); return err }},
	{"sleep", "/sleep/", func(e *env) error { _, err := e.p.Sleep(ctx(nil), e.today, e.today); return err }},
	{"weight", "/body/log/weight/", func(e *env) error { _, err := e.p.WeightLogs(ctx(nil), e.today.AddDays(-9), e.today); return err }},
	{"fat", "/body/log/fat/", func(e *env) error { _, err := e.p.BodyFatLogs(ctx(nil), e.today.AddDays(-9), e.today); return err }},
}

func TestBadResponsesAreTypedErrors(t *testing.T) {
	faults := []struct {
		f    fitbittest.Fault
		kind providers.ErrorKind
		text string
	}{
		{fitbittest.FaultMalformed, providers.KindBadData, "JSON"},
		{fitbittest.FaultWrongTypes, providers.KindBadData, ""},
		{fitbittest.FaultMissing, providers.KindBadData, ""},
		{fitbittest.FaultHuge, providers.KindBadData, "response too large"},
		{fitbittest.FaultServerError, providers.KindUnreachable, "HTTP 500"},
	}
	for _, c := range calls {
		for _, f := range faults {
			e := setup(t, "office")
			if _, err := e.p.Profile(ctx(t)); err != nil && c.name != "profile" && c.name != "devices" {
				t.Fatal(err)
			}
			e.fake.SetFault(c.path, f.f, -1)
			e.fresh()
			err := c.run(e)
			intraday := strings.Contains(c.name, "intraday")
			if intraday && (f.f == fitbittest.FaultMissing) {
				// No intraday block: the documented older refusal, so the
				// daily fallback applies.
				if err != nil {
					t.Errorf("%s/%d: %v", c.name, f.f, err)
				}
				continue
			}
			if c.name == "devices" && f.f == fitbittest.FaultMissing {
				// [{}]: a device with nothing known is still a device.
				if err != nil {
					t.Errorf("%s/%d: %v", c.name, f.f, err)
				}
				continue
			}
			if err == nil {
				t.Errorf("%s with fault %d: no error", c.name, f.f)
				continue
			}
			pe, ok := providers.AsError(err)
			if !ok || pe.Kind != f.kind || !strings.Contains(err.Error(), f.text) {
				t.Errorf("%s with fault %d: %v (kind %v), want %v mentioning %q", c.name, f.f, err, providers.KindOf(err), f.kind, f.text)
			}
			providertest.NoSecrets(t, e.fake.Secrets(), err.Error())
		}
	}
}

func TestStalledServerTimesOut(t *testing.T) {
	for _, c := range calls {
		e := setup(t, "office")
		if _, err := e.p.Profile(ctx(t)); err != nil && c.name != "profile" && c.name != "devices" {
			t.Fatal(err)
		}
		e.p.api.Timeout = 100 * time.Millisecond
		e.fake.SetFault(c.path, fitbittest.FaultStall, -1)
		e.fresh()
		start := time.Now()
		err := c.run(e)
		pe := mustKind(t, err, providers.KindUnreachable)
		if !strings.Contains(pe.Error(), "no answer within 100ms") || time.Since(start) > 5*time.Second {
			t.Fatalf("%s: %v after %v", c.name, err, time.Since(start))
		}
	}
}

func TestSleepPending(t *testing.T) {
	e := setup(t, "office")
	e.fake.SetFault("/sleep/", fitbittest.FaultSleepPending, 1)
	_, err := e.p.Sleep(ctx(t), e.today, e.today)
	pe := mustKind(t, err, providers.KindUnreachable)
	if !strings.Contains(pe.Message, "still processing") {
		t.Fatalf("message %q", pe.Message)
	}
	// Not remembered: the next try reads the logs.
	if _, err := e.p.Sleep(ctx(t), e.today, e.today); err != nil {
		t.Fatal(err)
	}
}

func TestCallerCancel(t *testing.T) {
	e := setup(t, "office")
	e.fake.SetFault("", fitbittest.FaultStall, -1)
	c, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := e.p.DaySummary(c, e.today)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
}

func TestErrorsNeverPanicOnGarbageStatus(t *testing.T) {
	// A 4xx with an HTML body: a typed error naming the request.
	e := setup(t, "office")
	e.p.api.BaseURL = e.fake.URL + "/nothing-here"
	_, err := e.p.DaySummary(ctx(t), e.today)
	if err == nil || !strings.Contains(err.Error(), "HTTP 404") || !strings.Contains(err.Error(), "not_found") {
		t.Fatalf("err %v", err)
	}
}
