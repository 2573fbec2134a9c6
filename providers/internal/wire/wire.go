// Package wire holds what every provider's decoders share: JSON scalar
// types and small helpers to arrange what they decoded. Fitness APIs send numbers as numbers or as strings holding them
// (Fitbit's "1234", Jawbone's "37.45", proto3 JSON's int64 "87"), and
// null for "none"; these types read every such form and fail with a short
// message that names the JSON type, never the value (values may be
// personal data, and messages reach logs).
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fittui/fittui/providers"
)

// Kind names the JSON type of b for error messages, without its value.
func Kind(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// IsNull reports whether b is JSON null.
func IsNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }

// Unquote returns the contents of a JSON string, or ok=false when b is
// not one.
func Unquote(b []byte) (string, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '"' {
		return "", false
	}
	if len(b) >= 2 && b[len(b)-1] == '"' && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 && bytes.IndexByte(b[1:len(b)-1], '"') < 0 {
		return string(b[1 : len(b)-1]), true // no escapes: the common case
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return "", false
	}
	return s, true
}

// text returns the digits of a number sent as a number or a string, and
// whether it is "none" (null or an empty string).
func text(b []byte, want string) (s string, none bool, err error) {
	if IsNull(b) {
		return "", true, nil
	}
	s, quoted := Unquote(b)
	if !quoted {
		if k := Kind(b); k != "a number" {
			return "", false, fmt.Errorf("expected %s, got %s", want, k)
		}
		s = string(bytes.TrimSpace(b))
	}
	s = strings.TrimSpace(s)
	return s, s == "", nil
}

// Number is a JSON number that may also come as a string holding one;
// null and "" read as 0. NaN and infinities are refused.
type Number float64

func (n *Number) UnmarshalJSON(b []byte) error {
	s, none, err := text(b, "a number")
	if err != nil {
		return err
	}
	if none {
		*n = 0
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return errors.New("expected a finite number")
	}
	*n = Number(f)
	return nil
}

// MaxInt bounds the integers Int and Count return, so that conversions
// stay defined whatever the wire says.
const MaxInt = 1e12

// Int rounds n to an int; out-of-range values are an error naming field.
func (n Number) Int(field string) (int, error) {
	f := math.Round(float64(n))
	if f < -MaxInt || f > MaxInt {
		return 0, fmt.Errorf("%s out of range", field)
	}
	return int(f), nil
}

// Count rounds n to a non-negative int (steps, calories, seconds).
func (n Number) Count(field string) (int, error) {
	f := math.Round(float64(n))
	if f < 0 || f > MaxInt {
		return 0, fmt.Errorf("%s is not a count", field)
	}
	return int(f), nil
}

// Quantity returns n when it is in 0..limit (points, kilometres, kcal),
// unrounded.
func (n Number) Quantity(field string, limit float64) (float64, error) {
	f := float64(n)
	if f < 0 || f > limit {
		return 0, fmt.Errorf("%s is not a count", field)
	}
	return f, nil
}

// Int is an integer sent as a number or a string (proto3 JSON sends
// int64 as a string, int32 as a number), kept exact beyond 2^53; integral
// values written as floats (72.0, "1e3") are accepted. null and "" read
// as 0.
type Int int64

func (n *Int) UnmarshalJSON(b []byte) error {
	s, none, err := text(b, "an integer")
	if err != nil {
		return err
	}
	if none {
		*n = 0
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = Int(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return errors.New("expected an integer, got something else")
	}
	*n = Int(f)
	return nil
}

// ByDay groups decoded values by the date each belongs to.
func ByDay[T any](vals []T, date func(T) providers.Date) map[providers.Date][]T {
	out := map[providers.Date][]T{}
	for _, v := range vals {
		d := date(v)
		out[d] = append(out[d], v)
	}
	return out
}

// SortByTime sorts s by at, keeping the order of equal times.
func SortByTime[T any](s []T, at func(T) time.Time) {
	slices.SortStableFunc(s, func(a, b T) int { return at(a).Compare(at(b)) })
}
