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
	}
}

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
	}
	return nil
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
