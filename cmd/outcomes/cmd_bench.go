package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/outcomes-research/outcomes/ingest/synth"
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/study"
)

// benchOptions are the flags of `outcomes bench`.
type benchOptions struct {
	Sizes     []string
	Runs      int
	Dir       string
	BatchSize int
	Seed      int64

	// Hidden: run the read_csv baseline in this process (the parent runs
	// it as a child so that its peak RSS is measured as the pipeline's).
	BaselineCSV   string
	BaselineDB    string
	BaselineDelim string
	Timings       string
}

func (o *benchOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringSliceVar(&o.Sizes, "sizes", []string{"0.1M", "1M"}, "justice-extract sizes in events (K and M suffixes); persons = events / 10")
	fs.IntVar(&o.Runs, "runs", 3, "runs per size; medians are reported")
	fs.StringVar(&o.Dir, "dir", "", "work folder: synthetic studies are generated here once and reused, databases are written here")
	fs.IntVar(&o.BatchSize, "batch-size", 65536, "rows per Arrow batch (passed to `outcomes run`)")
	fs.Int64Var(&o.Seed, "seed", 1, "seed of the synthetic studies")
	fs.StringVar(&o.BaselineCSV, "baseline-csv", "", "")
	fs.StringVar(&o.BaselineDB, "baseline-db", "", "")
	fs.StringVar(&o.BaselineDelim, "baseline-delim", "", "")
	fs.StringVar(&o.Timings, "timings", "", "")
	for _, n := range []string{"baseline-csv", "baseline-db", "baseline-delim", "timings"} {
		_ = fs.MarkHidden(n)
	}
}

// benchSize is one study size of a benchmark.
type benchSize struct {
	label  string
	events int
}

// validateBenchArgs checks the flags without touching the file system.
func validateBenchArgs(o benchOptions) ([]benchSize, error) {
	switch {
	case o.Dir == "":
		return nil, errors.New("--dir is required: a work folder outside the repository (e.g. /tmp/bench)")
	case o.Runs < 1:
		return nil, errors.New("--runs must be at least 1")
	case o.BatchSize < 1:
		return nil, errors.New("--batch-size must be at least 1")
	case len(o.Sizes) == 0:
		return nil, errors.New("--sizes needs at least one size, e.g. 0.1M,1M,10M")
	}
	sizes := make([]benchSize, 0, len(o.Sizes))
	for _, s := range o.Sizes {
		n, err := parseCount(s)
		if err != nil {
			return nil, fmt.Errorf("--sizes: %w", err)
		}
		if n < 1000 {
			return nil, fmt.Errorf("--sizes: %q is too small; use at least 1K events", s)
		}
		sizes = append(sizes, benchSize{label: strings.TrimSpace(s), events: n})
	}
	return sizes, nil
}

