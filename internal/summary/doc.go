// Package summary writes the plain-text accounts the commands print on
// stdout: the row accounting and linkage of a run (Run), the dry-run report
// of `outcomes check` (Check), the accounting of a supplier's
// pseudonymisation (Supplier), and after the analyses the rows dated after
// the cut-off (Cutoff) and the cells kept out of the report (Disclosure). It reads only flow results, so every number
// it prints is a count the flow checked (read = loaded + quarantined), and
// like every output it names files, columns, rules and codes, never a
// value from a row.
//
// It sits after internal/flow in the data flow and is used by cmd/outcomes.
package summary
