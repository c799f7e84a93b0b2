package summary

import (
	"strings"
	"testing"
)

func TestOutputs(t *testing.T) {
	var b strings.Builder
	Outputs(&b, "out", []string{"report.html", "tables/headline.csv", "tables/rates.csv", "tables.xlsx", "parquet", "outcomes.duckdb"})
	got := b.String()
	for _, want := range []string{
		"wrote into out:\n",
		"  report.html      the report (for publication)\n",
		"  tables.xlsx      the report's tables, a sheet each",
		"  parquet/         the canonical tables and the analysis dataset as Parquet",
		"  outcomes.duckdb  the pseudonymised database",
		"  tables/          the same 2 tables as CSV files\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
}
