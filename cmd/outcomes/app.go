package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/internal/suggest"
	"github.com/outcomes-research/outcomes/internal/version"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/study"
)

// env is what a command may touch of the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// Exit codes, listed in --help and the README.
const (
	exitOK       = 0
	exitBug      = 1
	exitUsage    = 2
	exitStudy    = 3
	exitInput    = 4
	exitKey      = 5
	exitOutput   = 6
	exitCanceled = 130
)

func exitCodesHelp() string {
	return `Exit codes:
  0  success
  1  internal error (a bug: please report it with the command you ran)
  2  wrong command-line arguments
  3  study file missing or invalid (the message names file, line and key)
  4  an export cannot be read (the message names file, line, column and rule)
  5  study key missing, too short, readable by others, or not the key of --out's history
  6  output folder cannot be written, holds an earlier run's outputs (pass --force), would overwrite a file outcomes did not write, or the disk is full
  130 interrupted (previous outputs are left as they were)`
}

// usageError is a wrong command line: a flag missing, malformed or out of
// range. The stages' own errors carry their kind in their type (exitCode).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// badUsage marks err as a command-line mistake (nil stays nil).
func badUsage(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{err: err}
}

// command is one subcommand.
type command struct {
	name, summary, example string
	run                    func(ctx context.Context, args []string, e env) error
}

func commands() []command {
	return []command{
		{"run", "run the whole pipeline on a study",
			"outcomes run --study study.yaml --out results --key-file study.key\n  outcomes run --study study.yaml --out results --key-file study.key --force  # again, replacing the outputs", cmdRun},
		{"check", "dry run: read and validate every export, print what was found (no key, no database)",
			"outcomes check --study study.yaml", cmdCheck},
		{"demo", "run the pipeline on the bundled synthetic demo study",
			"outcomes demo --out demo-results --lang en --force  # --force: replace an earlier demo there", cmdDemo},
		{"keygen", "make a new random study key file",
			"outcomes keygen --out study.key", cmdKeygen},
		{"pseudonymise", "pseudonymise one partner's exports with the study key (supplier side)",
			"outcomes pseudonymise --study study.yaml --partner Opvang --out to-send --key-file study.key", cmdPseudonymise},
		{"synth", "write synthetic partner exports with known true rates",
			"outcomes synth --out synthetic --persons 10000 --events 100000", cmdSynth},
		{"bench", "measure the pipeline against DuckDB's read_csv on synthetic studies",
			"outcomes bench --dir /tmp/bench --sizes 0.1M,1M --runs 3 > bench.md", cmdBench},
	}
}

func usage() string {
	var b strings.Builder
	b.WriteString("outcomes: outcome research on partner exports (ingest, pseudonymise, DuckDB, analyses, report)\n\nUsage:\n  outcomes <command> [flags]\n  outcomes help <command>\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-12s %s\n", c.name, c.summary)
	}
	b.WriteString("\nExample:\n  outcomes demo --out demo-results\n\nRun `outcomes help <command>` for a command's flags and an example.\n\n")
	b.WriteString(exitCodesHelp())
	b.WriteString("\n")
	return b.String()
}

