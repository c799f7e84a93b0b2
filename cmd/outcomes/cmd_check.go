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

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/spf13/pflag"

	"github.com/outcomes-research/outcomes/ingest"
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

// cmdCheck is a dry run of the ingest stage: it reads every export of the
// study as `outcomes run` would, validates every row, and prints per file
// what it found. It writes nothing and needs no study key: rows are not
// pseudonymised, but rows that would have no identifier (no valid BSN and no
// surname with birth date) are counted as pseudonymise would quarantine
// them (no_identifier).
func cmdCheck(ctx context.Context, args []string, e env) error {
	var o checkOptions
	fs := newFlagSet("check", "check --study FILE", e)
	o.AddFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := validateCheckArgs(o); err != nil {
		return withCode(exitUsage, err)
	}
	st, err := study.Load(o.StudyFile)
	if err != nil {
		return withCode(exitStudy, err)
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
		return withCode(exitInput, fmt.Errorf("%d of %d exports cannot be read (see above)", failed, len(checks)))
	}
	return nil
}

// fileCheck is what checking one export found. It holds counts, header
// names, codes and formats, never a personal value.
type fileCheck struct {
	File   study.File
	Result ingest.FileResult
	// Err is why the file could not be read (to the end); nil when it was.
	Err error
	// Identity counts how the rows that pass validation would be linked.
	Identity identityCounts
}

// identityCounts mirrors pseudonymise's linkage decision without a key.
type identityCounts struct {
	ByBSN, ByFallback, BySupplier int
	// None is the number of rows pseudonymise would quarantine as
	// no_identifier.
	None int
	// BSNRejected counts non-empty BSN values that are not a valid BSN, per
	// pseudonymise.BSNStatus reason.
	BSNRejected map[string]int
}

// Quarantined is the number of rows of the file a run would quarantine:
// those ingest rejects and those without an identifier.
func (c fileCheck) Quarantined() int { return c.Result.RowsQuarantined + c.Identity.None }

// ByRule merges ingest's per-rule counts with no_identifier.
func (c fileCheck) ByRule() map[string]int {
	out := maps.Clone(c.Result.ByRule)
	if out == nil {
		out = map[string]int{}
	}
	if c.Identity.None > 0 {
		out[ingest.RuleNoIdentifier] += c.Identity.None
	}
	return out
}

