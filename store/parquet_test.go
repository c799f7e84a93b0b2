package store_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/store/storetest"
)

// TestParquetReadsBack loads a small study, adds a subjects table with
// cohorts, writes the Parquet export and reads every file back: the same
// columns with the same types and the same row counts as the database,
// the cohort tables partitioned by cohort, and private modes on the
// files, the folders and the database.
func TestParquetReadsBack(t *testing.T) {
	files := map[string]string{
		"a.csv":      "bsn;naam;geb;sexe;prog;start;vrij\n111222333;de Vries;1980-02-01;M;AMB;2020-01-01;2020-03-01\n123456782;Jansen;1990-05-06;V;AMB;2021-01-01;\n",
		"j.csv":      "bsn,datum,soort\n111222333,2021-09-01,geweld\n",
		"study.yaml": testStudy,
	}
	st := storetest.WriteStudy(t, files)
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "db.duckdb")
	s, err := store.Create(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.LoadStudy(t, s, st, 0)
	db := s.DB()
	if _, err := db.Exec(`CREATE TABLE analysis_dataset AS SELECT person_id, programme, year(start_date) AS cohort, start_date AS ref_date, 1.5::DOUBLE AS x
		FROM trajectory`); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, store.ParquetDir)
	if err := s.Finish(ctx, 1, time.Now(), st, out); err != nil {
		t.Fatal(err)
	}
	written := 0
	for _, tp := range store.ParquetTables() {
		name, partition := tp[0], tp[1]
		var exists int
		if err := db.QueryRow(`SELECT count(*) FROM duckdb_tables() WHERE table_name = ?`, name).Scan(&exists); err != nil {
			t.Fatal(err)
		}
		src := filepath.Join(out, name+".parquet")
		if partition != "" {
			src = filepath.Join(out, name, "**", "*.parquet")
		}
		if exists == 0 {
			if m, _ := filepath.Glob(strings.ReplaceAll(src, "**", "*")); len(m) > 0 {
				t.Errorf("%s: no such table, but Parquet files %v", name, m)
			}
			continue
		}
		written++
		read := fmt.Sprintf("read_parquet('%s', hive_partitioning = %v)", src, partition != "")
		var want, got int
		if err := db.QueryRow("SELECT count(*) FROM " + name).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow("SELECT count(*) FROM " + read).Scan(&got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got != want || want == 0 && (name == "person" || name == "trajectory") {
			t.Errorf("%s: %d rows in Parquet, %d in the database", name, got, want)
		}
		schema := func(q string) []string {
			rows, err := db.Query("SELECT column_name || ' ' || column_type FROM (DESCRIBE " + q + ")")
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			defer rows.Close()
			var cols []string
			for rows.Next() {
				var c string
				rows.Scan(&c)
				cols = append(cols, c)
			}
			slices.Sort(cols) // a partition column comes last in a hive read
			return cols
		}
		inDB, inFile := schema("SELECT * FROM "+name), schema("SELECT * FROM "+read)
		if partition != "" {
			// The partition's values are in the folder names, read back as
			// the column's type (BIGINT for an integer year).
			for i, c := range inFile {
				if strings.HasPrefix(c, partition+" ") {
					inFile[i] = inDB[slices.IndexFunc(inDB, func(d string) bool { return strings.HasPrefix(d, partition+" ") })]
				}
			}
			if m, _ := filepath.Glob(filepath.Join(out, name, partition+"=2020", "*.parquet")); len(m) != 1 {
				t.Errorf("%s: partition %s=2020 holds %v", name, partition, m)
			}
		}
		if !slices.Equal(inDB, inFile) {
			t.Errorf("%s: Parquet columns %v, database %v", name, inFile, inDB)
		}
	}
	if written < 8 {
		t.Errorf("only %d tables written", written)
	}
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, _ := d.Info()
		want := store.PrivateFile
		if d.IsDir() {
			want = store.PrivateDir
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dbPath); err != nil || fi.Mode().Perm() != store.PrivateFile {
		t.Errorf("database mode %v (%v), want %v", fi.Mode().Perm(), err, store.PrivateFile)
	}
}
