package flow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"time"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/internal/progress"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/study"
)

// Depth is how many batches may wait between two stages.
const Depth = 2

// Export names one export of a study.
type Export struct {
	Study   *study.Study
	Partner string
	File    study.File
}

// Sink receives what the flow makes of one export. Stream calls it from
// one goroutine, in input order.
type Sink interface {
	// Quarantine records a row left out, by position and rule.
	Quarantine(q ingest.Quarantine) error
	// Write takes a pseudonymised batch; the sink must release it.
	Write(ctx context.Context, b pseudonymise.Batch) error
}

// Point is a place in an export's passage an Observer is told of.
type Point string

// Points of an export's passage.
const (
	// BatchRead: a batch was read and validated, not yet pseudonymised.
	BatchRead Point = "read"
	// BatchWritten: a batch was written to the sink.
	BatchWritten Point = "load"
)

// Observer watches exports pass, for progress, timings and test hooks.
// At(BatchRead) is called on the reading goroutine, At(BatchWritten) on
// the caller's.
type Observer interface {
	At(p Point)
}

// Options tune Stream. The zero value is usable.
type Options struct {
	// BatchSize is the number of rows per batch (0: ingest's default).
	BatchSize int
	// ProgressTo, when set and a terminal, gets a progress bar per export
	// (internal/progress); nothing is drawn on anything else.
	ProgressTo io.Writer
	// Observer, when set, is told of each Point.
	Observer Observer
}

// Busy are the times each stage's goroutine worked on one export (not
// waiting for the next stage): the stages overlap, so they add up to more
// than the wall time.
type Busy struct {
	Read, Pseudonymise, Write time.Duration
}

// Add adds o to b.
func (b *Busy) Add(o Busy) {
	b.Read += o.Read
	b.Pseudonymise += o.Pseudonymise
	b.Write += o.Write
}

// Result is what passing one export found.
type Result struct {
	// File is ingest's account of the file: rows read and quarantined per
	// rule, how it was read, its hash.
	File ingest.FileResult
	// Links counts how rows were linked to persons (Links.Unlinked rows
	// were quarantined by pseudonymise).
	Links pseudonymise.LinkStats
	// Written is the number of rows handed to the sink.
	Written int
	Busy    Busy
}

// Quarantined is the number of rows left out: by ingest, and by
// pseudonymise for want of an identifier.
func (r Result) Quarantined() int { return r.File.RowsQuarantined + r.Links.Unlinked }

// InputError is an export that cannot be read: missing, a header that
// does not match the study file, a broken structure. Rows that break a
// rule are quarantined, not errors.
type InputError struct {
	Partner string
	Err     error
}

func (e *InputError) Error() string { return fmt.Sprintf("partner %s: %v", e.Partner, e.Err) }
func (e *InputError) Unwrap() error { return e.Err }