// parseCount reads 100000, 100K, 0.1M or 10M.
func parseCount(s string) (int, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := 1.0
	switch {
	case strings.HasSuffix(t, "M"):
		mult, t = 1e6, strings.TrimSuffix(t, "M")
	case strings.HasSuffix(t, "K"):
		mult, t = 1e3, strings.TrimSuffix(t, "K")
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f <= 0 || f*mult > 1e9 {
		return 0, fmt.Errorf("%q is not a size like 100000, 100K or 0.1M", s)
	}
	return int(f*mult + 0.5), nil
}

func cmdBench(ctx context.Context, args []string, e env) error {
	var o benchOptions
	fs := newFlagSet("bench", "bench --dir DIR [--sizes 0.1M,1M,10M] [--runs 3]", e)
	o.AddFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if o.BaselineCSV != "" {
		return benchBaselineChild(ctx, o)
	}
	sizes, err := validateBenchArgs(o)
	if err != nil {
		return badUsage(err)
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the outcomes binary: %w", err)
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return outdir.Fail(fmt.Errorf("creating %s: %w", o.Dir, err))
	}
	// A fresh random key for the children; it is passed in their
	// environment only and never written.
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	b := &benchmark{opts: o, self: self, key: hex.EncodeToString(secret), log: e.stderr}
	for _, s := range sizes {
		st, err := b.prepare(s)
		if err != nil {
			return err
		}
		b.studies = append(b.studies, st)
	}
	for r := 0; r < o.Runs; r++ {
		for _, st := range b.studies {
			// Alternate the order so that neither side always runs on a
			// warmer page cache or a quieter machine.
			first, second := b.baseline, b.pipeline
			if r%2 == 1 {
				first, second = second, first
			}
			for _, f := range []func(context.Context, *benchStudy, int) error{first, second} {
				if err := f(ctx, st, r); err != nil {
					return err
				}
			}
		}
	}
	b.print(e.stdout)
	return nil
}

// benchmark holds the state of one benchmark invocation.
type benchmark struct {
	opts    benchOptions
	self    string
	key     string
	log     io.Writer
	studies []*benchStudy
}

// benchStudy is one generated study and its measurements.
type benchStudy struct {
	size       benchSize
	dir        string
	eventFile  string
	delim      rune
	eventBytes int64
	inputBytes int64
	inputRows  int64
	baselines  []measurement
	pipelines  []measurement
}

// measurement is one child process: its wall time, CPU time, peak RSS and
// what it reported itself (`run --timings`: stage times in seconds, CPU
// seconds as cpu_<stage>, peak RSS in bytes as rss_<stage>).
type measurement struct {
	wall, cpu time.Duration
	maxRSS    int64 // bytes
	times     map[string]float64
}

// prepare generates the study of a size, or reuses one generated before.
func (b *benchmark) prepare(s benchSize) (*benchStudy, error) {
	dir := filepath.Join(b.opts.Dir, fmt.Sprintf("study-%d-seed%d", s.events, b.opts.Seed))
	studyFile := filepath.Join(dir, "study.yaml")
	if _, err := os.Stat(filepath.Join(dir, "truth.json")); err != nil {
		fmt.Fprintf(b.log, "bench: generating %s events (%d persons) in %s\n", s.label, s.events/10, dir)
		t := time.Now()
		if _, err := synth.Write(dir, synth.Config{Seed: b.opts.Seed, Persons: s.events / 10, Events: s.events}); err != nil {
			return nil, outdir.Fail(err)
		}
		fmt.Fprintf(b.log, "bench: generated in %.1f s\n", time.Since(t).Seconds())
	} else {
		fmt.Fprintf(b.log, "bench: reusing %s\n", dir)
	}
	st, err := study.Load(studyFile)
	if err != nil {
		return nil, err
	}
	bs := &benchStudy{size: s, dir: dir}
	for _, p := range st.Partners {
		for _, f := range p.Files {
			fi, err := os.Stat(f.Path)
			if err != nil {
				return nil, &flow.InputError{Err: err}
			}
			bs.inputBytes += fi.Size()
			n, err := countLines(f.Path)
			if err != nil {
				return nil, &flow.InputError{Err: err}
			}
			bs.inputRows += n - 1
			if f.Kind == study.KindEvents && bs.eventFile == "" {
				bs.eventFile, bs.delim, bs.eventBytes = f.Path, f.Delimiter, fi.Size()
			}
		}
	}
	if bs.eventFile == "" {
		return nil, fmt.Errorf("bug: the synthetic study in %s has no event file", dir)
	}
	return bs, nil
}

// countLines counts the lines of a file (the synthetic exports have no
// newlines inside fields).
func countLines(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var n int64
	r := bufio.NewReaderSize(f, 1<<20)
	buf := make([]byte, 1<<20)
	for {
		k, err := r.Read(buf)
		n += int64(bytes.Count(buf[:k], []byte{'\n'}))
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

func (b *benchmark) baseline(ctx context.Context, st *benchStudy, run int) error {
	work := filepath.Join(b.opts.Dir, "work")
	db := filepath.Join(work, "baseline.duckdb")
	if err := os.MkdirAll(work, 0o755); err != nil {
		return outdir.Fail(err)
	}
	for _, p := range []string{db, db + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return outdir.Fail(err)
		}
	}
	args := []string{"bench", "--baseline-csv", st.eventFile, "--baseline-db", db,
		"--baseline-delim", string(st.delim), "--timings", filepath.Join(work, "baseline.json")}
	m, err := b.child(ctx, args, filepath.Join(work, "baseline.json"))
	if err != nil {
		return err
	}
	st.baselines = append(st.baselines, m)
	fmt.Fprintf(b.log, "bench: %s run %d: read_csv baseline %.2f s, peak RSS %d MiB\n", st.size.label, run+1, m.wall.Seconds(), m.maxRSS>>20)
	return nil
}

func (b *benchmark) pipeline(ctx context.Context, st *benchStudy, run int) error {
	work := filepath.Join(b.opts.Dir, "work")
	out := filepath.Join(work, "out")
	if err := os.RemoveAll(out); err != nil {
		return outdir.Fail(err)
	}
	tf := filepath.Join(work, "pipeline.json")
	args := []string{"run", "--study", filepath.Join(st.dir, "study.yaml"), "--out", out,
		"--batch-size", strconv.Itoa(b.opts.BatchSize), "--timings", tf}
	m, err := b.child(ctx, args, tf)
	if err != nil {
		return err
	}
	st.pipelines = append(st.pipelines, m)
	fmt.Fprintf(b.log, "bench: %s run %d: pipeline %.2f s (ingest+pseudonymise+load %.2f s), peak RSS %d MiB\n",
		st.size.label, run+1, m.wall.Seconds(), loadPart(m), m.maxRSS>>20)
	return nil
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

// benchBaselineChild is the child side of the baseline.
func benchBaselineChild(ctx context.Context, o benchOptions) error {
	var delim rune
	if o.BaselineDelim != "" {
		delim = []rune(o.BaselineDelim)[0]
	}
	start := time.Now()
	n, err := store.LoadCSVBaseline(ctx, o.BaselineDB, o.BaselineCSV, delim)
	if err != nil {
		return err
	}
	data, err := json.Marshal(map[string]any{"rows": n, "total": time.Since(start).Seconds()})
	if err != nil {
		return err
	}
	return os.WriteFile(o.Timings, data, 0o644)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianOf(ms []measurement, f func(measurement) float64) float64 {
	xs := make([]float64, len(ms))
	for i, m := range ms {
		xs[i] = f(m)
	}
	return median(xs)
}

// print writes the results as Markdown.
func (b *benchmark) print(w io.Writer) {
	fmt.Fprintf(w, "## Machine\n\n- CPU: %s\n- cores (nproc): %d\n- Go: %s %s/%s\n- runs per size: %d (medians)\n- batch size: %d rows\n\n",
		cpuModel(), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, b.opts.Runs, b.opts.BatchSize)

	fmt.Fprintf(w, "## Scaling\n\n")
	fmt.Fprintf(w, "Baseline: DuckDB `read_csv` of the justice extract into a table of a new database file (child process).\n")
	fmt.Fprintf(w, "Pipeline: `outcomes run` on the whole study (all five exports). Load part = read + validate + pseudonymise + load + link + checkpoint.\n")
	fmt.Fprintf(w, "Wall times are process wall times (medians); CPU times are user + system of every thread, which other processes on the machine disturb far less.\n\n")
	fmt.Fprintf(w, "| events | all input rows | input MB | baseline s | baseline RSS MiB | pipeline load part s | pipeline total s | load part / baseline | total / baseline | pipeline RSS MiB | cores used | total s per M rows |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	defer b.printCPU(w)
	for _, st := range b.studies {
		base := medianOf(st.baselines, func(m measurement) float64 { return m.wall.Seconds() })
		load := medianOf(st.pipelines, loadPart)
		total := medianOf(st.pipelines, func(m measurement) float64 { return m.wall.Seconds() })
		rss := medianOf(st.pipelines, func(m measurement) float64 { return float64(m.maxRSS) })
		cores := medianOf(st.pipelines, func(m measurement) float64 { return m.cpu.Seconds() / m.wall.Seconds() })
		fmt.Fprintf(w, "| %s | %d | %.0f | %.2f | %.0f | %.2f | %.2f | %.2f× | %.2f× | %.0f | %.2f | %.2f |\n",
			st.size.label, st.inputRows, float64(st.inputBytes)/1e6, base,
			medianOf(st.baselines, func(m measurement) float64 { return float64(m.maxRSS) })/(1<<20),
			load, total, load/base, total/base, rss/(1<<20), cores, total/(float64(st.inputRows)/1e6))
	}

	stages := []struct{ key, name string }{
		{"read", "read + validate (busy)"}, {"pseudonymise", "pseudonymise (busy)"}, {"load", "load (busy)"},
		{"ingest", "ingest wall (the three above, overlapped)"}, {"link", "link persons"},
		{"analyses", "analyses"}, {"report", "report"}, {"save", "checkpoint + close"},
	}
	for _, st := range b.studies {
		fmt.Fprintf(w, "\n## Stages at %s events (%d input rows)\n\n", st.size.label, st.inputRows)
		fmt.Fprintf(w, "| stage | median s | rows/s | CPU s | peak RSS MiB | runs (s) |\n|---|---|---|---|---|---|\n")
		for _, sg := range stages {
			var runs []string
			for _, m := range st.pipelines {
				runs = append(runs, fmt.Sprintf("%.2f", m.times[sg.key]))
			}
			med := medianOf(st.pipelines, func(m measurement) float64 { return m.times[sg.key] })
			cpu := "–"
			if _, ok := st.pipelines[0].times["cpu_"+sg.key]; ok {
				cpu = fmt.Sprintf("%.2f", medianOf(st.pipelines, func(m measurement) float64 { return m.times["cpu_"+sg.key] }))
			}
			rss := "–"
			if _, ok := st.pipelines[0].times["rss_"+sg.key]; ok {
				rss = fmt.Sprintf("%.0f", medianOf(st.pipelines, func(m measurement) float64 { return m.times["rss_"+sg.key] })/(1<<20))
			}
			fmt.Fprintf(w, "| %s | %.2f | %s | %s | %s | %s |\n", sg.name, med, rate(float64(st.inputRows), med), cpu, rss, strings.Join(runs, ", "))
		}
		var runs []string
		for _, m := range st.pipelines {
			runs = append(runs, fmt.Sprintf("%.2f", m.wall.Seconds()))
		}
		total := medianOf(st.pipelines, func(m measurement) float64 { return m.wall.Seconds() })
		fmt.Fprintf(w, "| **total (process wall)** | %.2f | %s | %.2f | %.0f | %s |\n", total, rate(float64(st.inputRows), total),
			medianOf(st.pipelines, func(m measurement) float64 { return m.cpu.Seconds() }),
			medianOf(st.pipelines, func(m measurement) float64 { return float64(m.maxRSS) })/(1<<20), strings.Join(runs, ", "))
		runs = runs[:0]
		for _, m := range st.baselines {
			runs = append(runs, fmt.Sprintf("%.2f", m.wall.Seconds()))
		}
		base := medianOf(st.baselines, func(m measurement) float64 { return m.wall.Seconds() })
		fmt.Fprintf(w, "| baseline read_csv (process wall, %d rows) | %.2f | %s | %.2f | %.0f | %s |\n",
			st.size.events, base, rate(float64(st.size.events), base),
			medianOf(st.baselines, func(m measurement) float64 { return m.cpu.Seconds() }),
			medianOf(st.baselines, func(m measurement) float64 { return float64(m.maxRSS) })/(1<<20), strings.Join(runs, ", "))
	}
	if len(b.studies) >= 2 {
		lo, hi := b.studies[len(b.studies)-2], b.studies[len(b.studies)-1]
		r1 := medianOf(lo.pipelines, func(m measurement) float64 { return float64(m.maxRSS) })
		r2 := medianOf(hi.pipelines, func(m measurement) float64 { return float64(m.maxRSS) })
		fmt.Fprintf(w, "\nPeak RSS %s → %s: %.0f → %.0f MiB (%+.0f%%).\n", lo.size.label, hi.size.label, r1/(1<<20), r2/(1<<20), (r2/r1-1)*100)
	}
}

// printCPU writes the CPU-time view of the scaling table.
func (b *benchmark) printCPU(w io.Writer) {
	fmt.Fprintf(w, "\nThe same in CPU time (user + system, all threads; medians):\n\n")
	fmt.Fprintf(w, "| events | baseline CPU s | load part CPU s | total CPU s | load part / baseline | total / baseline | analyses CPU s | total CPU µs per input row |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|\n")
	for _, st := range b.studies {
		base := medianOf(st.baselines, func(m measurement) float64 { return m.cpu.Seconds() })
		load := medianOf(st.pipelines, loadPartCPU)
		total := medianOf(st.pipelines, func(m measurement) float64 { return m.cpu.Seconds() })
		fmt.Fprintf(w, "| %s | %.2f | %.2f | %.2f | %.2f× | %.2f× | %.2f | %.2f |\n", st.size.label, base, load, total, load/base, total/base,
			medianOf(st.pipelines, func(m measurement) float64 { return m.times["cpu_analyses"] }), total/float64(st.inputRows)*1e6)
	}
}

func rate(rows, seconds float64) string {
	if seconds <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f", rows/seconds)
}

// cpuModel is the first model name in /proc/cpuinfo, or "unknown".
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
