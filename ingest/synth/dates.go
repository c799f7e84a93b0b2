package synth

// day is a calendar date as the number of days since 1970-01-01. Plain
// integer arithmetic keeps the generator fast and free of time zones.
type day int32

// mkday returns the day of year y, month m (1-12), day d (1-31).
// Algorithm: Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
func mkday(y, m, d int) day {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return day(era*146097 + doe - 719468)
}

// civil returns the year, month (1-12) and day of month of d.
func (d day) civil() (y, m, dd int) {
	z := int(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, dd
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// addMonths adds n months to d, clamping the day to the last day of the
// resulting month: 2023-01-31 + 1 month = 2023-02-28. This is what DuckDB's
// date + INTERVAL n MONTH does.
func addMonths(d day, n int) day {
	y, m, dd := d.civil()
	t := y*12 + (m - 1) + n
	y, m = t/12, t%12+1
	if dl := daysIn(y, m); dd > dl {
		dd = dl
	}
	return mkday(y, m, dd)
}

// addYears adds n years, clamping 29 February to 28 February.
func addYears(d day, n int) day { return addMonths(d, 12*n) }

// dateLayout is how an export writes its dates.
type dateLayout int

const (
	layoutDMYDash  dateLayout = iota // dd-mm-yyyy
	layoutISO                        // yyyy-mm-dd
	layoutDMYShort                   // d-m-yyyy
	layoutDMYSlash                   // dd/mm/yyyy
	numLayouts
)

// dateCache formats days once per layout; exports write the same few
// thousand dates millions of times.
type dateCache struct {
	lo    day
	cache [numLayouts][]string
}

func newDateCache() *dateCache {
	lo := mkday(1950, 1, 1)
	n := int(mkday(2031, 1, 1) - lo)
	c := &dateCache{lo: lo}
	for i := range c.cache {
		c.cache[i] = make([]string, n)
	}
	return c
}

func (c *dateCache) format(l dateLayout, d day) string {
	i := int(d - c.lo)
	if i >= 0 && i < len(c.cache[l]) {
		if s := c.cache[l][i]; s != "" {
			return s
		}
		s := formatDate(l, d)
		c.cache[l][i] = s
		return s
	}
	return formatDate(l, d)
}

func formatDate(l dateLayout, d day) string {
	y, m, dd := d.civil()
	var b []byte
	switch l {
	case layoutDMYDash:
		b = append2(b, dd)
		b = append(b, '-')
		b = append2(b, m)
		b = append(b, '-')
		b = append4(b, y)
	case layoutISO:
		b = append4(b, y)
		b = append(b, '-')
		b = append2(b, m)
		b = append(b, '-')
		b = append2(b, dd)
	case layoutDMYShort:
		b = appendInt(b, dd)
		b = append(b, '-')
		b = appendInt(b, m)
		b = append(b, '-')
		b = append4(b, y)
	case layoutDMYSlash:
		b = append2(b, dd)
		b = append(b, '/')
		b = append2(b, m)
		b = append(b, '/')
		b = append4(b, y)
	}
	return string(b)
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

func appendInt(b []byte, v int) []byte {
	if v >= 10 {
		b = appendInt(b, v/10)
	}
	return append(b, byte('0'+v%10))
}

func (d day) String() string { return formatDate(layoutISO, d) }
