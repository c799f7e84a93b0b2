package analyses

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/store/storetest"
	"github.com/outcomes-research/outcomes/study"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestResultTablesGolden writes every result table of a fixed synthetic
// dataset, sorted and with floats to 6 significant digits, and compares it
// with testdata/result_tables.golden (refresh with -update and review the
// diff). The values themselves are checked against stats and by hand in the
// other tests; this one shows in review what a change does to the tables.
func TestResultTablesGolden(t *testing.T) {
	db := testDB(t)
	ps, ts, es := synthetic(120, "AMB", "RES")
	load(t, db, ps, ts, es)
	st := testStudy(t, "2022-06-30", 10,
		study.Programme{Code: "AMB", Outcome: study.OutcomeRecidivism},
		study.Programme{Code: "RES", Outcome: study.OutcomeRecidivism})
	compute(t, db, st)

	var b strings.Builder
	for _, table := range []string{"outcome_rate", "survival_curve", "survival_step", "survival_at_risk", "logrank_test",
		"comparison", "adjusted_rate", "cox_model", "cox_term", "contrast"} {
		cols, rows := storetest.Rows(t, db, goldenCell, "SELECT * FROM "+table+" ORDER BY ALL")
		fmt.Fprintf(&b, "## %s\n%s\n", table, strings.Join(cols, "|"))
		for _, r := range rows {
			b.WriteString(r + "\n")
		}
		b.WriteString("\n")
	}
	path := filepath.Join("testdata", "result_tables.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("result tables differ from %s at line %d:\n got %s\nwant %s", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("result tables differ from %s in length: %d lines, want %d", path, len(gl), len(wl))
	}
}

// goldenCell writes a result-table cell for the golden file: NULL, floats to
// six significant digits.
func goldenCell(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case float64:
		return fmt.Sprintf("%.6g", v)
	}
	return fmt.Sprint(v)
}
