// Package reports writes the study report: one self-contained HTML file with
// the ECharts script inlined, so it opens offline and requests nothing.
//
// Data flows one way: analyses → reports. Reports get *analyses.Results,
// which has already been through disclosure control; they show suppressed
// cells as "<N" (N the minimum cell size) and leave them out of charts with a
// note. All visible text comes from one translation table per language
// (i18n.go); Dutch is the default.
//
// Invariants: no <script src> or <link href> in a report; no person-level
// data; every chart has a title, axis names and a table with its numbers.
package reports
