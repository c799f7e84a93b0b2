// Package bench measures the pipeline: the benchmark harness behind
// `outcomes bench` and the per-stage timings of `outcomes run --timings`.
// cmd/outcomes is its only user; it parses the flags and hands this package
// a plain [Config].
//
// It sits after the stages, at the end of the data flow, in the column just
// before cmd/outcomes: it drives whole runs, so it may import every stage,
// and no stage imports it. It uses the stages only to set a run up: ingest/synth
// writes the synthetic studies, study reads them back, store holds the
// baseline, pseudonymise names the key's environment variable, and the
// [Recorder] is an observer of internal/flow.
//
// What it measures, and how:
//
//   - Three programs on the same synthetic study: the pipeline, `outcomes
//     run` on the whole study (every export); the baseline, DuckDB's own
//     read_csv of every export of the study, each into a table of one new
//     database file, with types detected and no validation,
//     pseudonymisation or accounting (what a researcher would do by hand;
//     [RunBaseline], store.LoadCSVBaseline); and, for continuity with the
//     earlier measurements, read_csv of the justice extract alone. The
//     ratios to the baseline are what the harness reports; the pipeline's
//     "load part" (ingest + link + save: read, validate, pseudonymise,
//     load, link persons, checkpoint) is the baseline's counterpart.
//   - Each measurement is a child process of the outcomes binary (the
//     baselines re-execute the binary through the command's hidden
//     --baseline flag naming a job file, [BaselineArgs]), so that its wall time, CPU time
//     (user + system of every thread, DuckDB's too) and peak RSS are its
//     own and not the harness's. A fresh random study key is passed to the
//     children in their environment only and never written.
//   - Interleaving: for each run, every size runs the three programs, and
//     their order rotates by one from run to run, so that none always gets
//     the warmer page cache or the quieter machine.
//   - Medians over the runs, never means: with three runs or more, one
//     disturbed run does not move the result.
//   - Peak RSS per stage: inside the pipeline child the [Recorder] reads
//     the process's peak (VmHWM in /proc/self/status) at the end of each
//     stage and resets it (/proc/self/clear_refs; Linux only, elsewhere
//     the tables show no per-stage peak). Because of those resets the
//     kernel's ru_maxrss of the child covers only its last stretch, so the
//     child's peak is the largest of ru_maxrss and the stage peaks.
//
// The study of a size is generated once in the work folder, with a stamp
// (generator.json: synth.Version, seed, persons, events) written after
// the last file, and reused by later invocations only when the stamp
// matches: a study written by another generator version, or one whose
// generation was interrupted, is removed and generated again. The results are written
// as Markdown: the machine, the scaling table in wall time and in CPU
// time, the peak RSS of each program, and one table of stages per size. Progress goes to the
// other writer. Timings mean something only on an otherwise quiet machine.
package bench
