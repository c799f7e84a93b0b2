package ingest

// Free text: an allowed free-text field (study.File FreeText) is loaded
// only when it holds nothing that looks like a direct identifier. A value
// in which scanFreeText finds one is dropped (the field is left empty, the
// row is loaded) and counted under the pattern's name in
// FileResult.FreeTextDropped; the value itself is never kept or shown.

import (
	"regexp"
	"strings"
)

// Free-text patterns, by the name under which a dropped value is counted.
// They are deliberately wide: a false match costs one note, a miss a leak.
const (
	// FreeTextEmail: something@domain.tld.
	FreeTextEmail = "free_text_email"
	// FreeTextPhone: a Dutch phone number (0 or +31/0031 and nine more
	// digits, with or without spaces or dashes).
	FreeTextPhone = "free_text_phone"
	// FreeTextBSN: a run of eight or nine digits, with or without spaces,
	// dots or dashes between them (a national ID, grouped or not), or any
	// longer run of digits.
	FreeTextBSN = "free_text_bsn"
	// FreeTextPostcode: a full Dutch postcode, four digits and two capital
	// letters (1234 AB, 1234AB).
	FreeTextPostcode = "free_text_postcode"
	// FreeTextDate: a full date (12-03-1980, 12/3/80, 1980-03-12,
	// 12 maart 1980).
	FreeTextDate = "free_text_date"
)

var freeTextPatterns = []struct {
	name string
	re   *regexp.Regexp
}{
	{FreeTextEmail, regexp.MustCompile(`[^\s@]+@[^\s@]+\.[A-Za-z]{2,}`)},
	{FreeTextPhone, regexp.MustCompile(`(?:\+31|0031|\b0)[\s\-]?(?:\(0\))?(?:\d[\s\-]?){8}\d`)},
	{FreeTextDate, regexp.MustCompile(`(?i)\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b|\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|maa|mrt|apr|mei|may|jun|jul|aug|sep|okt|oct|nov|dec)[a-z]*\.?\s+\d{2,4}\b`)},
	{FreeTextBSN, regexp.MustCompile(`\d(?:[\s.\-]?\d){7,}`)},
	{FreeTextPostcode, regexp.MustCompile(`\b[1-9]\d{3}\s?[A-Z]{2}\b`)},
}

// FreeTextPatterns lists the names under which dropped free-text values
// are counted, in the order they are tried.
func FreeTextPatterns() []string {
	out := make([]string, len(freeTextPatterns))
	for i, p := range freeTextPatterns {
		out[i] = p.name
	}
	return out
}

// scanFreeText returns the name of the first identifier pattern found in
// v, or "" when there is none. Text without a digit or an @ holds none of
// them and is not scanned further.
func scanFreeText(v string) string {
	if !strings.ContainsAny(v, "0123456789@") {
		return ""
	}
	for _, p := range freeTextPatterns {
		if p.re.MatchString(v) {
			return p.name
		}
	}
	return ""
}
