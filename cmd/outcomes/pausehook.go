package main

import (
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/internal/observe"
)

// The kill test's hook (kill_test.go): when the environment variable
// OUTCOMES_TEST_PAUSE_AT names a point of the run, the run prints
// "outcomes: paused at stage <name>" on stderr when it gets there and
// waits until it is interrupted or killed (observe.PauseAt). Unset
// (always, outside tests), nothing pauses.
const (
	pauseEnvVar  = "OUTCOMES_TEST_PAUSE_AT"
	pauseMessage = observe.PauseMessage
	pauseRead    = string(flow.BatchRead)
	pauseLoad    = string(flow.BatchWritten)
	pauseReport  = observe.StageReport
	pauseCommit  = observe.PointCommit
)
