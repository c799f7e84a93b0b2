package study

// FieldType says how ingest parses a canonical field.
type FieldType int

const (
	// Text is kept as written (trimmed).
	Text FieldType = iota
	// Date is parsed with the file's date format.
	Date
	// Integer is a whole number.
	Integer
	// Code is translated through the file's code table for the field.
	Code
	// Identifier is a direct identifier: it goes to pseudonymise and never
	// further.
	Identifier
)

// Field is one canonical field an export column can map onto.
type Field struct {
	Name     string
	Type     FieldType
	Required bool
}

// Identity fields: who a row is about. Rows need a BSN, or surname plus birth
// date, or (in a supplier-pseudonymised export) a pseudonym.
const (
	FieldBSN       = "bsn"
	FieldSurname   = "surname"
	FieldBirthDate = "birth_date"
	FieldSex       = "sex"
	FieldPostcode  = "postcode"
	FieldPseudonym = "pseudonym"
	FieldBirthYear = "birth_year"
	FieldLinkage   = "linkage"
	// FieldFallbackID and FieldAge are written by `outcomes pseudonymise`:
	// the keyed pseudonym of surname + birth date + sex (for cross-partner
	// linkage of records without a BSN) and the age at the row's reference
	// date, computed before the birth date was dropped.
	FieldFallbackID = "fallback_id"
	FieldAge        = "age"
)

// Trajectory and event fields.
const (
	FieldProgramme       = "programme"
	FieldStart           = "start"
	FieldEnd             = "end"
	FieldRelease         = "release"
	FieldExitReason      = "exit_reason"
	FieldExitDestination = "exit_destination"
	FieldEventType       = "event_type"
	FieldCategory        = "category"
	FieldDate            = "date"
)

// identityFields are shared by every kind of export.
func identityFields() []Field {
	return []Field{
		{Name: FieldBSN, Type: Identifier},
		{Name: FieldSurname, Type: Identifier},
		{Name: FieldBirthDate, Type: Identifier},
		{Name: FieldSex, Type: Text},
		{Name: FieldPostcode, Type: Identifier},
		{Name: FieldPseudonym, Type: Text},
		{Name: FieldBirthYear, Type: Integer},
		{Name: FieldLinkage, Type: Text},
		{Name: FieldFallbackID, Type: Text},
		{Name: FieldAge, Type: Integer},
	}
}

// FreeTextFields lists the fields that hold free text, which may describe a
// person in words: they are dropped (null) unless a file's free_text allows
// them.
func FreeTextFields() []string { return []string{FieldExitReason, FieldCategory} }

// Fields lists the canonical fields of an export kind, identity fields first.
func Fields(kind string) []Field {
	fields := identityFields()
	switch kind {
	case KindTrajectories:
		return append(fields,
			Field{Name: FieldProgramme, Type: Code, Required: true},
			Field{Name: FieldStart, Type: Date, Required: true},
			Field{Name: FieldEnd, Type: Date},
			Field{Name: FieldRelease, Type: Date},
			Field{Name: FieldExitReason, Type: Text},
			Field{Name: FieldExitDestination, Type: Code},
		)
	case KindEvents:
		return append(fields,
			Field{Name: FieldEventType, Type: Code, Required: true},
			Field{Name: FieldCategory, Type: Text},
			Field{Name: FieldDate, Type: Date, Required: true},
		)
	case KindAssessments:
		return append(fields,
			Field{Name: FieldDate, Type: Date, Required: true},
			Field{Name: FieldDomain, Type: Code, Required: true},
			Field{Name: FieldScore, Type: Integer, Required: true},
			Field{Name: FieldProgramme, Type: Code},
		)
	case KindHouseholds:
		return append(fields,
			Field{Name: FieldRelation, Type: Code, Required: true},
			Field{Name: FieldDetaineeBSN, Type: Identifier},
			Field{Name: FieldDetaineeSurname, Type: Identifier},
			Field{Name: FieldDetaineeBirthDate, Type: Identifier},
			Field{Name: FieldDetaineeSex, Type: Text},
			Field{Name: FieldDetaineePseudonym, Type: Text},
			Field{Name: FieldDetaineeLinkage, Type: Text},
			Field{Name: FieldDetaineeFallbackID, Type: Text},
		)
	}
	return nil
}

