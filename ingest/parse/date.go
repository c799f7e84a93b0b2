package parse

import (
	"fmt"
	"strings"
	"time"
)

// DateFormat names how a column writes its dates. The zero value "" means
// "detect per value" (see the package documentation). Both the Dutch jjjj and
// the English yyyy spelling are accepted; formats are matched case-insensitively.
type DateFormat string

// The known formats. The short (d-m) and padded (dd-mm) spellings of one
// order and separator parse the same values; DetectDateFormat reports the
// padded one when every sample is padded.
const (
	FormatDetect      DateFormat = ""
	FormatDMYDash     DateFormat = "dd-mm-yyyy"
	FormatDMYDashS    DateFormat = "d-m-yyyy"
	FormatDMYSlash    DateFormat = "dd/mm/yyyy"
	FormatDMYSlashS   DateFormat = "d/m/yyyy"
	FormatDMYDot      DateFormat = "dd.mm.yyyy"
	FormatDMYDotS     DateFormat = "d.m.yyyy"
	FormatMDYSlash    DateFormat = "mm/dd/yyyy"
	FormatMDYSlashS   DateFormat = "m/d/yyyy"
	FormatISO         DateFormat = "yyyy-mm-dd"
	FormatCompact     DateFormat = "yyyymmdd"
	FormatExcelSerial DateFormat = "excel"
)

// MinDate and MaxDate bound every date this package returns.
var (
	MinDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxDate = time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC)
)

type order int

const (
	orderNone order = iota
	orderDMY
	orderMDY
	orderYMD
	orderCompact
	orderSerial
)

// spec is a DateFormat taken apart.
type spec struct {
	order order
	sep   byte
}

var formats = map[DateFormat]spec{
	FormatDMYDash:     {orderDMY, '-'},
	FormatDMYDashS:    {orderDMY, '-'},
	FormatDMYSlash:    {orderDMY, '/'},
	FormatDMYSlashS:   {orderDMY, '/'},
	FormatDMYDot:      {orderDMY, '.'},
	FormatDMYDotS:     {orderDMY, '.'},
	FormatMDYSlash:    {orderMDY, '/'},
	FormatMDYSlashS:   {orderMDY, '/'},
	FormatISO:         {orderYMD, '-'},
	FormatCompact:     {orderCompact, 0},
	FormatExcelSerial: {orderSerial, 0},
}

// Normalize returns the canonical spelling of f (yyyy rather than jjjj, lower
// case, trimmed) and whether the format is known. "" is known (detect).
func (f DateFormat) Normalize() (DateFormat, bool) {
	s := strings.ToLower(strings.TrimSpace(string(f)))
	s = strings.ReplaceAll(s, "j", "y")
	n := DateFormat(s)
	if n == FormatDetect {
		return n, true
	}
	_, ok := formats[n]
	return n, ok
}

// ParseDate parses one date value. With f == "" the form is detected per
// value; otherwise the value must be in form f. A time of day after the date
// is checked and dropped. The result is midnight UTC within [MinDate, MaxDate].
//
// Errors wrap ErrEmpty, ErrBadDate, ErrImpossibleDate, ErrAmbiguousDate,
// ErrOutOfRange or ErrUnknownFormat and never contain s.
func ParseDate(s string, f DateFormat) (time.Time, error) {
	nf, ok := f.Normalize()
	if !ok {
		return time.Time{}, ErrUnknownFormat
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, ErrEmpty
	}
	sp := formats[nf]
	if sp.order == orderSerial {
		return parseSerial(s, false)
	}
	datePart, timePart := splitTime(s)
	if timePart != "" && !validTime(timePart) {
		return time.Time{}, fmt.Errorf("%w: bad time of day", ErrBadDate)
	}
	sh, ok := shapeOf(datePart)
	if !ok {
		return time.Time{}, ErrBadDate
	}
	if sh.serial {
		if nf == FormatDetect && timePart == "" {
			return parseSerial(datePart, true)
		}
		return time.Time{}, ErrBadDate
	}
	if sh.compact {
		if sp.order != orderCompact {
			return time.Time{}, ErrBadDate
		}
		return makeDate(sh.a, sh.b, sh.c)
	}

	var o order
	switch {
	case nf != FormatDetect:
		if sp.order == orderCompact || sh.sep != sp.sep || sh.yearFirst != (sp.order == orderYMD) {
			return time.Time{}, fmt.Errorf("%w: does not match the declared format", ErrBadDate)
		}
		o = sp.order
	case sh.yearFirst:
		if sh.sep != '-' {
			return time.Time{}, ErrBadDate
		}
		o = orderYMD
	case sh.sep == '/':
		// Day first only when that is the sole reading (or both agree).
		switch {
		case sh.a == sh.b, sh.a > 12 && sh.b <= 12:
			o = orderDMY
		default:
			return time.Time{}, ErrAmbiguousDate
		}
	default:
		o = orderDMY
	}
	switch o {
	case orderYMD:
		return makeDate(sh.a, sh.b, sh.c)
	case orderDMY:
		return makeDate(sh.c, sh.b, sh.a)
	default: // orderMDY
		return makeDate(sh.c, sh.a, sh.b)
	}
}

