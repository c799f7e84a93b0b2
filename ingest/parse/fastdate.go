package parse

// FastDate reads the common spellings of a date in a known format without
// allocating, for the bulk of the values of a column whose format is declared
// or detected. It accepts:
//
//   - FormatISO: exactly yyyy-mm-dd (ten characters, two-digit month and day);
//   - FormatDMYDash, FormatDMYDashS, FormatDMYSlash, FormatDMYSlashS,
//     FormatDMYDot, FormatDMYDotS: d-m-yyyy with a one- or two-digit day and
//     month and a four-digit year, with the format's own separator ('-', '/'
//     or '.'), whatever the padding the format names.
//
// It returns the day number (days since 1970-01-01, as in an Arrow date32)
// and true only for a valid date within [MinDate, MaxDate]; for such a value
// ParseDate with the same format gives the same day. For anything else it
// returns false: another format (FormatDetect, month-first, compact, Excel
// serials, or a spelling not normalised by DateFormat.Normalize, such as
// "dd-mm-jjjj"), a time of day, surrounding spaces, another form, an
// impossible or out-of-range date. The caller then uses ParseDate, which
// reads the value or gives the error. FastDate never reads a value ParseDate
// rejects; TestFastDateAgreesWithParseDate and FuzzParseDate check that.
func FastDate(s string, f DateFormat) (int32, bool) {
	var y, m, d int
	var ok bool
	switch f {
	case FormatISO:
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
	case FormatDMYDash, FormatDMYDashS:
		d, m, y, ok = dayFirst(s, '-')
	case FormatDMYSlash, FormatDMYSlashS:
		d, m, y, ok = dayFirst(s, '/')
	case FormatDMYDot, FormatDMYDotS:
		d, m, y, ok = dayFirst(s, '.')
	default:
		return 0, false
	}
	if !ok || y < MinDate.Year() || y > MaxDate.Year() || m < 1 || m > 12 || d < 1 || d > monthDays(y, m) {
		return 0, false
	}
	return DaysFromCivil(y, m, d), true
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

// monthDays is daysIn without time.Date, for FastDate.
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

// DaysFromCivil is the number of days from 1970-01-01 to the date y-m-d in
// the proleptic Gregorian calendar (H. Hinnant's days_from_civil): the Arrow
// date32 of that date, computed without time.Time. Month and day must form
// a valid date (m in 1-12, d within the month); it does not check them.
func DaysFromCivil(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399 // round the era down for years before 1 (not reached from FastDate)
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}
