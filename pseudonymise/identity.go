package pseudonymise

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/outcomes-research/outcomes/study"
)

// identityColumns are the columns of a raw batch that say who a row is
// about: one person's (the row's own, or a households row's detainee).
// A column is nil when the export does not map it.
type identityColumns struct {
	bsn, surname, sex *array.String
	// given is the given name, used only for the keyed encodings.
	given *array.String
	birth *array.Date32
	// supplied is the supplier's pseudonym column; non-nil marks an
	// export the partner pseudonymised, whose identity is taken, after a
	// check of its form, from supplied, suppliedLinkage and
	// suppliedFallback.
	supplied, suppliedLinkage, suppliedFallback *array.String
	// field is the canonical field a row without a usable identity is
	// quarantined under.
	field string
}

// personColumns are the identity columns of the row's own person.
func personColumns(col map[string]arrow.Array) identityColumns {
	c := identityColumns{
		bsn: stringCol(col, study.FieldBSN), surname: stringCol(col, study.FieldSurname), sex: stringCol(col, study.FieldSex),
		given:    stringCol(col, study.FieldGivenName),
		birth:    col[study.FieldBirthDate].(*array.Date32),
		supplied: stringCol(col, study.FieldPseudonym), suppliedLinkage: stringCol(col, study.FieldLinkage),
		suppliedFallback: stringCol(col, study.FieldFallbackID),
		field:            study.FieldBSN,
	}
	if c.supplied != nil {
		c.field = study.FieldPseudonym
	}
	return c
}

// detaineeColumns are the identity columns of a households row's detainee.
func detaineeColumns(col map[string]arrow.Array) identityColumns {
	c := identityColumns{
		bsn: stringCol(col, study.FieldDetaineeBSN), surname: stringCol(col, study.FieldDetaineeSurname),
		sex: stringCol(col, study.FieldDetaineeSex), birth: col[study.FieldDetaineeBirthDate].(*array.Date32),
		supplied: stringCol(col, study.FieldDetaineePseudonym), suppliedLinkage: stringCol(col, study.FieldDetaineeLinkage),
		suppliedFallback: stringCol(col, study.FieldDetaineeFallbackID),
		field:            study.FieldDetaineeBSN,
	}
	if c.supplied != nil {
		c.field = study.FieldDetaineePseudonym
	}
	return c
}

// identity is the decision of who one row is about.
type identity struct {
	// person is the pseudonym the row links by; "" means the row has no
	// usable identifier and is quarantined (rule no_identifier).
	person string
	// fallback is the keyed pseudonym of surname + birth date + sex, when
	// they are known; link is LinkBSN or LinkFallback.
	fallback, link string
	// supplied: the identity is the supplier's (LinkSupplier in the
	// statistics).
	supplied bool
	// bsn is what the BSN column held (BSNEmpty when not mapped).
	bsn BSNStatus
}

// identify is the one rule for who row i of c is about, for the pipeline,
// `outcomes pseudonymise` and `outcomes check` alike:
//
//   - in an export the partner pseudonymised, the supplier's pseudonym,
//     fallback pseudonym and linkage, when they have the form
//     [SuppliedIdentity] requires;
//   - else a valid BSN (after [NormaliseBSN]), linkage bsn;
//   - else surname + birth date + sex ([FallbackKey]), linkage fallback;
//   - else none: the row is quarantined.
//
// The fallback pseudonym is computed whenever surname and birth date are
// known, also for a row that links by BSN, so that the store can join
// fallback-only records of the same person to it.
func (p *Pseudonymiser) identify(c identityColumns, i int) identity {
	if c.supplied != nil {
		id := identity{person: value(c.supplied, i), fallback: value(c.suppliedFallback, i),
			link: value(c.suppliedLinkage, i), supplied: true, bsn: BSNEmpty}
		if !SuppliedIdentity(id.person, id.fallback, id.link) {
			return identity{supplied: true, bsn: BSNEmpty}
		}
		return id
	}
	var id identity
	if !c.birth.IsNull(i) && value(c.surname, i) != "" {
		// FallbackKey is nil when the surname is empty after
		// normalisation: such rows must not share one pseudonym.
		if k := FallbackKey(p.key[:0], value(c.surname, i), c.birth.Value(i).ToTime(), value(c.sex, i)); k != nil {
			p.key = k
			id.fallback = p.pseudonym(DomainFallback, k)
		}
	}
	id.bsn = BSNEmpty
	if c.bsn != nil {
		id.bsn = NormaliseBSN(value(c.bsn, i), &p.digits)
	}
	switch {
	case id.bsn == BSNOK:
		id.person, id.link = p.pseudonym(DomainBSN, p.digits[:]), LinkBSN
	case id.fallback != "":
		id.person, id.link = id.fallback, LinkFallback
	}
	return id
}

// count adds the decision for one row to s: linked by BSN, by fallback, by
// the supplier, or not at all; and a BSN column value that could not be
// used, per reason.
func (s *LinkStats) count(id identity) {
	switch {
	case id.person == "":
		s.Unlinked++
	case id.supplied:
		s.BySupplier++
	case id.link == LinkBSN:
		s.ByBSN++
	default:
		s.ByFallback++
	}
	if id.bsn != BSNOK && id.bsn != BSNEmpty {
		s.BSNRejected[id.bsn.String()]++
	}
}
