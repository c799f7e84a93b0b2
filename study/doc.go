// Package study reads the study definition file: the researcher's one place to
// describe a study's partners, their export files, column mappings, programme
// codes, cut-off date, outcome windows and disclosure threshold.
//
// Every stage reads the definition, so it lives in its own package at the top
// of the tree rather than inside one stage; it imports no stage.
//
// Invariants:
//   - Load either returns a Study that passed every check below, or an error
//     that names the file, the line and column, and the key that is wrong.
//   - Unknown keys are errors (a typo must not silently fall back to a default).
//   - Paths of export files are resolved relative to the study file's folder.
//   - Nothing here reads export files; the file's own SHA-256 is kept for
//     provenance.
//
// # Outcome kinds
//
// The outcome kinds a programme can be evaluated on (programmes[].outcome)
// are data, defined once in OutcomeKinds (outcomes.go), in report order.
// Each OutcomeDef holds the kind's code; whether it is measured on the
// programme's own participants (every kind but family, which is measured by
// the recidivism of the detainees linked to its participants); its windows
// in Outcomes and their key in the study file; its reference date and
// qualifying events, as typed descriptions (ReferenceDate,
// QualifyingEvents) that package analyses turns into SQL; and the keys of
// its texts in the report. The study file's validation, the analyses' SQL
// and result tables, and the report's sections, funders' sentences and
// definitions all read the kinds from there; no other list of kinds exists.
//
// Adding a kind takes:
//  1. its OutcomeDef in OutcomeKinds; if it has windows of its own, a field
//     in Outcomes, with its study-file key in rawOutcomes and its default in
//     checker.outcomes (load.go);
//  2. its texts in both translation tables of package reports (i18n.go);
//  3. only when it needs a reference date or qualifying events that no kind
//     has yet: a ReferenceDate constant or QualifyingEvents field here and
//     its SQL in analyses (candidatesSQL, hitsSQL in subjects.go). A kind
//     measured by linked detainees, as family is, needs no SQL of its own.
//
// TestEveryOutcomeKindIsFullyDefined (here), TestEveryOutcomeKindHasSubjectSQL
// (analyses), and TestEveryOutcomeKindHasItsTexts and
// TestEveryOutcomeKindGetsItsReportParts (reports) fail until every part is
// there.
package study