// run executes one command line and returns the exit code. Help goes to
// stdout; errors and hints to stderr.
func run(ctx context.Context, args []string, e env) int {
	if len(args) >= 2 && args[0] == "help" {
		return run(ctx, []string{args[1], "--help"}, e)
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stdout, usage())
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	if args[0] == "--version" || args[0] == "version" {
		fmt.Fprintln(e.stdout, "outcomes", version.Tool)
		return exitOK
	}
	var names []string
	for _, c := range commands() {
		if c.name == args[0] {
			return report(interrupted(ctx, c.run(ctx, args[1:], e)), c.name, e)
		}
		names = append(names, c.name)
	}
	hint := ""
	if s, ok := suggest.Closest(args[0], names); ok {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	fmt.Fprintf(e.stderr, "outcomes: unknown command %q%s\n\n%s", args[0], hint, usage())
	return exitUsage
}

// interrupted marks err as an interruption when ctx was cancelled while
// the command ran: a stage may report the interruption in its own words
// (DuckDB's "INTERRUPT Error", a closed reader), and every interruption
// exits 130 whatever stage it stopped.
func interrupted(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf("%w: %w", ctx.Err(), err)
}

// report prints err for the user and maps it to an exit code: the one
// place where errors become exit codes, by their type (exitCode).
func report(err error, name string, e env) int {
	code := exitCode(err)
	switch code {
	case exitOK:
	case exitCanceled:
		fmt.Fprintf(e.stderr, "outcomes %s: interrupted; previous outputs are unchanged\n", name)
	case exitBug:
		if errors.Is(err, store.ErrNoArrow) {
			fmt.Fprintf(e.stderr, "outcomes %s: %v\n", name, err)
			break
		}
		fmt.Fprintf(e.stderr, "outcomes %s: internal error: %v\n(this is a bug; please report it with the command you ran)\n", name, err)
	case exitOutput:
		if outdir.DiskFull(err) {
			fmt.Fprintf(e.stderr, "outcomes %s: the disk is full: %v\n(free space or choose another --out; previous outputs are unchanged)\n", name, err)
			break
		}
		fmt.Fprintf(e.stderr, "outcomes %s: %v\n", name, err)
	default:
		fmt.Fprintf(e.stderr, "outcomes %s: %v\n", name, err)
	}
	return code
}

// exitCode maps an error to its documented exit code by its type:
//
//   - usageError (a flag) → exitUsage
//   - study.ErrInvalid (the study file) → exitStudy
//   - *flow.InputError (an export cannot be read) → exitInput
//   - pseudonymise.ErrInvalidKey (the study key) → exitKey
//   - *outdir.Error or a full disk (the outputs) → exitOutput
//   - an interruption → exitCanceled
//   - anything else, ingest.ErrAccounting and store.ErrNoArrow among
//     them, is a bug → exitBug
//
// An interruption wins over the error it caused; a full disk wins over
// the stage it stopped.
func exitCode(err error) int {
	var (
		use    *usageError
		input  *flow.InputError
		output *outdir.Error
	)
	switch {
	case err == nil, errors.Is(err, pflag.ErrHelp):
		return exitOK
	case errors.Is(err, context.Canceled):
		return exitCanceled
	case errors.Is(err, store.ErrNoArrow), errors.Is(err, ingest.ErrAccounting):
		return exitBug
	case outdir.DiskFull(err):
		return exitOutput
	case errors.As(err, &use):
		return exitUsage
	case errors.Is(err, study.ErrInvalid):
		return exitStudy
	case errors.As(err, &input):
		return exitInput
	case errors.Is(err, pseudonymise.ErrInvalidKey):
		return exitKey
	case errors.As(err, &output):
		return exitOutput
	}
	return exitBug
}

// newFlagSet makes a flag set whose --help prints, on stdout, the
// synopsis, the flags, an example and the exit codes.
func newFlagSet(name, synopsis string, e env) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		example := ""
		for _, c := range commands() {
			if c.name == name {
				example = "Example:\n  " + c.example + "\n\n"
			}
		}
		fmt.Fprintf(e.stdout, "Usage: outcomes %s\n\nFlags:\n%s\n%s%s\n", synopsis, fs.FlagUsages(), example, exitCodesHelp())
	}
	return fs
}

// parseFlags parses args; an unknown flag gets a "did you mean" hint.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		if name, ok := strings.CutPrefix(err.Error(), "unknown flag: --"); ok {
			var flags []string
			fs.VisitAll(func(f *pflag.Flag) {
				if !f.Hidden {
					flags = append(flags, f.Name)
				}
			})
			if s, ok := suggest.Closest(name, flags); ok {
				return badUsage(fmt.Errorf("%w (did you mean --%s?)", err, s))
			}
		}
		return badUsage(fmt.Errorf("%w (see outcomes help %s)", err, fs.Name()))
	}
	if fs.NArg() > 0 {
		return badUsage(fmt.Errorf("unexpected argument %q (flags only; see --help)", fs.Arg(0)))
	}
	return nil
}
