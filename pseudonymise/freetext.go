package pseudonymise

import (
	"slices"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/study"
)

// fileKey names one export of one partner.
type fileKey struct{ partner, file string }

// NewForStudy returns a Pseudonymiser for the study key that lets through
// the free-text fields each of the study's files allows (study.File
// FreeText). [New] allows none.
func NewForStudy(k Key, st *study.Study) *Pseudonymiser {
	p := New(k)
	if lp := st.Linkage.Probabilistic; lp != nil {
		p.Encode, p.EncodeAll = true, lp.EncodeAll
	}
	p.freeText = map[fileKey][]string{}
	for _, partner := range st.Partners {
		for _, f := range partner.Files {
			if len(f.FreeText) > 0 {
				p.freeText[fileKey{partner.Name, f.Name}] = f.FreeText
			}
		}
	}
	return p
}

// dropsFreeText says whether column name of raw is free text that the study
// file does not allow for raw's file: its values are then replaced by null.
func (p *Pseudonymiser) dropsFreeText(raw ingest.RawBatch, name string) bool {
	if !slices.Contains(study.FreeTextFields(), name) {
		return false
	}
	return !slices.Contains(p.freeText[fileKey{raw.Partner, raw.File}], name)
}

func appendNulls(b array.Builder, n int) {
	for range n {
		b.AppendNull()
	}
}

// SuppliedIdentity reports whether the identity columns of a row of a
// supplier-pseudonymised export have the form `outcomes pseudonymise`
// writes: a pseudonym, an optional fallback pseudonym, and a linkage of bsn
// or fallback. The pipeline quarantines a row that fails (rule
// no_identifier, never with its values); `outcomes check` counts it the
// same way.
func SuppliedIdentity(pseudonym, fallback, linkage string) bool {
	return isPseudonym(pseudonym) && (fallback == "" || isPseudonym(fallback)) && (linkage == LinkBSN || linkage == LinkFallback)
}

// isPseudonym reports whether s has the form of a pseudonym: PseudonymLen
// lower-case hex digits. A supplier-pseudonymised export whose pseudonym
// column holds anything else (a BSN, a name) is rejected row by row.
func isPseudonym(s string) bool {
	if len(s) != PseudonymLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
