// Package analyses computes the study's outcomes from the canonical tables in
// the store, with SQL for the counting and Go (package stats) for the
// statistics, and writes them back as result tables.
//
// Data flows one way: store → analyses → reports. Analyses read and write
// through database/sql only; the DuckDB driver stays in package store.
//
// Measures (each documented on the function that computes it):
//   - recidivism within W months of the reference date (release date, else
//     programme end, else start);
//   - return to a shelter within W months of an exit to independent housing;
//   - shelter inflow within W months of programme start.
//
// Every rate counts one person once per programme (the first qualifying
// trajectory), and only people whose whole window lies before the data
// cut-off. Published cells are checked against the minimum cell size before
// they leave this package (see Suppress).
package analyses
