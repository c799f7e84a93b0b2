package ingest

// Rule names why a row was not loaded. The names are stable: they are stored
// in the database (quarantine.rule) and shown in reports. Rules lists every
// rule once; Description gives its one-line explanation.
type Rule string

// Quarantine rules. A rule added here must be added to Rules as well; a test
// checks that every constant of type Rule is listed there once.
const (
	// RuleFieldCount: the row has more or fewer fields than the header.
	RuleFieldCount Rule = "field_count"
	// RuleMissingRequired: a required field is empty.
	RuleMissingRequired Rule = "missing_required"
	// RuleDateInvalid: a date field is not a date, or an impossible one.
	RuleDateInvalid Rule = "date_invalid"
	// RuleDateAmbiguous: a date could be read in two ways and the study file
	// declares no date format.
	RuleDateAmbiguous Rule = "date_ambiguous"
	// RuleDateOutOfRange: a date before 1900 or after 2100.
	RuleDateOutOfRange Rule = "date_out_of_range"
	// RuleEndBeforeStart: a trajectory ends before it starts.
	RuleEndBeforeStart Rule = "end_before_start"
	// RuleBeforeBirth: a date of the row (start, end, release, an event's
	// or an assessment's date) lies before the person's birth date, or in
	// a year before the birth year when only that is known.
	RuleBeforeBirth Rule = "before_birth"
	// RuleUnknownCode: a code (programme, destination, event type) has no
	// entry in the study file's code table.
	RuleUnknownCode Rule = "unknown_code"
	// RuleNumberInvalid: a number field is not a whole number.
	RuleNumberInvalid Rule = "number_invalid"
	// RuleScoreOutOfRange: a life-domain score is a whole number outside
	// study.ScoreMin–study.ScoreMax.
	RuleScoreOutOfRange Rule = "score_out_of_range"
	// RuleEncoding: the row's text does not fit the file's encoding (a
	// Windows-1252 name in a UTF-8 file, or the reverse); the reader names
	// the column. The row is not loaded and the file goes on.
	RuleEncoding Rule = "encoding"
	// RuleNoIdentifier: the row has no valid BSN and no surname plus birth
	// date, so it cannot be linked to a person. Applied by pseudonymise.
	RuleNoIdentifier Rule = "no_identifier"
)

// rules is every rule once, in the order a row meets them (rules about the
// whole row, then a field's, then one across fields, and pseudonymise's
// no_identifier last), each with its one-line description for a report's
// legend.
var rules = []struct {
	rule        Rule
	description string
}{
	{RuleFieldCount, "the row has more or fewer fields than the header"},
	{RuleEncoding, "the row's text does not fit the file's encoding"},
	{RuleMissingRequired, "a required field is empty"},
	{RuleDateInvalid, "a date field is not a date, or an impossible one"},
	{RuleDateAmbiguous, "a date can be read two ways and neither the study file nor the column's other dates decide which"},
	{RuleDateOutOfRange, "a date before 1900 or after 2100"},
	{RuleNumberInvalid, "a number field is not a whole number"},
	{RuleScoreOutOfRange, "a life-domain score outside the scale"},
	{RuleUnknownCode, "a code missing from the study file's code table"},
	{RuleEndBeforeStart, "a trajectory ends before it starts"},
	{RuleBeforeBirth, "a date before the person's birth"},
	{RuleNoIdentifier, "no valid BSN and no surname with birth date, so the row cannot be linked to a person"},
}

// Rules returns every quarantine rule once, in the order a row meets them
// (RuleNoIdentifier, applied by pseudonymise, last). The slice is new on
// every call.
func Rules() []Rule {
	out := make([]Rule, len(rules))
	for i, r := range rules {
		out[i] = r.rule
	}
	return out
}

// Description is the one-line description of the rule, for a report's
// legend (English, without a final full stop); "" for a name that is not a
// rule.
func (r Rule) Description() string {
	for _, x := range rules {
		if x.rule == r {
			return x.description
		}
	}
	return ""
}

// Quarantine records one rejected row. It never holds the row's values.
type Quarantine struct {
	// File is the export's path as named in the study file.
	File string
	// Line is the 1-based line (CSV) or row number (XLSX) of the record.
	Line int
	// Column is the 1-based position of the offending column, 0 when the
	// rule concerns the whole row; ColumnName is its header.
	Column     int
	ColumnName string
	// Field is the canonical field the column maps onto, if any.
	Field string
	// Rule is why the row was not loaded.
	Rule Rule
}
