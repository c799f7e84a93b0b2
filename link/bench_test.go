package link

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkLink1M links about a million entities without a national ID
// (625,000 synthetic persons, a third with a BSN anchor, 1-4 records each
// with the linkage error rates), on the workers the machine has. Run with
// -benchtime 1x; it reports candidates, the heap in use after linking, the input's heap
// and the peak heap in use while linking (sampled every 20 ms).
func BenchmarkLink1M(b *testing.B) { benchmarkLink(b, 625_000) }

// BenchmarkLink250k is the same at a quarter of the size, for the growth of
// time and memory.
func BenchmarkLink250k(b *testing.B) { benchmarkLink(b, 156_250) }

func benchmarkLink(b *testing.B, persons int) {
	pop := newPopulation(b, persons, 2)
	b.Logf("%d entities", len(pop.entities))
	cfg := Config{Upper: ProbabilityWeight(0.9), Lower: ProbabilityWeight(0.2), OneToOne: map[int32]bool{0: true}, Workers: runtime.GOMAXPROCS(0)}
	// The heap before linking (after a collection) is the input; the peak
	// is sampled while Link runs, so it is Link's own working set on top.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	input := ms.HeapAlloc
	peak := make(chan uint64)
	stop := make(chan struct{})
	go func() {
		var top uint64
		var m runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				peak <- top
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				top = max(top, m.HeapInuse)
			}
		}
	}()
	b.ResetTimer()
	var res Result
	for b.Loop() {
		res = Link(pop.entities, cfg)
	}
	b.StopTimer()
	close(stop)
	top := <-peak
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(input)/(1<<20), "input-MiB")
	b.ReportMetric(float64(top)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(res.Model.Candidates), "candidates")
	b.ReportMetric(float64(len(pop.entities)), "entities")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
	q := pop.measure(res.Cluster)
	exact := make([]int32, len(pop.entities))
	for i := range exact {
		exact[i] = int32(i)
	}
	x := pop.measure(exact)
	b.Logf("probabilistic: precision %.4f recall %.4f F1 %.4f, precision of the pairs added to the exact key's %.4f; exact key: precision %.4f recall %.4f F1 %.4f; skipped blocks %d",
		q.precision(), q.recall(), q.f1(), q.addedPrecision(x), x.precision(), x.recall(), x.f1(), res.SkippedBlocks)
}
