package summary

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/study"
)

// Run writes the row accounting of every export a run loaded (read,
// loaded, quarantined, and the quarantined rows per rule), then how the
// loaded rows were linked (Linkage).
func Run(w io.Writer, files []flow.Result) {
	fmt.Fprintf(w, "%-16s %-34s %9s %9s %12s\n", "partner", "file", "read", "loaded", "quarantined")
	var read, loaded, quarantined int
	for _, f := range files {
		q := f.Quarantined()
		l := f.File.RowsRead - q
		fmt.Fprintf(w, "%-16s %-34s %9d %9d %12d\n", f.File.Partner, f.File.File, f.File.RowsRead, l, q)
		if q > 0 {
			fmt.Fprintf(w, "%-16s   quarantined per rule: %s\n", "", RuleCounts(f.ByRule()))
		}
		if len(f.File.FreeTextDropped) > 0 {
			fmt.Fprintf(w, "%-16s   free text dropped (looked like an identifier): %s\n", "", RuleCounts(f.File.FreeTextDropped))
		}
		read, loaded, quarantined = read+f.File.RowsRead, loaded+l, quarantined+q
	}
	fmt.Fprintf(w, "%-16s %-34s %9d %9d %12d\n", "total", "", read, loaded, quarantined)
	Linkage(w, files)
}

// Linkage writes, per file, how its loaded records were linked to
// persons (by national ID, by fallback key, pseudonymised by the partner)
// and how many rows could not be linked at all, then the values in BSN
// columns that could not be used, counted per reason. It prints counts and
// reasons only, never a value.
func Linkage(w io.Writer, files []flow.Result) {
	fmt.Fprintf(w, "\nlinkage\n%-16s %-34s %9s %9s %9s %9s\n", "partner", "file", "bsn", "fallback", "supplier", "none")
	var bsn, fallback, supplier, none int
	for _, f := range files {
		l := f.Links
		fmt.Fprintf(w, "%-16s %-34s %9d %9d %9d %9d\n", f.File.Partner, f.File.File, l.ByBSN, l.ByFallback, l.BySupplier, l.Unlinked)
		bsn, fallback, supplier, none = bsn+l.ByBSN, fallback+l.ByFallback, supplier+l.BySupplier, none+l.Unlinked
	}
	fmt.Fprintf(w, "%-16s %-34s %9d %9d %9d %9d\n", "total", "", bsn, fallback, supplier, none)
	header := false
	for _, f := range files {
		var parts []string
		for _, reason := range slices.Sorted(maps.Keys(f.Links.BSNRejected)) {
			if n := f.Links.BSNRejected[reason]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", reason, n))
			}
		}
		if len(parts) == 0 {
			continue
		}
		if !header {
			fmt.Fprintf(w, "\nnational IDs (BSN) not used as identifier, per reason\n")
			header = true
		}
		fmt.Fprintf(w, "%-16s %-34s %s\n", f.File.Partner, f.File.File, strings.Join(parts, ", "))
	}
}

// SupplierFile is one export `outcomes pseudonymise` wrote: the flow's
// result and the name of its pseudonymised form.
type SupplierFile struct {
	Result flow.Result
	Out    string
}

// Supplier writes the row accounting of `outcomes pseudonymise`: per
// export read, written and quarantined, then how rows were linked and the
// BSN values not used, per reason.
func Supplier(w io.Writer, files []SupplierFile) {
	fmt.Fprintf(w, "%-34s %-40s %9s %9s %12s\n", "export", "pseudonymised as", "read", "written", "quarantined")
	for _, f := range files {
		q := f.Result.Quarantined()
		fmt.Fprintf(w, "%-34s %-40s %9d %9d %12d\n", f.Result.File.File, f.Out, f.Result.File.RowsRead, f.Result.File.RowsRead-q, q)
	}
	fmt.Fprintf(w, "\nlinkage\n%-34s %9s %9s %9s  %s\n", "export", "bsn", "fallback", "none", "BSN not used, per reason")
	for _, f := range files {
		var rejected []string
		links := f.Result.Links
		for _, reason := range slices.Sorted(maps.Keys(links.BSNRejected)) {
			if n := links.BSNRejected[reason]; n > 0 {
				rejected = append(rejected, fmt.Sprintf("%s %d", reason, n))
			}
		}
		fmt.Fprintf(w, "%-34s %9d %9d %9d  %s\n", f.Result.File.File, links.ByBSN, links.ByFallback, links.Unlinked, strings.Join(rejected, ", "))
	}
}

// Check writes the report of `outcomes check`: per export how it was read,
// its rows and quarantine per rule, mapped, skipped and unmapped columns,
// unknown codes with their counts and how rows would link; then a table
// whose rows add up: read = would load + quarantined, per file and in
// total.
func Check(w io.Writer, checks []flow.Check) {
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
			fmt.Fprintf(w, "  quarantine  %s\n", RuleCounts(byRule))
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
		if len(r.FreeTextDropped) > 0 {
			fmt.Fprintf(w, "  free text   dropped (looked like an identifier): %s\n", RuleCounts(r.FreeTextDropped))
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
				fmt.Fprintf(w, "  unusable BSNs %s\n", RuleCounts(id.BSNRejected))
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
		if info.LineEndings == "cr" {
			parts = append(parts, "CR-only line endings (detected)")
		}
	case "xlsx":
		// A sheet name the study file does not give is the partner's and
		// may be anything: it is not shown.
		if f.Sheet != "" {
			parts = append(parts, "sheet "+strconv.Quote(info.Sheet))
		} else {
			parts = append(parts, "the first visible sheet")
		}
		if info.StrayCells > 0 {
			parts = append(parts, fmt.Sprintf("%d cell(s) right of the header ignored", info.StrayCells))
		}
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

// RuleCounts formats counts as "rule n, rule n", largest first.
func RuleCounts(m map[string]int) string {
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
