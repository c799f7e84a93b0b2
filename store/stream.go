package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/outcomes-research/outcomes/pseudonymise"
)

// fileStream is the one stream of a file's batches into its table: an
// Arrow record reader registered once as a view, read by one INSERT …
// SELECT that runs, on a connection of its own, from the file's first
// batch to its end. Write hands it each batch; finish ends the stream and
// returns the rows the statement inserted. Before, every batch had a view
// and a statement of its own.
type fileStream struct {
	batches chan pseudonymise.Batch
	done    chan struct{} // closed when the statement has returned
	stop    sync.Once
	rows    int64 // inserted, set before done is closed
	err     error // the statement's, set before done is closed
}

// streamReader is the array.RecordReader DuckDB's Arrow scan reads: each
// Next takes the next batch from the channel and releases the one before.
type streamReader struct {
	refs    atomic.Int64
	schema  *arrow.Schema
	batches <-chan pseudonymise.Batch
	cur     pseudonymise.Batch
	has     bool
}

func (r *streamReader) Retain() { r.refs.Add(1) }

func (r *streamReader) Release() {
	if r.refs.Add(-1) == 0 {
		r.drop()
		for b := range r.batches { // the writer may still send a batch or two
			b.Release()
		}
	}
}

func (r *streamReader) drop() {
	if r.has {
		r.cur.Release()
		r.has = false
	}
}

func (r *streamReader) Schema() *arrow.Schema { return r.schema }

func (r *streamReader) Next() bool {
	r.drop()
	b, ok := <-r.batches
	if !ok {
		return false
	}
	r.cur, r.has = b, true
	return true
}

func (r *streamReader) RecordBatch() arrow.RecordBatch {
	if !r.has {
		return nil
	}
	return r.cur.Record()
}

// Record is RecordBatch (array.RecordReader's deprecated name).
func (r *streamReader) Record() arrow.RecordBatch { return r.RecordBatch() }

func (r *streamReader) Err() error { return nil }

// startStream opens the stream of fl's file, for batches of schema sch
// (every batch of a file has the same schema), on a new connection.
func (fl *FileLoader) startStream(ctx context.Context, b pseudonymise.Batch) error {
	table, err := tableFor(b.Kind)
	if err != nil {
		return err
	}
	sch := b.Record().Schema()
	conn, err := fl.s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("loading %s: %w", b.File, err)
	}
	var scan arrowScanner
	if err := conn.Raw(func(dc any) error {
		var err error
		scan, err = newArrowScanner(dc.(driver.Conn))
		return err
	}); err != nil {
		conn.Close()
		return fmt.Errorf("loading %s: %w", b.File, err)
	}
	fs := &fileStream{batches: make(chan pseudonymise.Batch, 1), done: make(chan struct{})}
	reader := &streamReader{schema: sch, batches: fs.batches}
	reader.refs.Store(1)
	fl.s.nextView++
	view := fmt.Sprintf("incoming_%d", fl.s.nextView)
	release, err := scan.RegisterView(reader, view)
	if err != nil {
		conn.Close()
		return fmt.Errorf("registering the stream of %s: %w", b.File, err)
	}
	// Every column of the view is read, in order: DuckDB pushes a column
	// subset down to the Arrow stream, which the driver's stream ignores,
	// and the columns then come out shifted.
	names := sch.Fields()
	targets := make([]string, len(names))
	sources := make([]string, len(names))
	for i, f := range names {
		targets[i] = columnFor(table, f.Name)
		sources[i] = quoteIdent(f.Name)
	}
	q := fmt.Sprintf("INSERT INTO %s (file_id, partner, %s) SELECT %d, %s, %s FROM %s",
		table, strings.Join(targets, ", "), fl.ID, quoteLiteral(fl.partner), strings.Join(sources, ", "), view)
	file := b.File
	// The statement outlives the flow's context (which ends when the
	// flow returns, before Finish); it ends with the stream, which
	// finish, or Close after a failed load, closes.
	stmtCtx := context.WithoutCancel(ctx)
	go func() {
		defer close(fs.done)
		defer conn.Close()
		defer func() {
			// The view goes before the stream it reads is freed.
			conn.ExecContext(stmtCtx, "DROP VIEW IF EXISTS "+view)
			release()
		}()
		var res sql.Result
		if res, fs.err = conn.ExecContext(stmtCtx, q); fs.err != nil {
			fs.err = fmt.Errorf("loading %s: %w", file, fs.err)
			return
		}
		fs.rows, fs.err = res.RowsAffected()
	}()
	fl.stream = fs
	return nil
}

// send hands b to the stream; the stream releases it.
func (fs *fileStream) send(ctx context.Context, b pseudonymise.Batch) error {
	select {
	case fs.batches <- b:
		return nil
	case <-fs.done:
		b.Release()
		if fs.err != nil {
			return fs.err
		}
		return fmt.Errorf("bug: the stream of %s ended before its file", b.File)
	case <-ctx.Done():
		b.Release()
		return ctx.Err()
	}
}

// finish ends the stream and waits for its statement: the rows it
// inserted, or its error.
func (fs *fileStream) finish() (int64, error) {
	fs.stop.Do(func() { close(fs.batches) })
	<-fs.done
	return fs.rows, fs.err
}
