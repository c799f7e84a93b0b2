package store

import "errors"

// ErrNoArrow is returned when a Store built without the build tag
// duckdb_arrow is asked to load a batch. Such a build still compiles (so
// go vet and editors work without the tag) and can open and query
// databases, but cannot load: the DuckDB driver compiles its Arrow
// interface only with that tag.
var ErrNoArrow = errors.New("this outcomes binary was built without the build tag duckdb_arrow, which loading needs: build, run and test with -tags duckdb_arrow (see the README)")
