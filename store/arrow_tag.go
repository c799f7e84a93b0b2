//go:build !duckdb_arrow

package store

// The store loads Arrow batches through the DuckDB driver's Arrow interface,
// which is compiled only with the build tag duckdb_arrow. Build and test with
//
//	go build -tags duckdb_arrow ./...
//	go test -tags duckdb_arrow ./...
//
// (the README's commands do).
var _ = build_with_tags_duckdb_arrow_see_README