// shape is the syntactic form of a date part: three numbers a, b, c in the
// order written, the separator, whether the year comes first, and whether
// both day and month are written with two digits.
type shape struct {
	a, b, c   int
	sep       byte
	yearFirst bool
	padded    bool
	compact   bool // eight digits, a=year b=month c=day
	serial    bool // a plain number (digits, optional fraction)
}

// shapeOf reads the form of a date part without judging the calendar.
func shapeOf(s string) (shape, bool) {
	if isPlainNumber(s) {
		if len(s) == 8 && allDigits(s) {
			return shape{a: atoi(s[:4]), b: atoi(s[4:6]), c: atoi(s[6:]), compact: true, padded: true}, true
		}
		return shape{serial: true}, true
	}
	var sep byte
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '-' || c == '/' || c == '.' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return shape{}, false
	}
	parts := strings.Split(s, string(sep))
	if len(parts) != 3 {
		return shape{}, false
	}
	for _, p := range parts {
		if p == "" || !allDigits(p) {
			return shape{}, false
		}
	}
	l0, l1, l2 := len(parts[0]), len(parts[1]), len(parts[2])
	sh := shape{sep: sep, a: atoi(parts[0]), b: atoi(parts[1]), c: atoi(parts[2])}
	switch {
	case l0 == 4 && l1 <= 2 && l2 <= 2:
		sh.yearFirst = true
		sh.padded = l1 == 2 && l2 == 2
	case l0 <= 2 && l1 <= 2 && l2 == 4:
		sh.padded = l0 == 2 && l1 == 2
	default:
		return shape{}, false
	}
	return sh, true
}

// splitTime splits "date<sep>time" at the first space or 'T' (after the
// date's first character).
func splitTime(s string) (date, tod string) {
	i := strings.IndexAny(s, " T")
	if i <= 0 {
		return s, ""
	}
	date, tod = s[:i], strings.TrimLeft(s[i+1:], " ")
	if tod == "" {
		// "2024-01-01T" or trailing space (already trimmed): malformed.
		return date, "?"
	}
	return date, tod
}

// validTime checks hh:mm[:ss[.fff]][Z|±hh[:mm]] with hh 0-24, mm and ss 0-59
// (ss 60 for a leap second).
func validTime(s string) bool {
	// Zone suffix.
	if strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z") {
		s = s[:len(s)-1]
	} else if i := strings.LastIndexAny(s, "+-"); i > 0 {
		z := s[i+1:]
		s = s[:i]
		switch {
		case len(z) == 2 && allDigits(z):
		case len(z) == 4 && allDigits(z):
		case len(z) == 5 && z[2] == ':' && allDigits(z[:2]) && allDigits(z[3:]):
		default:
			return false
		}
	}
	frac := ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s, frac = s[:i], s[i+1:]
		if frac == "" || !allDigits(frac) || len(frac) > 9 {
			return false
		}
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 || (frac != "" && len(parts) != 3) {
		return false
	}
	for i, p := range parts {
		if !allDigits(p) || len(p) == 0 || len(p) > 2 || (i > 0 && len(p) != 2) {
			return false
		}
	}
	h, m := atoi(parts[0]), atoi(parts[1])
	if h > 24 || m > 59 {
		return false
	}
	if len(parts) == 3 && atoi(parts[2]) > 60 {
		return false
	}
	return true
}

