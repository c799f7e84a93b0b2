package ingest

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/outcomes-research/outcomes/study"
)

// ColumnLine is the first column of every raw batch: the source line of the
// row, so later stages can quarantine a row by position.
const ColumnLine = "line"

// RawSchema is the Arrow schema of the raw batches of an export kind: the
// line, then every canonical field of the kind (study.Fields), all nullable.
// Dates are date32; birth_year is int32; everything else is text.
func RawSchema(kind study.Kind) *arrow.Schema {
	fields := []arrow.Field{{Name: ColumnLine, Type: arrow.PrimitiveTypes.Int64}}
	for _, f := range study.Fields(kind) {
		fields = append(fields, arrow.Field{Name: f.Name, Type: arrowType(f), Nullable: true})
	}
	return arrow.NewSchema(fields, nil)
}

func arrowType(f study.Field) arrow.DataType {
	switch {
	case study.IsDate(f):
		return arrow.FixedWidthTypes.Date32
	case f.Type == study.Integer:
		return arrow.PrimitiveTypes.Int32
	}
	return arrow.BinaryTypes.String
}

// RawBatch is a batch of validated rows that still hold direct identifiers.
// Only package pseudonymise reads it; the store does not accept it.
type RawBatch struct {
	// Kind is the export's kind.
	Kind study.Kind
	// Partner and File name the export the rows come from.
	Partner, File string
	// Record has schema RawSchema(Kind). The receiver must Release it.
	Record arrow.RecordBatch
}
