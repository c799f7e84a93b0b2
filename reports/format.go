package reports

import (
	"strconv"
	"strings"
)

// number formats a count with the language's thousands separator.
func number(n int, lang string) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + number(-n, lang)
	}
	sep := ","
	if lang == "nl" {
		sep = "."
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return s
}

// percent formats a proportion as a percentage with one decimal, with the
// language's decimal separator.
func percent(p float64, lang string) string {
	s := strconv.FormatFloat(100*p, 'f', 1, 64)
	if lang == "nl" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + "%"
}
