package export

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

// heartReader is fake reading heart rate alone: the heart rate of fake's
// Intraday, each day asked as "heart DAY" (so it can fail or be rate
// limited), each call logged as "span FROM..TO".
type heartReader struct{ *fake }

func (h heartReader) HeartRate(ctx context.Context, from, to providers.Date) ([]providers.HeartDay, error) {
	h.mu.Lock()
	h.calls = append(h.calls, "span "+from.String()+".."+to.String())
	h.mu.Unlock()
	data := &fake{loc: h.loc, hrStep: h.hrStep, note: h.note}
	var out []providers.HeartDay
	for d := from; !d.After(to); d = d.AddDays(1) {
		if err := h.ask(ctx, "heart "+d.String()); err != nil {
			return out, err
		}
		in, _ := data.Intraday(ctx, d)
		out = append(out, providers.HeartDayOf(in))
	}
	return out, nil
}

func spans(calls []string) []string {
	var out []string
	for _, c := range calls {
		if strings.HasPrefix(c, "span ") || strings.HasPrefix(c, "intraday ") {
			out = append(out, c)
		}
	}
	return out
}

// A provider that reads heart rate alone gives the same rows as through
// Intraday at every resolution, asked a fortnight at a time and never
// for Intraday.
func TestHeartAloneSameRows(t *testing.T) {
	for _, res := range []Resolution{Second, Minute, Quarter, Day} {
		q := Request{Metric: Heart, Resolution: res, From: date("2026-01-02"), To: date("2026-01-21")}
		plain, _, err := export(t, newFake(), q, Options{})
		if err != nil {
			t.Fatal(err)
		}
		h := heartReader{newFake()}
		got, st, err := export(t, h, q, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(plain) || st.Days != 20 || len(got) == 0 {
			t.Errorf("%s: %d rows over %d days, through Intraday %d rows", res, len(got), st.Days, len(plain))
		}
		if want := "[span 2026-01-02..2026-01-15 span 2026-01-16..2026-01-21]"; fmt.Sprint(spans(h.calls)) != want {
			t.Errorf("%s: calls %v", res, spans(h.calls))
		}
	}
}

// A rate limit mid-span: the days read before it are written, and after
// the wait the read goes on from the day refused; a failure names the
// day it happened on, the days before it written.
func TestHeartAloneKeepsWhatCameBeforeAFailure(t *testing.T) {
	q := Request{Metric: Heart, Resolution: Minute, From: date("2026-01-02"), To: date("2026-01-04")}
	plain, _, err := export(t, newFake(), q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	retry := time.Date(2026, 1, 20, 15, 0, 0, 0, time.UTC)
	h := heartReader{newFake()}
	h.limit = map[string]time.Time{"heart 2026-01-03": retry}
	var ps []Progress
	opt := Options{Wait: func(ctx context.Context, until time.Time) error { return nil }, Progress: func(p Progress) { ps = append(ps, p) }}
	got, _, err := export(t, h, q, opt)
	if err != nil || fmt.Sprint(got) != fmt.Sprint(plain) {
		t.Fatalf("output differs from an export without the rate limit (%v)", err)
	}
	if want := "[span 2026-01-02..2026-01-04 span 2026-01-03..2026-01-04]"; fmt.Sprint(spans(h.calls)) != want {
		t.Errorf("calls %v", h.calls)
	}
	if want := fmt.Sprint([]Progress{{Done: 0, Total: 3, WaitUntil: retry}, {Done: 0, Total: 3}, {Done: 1, Total: 3}, {Done: 2, Total: 3}, {Done: 3, Total: 3}}); fmt.Sprint(ps) != want {
		t.Errorf("progress %v\nwant %v", ps, want)
	}

	h = heartReader{newFake()}
	signIn := providers.ErrSignIn("fake", "me", nil)
	h.fail = map[string]error{"heart 2026-01-03": signIn}
	_, st, err := export(t, h, q, Options{})
	var de *DayError
	if !errors.As(err, &de) || de.Day != date("2026-01-03") || !errors.Is(err, signIn) || st.Days != 1 || st.Rows == 0 {
		t.Errorf("error %v after %d days, %d rows", err, st.Days, st.Rows)
	}
}
