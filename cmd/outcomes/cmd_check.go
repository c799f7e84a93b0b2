package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/study"
)

// checkOptions are the flags of `outcomes check`.
type checkOptions struct {
	StudyFile string
	BatchSize int
}

func (o *checkOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.StudyFile, "study", "", "study definition file (YAML)")
	fs.IntVar(&o.BatchSize, "batch-size", ingest.DefaultBatchSize, "rows per Arrow batch while reading")
}

// validateCheckArgs checks the flags without touching the file system.
func validateCheckArgs(o checkOptions) error {
	switch {
	case o.StudyFile == "":
		return errors.New("--study is required: the study definition file")
	case o.BatchSize < 1:
		return errors.New("--batch-size must be at least 1")
	}
	return nil
}

// cmdCheck is a dry run: it streams every export of the study through the
// same flow as `outcomes run` (flow.Stream: read, validate, pseudonymise)
// into a counter, and prints per file what it found. It writes nothing and
// needs no study key: rows are pseudonymised under a throwaway key that
// lives only in memory (pseudonymise.EphemeralKey), so the decision of how
// each row links, or why it is quarantined, is the run's own.
func cmdCheck(ctx context.Context, args []string, e env) error {
	var o checkOptions
	fs := newFlagSet("check", "check --study FILE", e)
	o.AddFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := validateCheckArgs(o); err != nil {
		return badUsage(err)
	}
	st, err := study.Load(o.StudyFile)
	if err != nil {
		return err
	}
	checks, err := checkStudy(ctx, st, o.BatchSize, e)
	if err != nil {
		return err
	}
	printCheck(e.stdout, checks)
	failed := 0
	for _, c := range checks {
		if c.Err != nil {
			failed++
		}
	}
	if failed > 0 {
		return &flow.InputError{Partner: "", Err: fmt.Errorf("%d of %d exports cannot be read (see above)", failed, len(checks))}
	}
	return nil
}

// fileCheck is what checking one export found. It holds counts, header
// names, codes and formats, never a personal value.
type fileCheck struct {
	File   study.File
	Result flow.Result
	// Err is why the file could not be read (to the end); nil when it was.
	Err error
}

