package cache

import (
	"testing"
	"time"

	"github.com/fittui/fittui/providers"
)

func TestExportedSeriesCodec(t *testing.T) {
	loc := time.FixedZone("X", 3600)
	t0 := time.Date(2024, 1, 8, 0, 0, 0, 0, loc)
	s := providers.Series{Resolution: time.Minute}
	for i := range 1440 {
		s.Samples = append(s.Samples, providers.Sample{Time: t0.Add(time.Duration(i) * time.Minute), Value: float64(i%7) * 0.013})
	}
	b := EncodeSeries(s)
	got, err := DecodeSeries(b, loc)
	if err != nil || len(got.Samples) != len(s.Samples) || got.Resolution != time.Minute {
		t.Fatalf("%d samples, %v", len(got.Samples), err)
	}
	for i := range s.Samples {
		if !got.Samples[i].Time.Equal(s.Samples[i].Time) || got.Samples[i].Value != s.Samples[i].Value {
			t.Fatalf("sample %d: %v, want %v", i, got.Samples[i], s.Samples[i])
		}
	}
	if empty, err := DecodeSeries(EncodeSeries(providers.Series{}), nil); err != nil || len(empty.Samples) != 0 {
		t.Errorf("empty series: %v %v", empty, err)
	}
	for _, bad := range [][]byte{nil, {0xff}, b[:len(b)/2]} {
		if _, err := DecodeSeries(bad, loc); err == nil {
			t.Errorf("damaged payload %x decoded", bad)
		}
	}
	in := providers.Intraday{Date: providers.Date{Year: 2024, Month: 1, Day: 8}, Steps: s}
	if out, err := DecodeIntraday(EncodeIntraday(in)); err != nil || out.Date != in.Date || len(out.Steps.Samples) != 1440 {
		t.Errorf("intraday: %v", err)
	}
}
