package flow

import (
	"context"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/pseudonymise"
)

// Counter is a Sink that keeps nothing: it counts the rows written and
// the quarantine records, and releases every batch. `outcomes check` uses
// it for its dry run.
type Counter struct {
	Rows, Quarantined int
}

// Quarantine counts q.
func (c *Counter) Quarantine(ingest.Quarantine) error {
	c.Quarantined++
	return nil
}

// Write counts b's rows and releases it.
func (c *Counter) Write(_ context.Context, b pseudonymise.Batch) error {
	defer b.Release()
	c.Rows += int(b.Record().NumRows())
	return nil
}