// Stream passes export e through read/validate → p → sink. One goroutine
// reads and validates, one pseudonymises, and the calling goroutine, the
// only one that calls sink, writes quarantine records and batches. The
// quarantine records found before a batch travel with it, so the sink gets
// them in the order the rows came. p is used by this call alone until it
// returns.
func Stream(ctx context.Context, e Export, p *pseudonymise.Pseudonymiser, sink Sink, o Options) (Result, error) {
	stageCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var bar *progress.File // nil draws nothing
	if o.ProgressTo != nil {
		bar = progress.ForFile(o.ProgressTo, e.Partner+" / "+e.File.Name, e.File.Path)
	}
	at := func(Point) {}
	if o.Observer != nil {
		at = o.Observer.At
	}

	// Read and validate.
	const quarantineChunk = 4096
	type rawMsg struct {
		raw         ingest.RawBatch // Record is nil for a message of quarantine records only
		quarantined []ingest.Quarantine
	}
	raws := make(chan rawMsg, Depth)
	var res Result
	var readErr error
	go func() {
		defer close(raws)
		start, blocked := time.Now(), time.Duration(0)
		var pending []ingest.Quarantine
		send := func(m rawMsg) error {
			t := time.Now()
			defer func() { blocked += time.Since(t) }()
			select {
			case raws <- m:
				pending = nil
				return nil
			case <-stageCtx.Done():
				if m.raw.Record != nil {
					m.raw.Record.Release()
				}
				return stageCtx.Err()
			}
		}
		res.File, readErr = ingest.ReadFile(stageCtx, e.Study, e.Partner, e.File, ingest.Options{
			BatchSize: o.BatchSize,
			Progress:  bar.Set,
			Quarantine: func(q ingest.Quarantine) {
				// Sent on in bounded messages, so a file whose rows are
				// all quarantined (no batch to carry them) is streamed to
				// the sink, not held; a failed send is the cancellation,
				// which ReadFile sees at its next row.
				if pending = append(pending, q); len(pending) >= quarantineChunk {
					_ = send(rawMsg{quarantined: pending})
				}
			},
			Emit: func(raw ingest.RawBatch) error {
				at(BatchRead)
				return send(rawMsg{raw: raw, quarantined: pending})
			},
		})
		if readErr == nil && len(pending) > 0 {
			readErr = send(rawMsg{quarantined: pending})
		}
		res.Busy.Read = time.Since(start) - blocked
	}()

	// Pseudonymise.
	type writeMsg struct {
		batch       pseudonymise.Batch
		hasBatch    bool
		links       pseudonymise.LinkStats
		quarantined []ingest.Quarantine
	}
	writes := make(chan writeMsg, Depth)
	var pseudoErr error
	var pseudoBusy time.Duration
	go func() {
		defer close(writes)
		for m := range raws {
			if pseudoErr != nil || stageCtx.Err() != nil {
				if m.raw.Record != nil {
					m.raw.Record.Release()
				}
				continue
			}
			out := writeMsg{quarantined: m.quarantined}
			if m.raw.Record != nil {
				t := time.Now()
				batch, stats, err := p.Batch(m.raw, func(q ingest.Quarantine) { out.quarantined = append(out.quarantined, q) })
				pseudoBusy += time.Since(t)
				if err != nil {
					pseudoErr = err
					cancel()
					continue
				}
				out.batch, out.hasBatch, out.links = batch, true, stats
			}
			select {
			case writes <- out:
			case <-stageCtx.Done():
				if out.hasBatch {
					out.batch.Release()
				}
			}
		}
	}()

	// Write, on this goroutine. The loop ends when the pseudonymiser has
	// closed writes, which it does only after the reader closed raws: after
	// it, res, readErr and pseudoErr are safe to read.
	var writeErr error
	quarantined := 0
	for m := range writes {
		if writeErr != nil {
			if m.hasBatch {
				m.batch.Release()
			}
			continue
		}
		t := time.Now()
		for _, q := range m.quarantined {
			quarantined++
			if err := sink.Quarantine(q); err != nil && writeErr == nil {
				writeErr = err
			}
		}
		if m.hasBatch {
			res.Links.Add(m.links)
			res.Written += int(m.batch.Record().NumRows())
			if writeErr == nil {
				writeErr = sink.Write(stageCtx, m.batch)
			} else {
				m.batch.Release()
			}
			at(BatchWritten)
		}
		res.Busy.Write += time.Since(t)
		if writeErr != nil {
			cancel()
		}
	}
	res.Busy.Pseudonymise = pseudoBusy
	bar.Done(readErr == nil && pseudoErr == nil && writeErr == nil)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if writeErr != nil {
		return res, writeErr
	}
	if pseudoErr != nil {
		return res, pseudoErr
	}
	if err := readErr; err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, ingest.ErrAccounting) {
			return res, err
		}
		return res, &InputError{Partner: e.Partner, Err: err}
	}
	if read := res.File.RowsRead; read != res.Written+res.Quarantined() || quarantined != res.Quarantined() {
		return res, fmt.Errorf("%w: %s: %d rows read, %d written, %d quarantined (%d quarantine records)",
			ingest.ErrAccounting, e.File.Name, read, res.Written, res.Quarantined(), quarantined)
	}
	return res, nil
}

// ByRule is the number of quarantined rows per rule: ingest's, and
// pseudonymise's rows without an identifier (rule no_identifier).
func (r Result) ByRule() map[string]int {
	out := maps.Clone(r.File.ByRule)
	if out == nil {
		out = map[string]int{}
	}
	if r.Links.Unlinked > 0 {
		out[string(ingest.RuleNoIdentifier)] += r.Links.Unlinked
	}
	return out
}

// Check is what a dry run found in one export.
type Check struct {
	File   study.File
	Result Result
	// Err is why the file could not be read (to the end); nil when it was.
	Err error
}

// DryRun streams every export of st through the same flow as a run into
// a Counter, under a throwaway key that lives only in memory
// (pseudonymise.EphemeralKey), so the decision of how each row links, or
// why it is quarantined, is the run's own, and nothing is kept
// (`outcomes check`). An export that cannot be read is reported in its
// Check and the others are still read; an interruption or a bug stops
// early.
func DryRun(ctx context.Context, st *study.Study, o Options) ([]Check, error) {
	key, err := pseudonymise.EphemeralKey()
	if err != nil {
		return nil, err
	}
	p := pseudonymise.NewForStudy(key, st)
	var out []Check
	for _, partner := range st.Partners {
		for _, f := range partner.Files {
			c := Check{File: f}
			c.Result, err = Stream(ctx, Export{Study: st, Partner: partner.Name, File: f}, p, &Counter{}, o)
			var input *InputError
			switch {
			case errors.As(err, &input):
				c.Err = input.Err
			case err != nil:
				return out, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}
