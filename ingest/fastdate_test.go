package ingest

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/outcomes-research/outcomes/ingest/parse"
)

// TestFastDateAgreesWithParseDate checks that the fast path never disagrees
// with parse.ParseDate: where it answers, ParseDate gives the same day, and
// it answers for the plain spellings of every valid date in range.
func TestFastDateAgreesWithParseDate(t *testing.T) {
	formats := []parse.DateFormat{parse.FormatISO, parse.FormatDMYDash, parse.FormatDMYDashS,
		parse.FormatDMYSlash, parse.FormatDMYSlashS, parse.FormatDMYDot, parse.FormatDMYDotS, parse.FormatMDYSlash}
	fixed := []string{"", "2020-02-29", "2019-02-29", "1900-01-01", "1899-12-31", "2100-12-31", "2101-01-01",
		"2020-13-01", "2020-00-10", "2020-01-00", "2020-1-5", "2020-01-05 10:00", " 2020-01-05", "+020-01-05",
		"29-02-2020", "29-02-2019", "5-3-2020", "05-3-2020", "5-03-2020", "005-3-2020", "5--2020", "-3-2020",
		"31-04-2020", "31/12/1999", "1/1/1900", "31.12.2100", "1.1.2101", "12-12-20201", "12-12-202", "ab-cd-efgh",
		"1970-01-01", "1969-12-31", "20200101", "2020/01/05"}
	check := func(s string, f parse.DateFormat) {
		t.Helper()
		got, ok := fastDate(s, f)
		want, err := parse.ParseDate(s, f)
		if ok && (err != nil || int32(arrow.Date32FromTime(want)) != got) {
			t.Errorf("fastDate(%q, %s) = %d; ParseDate gives %v, %v", s, f, got, want, err)
		}
	}
	for _, f := range formats {
		for _, s := range fixed {
			check(s, f)
		}
	}
	// Every day from 1899-12-25 to 2101-01-05, in each layout: the fast
	// path must answer for those in range and agree.
	for d := time.Date(1899, 12, 25, 0, 0, 0, 0, time.UTC); d.Year() < 2101 || d.YearDay() < 6; d = d.AddDate(0, 0, 1) {
		inRange := !d.Before(parse.MinDate) && !d.After(parse.MaxDate)
		spellings := map[parse.DateFormat][]string{
			parse.FormatISO:       {d.Format("2006-01-02")},
			parse.FormatDMYDash:   {d.Format("02-01-2006"), d.Format("2-1-2006")},
			parse.FormatDMYDashS:  {d.Format("2-1-2006")},
			parse.FormatDMYSlash:  {d.Format("02/01/2006")},
			parse.FormatDMYSlashS: {d.Format("2/1/2006")},
			parse.FormatDMYDot:    {d.Format("02.01.2006")},
		}
		for f, ss := range spellings {
			for _, s := range ss {
				check(s, f)
				if _, ok := fastDate(s, f); ok != inRange {
					t.Fatalf("fastDate(%q, %s) ok = %v, want %v", s, f, ok, inRange)
				}
			}
		}
	}
	// Random strings over the date alphabet.
	r := rand.New(rand.NewPCG(7, 7))
	const alphabet = "0123456789-/. :"
	for i := 0; i < 200000; i++ {
		b := make([]byte, 6+r.IntN(7))
		for j := range b {
			if r.IntN(3) == 0 {
				b[j] = alphabet[10+r.IntN(len(alphabet)-10)]
			} else {
				b[j] = alphabet[r.IntN(10)]
			}
		}
		check(string(b), formats[r.IntN(len(formats))])
	}
}

func TestCutoffDay(t *testing.T) {
	for _, c := range []time.Time{
		time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		if got, want := cutoffDay(c), int32(arrow.Date32FromTime(c)); got != want {
			t.Errorf("cutoffDay(%s) = %d, want %d", c.Format(time.DateOnly), got, want)
		}
	}
}

func BenchmarkFastDate(b *testing.B) {
	for _, f := range []parse.DateFormat{parse.FormatISO, parse.FormatDMYDash} {
		s := "2021-07-14"
		if f == parse.FormatDMYDash {
			s = "14-07-2021"
		}
		b.Run(fmt.Sprintf("fast/%s", f), func(b *testing.B) {
			for b.Loop() {
				fastDate(s, f)
			}
		})
		b.Run(fmt.Sprintf("ParseDate/%s", f), func(b *testing.B) {
			for b.Loop() {
				parse.ParseDate(s, f)
			}
		})
	}
}
