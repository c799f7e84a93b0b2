//go:build unix

package pseudonymise

import (
	"syscall"
	"time"
)

// processCPUTime returns the user + system CPU time the process has used,
// so a benchmark on a shared machine can report per-core throughput that
// does not count the time other processes held the core.
func processCPUTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