// IsDate reports whether ingest parses the field as a date: the Date fields
// and the birth dates, which are identifiers held as dates until
// pseudonymise reduces them.
func IsDate(f Field) bool {
	return f.Type == Date || f.Name == FieldBirthDate || f.Name == FieldDetaineeBirthDate
}

// Assessment fields. An assessment row is one person's score on one life
// domain at one date.
const (
	// FieldDomain is the life domain, translated through the file's code
	// table to one of LifeDomains.
	FieldDomain = "domain"
	// FieldScore is the self-sufficiency score, a whole number from
	// ScoreMin to ScoreMax.
	FieldScore = "score"
)

// Self-sufficiency scores run from ScoreMin (acute problems) to ScoreMax
// (fully self-sufficient).
const (
	ScoreMin = 1
	ScoreMax = 5
)

// Household fields. A household row links a person (the household member)
// to a detainee. The detainee's identity is pseudonymised with the same key
// and domains as every person's, so the detainee_id matches the detainee's
// own aftercare and justice records. A raw export names the detainee by
// detainee_bsn, or detainee_surname + detainee_birth_date (+ detainee_sex);
// a supplier-pseudonymised one by the detainee pseudonym fields instead.
const (
	FieldRelation          = "relation"
	FieldDetaineeBSN       = "detainee_bsn"
	FieldDetaineeSurname   = "detainee_surname"
	FieldDetaineeBirthDate = "detainee_birth_date"
	FieldDetaineeSex       = "detainee_sex"
	// FieldDetaineePseudonym, FieldDetaineeLinkage and
	// FieldDetaineeFallbackID are written by `outcomes pseudonymise` and
	// mapped only in an export marked pseudonymised: the detainee's keyed
	// pseudonym, how it was linked (bsn or fallback) and the keyed
	// pseudonym of the detainee's surname + birth date + sex, when known.
	// They mirror FieldPseudonym, FieldLinkage and FieldFallbackID.
	FieldDetaineePseudonym  = "detainee_pseudonym"
	FieldDetaineeLinkage    = "detainee_linkage"
	FieldDetaineeFallbackID = "detainee_fallback_id"
)

// Canonical relations of a household member to the detainee.
const (
	RelationPartner = "partner"
	RelationChild   = "child"
	RelationParent  = "parent"
	RelationOther   = "other"
)

// Relations lists the canonical household relations.
func Relations() []string {
	return []string{RelationPartner, RelationChild, RelationParent, RelationOther}
}

// The 11 life domains of the strengths-based method, as canonical codes.
const (
	DomainHousing       = "housing"        // huisvesting
	DomainFinances      = "finances"       // geld en inkomen
	DomainWorkEducation = "work_education" // werk en leren
	DomainLeisure       = "leisure"        // vrije tijd
	DomainFamily        = "family"         // familie
	DomainSocialNetwork = "social_network" // vrienden en kennissen
	DomainPartner       = "partner"        // (ex-)partner
	DomainParenting     = "parenting"      // kinderen en opvoeding
	DomainMeaning       = "meaning"        // zingeving
	DomainHealth        = "health"         // gezondheid en zelfzorg
	DomainSafety        = "safety"         // veiligheid
)

// LifeDomains lists the canonical life domains in the method's order.
func LifeDomains() []string {
	return []string{DomainHousing, DomainFinances, DomainWorkEducation, DomainLeisure, DomainFamily,
		DomainSocialNetwork, DomainPartner, DomainParenting, DomainMeaning, DomainHealth, DomainSafety}
}

// Canonical exit destinations.
const (
	DestIndependentHousing = "independent_housing"
	DestSupportedHousing   = "supported_housing"
	DestShelter            = "shelter"
	DestDetention          = "detention"
	DestOther              = "other"
	DestUnknown            = "unknown"
)

// Destinations lists the canonical exit destinations.
func Destinations() []string {
	return []string{DestIndependentHousing, DestSupportedHousing, DestShelter, DestDetention, DestOther, DestUnknown}
}

// Canonical event types.
const (
	EventOffence      = "offence"
	EventConviction   = "conviction"
	EventDetention    = "detention"
	EventShelterEntry = "shelter_entry"
	EventEviction     = "eviction"
)

// EventTypes lists the canonical event types.
func EventTypes() []string {
	return []string{EventOffence, EventConviction, EventDetention, EventShelterEntry, EventEviction}
}
