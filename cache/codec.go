package cache

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/fittui/fittui/providers"
)

// The compact encodings of series.go for other packages that keep their
// own entries in a Store (an offline provider's index of an imported
// archive): same format, same bounds on what a damaged payload may cost.

// EncodeIntraday encodes a day's heart rate and steps compactly (about half
// a byte per sample for regular whole-number series).
func EncodeIntraday(in providers.Intraday) []byte { return encodeIntraday(in) }

// DecodeIntraday reverses EncodeIntraday; a damaged payload is an error.
func DecodeIntraday(b []byte) (providers.Intraday, error) { return decodeIntraday(b) }

// EncodeSeries encodes one series compactly (deflated, length first).
func EncodeSeries(s providers.Series) []byte {
	raw := appendSeries(nil, s)
	out := binary.AppendUvarint(nil, uint64(len(raw)))
	return append(out, compress(raw)...)
}

// DecodeSeries reverses EncodeSeries, placing the samples in loc (nil: UTC).
func DecodeSeries(b []byte, loc *time.Location) (providers.Series, error) {
	if loc == nil {
		loc = time.UTC
	}
	size, n := binary.Uvarint(b)
	if n <= 0 || size > maxInflated {
		return providers.Series{}, errors.New("bad series header")
	}
	raw, err := decompress(b[n:], int(size))
	if err != nil {
		return providers.Series{}, err
	}
	if uint64(len(raw)) != size {
		return providers.Series{}, errors.New("series payload has the wrong length")
	}
	r := &reader{b: raw}
	s := r.series(loc)
	if r.err == nil && len(r.b) != 0 {
		r.err = errors.New("trailing bytes")
	}
	if r.err != nil {
		return providers.Series{}, r.err
	}
	return s, nil
}
