package observe

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/outcomes-research/outcomes/internal/flow"
)

// counter counts what it is told.
type counter struct{ at, files, stages, commits int }

func (c *counter) At(flow.Point)        { c.at++ }
func (c *counter) FileDone(flow.Result) { c.files++ }
func (c *counter) StageDone(string)     { c.stages++ }
func (c *counter) Committing()          { c.commits++ }

// TestPauseAtPausesOnceAndPassesOn: the hook pauses at its point only (the
// first time), until the context ends, and passes every call on.
func TestPauseAtPausesOnceAndPassesOn(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var w bytes.Buffer
	var next counter
	h := PauseAt(ctx, StageLink, &w, &next)
	h.At(flow.BatchRead)
	h.StageDone(StageIngest)
	if w.Len() != 0 {
		t.Fatalf("paused before its point: %q", w.String())
	}
	done := make(chan struct{})
	go func() { h.StageDone(StageLink); close(done) }()
	select {
	case <-done:
		t.Fatal("did not pause at its point")
	case <-time.After(50 * time.Millisecond):
	}
	cancel()
	<-done
	if !strings.Contains(w.String(), PauseMessage+StageLink) {
		t.Errorf("printed %q", w.String())
	}
	h.StageDone(StageLink) // a second time: no pause (the context is done anyway)
	h.FileDone(flow.Result{})
	h.Committing()
	if next != (counter{at: 1, files: 1, stages: 3, commits: 1}) {
		t.Errorf("passed on %+v", next)
	}
}

// TestPauseAtUnset: without a point nothing pauses.
func TestPauseAtUnset(t *testing.T) {
	h := PauseAt(context.Background(), "", &bytes.Buffer{}, nil)
	h.At(flow.BatchRead)
	h.StageDone(StageReport)
	h.Committing()
}
