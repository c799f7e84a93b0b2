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
func detaineeFields(kind string) []arrow.Field {
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

// isDetaineeIdentity reports whether a raw column holds the detainee's
// identity (identifiers, or a supplier's detainee pseudonym columns), which
// only the detainee columns may carry on.
func isDetaineeIdentity(name string) bool {
	switch name {
	case study.FieldDetaineeBSN, study.FieldDetaineeSurname, study.FieldDetaineeBirthDate, study.FieldDetaineeSex,
		study.FieldDetaineePseudonym, study.FieldDetaineeLinkage, study.FieldDetaineeFallbackID:
		return true
	}
	return false
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
	bsn, surname, sex  *array.String
	birth              *array.Date32
	supplier           *array.String // detainee_pseudonym; nil for a raw export
	supplierLinkage    *array.String
	supplierFallback   *array.String
	id, fallback, link *array.StringBuilder
	cur                struct{ id, fallback, link string }
}

// newDetainees returns nil for kinds without a detainee. The builders are
// the last len(detaineeFields(kind)) fields of rb.
func (p *Pseudonymiser) newDetainees(kind string, col map[string]arrow.Array, rb *array.RecordBuilder) *detainees {
	n := len(detaineeFields(kind))
	if n == 0 {
		return nil
	}
	first := len(rb.Schema().Fields()) - n
	return &detainees{
		p:                p,
		bsn:              stringCol(col, study.FieldDetaineeBSN),
		surname:          stringCol(col, study.FieldDetaineeSurname),
		sex:              stringCol(col, study.FieldDetaineeSex),
		birth:            col[study.FieldDetaineeBirthDate].(*array.Date32),
		supplier:         stringCol(col, study.FieldDetaineePseudonym),
		supplierLinkage:  stringCol(col, study.FieldDetaineeLinkage),
		supplierFallback: stringCol(col, study.FieldDetaineeFallbackID),
		id:               rb.Field(first).(*array.StringBuilder), fallback: rb.Field(first + 1).(*array.StringBuilder),
		link: rb.Field(first + 2).(*array.StringBuilder),
	}
}

// field is the canonical field a row without a usable detainee identity is
// quarantined under.
func (d *detainees) field() string {
	if d.supplier != nil {
		return study.FieldDetaineePseudonym
	}
	return study.FieldDetaineeBSN
}

// row computes (or, in a supplier-pseudonymised export, checks) the
// detainee pseudonym of row i; false means the row names no usable detainee
// identity: no valid BSN and no surname + birth date, or a supplier
// detainee pseudonym, fallback pseudonym or linkage of the wrong form.
func (d *detainees) row(i int) bool {
	d.cur.id, d.cur.fallback, d.cur.link = "", "", ""
	if d.supplier != nil {
		return d.supplied(i)
	}
	p := d.p
	if !d.birth.IsNull(i) && value(d.surname, i) != "" {
		if k := FallbackKey(p.key[:0], value(d.surname, i), d.birth.Value(i).ToTime(), value(d.sex, i)); k != nil {
			p.key = k
			d.cur.fallback = p.pseudonym(DomainFallback, k)
		}
	}
	switch {
	case d.bsn != nil && NormaliseBSN(value(d.bsn, i), &p.digits) == BSNOK:
		d.cur.id, d.cur.link = p.pseudonym(DomainBSN, p.digits[:]), LinkBSN
	case d.cur.fallback != "":
		d.cur.id, d.cur.link = d.cur.fallback, LinkFallback
	default:
		return false
	}
	return true
}

// supplied takes the supplier's detainee columns of row i when they have
// the form `outcomes pseudonymise` writes: a pseudonym, an optional fallback
// pseudonym and a linkage of bsn or fallback.
func (d *detainees) supplied(i int) bool {
	id, fallback, link := value(d.supplier, i), value(d.supplierFallback, i), value(d.supplierLinkage, i)
	if !SuppliedIdentity(id, fallback, link) {
		return false
	}
	d.cur.id, d.cur.fallback, d.cur.link = id, fallback, link
	return true
}

// add appends the detainee columns of the row last passed to row.
func (d *detainees) add() {
	d.id.Append(d.cur.id)
	appendOptional(d.fallback, d.cur.fallback)
	d.link.Append(d.cur.link)
}
