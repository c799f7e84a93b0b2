package ingest

// Batch building: rows that pass the mapper are appended to Arrow arrays
// of the kind's raw schema (RawSchema) and handed out as record batches of
// at most the batch size.

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/outcomes-research/outcomes/study"
)

// DefaultBatchSize is the number of rows per RawBatch.
const DefaultBatchSize = 65536

// MaxBatchSize bounds Options.BatchSize: a batch's buffers are allocated
// for its rows up front, so a huge size would ask for more memory than any
// machine has. A million rows is far past the point where larger batches
// read faster.
const MaxBatchSize = 1 << 20

// batchBuilder accumulates rows of one kind into Arrow arrays.
type batchBuilder struct {
	rb      *array.RecordBuilder
	rows    int
	scratch []value // one value per schema field, reused for every row
	// nulls counts, per field, the nulls not yet appended: a run of nulls
	// is appended at once, before the field's next value or when the
	// batch is finished, so a field the export does not have (null on
	// every row) costs one call per batch, not one per row.
	nulls []int
}

func newBatchBuilder(kind study.Kind, capacity int, mem memory.Allocator) *batchBuilder {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	schema := RawSchema(kind)
	rb := array.NewRecordBuilder(mem, schema)
	rb.Reserve(capacity)
	return &batchBuilder{rb: rb, scratch: make([]value, len(schema.Fields())), nulls: make([]int, len(schema.Fields()))}
}

// append adds one row; vals holds a value per schema field, unset = null.
func (b *batchBuilder) append(vals []value) {
	for pos, v := range vals {
		if !v.set {
			b.nulls[pos]++
			continue
		}
		fb := b.rb.Field(pos)
		if n := b.nulls[pos]; n > 0 {
			fb.AppendNulls(n)
			b.nulls[pos] = 0
		}
		switch fb := fb.(type) {
		case *array.Int64Builder:
			fb.Append(v.line)
		case *array.Date32Builder:
			fb.Append(arrow.Date32(v.date))
		case *array.Int32Builder:
			fb.Append(v.num)
		case *array.StringBuilder:
			fb.Append(v.text)
		}
	}
	b.rows++
}

func (b *batchBuilder) finish() arrow.RecordBatch {
	for pos, n := range b.nulls {
		if n > 0 {
			b.rb.Field(pos).AppendNulls(n)
			b.nulls[pos] = 0
		}
	}
	b.rows = 0
	return b.rb.NewRecordBatch()
}

func (b *batchBuilder) release() { b.rb.Release() }

// CheckBatchSize refuses a batch size (--batch-size) outside 1 to
// MaxBatchSize with BatchSizeError; nil otherwise.
func CheckBatchSize(n int) error {
	if n < 1 || n > MaxBatchSize {
		return BatchSizeError(n)
	}
	return nil
}

// BatchSizeError says what a batch size (--batch-size) accepts.
func BatchSizeError(n int) error {
	return fmt.Errorf("--batch-size %d is out of range: use a number of rows from 1 to %d", n, MaxBatchSize)
}
