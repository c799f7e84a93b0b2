package ingest

import (
	"time"

	"github.com/outcomes-research/outcomes/ingest/parse"
)

// fastDate reads the common spellings of a date in a known format without
// allocating: yyyy-mm-dd for the ISO format, and d-m-yyyy with one or two
// digit day and month for the day-first formats (with their own separator).
// It returns the day number (days since 1970-01-01) and true only for a
// valid date within [parse.MinDate, parse.MaxDate] that parse.ParseDate
// reads the same way; for anything else (a time of day, spaces, another
// form, an impossible or out-of-range date) it returns false and the
// caller must use parse.ParseDate, which gives the error.
func fastDate(s string, f parse.DateFormat) (int32, bool) {
	var y, m, d int
	var ok bool
	switch f {
	case parse.FormatISO:
		if len(s) != 10 || s[4] != '-' || s[7] != '-' {
			return 0, false
		}
		y, ok = digits(s[0:4])
		if !ok {
			return 0, false
		}
		if m, ok = digits(s[5:7]); !ok {
			return 0, false
		}
		if d, ok = digits(s[8:10]); !ok {
			return 0, false
		}
	case parse.FormatDMYDash, parse.FormatDMYDashS:
		d, m, y, ok = dayFirst(s, '-')
	case parse.FormatDMYSlash, parse.FormatDMYSlashS:
		d, m, y, ok = dayFirst(s, '/')
	case parse.FormatDMYDot, parse.FormatDMYDotS:
		d, m, y, ok = dayFirst(s, '.')
	default:
		return 0, false
	}
	if !ok || y < parse.MinDate.Year() || y > parse.MaxDate.Year() || m < 1 || m > 12 || d < 1 || d > monthDays(y, m) {
		return 0, false
	}
	return daysFromCivil(y, m, d), true
}

// dayFirst splits d{sep}m{sep}yyyy with one or two digit day and month.
func dayFirst(s string, sep byte) (d, m, y int, ok bool) {
	i := 0
	for i < len(s) && i < 3 && s[i] != sep {
		i++
	}
	if i == 0 || i > 2 || i >= len(s) {
		return 0, 0, 0, false
	}
	j := i + 1
	for j < len(s) && j < i+4 && s[j] != sep {
		j++
	}
	if j == i+1 || j > i+3 || j >= len(s) || len(s)-j-1 != 4 {
		return 0, 0, 0, false
	}
	if d, ok = digits(s[:i]); !ok {
		return
	}
	if m, ok = digits(s[i+1 : j]); !ok {
		return
	}
	y, ok = digits(s[j+1:])
	return
}

// digits reads a short run of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

func monthDays(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (H. Hinnant's days_from_civil).
func daysFromCivil(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y / 400 // y >= 1899 here, so no negative-year correction
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

// cutoffDay is the day number of the cut-off date: a date is after the
// cut-off exactly when its day number is larger.
func cutoffDay(cutoff time.Time) int32 {
	y, m, d := cutoff.Date()
	return daysFromCivil(y, int(m), d)
}
