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
//   - Two programs on the same synthetic study: the pipeline, `outcomes run`
//     on the whole study (every export), and a baseline, DuckDB's own
//     read_csv of the justice extract into a table of a new database file
//     ([RunBaseline]), with no validation, pseudonymisation or accounting.
//     Their ratio is what the harness reports; the pipeline's "load part"
//     (ingest + link + save: read, validate, pseudonymise, load, link
//     persons, checkpoint) is the counterpart of the baseline.
//   - Each measurement is a child process of the outcomes binary (the
//     baseline re-executes the binary through the command's hidden
//     --baseline-* flags, [Baseline.Args]), so that its wall time, CPU time
//     (user + system of every thread, DuckDB's too) and peak RSS are its
//     own and not the harness's. A fresh random study key is passed to the
//     children in their environment only and never written.
//   - Interleaving: for each run, every size runs both programs, and the
//     order of the two alternates from run to run, so that neither always
//     gets the warmer page cache or the quieter machine.
//   - Medians over the runs, never means: with three runs or more, one
//     disturbed run does not move the result.
//   - Peak RSS per stage: inside the pipeline child the [Recorder] reads
//     the process's peak (VmHWM in /proc/self/status) at the end of each
//     stage and resets it (/proc/self/clear_refs; Linux only, elsewhere
//     the tables show no per-stage peak). Because of those resets the
//     kernel's ru_maxrss of the child covers only its last stretch, so the
//     child's peak is the largest of ru_maxrss and the stage peaks.
//
// The study of a size is generated once in the work folder and reused by
// later invocations with the same size and seed. The results are written
// as Markdown: the machine, a scaling table in wall time, one table of
// stages per size, and the scaling table in CPU time. Progress goes to the
// other writer. Timings mean something only on an otherwise quiet machine.
package bench
