package summary

import (
	"fmt"
	"io"
	"path"
	"strings"
)

// Outputs lists what a run wrote into outDir, from the names it committed
// (slash paths relative to outDir; a folder such as parquet stands for
// its files): the report and its tables, which are for publication, and
// the pseudonymised database and Parquet files, which are the study's
// researchers' microdata.
func Outputs(w io.Writer, outDir string, names []string) {
	csv := 0
	var lines [][2]string
	for _, n := range names {
		switch {
		case strings.HasPrefix(n, "tables/") && strings.HasSuffix(n, ".csv"):
			csv++
		case strings.HasSuffix(n, ".html"):
			lines = append(lines, [2]string{n, "the report (for publication)"})
		case strings.HasSuffix(n, ".xlsx"):
			lines = append(lines, [2]string{n, "the report's tables, a sheet each, numbers as numbers"})
		case strings.HasSuffix(n, ".duckdb"):
			lines = append(lines, [2]string{n, "the pseudonymised database: every table and column described (COMMENT ON); for the study's researchers, not for publication"})
		case path.Ext(n) == "":
			lines = append(lines, [2]string{n + "/", "the canonical tables and the analysis dataset as Parquet, for R, Python and any Parquet reader; pseudonymised microdata like the database"})
		default:
			lines = append(lines, [2]string{n, ""})
		}
	}
	if csv > 0 {
		lines = append(lines, [2]string{"tables/", fmt.Sprintf("the same %d tables as CSV files", csv)})
	}
	fmt.Fprintf(w, "\nwrote into %s:\n", outDir)
	for _, l := range lines {
		fmt.Fprintf(w, "  %-16s %s\n", l[0], l[1])
	}
}
