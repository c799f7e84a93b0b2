package parse

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func d(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }

func TestParseDate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		f    DateFormat
		want time.Time
		err  error
	}{
		{"dash padded", "15-01-2024", "", d(2024, 1, 15), nil},
		{"dash short", "5-1-2024", "", d(2024, 1, 5), nil},
		{"dash ambiguous-looking is day first", "03-04-2024", "", d(2024, 4, 3), nil},
		{"dot", "03.04.2024", "", d(2024, 4, 3), nil},
		{"slash day above 12", "13/04/2024", "", d(2024, 4, 13), nil},
		{"slash equal parts", "03/03/2024", "", d(2024, 3, 3), nil},
		{"slash ambiguous", "03/04/2024", "", time.Time{}, ErrAmbiguousDate},
		{"slash month first undeclared", "04/13/2024", "", time.Time{}, ErrAmbiguousDate},
		{"slash declared dmy", "03/04/2024", "dd/mm/jjjj", d(2024, 4, 3), nil},
		{"slash declared mdy", "03/04/2024", "mm/dd/yyyy", d(2024, 3, 4), nil},
		{"slash declared short", "3/4/2024", "d/m/jjjj", d(2024, 4, 3), nil},
		{"declared padded accepts short", "3-4-2024", "dd-mm-jjjj", d(2024, 4, 3), nil},
		{"declared separator mismatch", "03/04/2024", "dd-mm-yyyy", time.Time{}, ErrBadDate},
		{"declared dmy given iso", "2024-04-03", "dd-mm-yyyy", time.Time{}, ErrBadDate},
		{"iso", "2024-01-15", "", d(2024, 1, 15), nil},
		{"iso declared", "2024-01-15", "jjjj-mm-dd", d(2024, 1, 15), nil},
		{"iso slashes refused", "2024/01/15", "", time.Time{}, ErrBadDate},
		{"time hh:mm", "15-01-2024 13:45", "", d(2024, 1, 15), nil},
		{"time hh:mm:ss", "15-01-2024 13:45:07", "dd-mm-yyyy", d(2024, 1, 15), nil},
		{"iso T Z", "2024-01-15T13:45:07Z", "", d(2024, 1, 15), nil},
		{"iso T fraction offset", "2024-01-15T13:45:07.123+01:00", "", d(2024, 1, 15), nil},
		{"iso T no zone", "2024-01-15T00:00:00", "", d(2024, 1, 15), nil},
		{"bad time", "15-01-2024 25:00", "", time.Time{}, ErrBadDate},
		{"garbage time", "15-01-2024 foo", "", time.Time{}, ErrBadDate},
		{"trailing T", "2024-01-15T", "", time.Time{}, ErrBadDate},
		{"leap day", "29-02-2024", "", d(2024, 2, 29), nil},
		{"not leap", "29-02-2023", "", time.Time{}, ErrImpossibleDate},
		{"feb 31", "31-02-2024", "", time.Time{}, ErrImpossibleDate},
		{"month 13", "01-13-2024", "", time.Time{}, ErrImpossibleDate},
		{"day 0", "00-01-2024", "", time.Time{}, ErrImpossibleDate},
		{"before 1900", "31-12-1899", "", time.Time{}, ErrOutOfRange},
		{"after 2100", "01-01-2101", "", time.Time{}, ErrOutOfRange},
		{"first day", "01-01-1900", "", d(1900, 1, 1), nil},
		{"last day", "31-12-2100", "", d(2100, 12, 31), nil},
		{"two digit year", "15-01-24", "", time.Time{}, ErrBadDate},
		{"empty", "  ", "", time.Time{}, ErrEmpty},
		{"words", "gisteren", "", time.Time{}, ErrBadDate},
		{"four parts", "1-2-3-2024", "", time.Time{}, ErrBadDate},
		{"mixed separators", "15-01/2024", "", time.Time{}, ErrBadDate},
		{"unknown format", "15-01-2024", "dd mon yyyy", time.Time{}, ErrUnknownFormat},
		{"excel declared", "45292", "excel", d(2024, 1, 1), nil},
		{"excel declared with time", "45292.5625", "excel", d(2024, 1, 1), nil},
		{"excel decimal comma", "45292,5625", "excel", d(2024, 1, 1), nil},
		{"excel detected", "45292", "", d(2024, 1, 1), nil},
		{"excel 1", "1", "excel", d(1900, 1, 1), nil},
		{"excel 59", "59", "excel", d(1900, 2, 28), nil},
		{"excel 60 bug", "60", "excel", time.Time{}, ErrImpossibleDate},
		{"excel 61", "61", "excel", d(1900, 3, 1), nil},
		{"excel 0", "0", "excel", time.Time{}, ErrOutOfRange},
		{"excel negative", "-5", "excel", time.Time{}, ErrOutOfRange},
		{"excel max", "73415", "excel", d(2100, 12, 31), nil},
		{"excel beyond", "73416", "excel", time.Time{}, ErrOutOfRange},
		{"excel huge", "99999999999999999999", "excel", time.Time{}, ErrOutOfRange},
		{"excel not number", "15-01-2024", "excel", time.Time{}, ErrBadDate},
		{"bare year not serial", "2024", "", time.Time{}, ErrBadDate},
		{"compact undeclared", "20240115", "", time.Time{}, ErrBadDate},
		{"compact declared", "20240115", "jjjjmmdd", d(2024, 1, 15), nil},
		{"compact impossible", "20240231", "yyyymmdd", time.Time{}, ErrImpossibleDate},
		{"format case and space", "15-01-2024", " DD-MM-JJJJ ", d(2024, 1, 15), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDate(tc.in, tc.f)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				if len(strings.TrimSpace(tc.in)) >= 4 && strings.Contains(err.Error(), strings.TrimSpace(tc.in)) {
					t.Fatalf("error %q contains the input", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if !got.Equal(tc.want) {
				t.Fatalf("got %s, want %s", got.Format(time.DateOnly), tc.want.Format(time.DateOnly))
			}
		})
	}
}

