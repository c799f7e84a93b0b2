package link

import (
	"runtime"
	"testing"
)

// BenchmarkLink1M links about a million entities without a national ID
// (625,000 synthetic persons, a third with a BSN anchor, 1-4 records each
// with the linkage error rates), on the workers the machine has. Run with
// -benchtime 1x; it reports candidates and the heap in use after linking.
func BenchmarkLink1M(b *testing.B) { benchmarkLink(b, 625_000) }

// BenchmarkLink250k is the same at a quarter of the size, for the growth of
// time and memory.
func BenchmarkLink250k(b *testing.B) { benchmarkLink(b, 156_250) }

func benchmarkLink(b *testing.B, persons int) {
	pop := newPopulation(b, persons, 2)
	b.Logf("%d entities", len(pop.entities))
	cfg := Config{Upper: ProbabilityWeight(0.9), Lower: ProbabilityWeight(0.2), OneToOne: map[int32]bool{0: true}, Workers: runtime.GOMAXPROCS(0)}
	b.ResetTimer()
	var res Result
	for b.Loop() {
		res = Link(pop.entities, cfg)
	}
	b.StopTimer()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
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
