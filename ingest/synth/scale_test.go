package synth

import (
	"os"
	"strconv"
	"testing"
	"time"
)

// TestScaleWrite writes a large world when SYNTH_SCALE_DIR names a folder,
// e.g. SYNTH_SCALE_DIR=/tmp/big SYNTH_SCALE_PERSONS=1000000
// SYNTH_SCALE_EVENTS=10000000; run it under /usr/bin/time -v to see the
// peak memory. Skipped otherwise.
func TestScaleWrite(t *testing.T) {
	dir := os.Getenv("SYNTH_SCALE_DIR")
	if dir == "" {
		t.Skip("set SYNTH_SCALE_DIR (and SYNTH_SCALE_PERSONS, SYNTH_SCALE_EVENTS) to run")
	}
	persons, _ := strconv.Atoi(os.Getenv("SYNTH_SCALE_PERSONS"))
	events, _ := strconv.Atoi(os.Getenv("SYNTH_SCALE_EVENTS"))
	cfg := Config{Seed: 1, Scale: 1, Persons: persons, Events: events}
	start := time.Now()
	truth, err := Write(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v: %d persons in %v", cfg, truth.Persons, time.Since(start))
	for _, f := range truth.Files {
		t.Logf("%s: %d rows", f.File, f.Rows)
	}
	if persons > 0 && truth.Persons != persons {
		t.Errorf("persons = %d, want %d", truth.Persons, persons)
	}
}
