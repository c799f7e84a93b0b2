package synth

import (
	"fmt"
	"math"
)

// Bounds of the synthetic study's size flags: far beyond any benchmark
// (the 10M benchmark has a million persons), short of sizes that would
// only exhaust memory or disk.
const (
	maxSynthScale   = 1000
	maxSynthPersons = 100_000_000
	maxSynthEvents  = 1_000_000_000
)

// CheckSizes range-checks a study size as the command line gives it
// (--scale, --persons, --events).
func CheckSizes(scale float64, persons, events int) error {
	switch {
	case math.IsNaN(scale) || scale <= 0 || scale > maxSynthScale:
		return fmt.Errorf("--scale %v is out of range: use a number above 0 and at most %d", scale, maxSynthScale)
	case persons < 0 || persons > maxSynthPersons:
		return fmt.Errorf("--persons %d is out of range: use 0 (from --scale) to %d", persons, maxSynthPersons)
	case events < 0 || events > maxSynthEvents:
		return fmt.Errorf("--events %d is out of range: use 0 (from --scale) to %d", events, maxSynthEvents)
	}
	return nil
}
