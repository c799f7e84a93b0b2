//go:build duckdb_arrow

package store

import (
	"database/sql/driver"

	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// arrowScanner registers Arrow record readers as views. The DuckDB driver
// compiles its Arrow interface only with the build tag duckdb_arrow, which
// the README's commands and .ci/run pass.
type arrowScanner struct{ a *duckdb.Arrow }

func newArrowScanner(dc driver.Conn) (arrowScanner, error) {
	a, err := duckdb.NewArrowFromConn(dc)
	return arrowScanner{a}, err
}

// RegisterView makes reader readable as view name; release frees it.
func (s arrowScanner) RegisterView(reader array.RecordReader, name string) (release func(), err error) {
	return s.a.RegisterView(reader, name)
}