// checkStudy reads every export of st. A file that cannot be read is
// recorded in its fileCheck and the others are still read; only an
// interruption stops early.
func checkStudy(ctx context.Context, st *study.Study, batchSize int, e env) ([]fileCheck, error) {
	var out []fileCheck
	for _, partner := range st.Partners {
		for _, f := range partner.Files {
			c := fileCheck{File: f, Identity: identityCounts{BSNRejected: map[string]int{}}}
			bar := newProgress(e, partner.Name+" / "+f.Name, f.Path)
			var err error
			c.Result, err = ingest.ReadFile(ctx, st, partner.Name, f, ingest.Options{
				BatchSize: batchSize,
				Progress:  bar.set,
				Emit: func(b ingest.RawBatch) error {
					defer b.Record.Release()
					c.Identity.count(b)
					return nil
				},
			})
			bar.done(err == nil)
			if err != nil {
				if ctx.Err() != nil {
					return out, ctx.Err()
				}
				c.Err = err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// count classifies the rows of one raw batch as pseudonymise.Batch would:
// a households row needs an identifiable detainee first; then a valid BSN,
// else surname plus birth date (pseudonymise.FallbackKey), else none. For a
// file the partner pseudonymised, a non-empty pseudonym counts as an
// identifier (its form is checked only by the run).
func (ic *identityCounts) count(b ingest.RawBatch) {
	rec := b.Record
	cols := map[string]int{}
	for i, f := range rec.Schema().Fields() {
		cols[f.Name] = i
	}
	// str returns a text column, nil when absent or entirely null (as
	// pseudonymise reads a batch).
	str := func(name string) *array.String {
		if i, ok := cols[name]; ok {
			if s, _ := rec.Column(i).(*array.String); s != nil && s.NullN() < s.Len() {
				return s
			}
		}
		return nil
	}
	date := func(name string) *array.Date32 {
		if i, ok := cols[name]; ok {
			d, _ := rec.Column(i).(*array.Date32)
			return d
		}
		return nil
	}
	val := func(a *array.String, i int) string {
		if a == nil || a.IsNull(i) {
			return ""
		}
		return a.Value(i)
	}
	var digits [9]byte
	var key []byte
	// identified reports whether a BSN or a fallback key is usable, and the
	// BSN status.
	identified := func(bsn, surname *array.String, birth *array.Date32, sex *array.String, i int) (pseudonymise.BSNStatus, bool) {
		status := pseudonymise.BSNEmpty
		if bsn != nil && !bsn.IsNull(i) {
			status = pseudonymise.NormaliseBSN(bsn.Value(i), &digits)
		}
		fallback := false
		if birth != nil && !birth.IsNull(i) && val(surname, i) != "" {
			key = pseudonymise.FallbackKey(key[:0], val(surname, i), birth.Value(i).ToTime(), val(sex, i))
			fallback = key != nil
		}
		return status, status == pseudonymise.BSNOK || fallback
	}
	bsn, surname, birth, sex := str(study.FieldBSN), str(study.FieldSurname), date(study.FieldBirthDate), str(study.FieldSex)
	pseudonym, linkage, fallbackID := str(study.FieldPseudonym), str(study.FieldLinkage), str(study.FieldFallbackID)
	households := b.Kind == study.KindHouseholds
	dBSN, dSurname, dBirth, dSex := str(study.FieldDetaineeBSN), str(study.FieldDetaineeSurname), date(study.FieldDetaineeBirthDate), str(study.FieldDetaineeSex)
	dPseudonym, dLinkage, dFallbackID := str(study.FieldDetaineePseudonym), str(study.FieldDetaineeLinkage), str(study.FieldDetaineeFallbackID)
	// detaineeIdentified: a supplier-pseudonymised households export carries
	// the detainee's pseudonym, a raw one the detainee's BSN or name.
	detaineeIdentified := func(i int) bool {
		if dPseudonym != nil {
			return pseudonymise.SuppliedIdentity(val(dPseudonym, i), val(dFallbackID, i), val(dLinkage, i))
		}
		_, ok := identified(dBSN, dSurname, dBirth, dSex, i)
		return ok
	}
	for i := 0; i < int(rec.NumRows()); i++ {
		if households && !detaineeIdentified(i) {
			ic.None++
			continue
		}
		if pseudonym != nil {
			if pseudonymise.SuppliedIdentity(val(pseudonym, i), val(fallbackID, i), val(linkage, i)) {
				ic.BySupplier++
			} else {
				ic.None++
			}
			continue
		}
		status, ok := identified(bsn, surname, birth, sex, i)
		switch {
		case status == pseudonymise.BSNOK:
			ic.ByBSN++
		case ok:
			ic.ByFallback++
		default:
			ic.None++
		}
		if bsn != nil && status != pseudonymise.BSNOK && status != pseudonymise.BSNEmpty {
			ic.BSNRejected[status.String()]++
		}
	}
}

// printCheck writes the per-file report and a summary table whose rows add
// up: read = would load + quarantined, per file and in total.
func printCheck(w io.Writer, checks []fileCheck) {
	for _, c := range checks {
		r := c.Result
		fmt.Fprintf(w, "%s / %s (%s)\n", r.Partner, r.File, r.Kind)
		fmt.Fprintf(w, "  read as     %s\n", readAs(c.File, r))
		if c.Err != nil {
			fmt.Fprintf(w, "  ERROR       %v\n", c.Err)
		}
		fmt.Fprintf(w, "  rows        %d read, %d would load, %d quarantined\n", r.RowsRead, r.RowsRead-c.Quarantined(), c.Quarantined())
		if byRule := c.ByRule(); len(byRule) > 0 {
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
			id := c.Identity
			line := fmt.Sprintf("%d by BSN, %d by surname + birth date", id.ByBSN, id.ByFallback)
			if id.BySupplier > 0 {
				line += fmt.Sprintf(", %d pseudonymised by the partner", id.BySupplier)
			}
			line += fmt.Sprintf(", %d without identifier", id.None)
			fmt.Fprintf(w, "  identity    %s\n", line)
			if len(id.BSNRejected) > 0 {
				fmt.Fprintf(w, "  unusable BSNs %s\n", ruleCounts(id.BSNRejected))
			}
		}
		fmt.Fprintln(w)
	}
	pw, fw := len("partner"), len("file")
	for _, c := range checks {
		pw = max(pw, utf8.RuneCountInString(c.Result.Partner))
		fw = max(fw, utf8.RuneCountInString(c.Result.File))
	}
	row := func(partner, file, read, load, quarantined, status string) {
		line := fmt.Sprintf("%s  %s  %9s  %11s  %12s  %s", pad(partner, pw), pad(file, fw), read, load, quarantined, status)
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	row("partner", "file", "read", "would load", "quarantined", "")
	var read, load, quarantined int
	for _, c := range checks {
		r := c.Result
		status := ""
		if c.Err != nil {
			status = "cannot be read"
		}
		l := r.RowsRead - c.Quarantined()
		row(r.Partner, r.File, strconv.Itoa(r.RowsRead), strconv.Itoa(l), strconv.Itoa(c.Quarantined()), status)
		read, load, quarantined = read+r.RowsRead, load+l, quarantined+c.Quarantined()
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
