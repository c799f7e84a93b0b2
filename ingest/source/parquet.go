package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// parquetBatchRows is the number of rows decoded at a time.
const parquetBatchRows = 4096

type parquetReader struct {
	name   string
	pf     *file.Reader
	rr     pqarrow.RecordReader
	header []string
	conv   []func(i int) string
	batch  arrow.RecordBatch
	pos    int // next row in batch
	line   int // Line of the last row returned
	fields []string
	err    error
}

// openParquet reads a Parquet file in record batches through pqarrow; the
// package documentation gives the text form of each type.
func openParquet(path string, _ Options) (Reader, error) {
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("not a readable parquet file: %w", err)}
	}
	p := &parquetReader{name: path, pf: pf, line: 1}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: parquetBatchRows}, memory.DefaultAllocator)
	if err != nil {
		pf.Close()
		return nil, &Error{File: path, Err: fmt.Errorf("reading parquet schema: %w", err)}
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		pf.Close()
		return nil, &Error{File: path, Err: fmt.Errorf("reading parquet: %w", err)}
	}
	p.rr = rr
	for _, f := range rr.Schema().Fields() {
		p.header = append(p.header, f.Name)
	}
	if len(p.header) == 0 {
		p.Close()
		return nil, &Error{File: path, Err: ErrEmpty, Detail: "no columns"}
	}
	p.fields = make([]string, len(p.header))
	return p, nil
}

func (p *parquetReader) Header() []string { return p.header }
func (p *parquetReader) Info() Info       { return Info{Format: string(FormatParquet)} }

func (p *parquetReader) Next() (Row, error) {
	if p.err != nil {
		return Row{}, p.err
	}
	for p.batch == nil || p.pos >= int(p.batch.NumRows()) {
		if !p.rr.Next() {
			if err := p.rr.Err(); err != nil && !errors.Is(err, io.EOF) {
				p.err = &Error{File: p.name, Line: p.line + 1, Err: ErrCell, Detail: "reading a record batch"}
				return Row{}, p.err
			}
			p.err = io.EOF
			return Row{}, io.EOF
		}
		p.batch = p.rr.RecordBatch()
		p.pos = 0
		p.conv = p.conv[:0]
		for _, col := range p.batch.Columns() {
			p.conv = append(p.conv, converter(col))
		}
	}
	for j, conv := range p.conv {
		p.fields[j] = conv(p.pos)
	}
	p.pos++
	p.line++
	return Row{Line: p.line, Fields: p.fields}, nil
}

func (p *parquetReader) Close() error {
	if p.err == nil {
		p.err = &Error{File: p.name, Err: errors.New("reader closed")}
	}
	if p.rr != nil {
		p.rr.Release()
		p.rr = nil
	}
	if p.pf != nil {
		err := p.pf.Close()
		p.pf = nil
		return err
	}
	return nil
}

// converter returns the text form of row i of col, per openParquet's rules.
func converter(col arrow.Array) func(i int) string {
	null := func(i int, f func(int) string) string {
		if col.IsNull(i) {
			return ""
		}
		return f(i)
	}
	switch a := col.(type) {
	case *array.String:
		return func(i int) string { return null(i, a.Value) }
	case *array.LargeString:
		return func(i int) string { return null(i, a.Value) }
	case *array.Int8:
		return func(i int) string {
			return null(i, func(i int) string { return strconv.FormatInt(int64(a.Value(i)), 10) })
		}
	case *array.Int16:
		return func(i int) string {
			return null(i, func(i int) string { return strconv.FormatInt(int64(a.Value(i)), 10) })
		}
	case *array.Int32:
		return func(i int) string {
			return null(i, func(i int) string { return strconv.FormatInt(int64(a.Value(i)), 10) })
		}
	case *array.Int64:
		return func(i int) string { return null(i, func(i int) string { return strconv.FormatInt(a.Value(i), 10) }) }
	case *array.Uint8:
		return func(i int) string {
			return null(i, func(i int) string { return strconv.FormatUint(uint64(a.Value(i)), 10) })
		}
	case *array.Uint16:
		return func(i int) string {
			return null(i, func(i int) string { return strconv.FormatUint(uint64(a.Value(i)), 10) })
		}
	case *array.Uint32:
		return func(i int) string {
			return null(i, func(i int) string { return strconv.FormatUint(uint64(a.Value(i)), 10) })
		}
	case *array.Uint64:
		return func(i int) string { return null(i, func(i int) string { return strconv.FormatUint(a.Value(i), 10) }) }
	case *array.Float32:
		return func(i int) string { return null(i, func(i int) string { return formatFloat(float64(a.Value(i)), 32) }) }
	case *array.Float64:
		return func(i int) string { return null(i, func(i int) string { return formatFloat(a.Value(i), 64) }) }
	case *array.Boolean:
		return func(i int) string { return null(i, func(i int) string { return strconv.FormatBool(a.Value(i)) }) }
	case *array.Date32:
		return func(i int) string {
			return null(i, func(i int) string { return a.Value(i).ToTime().Format(time.DateOnly) })
		}
	case *array.Date64:
		return func(i int) string {
			return null(i, func(i int) string { return a.Value(i).ToTime().Format(time.DateOnly) })
		}
	case *array.Timestamp:
		typ := a.DataType().(*arrow.TimestampType)
		loc, naive := zone(typ.TimeZone)
		return func(i int) string {
			return null(i, func(i int) string {
				t := a.Value(i).ToTime(typ.Unit)
				if naive {
					return t.UTC().Format("2006-01-02T15:04:05.999999999")
				}
				return t.In(loc).Format(time.RFC3339Nano)
			})
		}
	}
	return func(i int) string { return null(i, col.ValueStr) }
}

// zone resolves an Arrow timestamp time zone: "" is a naive wall-clock time.
func zone(tz string) (*time.Location, bool) {
	if tz == "" {
		return time.UTC, true
	}
	if loc, err := time.LoadLocation(tz); err == nil {
		return loc, false
	}
	if t, err := time.Parse("-07:00", tz); err == nil {
		_, off := t.Zone()
		return time.FixedZone(tz, off), false
	}
	return time.UTC, false
}

func formatFloat(v float64, bits int) string {
	if abs := math.Abs(v); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		return strconv.FormatFloat(v, 'g', -1, bits)
	}
	return strconv.FormatFloat(v, 'f', -1, bits)
}
