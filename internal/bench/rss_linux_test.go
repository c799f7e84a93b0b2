package bench

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// TestStagePeakRSS checks that stagePeakRSS gives the peak of the stage since
// the previous call: a stage that touches 256 MiB peaks above that, and the
// next stage, after the memory went back to the kernel, peaks well below it.
func TestStagePeakRSS(t *testing.T) {
	if _, ok := stagePeakRSS(); !ok {
		t.Skip("this kernel does not report or reset the peak RSS")
	}
	const size = 256 << 20
	big := make([]byte, size)
	for i := 0; i < len(big); i += 4096 {
		big[i] = 1
	}
	runtime.KeepAlive(big)
	first, _ := stagePeakRSS()
	if first < size {
		t.Errorf("a stage that touched %d MiB peaked at %d MiB", size>>20, first>>20)
	}
	big = nil
	runtime.GC()
	debug.FreeOSMemory()
	stagePeakRSS() // the reset now starts from the smaller size
	second, _ := stagePeakRSS()
	if second > first-size/2 {
		t.Errorf("after freeing %d MiB the next stage peaked at %d MiB, the stage before at %d MiB", size>>20, second>>20, first>>20)
	}
}

func TestStatusKiB(t *testing.T) {
	status := []byte("Name:\toutcomes\nVmPeak:\t  2048 kB\nVmHWM:\t   1536 kB\nVmRSS:\t 1024 kB\n")
	if got, ok := statusKiB(status, "VmHWM:"); !ok || got != 1536<<10 {
		t.Errorf("VmHWM: got %d, %v; want %d", got, ok, 1536<<10)
	}
	if _, ok := statusKiB(status, "VmSwap:"); ok {
		t.Error("a missing line was found")
	}
}
