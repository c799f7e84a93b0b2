package bench

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
)

// machine is what the report says about the computer it ran on.
type machine struct {
	cpu          string
	cores        int
	goVersion    string
	goos, goarch string
}

// thisMachine describes the computer this process runs on.
func thisMachine() machine {
	return machine{cpu: cpuModel(), cores: runtime.NumCPU(), goVersion: runtime.Version(), goos: runtime.GOOS, goarch: runtime.GOARCH}
}

// median is the middle value of xs (the mean of the two middle values for
// an even count; 0 for none). xs is left as it was.
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

// print writes the results as Markdown: the machine, the scaling table in
// wall time, the stages of each size, the peak RSS of the two largest
// sizes, and the scaling table in CPU time.
func (b *benchmark) print(w io.Writer, mc machine) {
	fmt.Fprintf(w, "## Machine\n\n- CPU: %s\n- cores (nproc): %d\n- Go: %s %s/%s\n- runs per size: %d (medians)\n- batch size: %d rows\n\n",
		mc.cpu, mc.cores, mc.goVersion, mc.goos, mc.goarch, b.cfg.Runs, b.cfg.BatchSize)

	fmt.Fprintf(w, "## Scaling\n\n")
	fmt.Fprintf(w, "Baseline: DuckDB `read_csv` of the justice extract into a table of a new database file (child process).\n")
	fmt.Fprintf(w, "Pipeline: `outcomes run` on the whole study (all five exports). Load part = read + validate + pseudonymise + load + link + checkpoint.\n")
	fmt.Fprintf(w, "Wall times are process wall times (medians); CPU times are user + system of every thread, which other processes on the machine disturb far less.\n\n")
	fmt.Fprintf(w, "| events | all input rows | input MB | baseline s | baseline RSS MiB | pipeline load part s | pipeline total s | load part / baseline | total / baseline | pipeline RSS MiB | cores used | total s per M rows |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, st := range b.studies {
		base := medianOf(st.baselines, func(m measurement) float64 { return m.wall.Seconds() })
		load := medianOf(st.pipelines, loadPart)
		total := medianOf(st.pipelines, func(m measurement) float64 { return m.wall.Seconds() })
		rss := medianOf(st.pipelines, func(m measurement) float64 { return float64(m.maxRSS) })
		cores := medianOf(st.pipelines, func(m measurement) float64 { return m.cpu.Seconds() / m.wall.Seconds() })
		fmt.Fprintf(w, "| %s | %d | %.0f | %.2f | %.0f | %.2f | %.2f | %.2f× | %.2f× | %.0f | %.2f | %.2f |\n",
			st.size.Label, st.inputRows, float64(st.inputBytes)/1e6, base,
			medianOf(st.baselines, func(m measurement) float64 { return float64(m.maxRSS) })/(1<<20),
			load, total, load/base, total/base, rss/(1<<20), cores, total/(float64(st.inputRows)/1e6))
	}

	stages := []struct{ key, name string }{
		{"read", "read + validate (busy)"}, {"pseudonymise", "pseudonymise (busy)"}, {"load", "load (busy)"},
		{"ingest", "ingest wall (the three above, overlapped)"}, {"link", "link persons"},
		{"analyses", "analyses"}, {"report", "report"}, {"save", "checkpoint + close"},
	}
	for _, st := range b.studies {
		fmt.Fprintf(w, "\n## Stages at %s events (%d input rows)\n\n", st.size.Label, st.inputRows)
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
			st.size.Events, base, rate(float64(st.size.Events), base),
			medianOf(st.baselines, func(m measurement) float64 { return m.cpu.Seconds() }),
			medianOf(st.baselines, func(m measurement) float64 { return float64(m.maxRSS) })/(1<<20), strings.Join(runs, ", "))
	}
	if len(b.studies) >= 2 {
		lo, hi := b.studies[len(b.studies)-2], b.studies[len(b.studies)-1]
		r1 := medianOf(lo.pipelines, func(m measurement) float64 { return float64(m.maxRSS) })
		r2 := medianOf(hi.pipelines, func(m measurement) float64 { return float64(m.maxRSS) })
		fmt.Fprintf(w, "\nPeak RSS %s → %s: %.0f → %.0f MiB (%+.0f%%).\n", lo.size.Label, hi.size.Label, r1/(1<<20), r2/(1<<20), (r2/r1-1)*100)
	}
	b.printCPU(w)
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
		fmt.Fprintf(w, "| %s | %.2f | %.2f | %.2f | %.2f× | %.2f× | %.2f | %.2f |\n", st.size.Label, base, load, total, load/base, total/base,
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
