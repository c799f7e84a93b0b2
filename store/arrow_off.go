//go:build !duckdb_arrow

package store

import (
	"database/sql/driver"

	"github.com/apache/arrow-go/v18/arrow/array"
)

type arrowScanner struct{}

func newArrowScanner(driver.Conn) (arrowScanner, error) { return arrowScanner{}, nil }

// RegisterView always fails: this build cannot load (see ErrNoArrow).
func (arrowScanner) RegisterView(array.RecordReader, string) (func(), error) {
	return nil, ErrNoArrow
}
