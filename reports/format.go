package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
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
	s := strconv.FormatFloat(math.Round(1000*p)/10, 'f', 1, 64)
	if lang == "nl" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + "%"
}

// percent0 formats a proportion as a whole percentage, for plain sentences.
func percent0(p float64, lang string) string {
	// Half away from zero (62.5% → 63%), as readers round; FormatFloat
	// alone rounds an exact half to even.
	return strconv.FormatFloat(math.Round(100*p), 'f', 0, 64) + "%"
}

// decimal formats x with d decimals and the language's decimal separator.
func decimal(x float64, d int, lang string) string {
	if math.IsInf(x, 1) {
		return "∞"
	}
	if math.IsNaN(x) {
		return "–"
	}
	s := strconv.FormatFloat(x, 'f', d, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // -0.001 to 2 decimals is 0,00, not -0,00
	}
	if lang == "nl" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// signed is decimal with two decimals and an explicit sign.
func signed(x float64, lang string) string {
	s := decimal(x, 2, lang)
	if x > 0 && strings.Trim(s, "0.,") != "" {
		return "+" + s
	}
	return s
}

// points formats a difference of proportions in percentage points.
func points(x float64, lang string) string {
	s := decimal(100*x, 1, lang)
	if x > 0 && strings.Trim(s, "0.,") != "" {
		s = "+" + s
	}
	return s
}

// longDate writes a date as in running text: "31 december 2025" in Dutch,
// "31 December 2025" in English, never ISO.
func longDate(t time.Time, lang string) string {
	months := []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
	if lang != "nl" {
		return t.Format("2 January 2006")
	}
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// pValue formats a p-value: three decimals, or "<0.001".
func pValue(p float64, lang string) string {
	if p < 0.001 {
		return "<" + decimal(0.001, 3, lang)
	}
	return decimal(p, 3, lang)
}

// pRelation is a p-value for running text: "= 0,266" or "< 0,001".
func pRelation(p float64, lang string) string {
	if p < 0.001 {
		return "< " + decimal(0.001, 3, lang)
	}
	return "= " + decimal(p, 3, lang)
}
