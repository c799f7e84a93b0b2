package ingest

// Codes: the lookup tables for code fields, and the bounded counting of
// codes missing from them, which hides codes that look like personal data.

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/outcomes-research/outcomes/study"
)

// MaxUnknownCodes bounds the distinct unknown codes listed per field in
// FileResult.UnknownCodes; further ones are counted under OtherUnknownCodes.
// MaxCodeLen bounds the length (in runes) of a listed code.
//
// An unknown code is listed as written only when it looks like the codes
// of its table (see safeCode): a code column may hold a national ID,
// a birth date, a postcode, a phone number or a name by mistake, and listed
// codes reach the run summary and `outcomes check`. Any other value is
// counted under a label that says only its length, "(value of N
// characters)", never the value.
const (
	MaxUnknownCodes   = 50
	MaxCodeLen        = 40
	OtherUnknownCodes = "(other codes)"
	// HiddenUnknownCode is the label of unknown codes too long to describe
	// (more than MaxCodeLen runes).
	HiddenUnknownCode = "(value hidden: looks like personal data)"
)

// valueLabel describes a value that is not shown: its length only.
func valueLabel(v string) string {
	n := utf8.RuneCountInString(v)
	if n > MaxCodeLen {
		return HiddenUnknownCode
	}
	if n == 1 {
		return "(value of 1 character)"
	}
	return fmt.Sprintf("(value of %d characters)", n)
}

// runeClass is the class of a rune for codePattern: A (upper-case letter),
// a (lower-case letter), 9 (digit), a space, or the rune itself.
func runeClass(r rune) rune {
	switch {
	case unicode.IsUpper(r):
		return 'A'
	case unicode.IsLower(r):
		return 'a'
	case unicode.IsDigit(r):
		return '9'
	case unicode.IsSpace(r):
		return ' '
	}
	return r
}

// codePattern is what a table's codes look like: the classes of the runes
// they use (runeClass) and their longest length. An unknown code is listed
// as written only when it fits.
type codePattern struct {
	classes map[rune]bool
	maxLen  int
}

func newCodePattern(codes []string) codePattern {
	p := codePattern{classes: map[rune]bool{}}
	for _, c := range codes {
		for _, r := range c {
			p.classes[runeClass(r)] = true
		}
		p.maxLen = max(p.maxLen, utf8.RuneCountInString(c))
	}
	return p
}

// safeCode reports whether an unknown code may be listed as written: it
// uses only the rune classes of its table's codes (upper- and lower-case
// letters, digits, spaces and each punctuation mark count apart), is no
// longer than the longest of them by more than two runes, and does not look personal
// (looksPersonal: four or more digits, an @). A capitalised surname in a
// table of upper-case codes, a date or a postcode in a table of letter
// codes, are not listed.
func (p codePattern) safeCode(code string) bool {
	n := utf8.RuneCountInString(code)
	if n == 0 || n > p.maxLen+2 || looksPersonal(code) {
		return false
	}
	for _, r := range code {
		if !p.classes[runeClass(r)] {
			return false
		}
	}
	return true
}

// codeTable builds the lookup for a code field: the study file's table, or,
// without one, the canonical values themselves; and the pattern of its
// codes, which decides which unknown codes may be listed.
func codeTable(st *study.Study, field string, table map[string]string) (map[string]string, codePattern) {
	out := map[string]string{}
	if len(table) > 0 {
		var codes []string
		for code, canon := range table {
			out[normHeader(code)] = canon
			codes = append(codes, code)
		}
		return out, newCodePattern(codes)
	}
	var canon []string
	switch field {
	case study.FieldProgramme:
		for _, p := range st.Programmes {
			canon = append(canon, p.Code)
		}
	case study.FieldExitDestination:
		canon = study.Destinations()
	case study.FieldEventType:
		canon = study.EventTypes()
	case study.FieldDomain:
		canon = st.Domains()
	case study.FieldRelation:
		canon = study.Relations()
	case study.FieldDisposal:
		canon = study.Disposals()
	case study.FieldOffenceType:
		canon = study.OffenceTypes()
	case study.FieldSeriousness:
		canon = study.SeriousnessTiers()
	}
	for _, c := range canon {
		out[normHeader(c)] = c
	}
	return out, newCodePattern(canon)
}

// countUnknown counts an unknown code of a field, keeping the list bounded
// and listing only codes that fit the table's pattern (safeCode).
func (m *mapper) countUnknown(c column, raw string) {
	field := c.field.Name
	codes := m.unknown[field]
	if codes == nil {
		codes = map[string]int{}
		m.unknown[field] = codes
	}
	code := raw
	if !c.pattern.safeCode(code) {
		code = valueLabel(code)
	}
	if _, listed := codes[code]; !listed && len(codes) >= MaxUnknownCodes {
		code = OtherUnknownCodes
	}
	codes[code]++
}

// looksPersonal reports whether a code may not be shown whatever its table:
// it is longer than MaxCodeLen, holds an @, or holds four or more digits (a
// national ID, phone number, postcode or date, with or without separators).
func looksPersonal(code string) bool {
	if utf8.RuneCountInString(code) > MaxCodeLen || strings.Contains(code, "@") {
		return true
	}
	digits := 0
	for _, r := range code {
		if unicode.IsDigit(r) {
			if digits++; digits >= 4 {
				return true
			}
		}
	}
	return false
}
