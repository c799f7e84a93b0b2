package study

import "slices"

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

// Role says what may become of a field's values after pseudonymisation.
// It is an allow-list: only RoleData fields (and RoleFreeText fields the
// study file allows) reach a pseudonymised batch, the store and a
// supplier's pseudonymised export. The zero value is RoleIdentifier, so a
// field added without a role never passes.
type Role int

const (
	// RoleIdentifier is a direct identifier (national ID, name, full birth
	// date, full postcode): pseudonymise reads it to compute a pseudonym,
	// an age or a coarsened value, and it goes no further.
	RoleIdentifier Role = iota
	// RoleIdentity says who a row is about without identifying them (sex,
	// birth year, a supplier's pseudonym and linkage): pseudonymise reads
	// it into its own identity columns; the raw column goes no further.
	RoleIdentity
	// RoleData is what the row records (programme, dates, codes, scores):
	// it is copied to the pseudonymised batch.
	RoleData
	// RoleFreeText is data written in words, which may describe a person:
	// copied only for files whose study-file entry allows it (free_text),
	// null otherwise.
	RoleFreeText
	// RoleKeyed is a reference number that other registers know (a case
	// number, parketnummer): it reaches a pseudonymised batch only as its
	// keyed pseudonym (HMAC with the study key in a domain of its own), so
	// equal numbers stay equal and the number itself goes no further.
	RoleKeyed
)

// Passes reports whether values of a field of role r may reach a
// pseudonymised batch (free text only where the file allows it; a keyed
// field only as its pseudonym).
func (r Role) Passes() bool { return r == RoleData || r == RoleFreeText || r == RoleKeyed }

// Field is one canonical field an export column can map onto.
type Field struct {
	Name     string
	Type     FieldType
	Role     Role
	Required bool
}

// Identity fields: who a row is about. Rows need a BSN, or surname plus birth
// date, or (in a supplier-pseudonymised export) a pseudonym.
const (
	FieldBSN     = "bsn"
	FieldSurname = "surname"
	// FieldGivenName is the given name (or initials): never stored, used
	// only for the keyed encoding of probabilistic linkage.
	FieldGivenName = "given_name"
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
	// FieldEncSurname, FieldEncSurnameParts, FieldEncGivenName and
	// FieldEncBirthDate are written by `outcomes pseudonymise` when the
	// study turns probabilistic linkage on: the keyed encodings of the
	// surname, of a two-part surname's parts, of the first given name and
	// of the birth date (pseudonymise/encode.go), base64. They identify no
	// one without the study key.
	FieldEncSurname      = "enc_surname"
	FieldEncSurnameParts = "enc_surname_parts"
	FieldEncGivenName    = "enc_given_name"
	FieldEncBirthDate    = "enc_birth_date"
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
		{Name: FieldBSN, Type: Identifier, Role: RoleIdentifier},
		{Name: FieldSurname, Type: Identifier, Role: RoleIdentifier},
		{Name: FieldGivenName, Type: Identifier, Role: RoleIdentifier},
		{Name: FieldBirthDate, Type: Identifier, Role: RoleIdentifier},
		{Name: FieldSex, Type: Text, Role: RoleIdentity},
		{Name: FieldPostcode, Type: Identifier, Role: RoleIdentifier},
		{Name: FieldPseudonym, Type: Text, Role: RoleIdentity},
		{Name: FieldBirthYear, Type: Integer, Role: RoleIdentity},
		{Name: FieldLinkage, Type: Text, Role: RoleIdentity},
		{Name: FieldFallbackID, Type: Text, Role: RoleIdentity},
		{Name: FieldAge, Type: Integer, Role: RoleIdentity},
		{Name: FieldEncSurname, Type: Text, Role: RoleIdentity},
		{Name: FieldEncSurnameParts, Type: Text, Role: RoleIdentity},
		{Name: FieldEncGivenName, Type: Text, Role: RoleIdentity},
		{Name: FieldEncBirthDate, Type: Text, Role: RoleIdentity},
	}
}

// FreeTextFields lists the fields of role RoleFreeText, which may describe
// a person in words: they are dropped (null) unless a file's free_text
// allows them.
func FreeTextFields() []string {
	var out []string
	for _, kind := range Kinds() {
		for _, f := range Fields(kind) {
			if f.Role == RoleFreeText && !slices.Contains(out, f.Name) {
				out = append(out, f.Name)
			}
		}
	}
	return out
}

// Fields lists the canonical fields of an export kind, identity fields first.
func Fields(kind Kind) []Field {
	fields := identityFields()
	switch kind {
	case KindTrajectories:
		return append(fields,
			Field{Name: FieldProgramme, Type: Code, Role: RoleData, Required: true},
			Field{Name: FieldStart, Type: Date, Role: RoleData, Required: true},
			Field{Name: FieldEnd, Type: Date, Role: RoleData},
			Field{Name: FieldRelease, Type: Date, Role: RoleData},
			Field{Name: FieldExitReason, Type: Text, Role: RoleFreeText},
			Field{Name: FieldExitDestination, Type: Code, Role: RoleData},
		)
	case KindEvents:
		return append(fields,
			Field{Name: FieldEventType, Type: Code, Role: RoleData, Required: true},
			Field{Name: FieldCategory, Type: Text, Role: RoleFreeText},
			Field{Name: FieldDate, Type: Date, Role: RoleData, Required: true},
			// The justice model (justice.go): for an offence, date is the
			// offence date (pleegdatum).
			Field{Name: FieldRegistrationDate, Type: Date, Role: RoleData},
			Field{Name: FieldCaseID, Type: Text, Role: RoleKeyed},
			Field{Name: FieldDisposal, Type: Code, Role: RoleData},
			Field{Name: FieldOffenceType, Type: Code, Role: RoleData},
			Field{Name: FieldSeriousness, Type: Code, Role: RoleData},
			Field{Name: FieldEnd, Type: Date, Role: RoleData},
		)
	case KindAssessments:
		return append(fields,
			Field{Name: FieldDate, Type: Date, Role: RoleData, Required: true},
			Field{Name: FieldDomain, Type: Code, Role: RoleData, Required: true},
			Field{Name: FieldScore, Type: Integer, Role: RoleData, Required: true},
			Field{Name: FieldProgramme, Type: Code, Role: RoleData},
		)
	case KindHouseholds:
		return append(fields,
			Field{Name: FieldRelation, Type: Code, Role: RoleData, Required: true},
			Field{Name: FieldDetaineeBSN, Type: Identifier, Role: RoleIdentifier},
			Field{Name: FieldDetaineeSurname, Type: Identifier, Role: RoleIdentifier},
			Field{Name: FieldDetaineeBirthDate, Type: Identifier, Role: RoleIdentifier},
			Field{Name: FieldDetaineeSex, Type: Text, Role: RoleIdentity},
			Field{Name: FieldDetaineePseudonym, Type: Text, Role: RoleIdentity},
			Field{Name: FieldDetaineeLinkage, Type: Text, Role: RoleIdentity},
			Field{Name: FieldDetaineeFallbackID, Type: Text, Role: RoleIdentity},
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
	// EventDeath and EventEmigration (emigration or deportation) end a
	// person's follow-up: they are competing events of every outcome.
	EventDeath      = "death"
	EventEmigration = "emigration"
)

// EventTypes lists the canonical event types.
func EventTypes() []string {
	return []string{EventOffence, EventConviction, EventDetention, EventShelterEntry, EventEviction, EventDeath, EventEmigration}
}