// checkStudy streams every export of st into a counter. A file that cannot
// be read is recorded in its fileCheck and the others are still read; an
// interruption or a bug stops early.
func checkStudy(ctx context.Context, st *study.Study, batchSize int, e env) ([]fileCheck, error) {
	key, err := pseudonymise.EphemeralKey()
	if err != nil {
		return nil, err
	}
	p := pseudonymise.NewForStudy(key, st)
	var out []fileCheck
	for _, partner := range st.Partners {
		for _, f := range partner.Files {
			c := fileCheck{File: f}
			bar := newProgress(e, partner.Name+" / "+f.Name, f.Path)
			c.Result, err = flow.Stream(ctx, flow.Export{Study: st, Partner: partner.Name, File: f}, p, &flow.Counter{},
				flow.Options{BatchSize: batchSize, Progress: bar.set})
			bar.done(err == nil)
			var input *flow.InputError
			switch {
			case errors.As(err, &input):
				c.Err = input.Err
			case err != nil:
				return out, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// printCheck writes the per-file report and a summary table whose rows add
// up: read = would load + quarantined, per file and in total.
func printCheck(w io.Writer, checks []fileCheck) {
	for _, c := range checks {
		r := c.Result.File
		fmt.Fprintf(w, "%s / %s (%s)\n", r.Partner, r.File, r.Kind)
		fmt.Fprintf(w, "  read as     %s\n", readAs(c.File, r))
		if c.Err != nil {
			fmt.Fprintf(w, "  ERROR       %v\n", c.Err)
		}
		quarantined := c.Result.Quarantined()
		fmt.Fprintf(w, "  rows        %d read, %d would load, %d quarantined\n", r.RowsRead, r.RowsRead-quarantined, quarantined)
		if byRule := c.Result.ByRule(); len(byRule) > 0 {
			fmt.Fprintf(w, "  quarantine  %s\n", ruleCounts(byRule))
		}
		if len(r.Mapped) > 0 {
			var parts []string
			for _, field := range slices.Sorted(maps.Keys(r.Mapped)) {
				parts = append(parts, field+" ← "+strconv.Quote(r.Mapped[field]))
			}
			fmt.Fprintf(w, "  mapped      %s\n", strings.Join(parts, ", "))
		}
		if len(r.Identifiers) > 0 {
			fmt.Fprintf(w, "  skipped     %s (identifiers, never read)\n", quoteJoin(r.Identifiers))
		}
		if len(r.Extra) > 0 {
			fmt.Fprintf(w, "  unmapped    %s (ignored)\n", quoteJoin(r.Extra))
		}
		for _, field := range slices.Sorted(maps.Keys(r.UnknownCodes)) {
			codes := r.UnknownCodes[field]
			keys := slices.SortedFunc(maps.Keys(codes), func(a, b string) int {
				if codes[a] != codes[b] {
					return codes[b] - codes[a]
				}
				return strings.Compare(a, b)
			})
			var parts []string
			for _, code := range keys {
				parts = append(parts, fmt.Sprintf("%s %d", strconv.Quote(code), codes[code]))
			}
			fmt.Fprintf(w, "  unknown %s codes: %s\n", field, strings.Join(parts, ", "))
		}
		if c.Err == nil {
			id := c.Result.Links
			line := fmt.Sprintf("%d by BSN, %d by surname + birth date", id.ByBSN, id.ByFallback)
			if id.BySupplier > 0 {
				line += fmt.Sprintf(", %d pseudonymised by the partner", id.BySupplier)
			}
			line += fmt.Sprintf(", %d without identifier", id.Unlinked)
			fmt.Fprintf(w, "  identity    %s\n", line)
			if len(id.BSNRejected) > 0 {
				fmt.Fprintf(w, "  unusable BSNs %s\n", ruleCounts(id.BSNRejected))
			}
		}
		fmt.Fprintln(w)
	}
	pw, fw := len("partner"), len("file")
	for _, c := range checks {
		pw = max(pw, utf8.RuneCountInString(c.Result.File.Partner))
		fw = max(fw, utf8.RuneCountInString(c.Result.File.File))
	}
	row := func(partner, file, read, load, quarantined, status string) {
		line := fmt.Sprintf("%s  %s  %9s  %11s  %12s  %s", pad(partner, pw), pad(file, fw), read, load, quarantined, status)
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	row("partner", "file", "read", "would load", "quarantined", "")
	var read, load, quarantined int
	for _, c := range checks {
		r, q := c.Result.File, c.Result.Quarantined()
		status := ""
		if c.Err != nil {
			status = "cannot be read"
		}
		l := r.RowsRead - q
		row(r.Partner, r.File, strconv.Itoa(r.RowsRead), strconv.Itoa(l), strconv.Itoa(q), status)
		read, load, quarantined = read+r.RowsRead, load+l, quarantined+q
	}
	row("total", "", strconv.Itoa(read), strconv.Itoa(load), strconv.Itoa(quarantined), "")
}

// pad left-aligns s in a column of width runes.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s)))
}

// readAs describes how the file was read, saying what was declared in the
// study file and what was detected.
func readAs(f study.File, r ingest.FileResult) string {
	info := r.Info
	if info.Format == "" {
		return "not opened"
	}
	how := func(declared bool) string {
		if declared {
			return " (declared)"
		}
		return " (detected)"
	}
	parts := []string{info.Format + how(f.Format != "")}
	switch info.Format {
	case "csv":
		enc := info.Encoding
		if info.BOM {
			enc += " with BOM"
		}
		parts = append(parts, "encoding "+enc+how(f.Encoding != ""), "delimiter "+delimiterName(info.Delimiter)+how(f.Delimiter != 0))
	case "xlsx":
		sheet := " (first sheet)"
		if f.Sheet != "" {
			sheet = ""
		}
		parts = append(parts, "sheet "+strconv.Quote(info.Sheet)+sheet)
	}
	switch {
	case r.DateFormat != "":
		parts = append(parts, "date format "+r.DateFormat+" (declared)")
	case len(r.DetectedDateFormats) > 0:
		var fm []string
		for _, field := range slices.Sorted(maps.Keys(r.DetectedDateFormats)) {
			fm = append(fm, field+" "+r.DetectedDateFormats[field])
		}
		parts = append(parts, "detected date format "+strings.Join(fm, ", "))
	case len(r.Mapped) > 0:
		parts = append(parts, "date format per value (none declared or detected: ambiguous values are quarantined)")
	}
	return strings.Join(parts, ", ")
}

func delimiterName(d string) string {
	if d == "\t" {
		return "tab"
	}
	return strconv.Quote(d)
}

// ruleCounts formats counts as "rule n, rule n", largest first.
func ruleCounts(m map[string]int) string {
	keys := slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func quoteJoin(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
