package study

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Study is a validated study definition.
type Study struct {
	// Name is shown on the report's title page.
	Name string
	// Demo marks synthetic data; the report then says so on every page.
	Demo bool
	// Cutoff is the study's data cut-off: follow-up ends on it. Dates after
	// it are no errors: rows carrying them are loaded, trajectories still
	// running at the cut-off are censored there and events after it are not
	// counted (package analyses). A cut-off after the newest declared
	// extraction date (File.ExtractionDate) is refused.
	Cutoff time.Time
	// MinCell is the smallest count that may be published; smaller counts are
	// suppressed. Default 10.
	MinCell int
	// Disclosure configures what researchers may see beyond the published
	// (suppressed) numbers.
	Disclosure Disclosure
	// Outcomes holds the outcome windows and definitions.
	Outcomes Outcomes
	// Programmes lists the programmes in report order.
	Programmes []Programme
	// Contrasts lists the comparisons the study file declares
	// (contrasts:, each a programme against its reference), in file
	// order; empty when it declares none (see ComparisonContrasts).
	Contrasts []Contrast
	// Partners lists the organisations that send exports.
	Partners []Partner
	// LifeDomains maps each canonical life domain (study.LifeDomains) to the
	// scored domain it is reported under. Several life domains may share a
	// scored domain: a person's score on it at a date is then the mean of
	// their scores on those life domains. Default: every life domain is
	// scored under its own code.
	LifeDomains map[string]string
	// LifeDomainAnalysis chooses the domain set, the follow-up assessment,
	// the attribution grace period and the scale's reliability (see
	// LifeDomainAnalysis for the defaults).
	LifeDomainAnalysis LifeDomainAnalysis
	// SurvivalTimes are the times at which each curve is read out
	// (survival_times; default 12 and 24 months).
	SurvivalTimes SurvivalTimes
	// Linkage configures probabilistic linkage of records without a valid
	// BSN (linkage.go); the zero value is exact linkage only.
	Linkage Linkage

	// Path is the study file as given; Dir the folder export paths are
	// relative to; SHA256 the hex digest of the file's bytes.
	Path, Dir, SHA256 string
}

// Disclosure is the study file's disclosure block.
type Disclosure struct {
	// ResearcherExact keeps the exact values of suppressed cells in the
	// database's result tables, marked researcher_only, for the study's
	// researchers. Results for reports stay suppressed either way. Default
	// false: suppressed cells are left empty in the result tables too.
	ResearcherExact bool
	// ZerosDisclosive treats a count of 0 (nobody with the outcome, or
	// everybody) as disclosive: such cells are suppressed like a count below
	// MinCell. Default false: a zero is published, since the absence of the
	// event is the pilots' headline and tells nothing about a person
	// (disclosure.zeros_disclosive).
	ZerosDisclosive bool
	// MinResidualDF is the smallest number of residual degrees of freedom
	// (persons minus estimated parameters) a model must have to be
	// published; a model with fewer is skipped. Default 10
	// (disclosure.min_residual_df; ACRO's regression rule).
	MinResidualDF int
	// Rounding, when above 1, rounds every published count (n and events
	// of a rate cell) to the nearest multiple of Rounding; rates and
	// intervals are computed from the exact counts. Default 0: no rounding
	// (disclosure.rounding).
	Rounding int
}

