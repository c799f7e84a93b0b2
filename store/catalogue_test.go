package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/store/storetest"
)

// TestEveryTableAndColumnIsDocumented: every table, view and column of a
// finished run's database has a comment (COMMENT ON, from schema.sql and linkage.sql),
// and the programme table holds the study's programmes.
func TestEveryTableAndColumnIsDocumented(t *testing.T) {
	st := storetest.WriteStudy(t, map[string]string{"study.yaml": testStudy, "a.csv": "x\n", "j.csv": "x\n"})
	st.Programmes[0].Name = "Ambulante nazorg"
	ctx := context.Background()
	s, err := store.Begin(ctx, filepath.Join(t.TempDir(), "db.duckdb"), "", store.Run{Started: time.Now(), ToolVersion: "test",
		Study: st, KeyFingerprint: "kf", Parameters: "{}"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Finish(ctx, s.RunID(), time.Now(), st, filepath.Join(t.TempDir(), store.ParquetDir)); err != nil {
		t.Fatal(err)
	}
	if missing := storetest.Undocumented(t, s.DB()); len(missing) > 0 {
		t.Errorf("without a comment: %v", missing)
	}
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() AND comment <> ''`).Scan(&n); err != nil || n < 100 {
		t.Errorf("%d documented columns (%v); the comments did not reach the database", n, err)
	}
	var code, name, outcome string
	var shelter bool
	if err := s.DB().QueryRow(`SELECT code, name, outcome, shelter FROM programme`).Scan(&code, &name, &outcome, &shelter); err != nil ||
		code != "AMB" || name != "Ambulante nazorg" || outcome != "recidivism" || shelter {
		t.Errorf("programme row %q %q %q %v (%v)", code, name, outcome, shelter, err)
	}
}