// makeDate checks the calendar and the range.
func makeDate(y, m, d int) (time.Time, error) {
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return time.Time{}, ErrImpossibleDate
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Before(MinDate) || t.After(MaxDate) {
		return time.Time{}, ErrOutOfRange
	}
	return t, nil
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// maxSerial is the Excel serial of MaxDate.
var maxSerial = serialOf(MaxDate)

// excelEpoch is day 0 of the 1900 date system for serials from 61 on, where
// Excel's fictitious 1900-02-29 (serial 60) no longer shifts the count.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

func serialOf(t time.Time) int {
	return int(t.Sub(excelEpoch).Hours() / 24)
}

// parseSerial reads an Excel 1900-system serial day number, with an optional
// fraction after '.' or ',' (dropped). When detected is set, only a
// five-digit integer part is accepted.
func parseSerial(s string, detected bool) (time.Time, error) {
	if !isPlainNumber(s) {
		if strings.HasPrefix(s, "-") && isPlainNumber(s[1:]) {
			return time.Time{}, ErrOutOfRange
		}
		return time.Time{}, ErrBadDate
	}
	intPart := s
	if i := strings.IndexAny(s, ".,"); i >= 0 {
		intPart = s[:i]
	}
	intPart = strings.TrimLeft(intPart, "0")
	if detected && len(intPart) != 5 {
		return time.Time{}, ErrBadDate
	}
	if len(intPart) > 6 {
		return time.Time{}, ErrOutOfRange
	}
	n := atoi(intPart)
	switch {
	case n < 1 || n > maxSerial:
		return time.Time{}, ErrOutOfRange
	case n == 60:
		return time.Time{}, fmt.Errorf("%w: 1900-02-29 (Excel leap-year bug)", ErrImpossibleDate)
	case n < 60:
		return excelEpoch.AddDate(0, 0, n+1), nil
	default:
		return excelEpoch.AddDate(0, 0, n), nil
	}
}

// isPlainNumber: digits with at most one '.' or ',' followed by digits;
// at least one digit before the separator.
func isPlainNumber(s string) bool {
	if s == "" {
		return false
	}
	i := strings.IndexAny(s, ".,")
	if i < 0 {
		return allDigits(s)
	}
	return i > 0 && allDigits(s[:i]) && i+1 < len(s) && allDigits(s[i+1:])
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi for strings known to be short and all digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s) && i < 9; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// DetectDateFormat chooses the format of a column from sample values.
// Empty samples are skipped; if nothing is left it returns ErrEmpty.
//
// The shape most samples share wins (year first, year last with '-', '/' or
// '.', eight digits, or a plain serial number); samples of other shapes are
// ignored here and fail later in ParseDate. For a year-last '/' shape the
// samples must decide the order: a first number above 12 in some sample
// means day first, a second number above 12 means month first; both, or
// neither, gives ErrAmbiguousDate (declare the format). '-' and '.' are
// always day first. Eight digits are taken as jjjjmmdd only when every such
// sample is a valid date that way. The padded spelling (dd-mm) is returned
// when every sample of the winning shape has two-digit day and month.
func DetectDateFormat(samples []string) (DateFormat, error) {
	type key struct {
		sep       byte
		yearFirst bool
		compact   bool
		serial    bool
	}
	type tally struct {
		n, dayFirst, monthFirst int
		unpadded                bool
		badCompact              bool
	}
	tallies := map[key]*tally{}
	var order []key
	nonEmpty := 0
	for _, s := range samples {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		nonEmpty++
		d, tod := splitTime(s)
		if tod != "" && !validTime(tod) {
			continue
		}
		sh, ok := shapeOf(d)
		if !ok {
			continue
		}
		k := key{sh.sep, sh.yearFirst, sh.compact, sh.serial}
		t := tallies[k]
		if t == nil {
			t = &tally{}
			tallies[k] = t
			order = append(order, k)
		}
		t.n++
		if !sh.padded {
			t.unpadded = true
		}
		if sh.a > 12 && sh.b <= 12 {
			t.dayFirst++
		}
		if sh.b > 12 && sh.a <= 12 {
			t.monthFirst++
		}
		if sh.compact {
			if _, err := makeDate(sh.a, sh.b, sh.c); err != nil {
				t.badCompact = true
			}
		}
	}
	if nonEmpty == 0 {
		return FormatDetect, ErrEmpty
	}
	if len(order) == 0 {
		return FormatDetect, ErrBadDate
	}
	best := order[0]
	for _, k := range order[1:] {
		if tallies[k].n > tallies[best].n {
			best = k
		}
	}
	t := tallies[best]
	pick := func(padded, short DateFormat) DateFormat {
		if t.unpadded {
			return short
		}
		return padded
	}
	switch {
	case best.serial:
		return FormatExcelSerial, nil
	case best.compact:
		if t.badCompact {
			return FormatDetect, ErrBadDate
		}
		return FormatCompact, nil
	case best.yearFirst:
		if best.sep != '-' {
			return FormatDetect, ErrBadDate
		}
		return FormatISO, nil
	case best.sep == '-':
		return pick(FormatDMYDash, FormatDMYDashS), nil
	case best.sep == '.':
		return pick(FormatDMYDot, FormatDMYDotS), nil
	default: // '/'
		switch {
		case t.dayFirst > 0 && t.monthFirst == 0:
			return pick(FormatDMYSlash, FormatDMYSlashS), nil
		case t.monthFirst > 0 && t.dayFirst == 0:
			return pick(FormatMDYSlash, FormatMDYSlashS), nil
		default:
			return FormatDetect, ErrAmbiguousDate
		}
	}
}
