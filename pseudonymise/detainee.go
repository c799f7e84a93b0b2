package pseudonymise

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/outcomes-research/outcomes/study"
)

// Columns of a pseudonymised households batch that replace the detainee's
// identity fields. They come last in the schema.
const (
	// ColumnDetaineeID is the detainee's pseudonym, computed with the same
	// key and domains as a person_id, so it matches the detainee's own
	// aftercare and justice records: from the detainee's BSN when valid,
	// else from surname + birth date + sex.
	ColumnDetaineeID = "detainee_id"
	// ColumnDetaineeFallbackID is the pseudonym of the detainee's surname +
	// birth date + sex, when known (the store resolves a fallback-linked
	// detainee_id to a BSN person through it).
	ColumnDetaineeFallbackID = "detainee_fallback_id"
	// ColumnDetaineeLinkage is LinkBSN or LinkFallback.
	ColumnDetaineeLinkage = "detainee_linkage"
)

// detaineeFields lists the pseudonymised detainee columns of an export kind:
// households only.
func detaineeFields(kind study.Kind) []arrow.Field {
	if kind != study.KindHouseholds {
		return nil
	}
	str := arrow.BinaryTypes.String
	return []arrow.Field{
		{Name: ColumnDetaineeID, Type: str},
		{Name: ColumnDetaineeFallbackID, Type: str, Nullable: true},
		{Name: ColumnDetaineeLinkage, Type: str},
	}
}

// detainees pseudonymises the detainee of each row of a households batch.
// Batch calls row for every row before it pseudonymises the row's person,
// and add for every row it keeps.
//
// In a supplier-pseudonymised export (a detainee_pseudonym column is
// mapped) the supplier's detainee pseudonym, linkage and fallback
// pseudonym are passed through after a check of their form, as the
// person's are; otherwise they are computed from the detainee's BSN, or
// surname + birth date + sex.
type detainees struct {
	p                  *Pseudonymiser
	who                identityColumns
	id, fallback, link *array.StringBuilder
	cur                identity
}

// newDetainees returns nil for kinds without a detainee. The builders are
// the last len(detaineeFields(kind)) fields of rb.
func (p *Pseudonymiser) newDetainees(kind study.Kind, col map[string]arrow.Array, rb *array.RecordBuilder) *detainees {
	n := len(detaineeFields(kind))
	if n == 0 {
		return nil
	}
	first := len(rb.Schema().Fields()) - n
	return &detainees{
		p:   p,
		who: detaineeColumns(col),
		id:  rb.Field(first).(*array.StringBuilder), fallback: rb.Field(first + 1).(*array.StringBuilder),
		link: rb.Field(first + 2).(*array.StringBuilder),
	}
}

// row decides (identify) the detainee of row i; false means the row names
// no usable detainee identity: no valid BSN and no surname + birth date,
// or a supplier detainee pseudonym, fallback pseudonym or linkage of the
// wrong form.
func (d *detainees) row(i int) bool {
	d.cur = d.p.identify(d.who, i)
	return d.cur.person != ""
}

// add appends the detainee columns of the row last passed to row.
func (d *detainees) add() {
	d.id.Append(d.cur.person)
	appendOptional(d.fallback, d.cur.fallback)
	d.link.Append(d.cur.link)
}
