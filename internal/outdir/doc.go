// Package outdir is the output-folder transaction shared by `outcomes run`
// and `outcomes pseudonymise`: a run locks the output folder, writes every
// output into a hidden staging folder inside it, and moves them into place
// only when every stage succeeded ([Staging.Commit]), with a commit marker
// so that a run killed during the moves is completed (rolled forward) by
// the next run. A failed, interrupted or killed run therefore leaves the
// previous outputs intact. Every error it returns is an [*Error], which
// the command line reports as an output problem (exit code 6).
//
// It sits at the end of the data flow, after reports: it knows nothing of
// the outputs but their names.
package outdir
