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

// Per-measurement values the tables take medians of.
func wallOf(m measurement) float64 { return m.wall.Seconds() }
func cpuOf(m measurement) float64  { return m.cpu.Seconds() }
func rssOf(m measurement) float64  { return float64(m.maxRSS) / (1 << 20) }

// ratio is a/b with a multiplication sign, or "–" when b is not positive.
func ratio(a, b float64) string {
	if b <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// print writes the results as Markdown: the machine, the scaling table in
// wall time, the same in CPU time, the peak RSS of every program, the
// stages of each size, and the growth of the peak between the two largest
// sizes.
func (b *benchmark) print(w io.Writer, mc machine) {
	fmt.Fprintf(w, "## Machine\n\n- CPU: %s\n- cores (nproc): %d\n- Go: %s %s/%s\n- study generator version: %d\n- runs per size: %d (medians; the three programs interleaved, order rotated each run)\n- batch size: %d rows\n\n",
		mc.cpu, mc.cores, mc.goVersion, mc.goos, mc.goarch, b.generator, b.cfg.Runs, b.cfg.BatchSize)

	fmt.Fprintf(w, "## Scaling\n\n")
	fmt.Fprintf(w, "Baseline: DuckDB `read_csv` of every export of the study, each into a table of one new database file (child process). ")
	fmt.Fprintf(w, "Justice: `read_csv` of the justice extract alone, as measured before. ")
	fmt.Fprintf(w, "Pipeline: `outcomes run` on the whole study. Load part = read + validate + pseudonymise + load + link + checkpoint.\n")
	fmt.Fprintf(w, "Wall times are process wall times (medians); CPU times are user + system of every thread, which other processes on the machine disturb far less.\n\n")
	fmt.Fprintf(w, "| events | all input rows | input MB | baseline s | justice s | load part s | total s | load part / baseline | total / baseline | load part / justice | cores used | total s per M rows |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, st := range b.studies {
		base := medianOf(st.runs[allExports], wallOf)
		just := medianOf(st.runs[justiceOnly], wallOf)
		load := medianOf(st.runs[pipeline], loadPart)
		total := medianOf(st.runs[pipeline], wallOf)
		cores := medianOf(st.runs[pipeline], func(m measurement) float64 { return m.cpu.Seconds() / m.wall.Seconds() })
		fmt.Fprintf(w, "| %s | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s | %.2f | %.2f |\n",
			st.size.Label, st.inputRows, float64(st.inputBytes)/1e6, base, just, load, total,
			ratio(load, base), ratio(total, base), ratio(load, just), cores, total/(float64(st.inputRows)/1e6))
	}

	fmt.Fprintf(w, "\nThe same in CPU time (user + system, all threads; medians):\n\n")
	fmt.Fprintf(w, "| events | baseline CPU s | justice CPU s | load part CPU s | total CPU s | load part / baseline | total / baseline | load part / justice | analyses CPU s | total CPU µs per input row |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|\n")
	for _, st := range b.studies {
		base := medianOf(st.runs[allExports], cpuOf)
		just := medianOf(st.runs[justiceOnly], cpuOf)
		load := medianOf(st.runs[pipeline], loadPartCPU)
		total := medianOf(st.runs[pipeline], cpuOf)
		fmt.Fprintf(w, "| %s | %.2f | %.2f | %.2f | %.2f | %s | %s | %s | %.2f | %.2f |\n", st.size.Label, base, just, load, total,
			ratio(load, base), ratio(total, base), ratio(load, just),
			medianOf(st.runs[pipeline], func(m measurement) float64 { return m.times["cpu_analyses"] }), total/float64(st.inputRows)*1e6)
	}

	fmt.Fprintf(w, "\nPeak RSS (MiB, medians):\n\n| events | baseline | justice | pipeline | pipeline / baseline |\n|---|---|---|---|---|\n")
	for _, st := range b.studies {
		base, pipe := medianOf(st.runs[allExports], rssOf), medianOf(st.runs[pipeline], rssOf)
		fmt.Fprintf(w, "| %s | %.0f | %.0f | %.0f | %s |\n", st.size.Label, base, medianOf(st.runs[justiceOnly], rssOf), pipe, ratio(pipe, base))
	}

	stages := []struct{ key, name string }{
		{"read", "read + validate (busy)"}, {"pseudonymise", "pseudonymise (busy)"}, {"load", "load (busy: handing batches to each file's stream)"},
		{"ingest", "ingest wall (the three above, overlapped)"}, {"link", "link persons"},
		{"analyses", "analyses"}, {"report", "report"}, {"save", "checkpoint + close"},
	}
	for _, st := range b.studies {
		pipes := st.runs[pipeline]
		fmt.Fprintf(w, "\n## Stages at %s events (%d input rows)\n\n", st.size.Label, st.inputRows)
		fmt.Fprintf(w, "| stage | median s | rows/s | CPU s | peak RSS MiB | runs (s) |\n|---|---|---|---|---|---|\n")
		for _, sg := range stages {
			var runs []string
			for _, m := range pipes {
				runs = append(runs, fmt.Sprintf("%.2f", m.times[sg.key]))
			}
			med := medianOf(pipes, func(m measurement) float64 { return m.times[sg.key] })
			cpu, rss := "–", "–"
			if len(pipes) > 0 {
				if _, ok := pipes[0].times["cpu_"+sg.key]; ok {
					cpu = fmt.Sprintf("%.2f", medianOf(pipes, func(m measurement) float64 { return m.times["cpu_"+sg.key] }))
				}
				if _, ok := pipes[0].times["rss_"+sg.key]; ok {
					rss = fmt.Sprintf("%.0f", medianOf(pipes, func(m measurement) float64 { return m.times["rss_"+sg.key] })/(1<<20))
				}
			}
			fmt.Fprintf(w, "| %s | %.2f | %s | %s | %s | %s |\n", sg.name, med, rate(float64(st.inputRows), med), cpu, rss, strings.Join(runs, ", "))
		}
		whole := func(name string, rows float64, ms []measurement) {
			var runs []string
			for _, m := range ms {
				runs = append(runs, fmt.Sprintf("%.2f", m.wall.Seconds()))
			}
			med := medianOf(ms, wallOf)
			fmt.Fprintf(w, "| %s | %.2f | %s | %.2f | %.0f | %s |\n", name, med, rate(rows, med),
				medianOf(ms, cpuOf), medianOf(ms, rssOf), strings.Join(runs, ", "))
		}
		whole("**total (process wall)**", float64(st.inputRows), pipes)
		whole(fmt.Sprintf("baseline: read_csv of every export (process wall, %d rows)", st.inputRows), float64(st.inputRows), st.runs[allExports])
		whole(fmt.Sprintf("justice: read_csv of the justice extract (process wall, %d rows)", st.size.Events), float64(st.size.Events), st.runs[justiceOnly])
	}
	if len(b.studies) >= 2 {
		lo, hi := b.studies[len(b.studies)-2], b.studies[len(b.studies)-1]
		r1, r2 := medianOf(lo.runs[pipeline], rssOf), medianOf(hi.runs[pipeline], rssOf)
		fmt.Fprintf(w, "\nPipeline peak RSS %s → %s: %.0f → %.0f MiB (%+.0f%%).\n", lo.size.Label, hi.size.Label, r1, r2, (r2/r1-1)*100)
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
