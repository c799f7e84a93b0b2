//go:build !unix

package pseudonymise

import "time"

// processCPUTime is not available here; the benchmarks then report wall
// time only.
func processCPUTime() (time.Duration, bool) { return 0, false }