// Outcomes configures the outcome measures. Windows are in whole months.
type Outcomes struct {
	// RecidivismWindows: months after the reference date (release, else
	// programme end, else start). Default 12 and 24.
	RecidivismWindows []int
	// RecidivismEvents lists the event types that count as recidivism.
	// Default: offence.
	RecidivismEvents []string
	// ShelterReturnWindows: months after an exit to independent housing.
	// Default 6, 12 and 24.
	ShelterReturnWindows []int
	// TransferDays: the start of a stay in one of HousingProgrammes within
	// this many days of the exit is a transfer, not a return (HUD System
	// Performance Measure 2). It applies to nothing else: any shelter entry
	// after the exit is a return, on any day. Default 14.
	TransferDays int
	// HousingProgrammes lists the codes of the programmes that are housing
	// projects in HUD's sense (supported or transitional housing, Housing
	// First; outcomes.housing_programmes): the start of a stay in one of
	// them after an exit to a home is a return when it lies more than
	// TransferDays after the exit. A housing programme is not marked
	// shelter. Default none.
	HousingProgrammes []string
	// FamilyGraceDays: a household counts as having taken part in a family
	// programme when a member's trajectory in it starts on or before the
	// detainee's return (release) plus this many days
	// (outcomes.family_grace_days). Default 30.
	FamilyGraceDays int
	// InflowWindows: months after programme start, for prevention pilots.
	// Default 12.
	InflowWindows []int

	// RegistrationLagMonths: a window counts as closed only when reference
	// + window + lag lies on or before the extraction date of the exports
	// that can produce its events, so that offences committed inside the
	// window have had time to be registered. Default 6 (the Recidivemonitor
	// extracts its data long after its follow-up ends).
	RegistrationLagMonths int
	// PriorLookbackYears is the look-back of the case-mix covariate prior
	// offences: the counting criminal cases dated in this many years before
	// the reference date (outcomes.prior_lookback_years, 1 to 30). Default
	// 5. A fixed look-back gives every subject the same stretch of history
	// whatever date the exports start.
	PriorLookbackYears int
	// CountDate says which date of an offence places it in time:
	// CountOffenceDate (the default, as the Recidivemonitor does) or
	// CountRegistrationDate. A case lacking the chosen date uses the other.
	CountDate string
	// NonCounting lists the canonical disposals (Disposals) whose cases are
	// no recidivism. Default: acquittal, technical_dismissal and
	// other_technical, as in the Recidivemonitor.
	NonCounting []string
	// RecidivismDefinition names the definition (RecidivismDefinitions)
	// the outcome kind recidivism is measured by: its rates, curves and
	// comparisons. Default general.
	RecidivismDefinition string
	// Definitions holds the windows of every recidivism definition
	// (RecidivismDefinitions), by name: the table recidivism_definition
	// reports each of them side by side. Default: every definition with
	// RecidivismWindows.
	Definitions map[string][]int
}

// Which date of an offence counts (Outcomes.CountDate).
const (
	CountOffenceDate      = "offence_date"
	CountRegistrationDate = "registration_date"
)

// Programme is one programme under study.
type Programme struct {
	// Code is the canonical programme code used in the database.
	Code string
	// Name is the programme's name as the report shows it.
	Name string
	// Outcome is the primary outcome, one of OutcomeKinds.
	Outcome OutcomeKind
	// Shelter marks shelter stays: a trajectory in such a programme is a
	// shelter entry for the return-to-shelter and inflow outcomes.
	Shelter bool
	// Reference is the reference date the study file chooses
	// (reference_date, see ProgrammeReference); RefKindDefault follows the
	// outcome kind's.
	Reference ProgrammeReference
}

// Partner is one organisation and its exports.
type Partner struct {
	Name  string
	Files []File
}

// Kind is an export kind: what one row of an export describes.
type Kind string

// The export kinds, listed once by Kinds.
const (
	KindTrajectories Kind = "trajectories"
	KindEvents       Kind = "events"
	// KindAssessments: one person's life-domain score at one date.
	KindAssessments Kind = "assessments"
	// KindHouseholds: a household member linked to a detainee.
	KindHouseholds Kind = "households"
)

// Kinds lists the export kinds.
func Kinds() []Kind {
	return []Kind{KindTrajectories, KindEvents, KindAssessments, KindHouseholds}
}

