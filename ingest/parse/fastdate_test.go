package parse

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// TestFastDateAgreesWithParseDate checks that the fast path never disagrees
// with ParseDate: where it answers, ParseDate gives the same day, and
// it answers for the plain spellings of every valid date in range.
func TestFastDateAgreesWithParseDate(t *testing.T) {
	// The formats FastDate reads, then some it leaves to ParseDate.
	formats := []DateFormat{FormatISO, FormatDMYDash, FormatDMYDashS,
		FormatDMYSlash, FormatDMYSlashS, FormatDMYDot, FormatDMYDotS, FormatMDYSlash,
		FormatMDYSlashS, FormatCompact, FormatExcelSerial, FormatDetect, "dd-mm-jjjj", "YYYY-MM-DD"}
	fixed := []string{"", "2020-02-29", "2019-02-29", "1900-01-01", "1899-12-31", "2100-12-31", "2101-01-01",
		"2020-13-01", "2020-00-10", "2020-01-00", "2020-1-5", "2020-01-05 10:00", " 2020-01-05", "+020-01-05",
		"29-02-2020", "29-02-2019", "5-3-2020", "05-3-2020", "5-03-2020", "005-3-2020", "5--2020", "-3-2020",
		"31-04-2020", "31/12/1999", "1/1/1900", "31.12.2100", "1.1.2101", "12-12-20201", "12-12-202", "ab-cd-efgh",
		"1970-01-01", "1969-12-31", "20200101", "2020/01/05"}
	check := func(s string, f DateFormat) {
		t.Helper()
		got, ok := FastDate(s, f)
		want, err := ParseDate(s, f)
		if ok && (err != nil || int32(arrow.Date32FromTime(want)) != got) {
			t.Errorf("FastDate(%q, %s) = %d; ParseDate gives %v, %v", s, f, got, want, err)
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
		inRange := !d.Before(MinDate) && !d.After(MaxDate)
		spellings := map[DateFormat][]string{
			FormatISO:       {d.Format("2006-01-02")},
			FormatDMYDash:   {d.Format("02-01-2006"), d.Format("2-1-2006")},
			FormatDMYDashS:  {d.Format("2-1-2006")},
			FormatDMYSlash:  {d.Format("02/01/2006")},
			FormatDMYSlashS: {d.Format("2/1/2006")},
			FormatDMYDot:    {d.Format("02.01.2006")},
		}
		for f, ss := range spellings {
			for _, s := range ss {
				check(s, f)
				if _, ok := FastDate(s, f); ok != inRange {
					t.Fatalf("FastDate(%q, %s) ok = %v, want %v", s, f, ok, inRange)
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

// TestFastDateDoesNotAllocate checks the reason FastDate exists.
func TestFastDateDoesNotAllocate(t *testing.T) {
	for _, c := range []struct {
		s string
		f DateFormat
	}{{"2021-07-14", FormatISO}, {"14-07-2021", FormatDMYDash}, {"1/2/2021", FormatDMYSlashS}, {"14.07.2021", FormatDMYDot}, {"31-02-2021", FormatDMYDash}, {"x", FormatISO}} {
		if n := testing.AllocsPerRun(100, func() { FastDate(c.s, c.f) }); n != 0 {
			t.Errorf("FastDate(%q, %s): %v allocations, want 0", c.s, c.f, n)
		}
	}
}

// TestDaysFromCivil compares DaysFromCivil with time.Time's count of days,
// daily over FastDate's range and every 97 days far beyond it.
func TestDaysFromCivil(t *testing.T) {
	check := func(d time.Time) {
		t.Helper()
		y, m, day := d.Date()
		if got, want := DaysFromCivil(y, int(m), day), int32(arrow.Date32FromTime(d)); got != want {
			t.Fatalf("DaysFromCivil(%d, %d, %d) = %d, want %d", y, m, day, got, want)
		}
	}
	for d := MinDate.AddDate(0, 0, -400); !d.After(MaxDate.AddDate(0, 0, 400)); d = d.AddDate(0, 0, 1) {
		check(d)
	}
	for d := time.Date(-2000, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 6000; d = d.AddDate(0, 0, 97) {
		check(d)
	}
}

func BenchmarkFastDate(b *testing.B) {
	for _, f := range []DateFormat{FormatISO, FormatDMYDash} {
		s := "2021-07-14"
		if f == FormatDMYDash {
			s = "14-07-2021"
		}
		b.Run(fmt.Sprintf("fast/%s", f), func(b *testing.B) {
			for b.Loop() {
				FastDate(s, f)
			}
		})
		b.Run(fmt.Sprintf("ParseDate/%s", f), func(b *testing.B) {
			for b.Loop() {
				ParseDate(s, f)
			}
		})
	}
}
