package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/outcomes-research/outcomes/store"
)

// printLinkage prints, per file, how its loaded records were linked to
// persons (by national ID, by fallback key, pseudonymised by the partner)
// and how many rows could not be linked at all, then the values in BSN
// columns that could not be used, counted per reason. It prints counts and
// reasons only, never a value.
func printLinkage(w io.Writer, files []store.FileRecord) {
	fmt.Fprintf(w, "\nlinkage\n%-16s %-34s %9s %9s %9s %9s\n", "partner", "file", "bsn", "fallback", "supplier", "none")
	var bsn, fallback, supplier, none int
	for _, f := range files {
		l := f.Links
		fmt.Fprintf(w, "%-16s %-34s %9d %9d %9d %9d\n", f.Result.Partner, f.Result.File, l.ByBSN, l.ByFallback, l.BySupplier, l.Unlinked)
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
		fmt.Fprintf(w, "%-16s %-34s %s\n", f.Result.Partner, f.Result.File, strings.Join(parts, ", "))
	}
}