// kindNames lists the export kinds' names, for messages.
func kindNames() string {
	names := make([]string, len(Kinds()))
	for i, k := range Kinds() {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// File describes one export file and how its columns map onto the canonical
// model.
type File struct {
	// Name is the path as written in the study file, used in messages and
	// provenance; Path is absolute (resolved against the study file's folder).
	Name, Path string
	// Kind is trajectories, events, assessments or households.
	Kind Kind
	// Format is csv, xlsx or parquet; empty means by extension.
	Format string
	// Delimiter is the CSV field separator; 0 means detect.
	Delimiter rune
	// Encoding is utf-8 or windows-1252; empty means detect.
	Encoding string
	// Sheet is the spreadsheet sheet name; empty means the first sheet.
	Sheet string
	// DateFormat is the layout of every date column, e.g. dd-mm-yyyy; empty
	// means detect per file and quarantine ambiguous values.
	DateFormat string
	// Columns maps canonical field names to the export's header names.
	Columns map[string]string
	// Identifiers lists further export columns that hold direct identifiers
	// (first names, addresses, phone numbers, e-mail): they are never read.
	Identifiers []string
	// Codes maps, per canonical field, the export's codes to canonical
	// values (programme codes, exit destinations, event types).
	Codes map[string]map[string]string
	// Constants gives canonical fields a fixed value for every row, e.g.
	// event_type: offence for a justice extract.
	Constants map[string]string
	// Pseudonymised marks an export that the partner pseudonymised itself
	// with `outcomes pseudonymise`: it carries pseudonym, linkage,
	// fallback_id and birth_year columns (and, for households, the
	// detainee's pseudonym, linkage and fallback_id) instead of identifiers.
	Pseudonymised bool
	// FreeText lists the free-text fields (FreeTextFields) whose values
	// this file may pass to the database; the others are dropped.
	FreeText []string
	// ExtractionDate is the date the export was extracted (the last date
	// it covers), as the study file declares it (extraction_date); zero
	// means detected: the latest date in the export's loaded rows, a lower
	// bound of the true extraction date.
	ExtractionDate time.Time
	// KeyFingerprint, for a pseudonymised export, is the fingerprint of the
	// study key the partner used (written by `outcomes pseudonymise`); a
	// run with another key is refused, since its pseudonyms would not link.
	// Empty means not checked.
	KeyFingerprint string

	// Line is the line of this file's entry in the study file, for errors.
	Line int
}

// ScoredDomain returns the scored domain a canonical life domain is
// reported under (the domain itself when the study file does not map it).
func (s *Study) ScoredDomain(domain string) string {
	if d, ok := s.LifeDomains[domain]; ok {
		return d
	}
	return domain
}

// Programme returns the programme with the given canonical code.
func (s *Study) Programme(code string) (Programme, bool) {
	for _, p := range s.Programmes {
		if p.Code == code {
			return p, true
		}
	}
	return Programme{}, false
}

// Error is a mistake in the study file. It names the file, the position and
// the key; it never quotes data values from exports.
type Error struct {
	File         string
	Line, Column int
	Key          string
	Msg          string
}

// ErrInvalid is matched by errors.Is for every error of Load and Parse: the
// study file is missing, unreadable or wrong. The messages say where and
// what to change.
var ErrInvalid = errors.New("invalid study file")

// Is makes every *Error match ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

func (e *Error) Error() string {
	pos := e.File
	if e.Line > 0 {
		pos = fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Column)
	}
	if e.Key != "" {
		return fmt.Sprintf("%s: %s: %s", pos, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s: %s", pos, e.Msg)
}

// Partner returns the study's partner called name; the error lists the
// partners there are.
func (s *Study) Partner(name string) (Partner, error) {
	var names []string
	for _, p := range s.Partners {
		if p.Name == name {
			return p, nil
		}
		names = append(names, strconv.Quote(p.Name))
	}
	return Partner{}, fmt.Errorf("%q is not in the study file; its partners are %s", name, strings.Join(names, ", "))
}
