// Package sqldoc turns the comments of the database's DDL into DuckDB
// table and column comments (COMMENT ON), so that a researcher who opens
// outcomes.duckdb sees every table and column described
// (duckdb_tables().comment, duckdb_columns().comment, or DBeaver's and
// R's table browsers), from the one place the schema is documented.
//
// The comment lines right before a CREATE statement describe the table;
// a comment after a column definition, with any comment-only lines after
// it, describes that column. A column without a comment of its own takes
// the entry of the shared vocabulary (Vocabulary: programme, outcome,
// ci_upper, researcher_only, …), so the same column reads the same in
// every table. Lines "-- @column: text" in a table's comment describe
// the columns of a view or a CREATE TABLE … AS.
//
// It is shared by store (schema.sql, linkage.sql) and analyses (the result
// tables) and imports only the standard library.
package sqldoc
