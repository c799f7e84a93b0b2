// Package observe is the contract between a run of the pipeline and what
// watches it without changing it: the benchmark's recorder
// (internal/bench.Recorder) and the kill test's pause hook (PauseAt). The
// pipeline tells one Observer where it is; observers chain.
package observe

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/outcomes-research/outcomes/internal/flow"
)

// Observer watches a run: each export's passage (flow.Observer), each
// export's result, the end of each stage, and the moment before the
// outputs are moved into place.
type Observer interface {
	flow.Observer
	FileDone(flow.Result)
	// StageDone is told when a stage ends: the Stage constants, in order.
	StageDone(stage string)
	// Committing is told when the staged outputs are complete and durable,
	// before they are moved into place.
	Committing()
}

// Stages of a run, as observers are told of them.
const (
	StageIngest   = "ingest" // every export read, pseudonymised and loaded
	StageLink     = "link"
	StageAnalyses = "analyses"
	StageReport   = "report" // the report is written in the staging folder, nothing committed
	StageSave     = "save"   // the database is closed
)

// The points PauseAt knows besides the stages: flow.BatchRead ("read": an
// export's first batch is read, not yet loaded), flow.BatchWritten
// ("load": the first batch is loaded into the staged database) and
// PointCommit.
const (
	// PointCommit: the commit marker is written, no output moved yet.
	PointCommit = "commit"
	// PauseMessage starts the line PauseAt prints when it pauses.
	PauseMessage = "outcomes: paused at stage "
)

// Nop watches nothing.
type Nop struct{}

func (Nop) At(flow.Point)        {}
func (Nop) FileDone(flow.Result) {}
func (Nop) StageDone(string)     {}
func (Nop) Committing()          {}

// PauseAt returns an Observer that, when point is not empty, pauses the run
// once when it reaches point (a flow.Point, a stage or PointCommit): it
// prints PauseMessage and the point on w and waits until ctx is done (the
// kill test then kills the process). Every call is passed on to next
// (nil: none).
func PauseAt(ctx context.Context, point string, w io.Writer, next Observer) Observer {
	if next == nil {
		next = Nop{}
	}
	return &pause{ctx: ctx, at: point, w: w, next: next}
}

type pause struct {
	ctx  context.Context
	at   string
	w    io.Writer
	done atomic.Bool // At(BatchRead) comes from the flow's reading goroutine
	next Observer
}

func (h *pause) pause(point string) {
	if h.at == "" || point != h.at || !h.done.CompareAndSwap(false, true) {
		return
	}
	fmt.Fprintf(h.w, "%s%s\n", PauseMessage, point)
	<-h.ctx.Done()
}

func (h *pause) At(p flow.Point)        { h.pause(string(p)); h.next.At(p) }
func (h *pause) FileDone(r flow.Result) { h.next.FileDone(r) }
func (h *pause) StageDone(stage string) { h.pause(stage); h.next.StageDone(stage) }
func (h *pause) Committing()            { h.pause(PointCommit); h.next.Committing() }
