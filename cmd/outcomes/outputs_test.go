package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes"
	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/internal/version"
	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/store/storetest"
)

// TestResearcherOutputs runs the demo and checks what researchers get
// beside the report (issue 18, item 5): a database whose every table and
// column is commented, with the programmes and the run's provenance; the
// Parquet export, which reads back with the database's row counts; the
// modes (microdata 0600, folders 0700; report and tables 0644); the
// manifest; and a run summary that names the outputs.
func TestResearcherOutputs(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, nil, "demo", "--out", out)
	if code != exitOK {
		t.Fatalf("demo exited %d: %s", code, stderr)
	}
	db := openDB(t, out)
	defer db.Close()
	if missing := storetest.Undocumented(t, db.DB()); len(missing) > 0 {
		t.Errorf("%d tables or columns without a comment: %v", len(missing), missing)
	}
	studyFile, err := fs.ReadFile(outcomes.DemoStudy(), "study.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(studyFile)
	var tool, hash, line string
	var commit *string
	if err := db.DB().QueryRow(`SELECT tool_version, tool_commit, study_sha256, command_line FROM run`).Scan(&tool, &commit, &hash, &line); err != nil {
		t.Fatal(err)
	}
	if tool != version.Tool || hash != hex.EncodeToString(sum[:]) || !strings.HasPrefix(line, "outcomes demo") {
		t.Errorf("run: tool %q, study_sha256 %s (file %x), command line %q", tool, hash, sum, line)
	}
	if c := version.Commit(); c != "" && (commit == nil || *commit != c) {
		t.Errorf("run: tool_commit %v, want %q", commit, c)
	}
	var programmes, named int
	if err := db.DB().QueryRow(`SELECT count(*), count(*) FILTER (WHERE name <> code) FROM programme`).Scan(&programmes, &named); err != nil || programmes < 5 || named != programmes {
		t.Errorf("programme table: %d rows, %d named (%v)", programmes, named, err)
	}
	manifest, err := os.ReadFile(filepath.Join(out, outdir.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range store.ParquetTables() {
		name, partition := tp[0], tp[1]
		glob := filepath.Join(out, store.ParquetDir, name+".parquet")
		if partition != "" {
			glob = filepath.Join(out, store.ParquetDir, name, "*", "*.parquet")
		}
		files, _ := filepath.Glob(glob)
		if len(files) == 0 {
			t.Errorf("%s: no Parquet file", name)
			continue
		}
		for _, f := range files {
			rel, _ := filepath.Rel(out, f)
			if !strings.Contains(string(manifest), filepath.ToSlash(rel)+"\n") {
				t.Errorf("%s is not in the manifest", rel)
			}
		}
		var want, got int
		if err := db.DB().QueryRow("SELECT count(*) FROM " + name).Scan(&want); err != nil {
			t.Fatal(err)
		}
		q := fmt.Sprintf("SELECT count(*) FROM read_parquet('%s', hive_partitioning = %v)", glob, partition != "")
		if err := db.DB().QueryRow(q).Scan(&got); err != nil || got != want {
			t.Errorf("%s: %d rows in Parquet (%v), %d in the database", name, got, err, want)
		}
	}
	modes := map[string]os.FileMode{databaseFile: 0o600, store.ParquetDir: 0o700, reportFile: 0o644, "tables.xlsx": 0o644, "tables/headline.csv": 0o644}
	err = filepath.WalkDir(filepath.Join(out, store.ParquetDir), func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(out, p)
		if d.IsDir() {
			modes[rel] = 0o700
		} else {
			modes[rel] = 0o600
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range modes {
		fi, err := os.Stat(filepath.Join(out, name))
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", name, fi.Mode().Perm(), err, want)
		}
	}
	for _, want := range []string{"tables.xlsx", "tables/", "parquet/", databaseFile, reportFile} {
		if !strings.Contains(stdout, "  "+want) {
			t.Errorf("the run summary does not name %s:\n%s", want, stdout)
		}
	}
}
