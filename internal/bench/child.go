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

// Baseline is one run of a yardstick: DuckDB's read_csv of Files, each
// into a table of its own, in a new database file DB, with the row count
// and wall time written as JSON to Timings. The harness writes it as a job
// file and runs it as a child process ([BaselineArgs]), so that its peak
// RSS is measured as the pipeline's is.
type Baseline struct {
	Files   []store.CSVFile
	DB      string
	Timings string
}

// BaselineArgs is the command line, without the binary, of a baseline
// child: the bench command's hidden --baseline flag naming the job file
// (written by [WriteBaseline]), which the command hands to [RunBaseline].
func BaselineArgs(job string) []string {
	return []string{"bench", "--baseline", job}
}

// WriteBaseline writes b as the job file path.
func WriteBaseline(path string, b Baseline) error {
	data, err := json.Marshal(b)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return outdir.Fail(err)
	}
	return nil
}

// ReadBaseline reads a job file written by [WriteBaseline].
func ReadBaseline(path string) (Baseline, error) {
	var b Baseline
	data, err := os.ReadFile(path)
	if err != nil {
		return b, fmt.Errorf("reading the baseline job: %w", err)
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return b, fmt.Errorf("reading the baseline job %s: %w", path, err)
	}
	return b, nil
}

// RunBaseline is the child side of a baseline: it reads the job file,
// loads its files with store.LoadCSVBaseline and writes {"rows": n,
// "total": seconds} to the job's Timings.
func RunBaseline(ctx context.Context, job string) error {
	b, err := ReadBaseline(job)
	if err != nil {
		return err
	}
	start := time.Now()
	n, err := store.LoadCSVBaseline(ctx, b.DB, b.Files)
	if err != nil {
		return err
	}
	data, err := json.Marshal(map[string]any{"rows": n, "total": time.Since(start).Seconds()})
	if err != nil {
		return err
	}
	return os.WriteFile(b.Timings, data, 0o644)
}

// A program is one of the three things measured on every study.
type program int

const (
	// allExports is read_csv of every export (the baseline).
	allExports program = iota
	// justiceOnly is read_csv of the justice extract alone (continuity
	// with the earlier measurements).
	justiceOnly
	// pipeline is `outcomes run`.
	pipeline
	numPrograms
)

var programNames = [numPrograms]string{"read_csv of every export", "read_csv of the justice extract", "outcomes run"}

// order is the order of the programs in run r: rotated by one each run,
// so that no program always runs first, on a colder page cache, or after
// the same neighbour.
func order(r int) []program {
	out := make([]program, numPrograms)
	for i := range out {
		out[i] = program((r + i) % int(numPrograms))
	}
	return out
}

// measure runs program p once on st and records it.
func (b *benchmark) measure(ctx context.Context, st *benchStudy, p program, run int) error {
	work := filepath.Join(b.cfg.Dir, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		return outdir.Fail(err)
	}
	var m measurement
	var err error
	if p == pipeline {
		out := filepath.Join(work, "out")
		if err := os.RemoveAll(out); err != nil {
			return outdir.Fail(err)
		}
		tf := filepath.Join(work, "pipeline.json")
		m, err = b.child(ctx, PipelineArgs(filepath.Join(st.dir, "study.yaml"), out, b.cfg.BatchSize, tf), tf)
	} else {
		db := filepath.Join(work, "baseline.duckdb")
		for _, path := range []string{db, db + ".wal"} {
			if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return outdir.Fail(err)
			}
		}
		bl := Baseline{Files: st.exports, DB: db, Timings: filepath.Join(work, "baseline.json")}
		if p == justiceOnly {
			bl.Files = st.exports[st.justice : st.justice+1]
		}
		job := filepath.Join(work, "baseline-job.json")
		if err := WriteBaseline(job, bl); err != nil {
			return err
		}
		m, err = b.child(ctx, BaselineArgs(job), bl.Timings)
	}
	if err != nil {
		return err
	}
	st.runs[p] = append(st.runs[p], m)
	fmt.Fprintf(b.log, "bench: %s run %d: %s %.2f s, CPU %.2f s, peak RSS %d MiB\n",
		st.size.Label, run+1, programNames[p], m.wall.Seconds(), m.cpu.Seconds(), m.maxRSS>>20)
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
