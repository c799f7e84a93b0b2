package analyses

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/store/storetest"
)

// TestDatabaseIsDocumented computes the demo and checks that every table,
// view and column of the database (the store's and the analyses') has a
// comment, and that analysis_dataset holds one row per subject with
// pseudonyms only.
func TestDatabaseIsDocumented(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo exports")
	}
	s, st := loadDemo(t)
	ctx := context.Background()
	if _, err := ComputeWith(ctx, s.DB(), st, 1, store.AppendRows); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, 1, time.Now(), st, filepath.Join(t.TempDir(), store.ParquetDir)); err != nil {
		t.Fatal(err)
	}
	if missing := storetest.Undocumented(t, s.DB()); len(missing) > 0 {
		t.Errorf("%d without a comment: %v", len(missing), missing)
	}
	var tables, subjects, rows, persons int
	q := `SELECT (SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND comment <> ''),
		(SELECT count(*) FROM outcome_subject), (SELECT count(*) FROM analysis_dataset),
		(SELECT count(*) FROM analysis_dataset d JOIN person USING (person_id))`
	if err := s.DB().QueryRow(q).Scan(&tables, &subjects, &rows, &persons); err != nil {
		t.Fatal(err)
	}
	if tables < 30 || subjects == 0 || rows != subjects || persons != rows {
		t.Errorf("%d documented tables; analysis_dataset %d rows (%d with a person), outcome_subject %d", tables, rows, persons, subjects)
	}
	cols := queryStrings(t, s.DB(), `SELECT column_name FROM duckdb_columns() WHERE table_name = 'analysis_dataset' ORDER BY column_index`)
	for _, want := range []string{"person_id", "programme", "outcome", "cohort", "age", "sex", "prior_offences", "event", "time_days"} {
		if !slices.Contains(cols, want) {
			t.Errorf("analysis_dataset has no column %s (%v)", want, cols)
		}
	}
	identifier := regexp.MustCompile(`bsn|name|address|postcode|phone|mail|birth_date`)
	for _, c := range cols {
		if identifier.MatchString(c) {
			t.Errorf("analysis_dataset column %s looks like a clear identifier", c)
		}
	}
	// Events and times agree with the survival data the models read.
	var bad int
	if err := s.DB().QueryRow(`SELECT count(*) FROM analysis_dataset WHERE event AND first_event - ref_date <> time_days
		OR NOT event AND censor_date - ref_date <> time_days`).Scan(&bad); err != nil || bad != 0 {
		t.Errorf("%d rows whose time_days disagrees with their dates (%v)", bad, err)
	}
}
