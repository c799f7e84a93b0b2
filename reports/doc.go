// Package reports writes the study report: one self-contained HTML file with
// the ECharts script inlined, so it opens offline and requests nothing, and
// beside it every published table as CSV (tables/<id>.csv) and as one XLSX
// workbook (tables.xlsx, a sheet per table).
//
// Data flows one way: analyses → reports. Reports get *analyses.Results,
// which has already been through disclosure control, and show a section only
// when its data is present. The report is written for three readers, in this
// order:
//
//   - funders (funders.go): one plain sentence per programme on its primary
//     outcome over the longest closed window, a headline chart, the trend over
//     cohort years, and what the numbers cannot say;
//   - policy staff (policy.go, domains.go): per outcome the rates side by
//     side, breakdowns, forest plots of risk differences and relative risks,
//     Kaplan–Meier curves (1 − S) with CI bands and a number-at-risk table,
//     the families' outcomes and the life domains, with a visible warning
//     wherever a group is too small;
//   - researchers (appendix.go): definitions, data quality and linkage per
//     file, log-rank, Cox and adjusted tables, provenance with input hashes.
//
// buildView turns Results into a view (report.go): sections of blocks, each
// with text, warnings, at most one chart (chartData, drawn by charts.go) and
// one table. The HTML, the CSV files, the workbook and the golden test files
// (testdata/golden, refreshed with -update) all come from that one view, so
// they cannot disagree.
//
// The outcome kinds come from study.OutcomeKinds, in its order: every kind
// with subjects of its own gets a policy section (outcomeSections), every
// programme a funders' sentence from its kind's Summary text, and each kind
// its part of the definitions in the appendix (outcomeDefinitions). The
// texts are named by the kind's definition (study.OutcomeDef.Texts), not
// built from its code; outcomes_test.go fails when a kind lacks a text in
// either language or a part of the report.
//
// Invariants: no <script src> or <link href> in a report (a CSP meta tag
// forbids any load); no person-level data; a suppressed cell is shown as
// "<N" (N the minimum cell size) in every table and left out of every chart
// with a note; every chart has a title, axis names, an aria label and a
// table with its numbers; charts are drawn without animation and laid out
// again for print (A4); a table's text breaks only at a space or after a
// hyphen or dash, never inside a word or a number, and a table longer than
// a printed page repeats its header (style.go, table.Cell; measured by
// TestReportLayout). All visible text comes from one translation table
// per language (i18n.go); Dutch is the default, English the other. A raw
// identifier (a database table or column, a study-file key, a file name, a
// hash) appears only as code: between backticks in a translation (prose)
// or in a column marked '`' or '~' (newTable); quarantine rules, export
// kinds and the reasons analyses gives for what it did not compute have
// names in both languages (qrule_*, kind_*, skip_*).
package reports
