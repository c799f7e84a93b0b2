package ingest

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/outcomes-research/outcomes/study"
)

// TestBatchBuilderRunsOfNulls: nulls appended in runs (before a field's
// next value, or at the end of the batch) give the same arrays as one
// null per row, in every field, over two batches.
func TestBatchBuilderRunsOfNulls(t *testing.T) {
	schema := RawSchema(study.KindEvents)
	b := newBatchBuilder(study.KindEvents, 4, nil)
	defer b.release()
	for batch := 0; batch < 2; batch++ {
		const rows = 7
		for r := 0; r < rows; r++ {
			vals := make([]value, len(schema.Fields()))
			vals[0] = value{set: true, line: int64(r + 2)}
			for pos := 1; pos < len(vals); pos++ {
				// Field pos is set on the rows where (r+batch) % pos == 0:
				// field 1 always, the others in runs of nulls of every length.
				if (r+batch)%pos == 0 {
					vals[pos] = value{set: true, text: "x", num: int32(r), date: int32(r)}
				}
			}
			b.append(vals)
		}
		rec := b.finish()
		for pos := range schema.Fields() {
			col := rec.Column(pos)
			if col.Len() != rows {
				t.Fatalf("batch %d field %s: %d rows, want %d", batch, schema.Field(pos).Name, col.Len(), rows)
			}
			for r := 0; r < rows; r++ {
				want := pos == 0 || (r+batch)%pos == 0
				if col.IsValid(r) != want {
					t.Errorf("batch %d field %s row %d: valid %v, want %v", batch, schema.Field(pos).Name, r, col.IsValid(r), want)
				}
				if want && pos > 0 {
					if got, ok := col.(*array.Int32); ok && got.Value(r) != int32(r) {
						t.Errorf("batch %d field %s row %d: %d, want %d", batch, schema.Field(pos).Name, r, got.Value(r), r)
					}
					if got, ok := col.(*array.String); ok && got.Value(r) != "x" {
						t.Errorf("batch %d field %s row %d: %q", batch, schema.Field(pos).Name, r, got.Value(r))
					}
				}
			}
		}
		if s := fmt.Sprint(rec.NumRows()); s != "7" {
			t.Errorf("NumRows = %s", s)
		}
		rec.Release()
	}
}