func TestDetectDateFormat(t *testing.T) {
	tests := []struct {
		name    string
		samples []string
		want    DateFormat
		err     error
	}{
		{"dutch dash padded", []string{"01-02-2024", "", "15-12-2023"}, FormatDMYDash, nil},
		{"dutch dash short", []string{"1-2-2024", "15-12-2023"}, FormatDMYDashS, nil},
		{"dot", []string{"01.02.2024"}, FormatDMYDot, nil},
		{"slash decided day first", []string{"01/02/2024", "25/12/2023"}, FormatDMYSlash, nil},
		{"slash decided month first", []string{"01/02/2024", "12/25/2023"}, FormatMDYSlash, nil},
		{"slash undecided", []string{"01/02/2024", "03/04/2024"}, "", ErrAmbiguousDate},
		{"slash contradictory", []string{"25/01/2024", "01/25/2024"}, "", ErrAmbiguousDate},
		{"slash short", []string{"1/2/2024", "25/12/2023"}, FormatDMYSlashS, nil},
		{"iso with times", []string{"2024-01-02T10:00:00Z", "2024-01-03 10:00"}, FormatISO, nil},
		{"serials", []string{"45292", "45293.25", "12"}, FormatExcelSerial, nil},
		{"compact", []string{"20240115", "19991231"}, FormatCompact, nil},
		{"compact not a date", []string{"20241315", "19991231"}, "", ErrBadDate},
		{"majority wins", []string{"2024-01-02", "2024-01-03", "03-01-2024", "onbekend"}, FormatISO, nil},
		{"all empty", []string{"", " "}, "", ErrEmpty},
		{"nothing usable", []string{"x", "y"}, "", ErrBadDate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DetectDateFormat(tc.samples)
			if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			// Every decided format parses its own well-formed samples.
			if err == nil && tc.name != "majority wins" {
				for _, s := range tc.samples {
					if strings.TrimSpace(s) == "" || tc.name == "serials" && s == "12" {
						continue
					}
					if _, err := ParseDate(s, got); err != nil {
						t.Errorf("ParseDate(sample %d, %q): %v", len(s), got, err)
					}
				}
			}
		})
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want float64
		err  error
	}{
		{"integer", "42", 42, nil},
		{"negative", "-12", -12, nil},
		{"plus", "+7", 7, nil},
		{"decimal comma", "3,5", 3.5, nil},
		{"decimal point", "3.5", 3.5, nil},
		{"two decimals comma", "1234,56", 1234.56, nil},
		{"dutch thousands and decimal", "1.234,5", 1234.5, nil},
		{"english thousands and decimal", "1,234.5", 1234.5, nil},
		{"dutch millions", "1.234.567,89", 1234567.89, nil},
		{"only thousands dots", "1.234.567", 1234567, nil},
		{"only thousands commas", "1,234,567", 1234567, nil},
		{"ambiguous dot", "1.234", 0, ErrAmbiguousNumber},
		{"ambiguous comma", "12,500", 0, ErrAmbiguousNumber},
		{"ambiguous negative", "-100.000", 0, ErrAmbiguousNumber},
		{"leading zero not ambiguous", "0.234", 0.234, nil},
		{"four digit int not ambiguous", "1234,567", 1234.567, nil},
		{"leading comma", ",5", 0.5, nil},
		{"space thousands", "1 234,5", 1234.5, nil},
		{"nbsp thousands", "1\u00a0234", 1234, nil},
		{"exponent", "1.5e3", 1500, nil},
		{"exponent signed", "1E-06", 0.000001, nil},
		{"surrounding spaces", "  3,5 ", 3.5, nil},
		{"bad grouping", "1.23.4", 0, ErrBadNumber},
		{"bad mixed order", "1,234.567,8", 0, ErrBadNumber},
		{"decimal before thousands", "1,5.000", 0, ErrBadNumber},
		{"trailing separator", "5,", 0, ErrBadNumber},
		{"currency", "€ 5", 0, ErrBadNumber},
		{"percent", "5%", 0, ErrBadNumber},
		{"nan", "NaN", 0, ErrBadNumber},
		{"inf", "Inf", 0, ErrBadNumber},
		{"overflow", "1e999", 0, ErrBadNumber},
		{"sign only", "-", 0, ErrBadNumber},
		{"hex", "0x10", 0, ErrBadNumber},
		{"empty", "", 0, ErrEmpty},
		{"bad space groups", "12 34", 0, ErrBadNumber},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseNumber(tc.in)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func ExampleParseDate() {
	for _, s := range []string{"15-01-2024", "2024-01-15T13:45:07Z", "45292", "03/04/2024"} {
		t, err := ParseDate(s, "")
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(t.Format(time.DateOnly))
	}
	// Output:
	// 2024-01-15
	// 2024-01-15
	// 2024-01-01
	// ambiguous date: declare the date format
}

func ExampleParseNumber() {
	for _, s := range []string{"3,5", "1.234,5", "1,234.5", "1.234"} {
		f, err := ParseNumber(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(f)
	}
	// Output:
	// 3.5
	// 1234.5
	// 1234.5
	// ambiguous number: decimal or thousands separator
}
