package ingest_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/study"
)

// peakAllocator counts the bytes an Arrow allocator holds and their peak.
type peakAllocator struct {
	mem        memory.Allocator
	mu         sync.Mutex
	live, peak int
}

func (a *peakAllocator) add(n int) {
	a.mu.Lock()
	a.live += n
	a.peak = max(a.peak, a.live)
	a.mu.Unlock()
}

func (a *peakAllocator) Allocate(size int) []byte {
	b := a.mem.Allocate(size)
	a.add(len(b))
	return b
}

func (a *peakAllocator) Reallocate(size int, b []byte) []byte {
	old := len(b)
	nb := a.mem.Reallocate(size, b)
	a.add(len(nb) - old)
	return nb
}

func (a *peakAllocator) Free(b []byte) {
	a.add(-len(b))
	a.mem.Free(b)
}

// writeLargeExport streams rows trajectory rows to a CSV file.
func writeLargeExport(t testing.TB, dir string, rows int) string {
	t.Helper()
	path := filepath.Join(dir, fmt.Sprintf("large_%d.csv", rows))
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(fh)
	fmt.Fprintln(w, "BSN;Achternaam;Geboortedatum;Programma;Startdatum;Einddatum;Reden einde;Uitstroom naar")
	for i := range rows {
		end := fmt.Sprintf("%02d-%02d-2024", 1+i%28, 7+i%6)
		if i%10 == 0 {
			end = ""
		}
		fmt.Fprintf(w, "%09d;Achternaam-%d;%02d-%02d-19%02d;AMB-7D;%02d-%02d-2023;%s;regulier beëindigd;eigen woning\n",
			100000000+i, i%977, 1+i%28, 1+i%12, 40+i%60, 1+i%28, 1+i%12, end)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

const largeStudy = `study: large
cutoff: 2025-12-31
programmes: [{code: AMB, outcome: recidivism}]
partners:
  - name: P
    files:
      - path: %s
        kind: trajectories
        columns: {bsn: BSN, surname: Achternaam, birth_date: Geboortedatum, programme: Programma,
                  start: Startdatum, end: Einddatum, exit_reason: Reden einde, exit_destination: Uitstroom naar}
        codes:
          programme: {AMB-7D: AMB}
          exit_destination: {eigen woning: independent_housing}
`

// readPeak reads the export at path with the batch size and returns the
// result and the Arrow allocator's peak bytes.
func readPeak(t *testing.T, dir, path string, batchSize int) (ingest.FileResult, int) {
	t.Helper()
	studyPath := filepath.Join(dir, "study.yaml")
	if err := os.WriteFile(studyPath, fmt.Appendf(nil, largeStudy, filepath.Base(path)), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := study.Load(studyPath)
	if err != nil {
		t.Fatal(err)
	}
	mem := &peakAllocator{mem: memory.NewGoAllocator()}
	var progress []int64
	res, err := ingest.ReadFile(context.Background(), st, "P", st.Partners[0].Files[0], ingest.Options{
		BatchSize: batchSize,
		Allocator: mem,
		Emit: func(b ingest.RawBatch) error {
			if n := int(b.Record.NumRows()); n > batchSize {
				t.Errorf("batch of %d rows, batch size %d", n, batchSize)
			}
			b.Record.Release()
			return nil
		},
		Progress: func(n int64) { progress = append(progress, n) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if mem.live != 0 {
		t.Errorf("%d bytes still allocated after ReadFile", mem.live)
	}
	// Progress: several reports, never decreasing, ending at the file size.
	if want := res.RowsRead/4096 + 1; len(progress) < want {
		t.Errorf("%d progress reports for %d rows, want at least %d", len(progress), res.RowsRead, want)
	}
	for i := 1; i < len(progress); i++ {
		if progress[i] < progress[i-1] {
			t.Errorf("progress went back from %d to %d", progress[i-1], progress[i])
		}
	}
	if len(progress) > 0 && progress[len(progress)-1] != res.Bytes {
		t.Errorf("last progress %d, file size %d", progress[len(progress)-1], res.Bytes)
	}
	return res, mem.peak
}

// TestReadFileMemoryBoundedByBatch reads a generated export of 200,000 rows
// (about 20 MB) and one of 20,000 rows and checks that the Arrow memory
// ReadFile holds at its peak depends on the batch size, not on the file: it
// stays under a bound per batch row, and the two files peak alike.
func TestReadFileMemoryBoundedByBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads a 200,000-row export")
	}
	dir := t.TempDir()
	large := writeLargeExport(t, dir, 200_000)
	small := writeLargeExport(t, dir, 20_000)
	const batch = 1000
	// A row of this export needs about 150 bytes in Arrow (16 columns of
	// offsets, validity bits and short strings), and builders round their
	// buffers up to powers of two: allow 512 bytes per batch row.
	const bound = batch * 512

	res, peakLarge := readPeak(t, dir, large, batch)
	if res.RowsRead != 200_000 || res.RowsEmitted != 200_000 {
		t.Fatalf("large: read %d, emitted %d (quarantine %v)", res.RowsRead, res.RowsEmitted, res.ByRule)
	}
	if res.DetectedDateFormats[study.FieldStart] != "d-m-yyyy" && res.DetectedDateFormats[study.FieldStart] != "dd-mm-yyyy" {
		t.Errorf("detected start format %q", res.DetectedDateFormats[study.FieldStart])
	}
	_, peakSmall := readPeak(t, dir, small, batch)
	t.Logf("file of %d bytes: Arrow peak %d bytes; 20,000 rows: %d bytes; bound %d", res.Bytes, peakLarge, peakSmall, bound)
	if peakLarge > bound {
		t.Errorf("Arrow peak %d bytes for batches of %d rows, over the bound %d (file %d bytes)", peakLarge, batch, bound, res.Bytes)
	}
	if peakLarge > peakSmall*3/2 {
		t.Errorf("Arrow peak grows with the file: %d bytes for 200,000 rows, %d for 20,000", peakLarge, peakSmall)
	}
}

// BenchmarkReadFile reads a 100,000-row export (about 10 MB) with the date
// format detected, in default-size batches.
func BenchmarkReadFile(b *testing.B) {
	dir := b.TempDir()
	path := writeLargeExport(b, dir, 100_000)
	studyPath := filepath.Join(dir, "study.yaml")
	if err := os.WriteFile(studyPath, fmt.Appendf(nil, largeStudy, filepath.Base(path)), 0o644); err != nil {
		b.Fatal(err)
	}
	st, err := study.Load(studyPath)
	if err != nil {
		b.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(info.Size())
	b.ResetTimer()
	for b.Loop() {
		res, err := ingest.ReadFile(context.Background(), st, "P", st.Partners[0].Files[0], ingest.Options{
			Emit: func(rb ingest.RawBatch) error { rb.Record.Release(); return nil },
		})
		if err != nil || res.RowsEmitted != 100_000 {
			b.Fatalf("emitted %d: %v", res.RowsEmitted, err)
		}
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// TestDateSampleBoundedByBytes reads an export whose rows are 100 KB each:
// the date sample stops at DateSampleBytes, and every row is still read in
// order with the detected format.
func TestDateSampleBoundedByBytes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "wide.csv")
	var b strings.Builder
	b.WriteString("BSN;Achternaam;Geboortedatum;Programma;Startdatum;Einddatum;Reden einde;Uitstroom naar\n")
	long := strings.Repeat("x", 100_000)
	const rows = 60
	for i := range rows {
		fmt.Fprintf(&b, "%09d;Jansen;01-02-1980;AMB-7D;%d-3-2024;;%s;eigen woning\n", 100000000+i, 1+i%28, long)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "study.yaml"), fmt.Appendf(nil, largeStudy, "wide.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := study.Load(filepath.Join(dir, "study.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []int64
	res, err := ingest.ReadFile(context.Background(), st, "P", st.Partners[0].Files[0], ingest.Options{
		BatchSize: 7,
		Emit: func(rb ingest.RawBatch) error {
			defer rb.Record.Release()
			col := rb.Record.Column(0).(*array.Int64)
			for i := 0; i < col.Len(); i++ {
				lines = append(lines, col.Value(i))
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsRead != rows || res.RowsEmitted != rows {
		t.Fatalf("read %d emitted %d, want %d (quarantine %v)", res.RowsRead, res.RowsEmitted, rows, res.ByRule)
	}
	for i, l := range lines {
		if l != int64(i+2) {
			t.Fatalf("row %d has line %d, want %d", i, l, i+2)
		}
	}
	if got := res.DetectedDateFormats[study.FieldStart]; got != "d-m-yyyy" {
		t.Errorf("detected start format %q, want d-m-yyyy", got)
	}
}

// TestUndecodableRowQuarantined: a UTF-8 export with a Windows-1252 name
// past the encoding-detection prefix but inside the date sample (no date
// format declared): that row is quarantined with rule encoding at its line
// and column, every other row is emitted in order, and the counts add up.
func TestUndecodableRowQuarantined(t *testing.T) {
	dir := t.TempDir()
	const rows, badRow = 900, 800 // rows of about 100 bytes: the bad one is past 64 KB
	var b strings.Builder
	b.WriteString("BSN;Achternaam;Geboortedatum;Programma;Startdatum;Einddatum;Reden einde;Uitstroom naar\n")
	pad := strings.Repeat("x", 40)
	for i := range rows {
		name := "Müller"
		if i == badRow {
			name = "M\xfcller" // ü in Windows-1252
		}
		fmt.Fprintf(&b, "%09d;%s;01-02-1980;AMB-7D;%d-3-2024;;%s;eigen woning\n", 100000000+i, name, 1+i%28, pad)
	}
	if b.Len() < 64<<10+100*(rows-badRow) {
		t.Fatalf("the export is only %d bytes: the bad row must lie past the detection prefix", b.Len())
	}
	if err := os.WriteFile(filepath.Join(dir, "mixed.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "study.yaml"), fmt.Appendf(nil, largeStudy, "mixed.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := study.Load(filepath.Join(dir, "study.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []int64
	var quarantined []ingest.Quarantine
	res, err := ingest.ReadFile(context.Background(), st, "P", st.Partners[0].Files[0], ingest.Options{
		BatchSize:  64,
		Quarantine: func(q ingest.Quarantine) { quarantined = append(quarantined, q) },
		Emit: func(rb ingest.RawBatch) error {
			defer rb.Record.Release()
			col := rb.Record.Column(0).(*array.Int64)
			for i := 0; i < col.Len(); i++ {
				lines = append(lines, col.Value(i))
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsRead != rows || res.RowsEmitted != rows-1 || res.RowsQuarantined != 1 || res.ByRule[string(ingest.RuleEncoding)] != 1 {
		t.Fatalf("read %d, emitted %d, quarantined %d %v; want %d, %d, 1 encoding", res.RowsRead, res.RowsEmitted, res.RowsQuarantined, res.ByRule, rows, rows-1)
	}
	want := ingest.Quarantine{File: "mixed.csv", Line: badRow + 2, Column: 2, ColumnName: "Achternaam", Field: study.FieldSurname, Rule: ingest.RuleEncoding}
	if len(quarantined) != 1 || quarantined[0] != want {
		t.Errorf("quarantine %+v, want %+v", quarantined, want)
	}
	next := int64(2)
	for _, l := range lines {
		if next == badRow+2 {
			next++
		}
		if l != next {
			t.Fatalf("emitted line %d, want %d", l, next)
		}
		next++
	}
	if got := res.DetectedDateFormats[study.FieldStart]; got != "d-m-yyyy" {
		t.Errorf("detected start format %q, want d-m-yyyy (the undecodable row must not stop the sample)", got)
	}
}
