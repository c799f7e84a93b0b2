package pseudonymise

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/study"
)

// The benchmarks below pseudonymise a workload the size of one raw batch
// (DefaultBatchSize rows of distinct, normalised BSNs) per iteration and
// report identifiers per second. BenchmarkBatchHMAC is the same workload
// with crypto/hmac (one reused HMAC, Reset per identifier, as the Hasher did
// before), the baseline the Hasher's precomputed states are measured
// against. Besides wall time (ns/id, ids/s) they report cpu-ns/id, the
// process's CPU time per identifier, which stays meaningful on a machine
// whose cores other processes share. Run:
//
//	go test -tags duckdb_arrow -run '^$' -bench 'Batch' -count 7 ./pseudonymise

const benchBatch = 65536

func BenchmarkBatchHasher(b *testing.B) {
	h := NewHasher(testKey(b, 0))
	ids := syntheticNormalisedBSNs(benchBatch)
	dst := make([]byte, 0, PseudonymLen)
	b.ReportAllocs()
	cpu0, cpuOK := processCPUTime()
	n := 0
	for b.Loop() {
		for i := range ids {
			dst = h.AppendPseudonym(dst[:0], DomainBSN, ids[i][:])
		}
		n += len(ids)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "ids/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/id")
	reportCPU(b, cpu0, cpuOK, n)
}

func BenchmarkBatchHMAC(b *testing.B) {
	mac := hmac.New(sha256.New, testSecret(0))
	prefix := domainPrefix[DomainBSN]
	ids := syntheticNormalisedBSNs(benchBatch)
	dst := make([]byte, 0, PseudonymLen)
	var sum [sha256.Size]byte
	b.ReportAllocs()
	cpu0, cpuOK := processCPUTime()
	n := 0
	for b.Loop() {
		for i := range ids {
			mac.Reset()
			mac.Write(prefix)
			mac.Write(ids[i][:])
			dst = hex.AppendEncode(dst[:0], mac.Sum(sum[:0])[:pseudonymBytes])
		}
		n += len(ids)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "ids/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/id")
	reportCPU(b, cpu0, cpuOK, n)
}

// reportCPU reports the CPU time per identifier since cpu0.
func reportCPU(b *testing.B, cpu0 time.Duration, ok bool, n int) {
	if cpu1, ok1 := processCPUTime(); ok && ok1 && n > 0 {
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(n), "cpu-ns/id")
	}
}

// TestHasherMatchesHMAC checks the hand-kept HMAC states against one-shot
// crypto/hmac for every identifier length around SHA-256's block and
// padding boundaries, for keys shorter than, equal to and longer than a
// block (a longer key is hashed first), in both domains, reusing one Hasher
// so that no state leaks from one identifier to the next.
func TestHasherMatchesHMAC(t *testing.T) {
	for _, keyLen := range []int{32, 63, 64, 65, 200} {
		secret := make([]byte, keyLen)
		for i := range secret {
			secret[i] = byte(i*31 + keyLen)
		}
		h := NewHasher(newKey(secret))
		for _, d := range []Domain{DomainBSN, DomainFallback} {
			t.Run(fmt.Sprintf("key %d bytes/%v", keyLen, d), func(t *testing.T) {
				id := make([]byte, 0, 300)
				for n := 0; n <= 300; n++ {
					want := referencePseudonym(secret, string(domainPrefix[d]), id)
					if got := h.Pseudonym(d, id); got != want {
						t.Fatalf("identifier of %d bytes: %s, crypto/hmac gives %s", n, got, want)
					}
					id = append(id, byte('a'+n%26))
				}
			})
		}
	}
}

// BenchmarkPseudonymiserBatch is the whole per-row work of the pseudonymise
// stage on one raw batch of trajectories: BSN normalisation and elfproef,
// BSN and fallback pseudonyms, coarsening, and the Arrow output columns.
// ids/s counts rows (each row has two identifiers: BSN and fallback key).
func BenchmarkPseudonymiserBatch(b *testing.B) {
	rows := make([]rawRow, benchBatch)
	surnames := []string{"de Vries", "Jansen", "van den Berg", "Çelik", "El Amrani", "Bakker"}
	for i := range rows {
		bsn := SyntheticBSN(uint32(i * 7919))
		rows[i] = rawRow{study.FieldBSN: bsn[:3] + "." + bsn[3:6] + "." + bsn[6:], study.FieldSurname: surnames[i%len(surnames)],
			study.FieldBirthDate: time.Date(1950+i%50, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), study.FieldSex: "M",
			study.FieldPostcode: "1234 AB", study.FieldProgramme: "AMB", study.FieldStart: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	}
	p := New(testKey(b, 0))
	quarantine := func(ingest.Quarantine) {}
	raw := rawBatch(b, study.KindTrajectories, "P", "f.csv", rows)
	defer raw.Record.Release()
	b.ReportAllocs()
	cpu0, cpuOK := processCPUTime()
	n := 0
	for b.Loop() {
		raw.Record.Retain() // Batch releases it
		out, _, err := p.Batch(raw, quarantine)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
		n += len(rows)
	}
	reportCPU(b, cpu0, cpuOK, n)
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/row")
}
