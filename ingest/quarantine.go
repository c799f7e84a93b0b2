package ingest

// Quarantine rules: why a row was not loaded. The names are stable; they are
// stored in the database and shown in reports.
const (
	// RuleFieldCount: the row has more or fewer fields than the header.
	RuleFieldCount = "field_count"
	// RuleMissingRequired: a required field is empty.
	RuleMissingRequired = "missing_required"
	// RuleDateInvalid: a date field is not a date, or an impossible one.
	RuleDateInvalid = "date_invalid"
	// RuleDateAmbiguous: a date could be read in two ways and the study file
	// declares no date format.
	RuleDateAmbiguous = "date_ambiguous"
	// RuleDateOutOfRange: a date before 1900 or after 2100.
	RuleDateOutOfRange = "date_out_of_range"
	// RuleDateAfterCutoff: a date after the study's data cut-off.
	RuleDateAfterCutoff = "date_after_cutoff"
	// RuleEndBeforeStart: a trajectory ends before it starts.
	RuleEndBeforeStart = "end_before_start"
	// RuleUnknownCode: a code (programme, destination, event type) has no
	// entry in the study file's code table.
	RuleUnknownCode = "unknown_code"
	// RuleNumberInvalid: a number field is not a whole number.
	RuleNumberInvalid = "number_invalid"
	// RuleScoreOutOfRange: a life-domain score is a whole number outside
	// study.ScoreMin–study.ScoreMax.
	RuleScoreOutOfRange = "score_out_of_range"
	// RuleEncoding: the row's text does not fit the file's encoding (a
	// Windows-1252 name in a UTF-8 file, or the reverse); the reader names
	// the column. The row is not loaded and the file goes on.
	RuleEncoding = "encoding"
	// RuleNoIdentifier: the row has no valid BSN and no surname plus birth
	// date, so it cannot be linked to a person. Applied by pseudonymise.
	RuleNoIdentifier = "no_identifier"
)

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
	// Rule is one of the Rule constants.
	Rule string
}
