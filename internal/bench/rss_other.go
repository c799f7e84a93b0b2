//go:build !linux

package bench

// stagePeakRSS is not available outside Linux: the benchmark then shows no
// peak per stage, only the whole process's.
func stagePeakRSS() (peak int64, ok bool) { return 0, false }
