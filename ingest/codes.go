package ingest

// Codes: the lookup tables for code fields, and the bounded counting of
// codes missing from them, which hides codes that look like personal data.

import (
	"strings"
	"unicode/utf8"

	"github.com/outcomes-research/outcomes/study"
)

// MaxUnknownCodes bounds the distinct unknown codes listed per field in
// FileResult.UnknownCodes; further ones are counted under OtherUnknownCodes.
// MaxCodeLen bounds the length (in runes) of a listed code: a longer one is
// cut and ends in "…".
const (
	MaxUnknownCodes   = 50
	MaxCodeLen        = 40
	OtherUnknownCodes = "(other codes)"
	// HiddenUnknownCode counts unknown codes that look like a personal value
	// (a long run of digits, an e-mail address, or a code longer than
	// MaxCodeLen): a code column may hold a national ID or a name by mistake,
	// and listed codes reach the run summary and `outcomes check`.
	HiddenUnknownCode = "(value hidden: looks like personal data)"
)

// codeTable builds the lookup for a code field: the study file's table, or,
// without one, the canonical values themselves.
func codeTable(st *study.Study, field string, table map[string]string) map[string]string {
	out := map[string]string{}
	if len(table) > 0 {
		for code, canon := range table {
			out[normHeader(code)] = canon
		}
		return out
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
		canon = study.LifeDomains()
	case study.FieldRelation:
		canon = study.Relations()
	}
	for _, c := range canon {
		out[normHeader(c)] = c
	}
	return out
}

// countUnknown counts an unknown code of a field, keeping the list bounded.
func (m *mapper) countUnknown(field, raw string) {
	codes := m.unknown[field]
	if codes == nil {
		codes = map[string]int{}
		m.unknown[field] = codes
	}
	code := raw
	if looksPersonal(code) {
		code = HiddenUnknownCode
	}
	if _, listed := codes[code]; !listed && len(codes) >= MaxUnknownCodes {
		code = OtherUnknownCodes
	}
	codes[code]++
}

// looksPersonal reports whether an unknown code should not be shown: it is
// longer than MaxCodeLen, holds an @, or holds six or more digits in a row
// (a national ID, phone number or full date without separators).
func looksPersonal(code string) bool {
	if utf8.RuneCountInString(code) > MaxCodeLen || strings.Contains(code, "@") {
		return true
	}
	run := 0
	for _, r := range code {
		if r >= '0' && r <= '9' {
			if run++; run >= 6 {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}
