package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/store"
)

// measurement is one child process: its wall time, CPU time, peak RSS and
// what it reported itself (`run --timings`: stage times in seconds, CPU
// seconds as cpu_<stage>, peak RSS in bytes as rss_<stage>).
type measurement struct {
	wall, cpu time.Duration
	maxRSS    int64 // bytes
	times     map[string]float64
}

// loadPartCPU is the CPU time of the load part, every thread.
func loadPartCPU(m measurement) float64 {
	return m.times["cpu_ingest"] + m.times["cpu_link"] + m.times["cpu_save"]
}

// loadPart is the pipeline's counterpart of the baseline: reading,
// validating, pseudonymising and loading every file, linking persons and
// writing the database to disk.
func loadPart(m measurement) float64 {
	return m.times["ingest"] + m.times["link"] + m.times["save"]
}

// PipelineArgs is the command line, without the binary, of a pipeline
// child: `outcomes run` on studyFile into outDir with batchSize rows per
// batch, writing its per-stage times to timings.
func PipelineArgs(studyFile, outDir string, batchSize int, timings string) []string {
	return []string{"run", "--study", studyFile, "--out", outDir,
		"--batch-size", strconv.Itoa(batchSize), "--timings", timings}
}

// Baseline is one run of the yardstick: DuckDB's read_csv of the export
// CSV, delimited by Delim, into a new database file DB, with the row count
// and wall time written as JSON to Timings. The harness runs it as a child
// process, so that its peak RSS is measured as the pipeline's is.
type Baseline struct {
	CSV, DB string
	Delim   rune
	Timings string
}

// Args is the command line, without the binary, of a baseline child: the
// bench command's hidden flags, which the command turns back into b and
// hands to [RunBaseline].
func (b Baseline) Args() []string {
	return []string{"bench", "--baseline-csv", b.CSV, "--baseline-db", b.DB,
		"--baseline-delim", string(b.Delim), "--timings", b.Timings}
}

// RunBaseline is the child side of the baseline: it loads b.CSV with
// store.LoadCSVBaseline and writes {"rows": n, "total": seconds} to
// b.Timings.
func RunBaseline(ctx context.Context, b Baseline) error {
	start := time.Now()
	n, err := store.LoadCSVBaseline(ctx, b.DB, b.CSV, b.Delim)
	if err != nil {
		return err
	}
	data, err := json.Marshal(map[string]any{"rows": n, "total": time.Since(start).Seconds()})
	if err != nil {
		return err
	}
	return os.WriteFile(b.Timings, data, 0o644)
}

func (b *benchmark) baseline(ctx context.Context, st *benchStudy, run int) error {
	work := filepath.Join(b.cfg.Dir, "work")
	db := filepath.Join(work, "baseline.duckdb")
	if err := os.MkdirAll(work, 0o755); err != nil {
		return outdir.Fail(err)
	}
	for _, p := range []string{db, db + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return outdir.Fail(err)
		}
	}
	bl := Baseline{CSV: st.eventFile, DB: db, Delim: st.delim, Timings: filepath.Join(work, "baseline.json")}
	m, err := b.child(ctx, bl.Args(), bl.Timings)
	if err != nil {
		return err
	}
	st.baselines = append(st.baselines, m)
	fmt.Fprintf(b.log, "bench: %s run %d: read_csv baseline %.2f s, peak RSS %d MiB\n", st.size.Label, run+1, m.wall.Seconds(), m.maxRSS>>20)
	return nil
}

func (b *benchmark) pipeline(ctx context.Context, st *benchStudy, run int) error {
	work := filepath.Join(b.cfg.Dir, "work")
	out := filepath.Join(work, "out")
	if err := os.RemoveAll(out); err != nil {
		return outdir.Fail(err)
	}
	tf := filepath.Join(work, "pipeline.json")
	m, err := b.child(ctx, PipelineArgs(filepath.Join(st.dir, "study.yaml"), out, b.cfg.BatchSize, tf), tf)
	if err != nil {
		return err
	}
	st.pipelines = append(st.pipelines, m)
	fmt.Fprintf(b.log, "bench: %s run %d: pipeline %.2f s (ingest+pseudonymise+load %.2f s), peak RSS %d MiB\n",
		st.size.Label, run+1, m.wall.Seconds(), loadPart(m), m.maxRSS>>20)
	return nil
}

// child runs this binary with args and measures it.
func (b *benchmark) child(ctx context.Context, args []string, timingsFile string) (measurement, error) {
	if err := os.Remove(timingsFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return measurement{}, outdir.Fail(err)
	}
	cmd := exec.CommandContext(ctx, b.self, args...)
	cmd.Env = append(os.Environ(), pseudonymise.KeyEnvVar+"="+b.key)
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		if ctx.Err() != nil {
			return measurement{}, ctx.Err()
		}
		return measurement{}, fmt.Errorf("benchmark child %s failed: %w\n%s", strings.Join(args[:1], " "), err, stderr.String())
	}
	m := measurement{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.maxRSS = ru.Maxrss << 10 // kilobytes on Linux
	}
	data, err := os.ReadFile(timingsFile)
	if err != nil {
		return m, fmt.Errorf("reading the child's timings: %w", err)
	}
	if err := json.Unmarshal(data, &m.times); err != nil {
		return m, fmt.Errorf("reading the child's timings: %w", err)
	}
	// Measuring each stage's peak resets the kernel's peak, so ru_maxrss
	// only covers the child's last stretch: the child's peak is the largest
	// of it and the stage peaks.
	for k, v := range m.times {
		if strings.HasPrefix(k, "rss_") {
			m.maxRSS = max(m.maxRSS, int64(v))
		}
	}
	return m, nil
}
