package main

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/outcomes-research/outcomes/internal/flow"
)

// The kill test's hook (kill_test.go): when the environment variable
// OUTCOMES_TEST_PAUSE_AT names a point of the run, the run prints
// "outcomes: paused at stage <name>" on stderr when it gets there and
// waits until it is interrupted or killed. The points:
//
//   - read: an export's first batch is read, not yet loaded (flow.BatchRead)
//   - load: the first batch is loaded into the staged database (flow.BatchWritten)
//   - report: the report is written in the staging folder, nothing committed
//   - commit: the commit marker is written, no output moved yet
//
// Unset (always, outside tests), the hook does nothing.
const (
	pauseEnvVar  = "OUTCOMES_TEST_PAUSE_AT"
	pauseMessage = "outcomes: paused at stage "
	pauseRead    = string(flow.BatchRead)
	pauseLoad    = string(flow.BatchWritten)
	pauseReport  = stageReport
	pauseCommit  = "commit"
)

// pauseHook is a runObserver that pauses the run once, at the point named
// by pauseEnvVar, and passes every call on to next.
type pauseHook struct {
	ctx  context.Context
	e    env
	at   string
	done atomic.Bool // At(BatchRead) comes from the flow's reading goroutine
	next runObserver
}

func newPauseHook(ctx context.Context, e env, next runObserver) *pauseHook {
	if next == nil {
		next = noObserver{}
	}
	return &pauseHook{ctx: ctx, e: e, at: e.getenv(pauseEnvVar), next: next}
}

func (h *pauseHook) pause(point string) {
	if h.at == "" || point != h.at || !h.done.CompareAndSwap(false, true) {
		return
	}
	fmt.Fprintf(h.e.stderr, "%s%s\n", pauseMessage, point)
	<-h.ctx.Done()
}

func (h *pauseHook) At(p flow.Point)        { h.pause(string(p)); h.next.At(p) }
func (h *pauseHook) FileDone(r flow.Result) { h.next.FileDone(r) }
func (h *pauseHook) StageDone(stage string) { h.pause(stage); h.next.StageDone(stage) }
func (h *pauseHook) Committing()            { h.pause(pauseCommit); h.next.Committing() }

// noObserver watches nothing.
type noObserver struct{}

func (noObserver) At(flow.Point)        {}
func (noObserver) FileDone(flow.Result) {}
func (noObserver) StageDone(string)     {}
func (noObserver) Committing()          {}
