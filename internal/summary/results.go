package summary

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/outcomes-research/outcomes/analyses"
)

// Cutoff accounts, per export, the rows dated after the cut-off (loaded,
// not counted: not errors) on stdout, and warns on stderr of each export
// whose extraction date lies before the cut-off, since the outcomes it
// records are censored there.
func Cutoff(stdout, stderr io.Writer, cutoff time.Time, exports []analyses.ExportExtraction) {
	for _, x := range exports {
		if x.AfterCutoff > 0 {
			fmt.Fprintf(stdout, "%-16s %-34s %9d row(s) dated after the cut-off %s: loaded, not counted\n",
				x.Partner, x.File, x.AfterCutoff, cutoff.Format(time.DateOnly))
		}
		if x.EndsBeforeCutoff && !x.Extraction.IsZero() {
			how := "its latest date is"
			if x.Declared {
				how = "it was extracted on"
			}
			fmt.Fprintf(stderr, "warning: %s (%s): %s %s, before the cut-off %s; the outcomes it records are followed up to then only\n",
				x.File, x.Partner, how, x.Extraction.Format(time.DateOnly), cutoff.Format(time.DateOnly))
		}
	}
}

// Disclosure writes how many cells each disclosure rule kept out of the
// report (the disclosure_log table lists them).
func Disclosure(w io.Writer, log []analyses.LogEntry) {
	var parts []string
	for _, rc := range analyses.RuleCounts(log) {
		parts = append(parts, fmt.Sprintf("%s %d", rc.Rule, rc.Count))
	}
	if len(parts) == 0 {
		parts = []string{"none"}
	}
	fmt.Fprintf(w, "\ncells not published (disclosure_log), per rule: %s\n", strings.Join(parts, ", "))
}
