package parse

import (
	"errors"
	"math"
	"testing"
	"time"
)

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"15-01-2024", "1-2-2024", "03/04/2024", "13.04.2024", "2024-01-15T13:45:07Z",
		"45292", "60", "20240115", "31-02-2024", "01-01-1899", "15-01-2024 13:45"} {
		f.Add(s, "")
		f.Add(s, "dd-mm-jjjj")
		f.Add(s, "excel")
	}
	f.Fuzz(func(t *testing.T, s, format string) {
		// Where FastDate answers, ParseDate reads the same day (midnight
		// UTC, so Unix()/86400 is exact), for the format as written and as
		// normalised.
		normalised, _ := DateFormat(format).Normalize()
		for _, df := range []DateFormat{DateFormat(format), normalised} {
			if day, ok := FastDate(s, df); ok {
				want, err := ParseDate(s, df)
				if err != nil || want.Unix()/86400 != int64(day) {
					t.Fatalf("FastDate(%q, %q) = %d; ParseDate gives %v, %v", s, df, day, want, err)
				}
			}
		}
		got, err := ParseDate(s, DateFormat(format))
		if err != nil {
			for _, e := range []error{ErrEmpty, ErrBadDate, ErrImpossibleDate, ErrAmbiguousDate, ErrOutOfRange, ErrUnknownFormat} {
				if errors.Is(err, e) {
					return
				}
			}
			t.Fatalf("error without a sentinel cause: %v", err)
		}
		if got.Before(MinDate) || got.After(MaxDate) {
			t.Fatalf("date out of range: %s", got)
		}
		if got.Location() != time.UTC || got.Hour()|got.Minute()|got.Second()|got.Nanosecond() != 0 {
			t.Fatalf("not midnight UTC: %s", got)
		}
		back, err := ParseDate(got.Format(time.DateOnly), FormatISO)
		if err != nil || !back.Equal(got) {
			t.Fatalf("round trip: %s -> %v, %v", got, back, err)
		}
	})
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"3,5", "1.234,5", "1,234.5", "1.234", "-12", "1e5", "1 234,5", ",5", "0.234"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseNumber(s)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrBadNumber) && !errors.Is(err, ErrAmbiguousNumber) {
				t.Fatalf("error without a sentinel cause: %v", err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("non-finite result")
		}
	})
}
