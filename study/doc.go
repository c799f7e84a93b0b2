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
package study
