package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/store"
)

// TestRerunHistory runs a study three times into one output folder (with
// --force: each run replaces the last one's outputs), the second time with
// a corrected export, and checks that the provenance
// keeps every run and the file versions (hashes) it read, while the data
// tables hold the newest run's rows only, once.
func TestRerunHistory(t *testing.T) {
	tmp := t.TempDir()
	in := filepath.Join(tmp, "input")
	if err := os.CopyFS(in, os.DirFS(filepath.Join(casesDir, "unknown_programme_code", "input"))); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(tmp, "study.key")
	if err := os.WriteFile(key, []byte(caseKeyText+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "out")
	runOnce := func(t *testing.T) *store.Store {
		t.Helper()
		code, _, stderr := runCLI(t, nil, "run", "--study", filepath.Join(in, "study.yaml"), "--out", out, "--key-file", key, "--force")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		AssertNoPanic(t, stderr)
		db, err := store.Open(context.Background(), filepath.Join(out, databaseFile), true)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		AssertAccounting(t, db)
		return db
	}
	hashes := func(t *testing.T, db *store.Store, file string) []string {
		t.Helper()
		rows, err := db.DB().Query(`SELECT sha256 FROM source_file WHERE file = ? ORDER BY run_id`, file)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				t.Fatal(err)
			}
			out = append(out, h)
		}
		return out
	}

	db1 := runOnce(t)
	if got := queryInt(t, db1, `SELECT max(run_id) FROM run`); got != 1 {
		t.Fatalf("first run has id %d, want 1", got)
	}
	if got := queryInt(t, db1, `SELECT count(*) FROM trajectory`); got != 6 {
		t.Fatalf("first run loaded %d trajectories, want 6 (2 unknown codes)", got)
	}
	db1.Close()

	// The partner corrects its export: the two unknown codes become known.
	path := filepath.Join(in, "trajecten.csv")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.NewReplacer(";XYZ;", ";AMB-7D;", ";AMB-14D;", ";AMB-7D;").Replace(string(data))
	if fixed == string(data) {
		t.Fatal("the correction changed nothing")
	}
	if err := os.WriteFile(path, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("corrected export replaces its previous version", func(t *testing.T) {
		db := runOnce(t)
		if got := queryInt(t, db, `SELECT count(*) FROM run WHERE finished IS NOT NULL`); got != 2 {
			t.Errorf("%d finished runs in the history, want 2", got)
		}
		if got := queryInt(t, db, `SELECT max(run_id) FROM run`); got != 2 {
			t.Errorf("new run has id %d, want 2", got)
		}
		h := hashes(t, db, "trajecten.csv")
		if len(h) != 2 || h[0] == h[1] {
			t.Errorf("trajecten.csv versions %v, want two different hashes (runs 1 and 2)", h)
		}
		if h := hashes(t, db, "registraties.csv"); len(h) != 2 || h[0] != h[1] {
			t.Errorf("registraties.csv versions %v, want the same hash twice", h)
		}
		// Data: the corrected file's 8 rows, once, all from run 2's files.
		if got := queryInt(t, db, `SELECT count(*) FROM trajectory`); got != 8 {
			t.Errorf("%d trajectories, want the corrected export's 8", got)
		}
		if got := queryInt(t, db, `SELECT count(*) FROM trajectory JOIN source_file USING (file_id) WHERE run_id <> 2`); got != 0 {
			t.Errorf("%d trajectories from an earlier run's files", got)
		}
		if got := queryInt(t, db, `SELECT count(DISTINCT file_id) FROM source_file`); got != 4 {
			t.Errorf("%d distinct file ids over two runs of two files, want 4", got)
		}
		if got := queryInt(t, db, `SELECT rows_quarantined FROM source_file WHERE file = 'trajecten.csv' AND run_id = 1`); got != 2 {
			t.Errorf("run 1's accounting of trajecten.csv lost: %d quarantined, want 2", got)
		}
	})

	t.Run("third run adds to the history", func(t *testing.T) {
		db := runOnce(t)
		if got := queryInt(t, db, `SELECT count(*) FROM source_file`); got != 6 {
			t.Errorf("%d source_file rows after three runs of two files, want 6", got)
		}
		if got := queryInt(t, db, `SELECT count(*) FROM run`); got != 3 {
			t.Errorf("%d runs, want 3", got)
		}
		if got := queryInt(t, db, `SELECT count(*) FROM event`); got != 5 {
			t.Errorf("%d events, want 5", got)
		}
	})

	t.Run("a failed run leaves the outputs and the history as they were", func(t *testing.T) {
		before := snapshot(t, out)
		broken := filepath.Join(in, "trajecten.csv")
		good, err := os.ReadFile(broken)
		if err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(broken, good, 0o644)
		if err := os.WriteFile(broken, append(good, "\x00\x01binary"...), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCLI(t, nil, "run", "--study", filepath.Join(in, "study.yaml"), "--out", out, "--key-file", key, "--force")
		if code != exitInput {
			t.Fatalf("exit %d, want %d: %s", code, exitInput, stderr)
		}
		if after := snapshot(t, out); !equalSnapshots(after, before) {
			t.Errorf("outputs changed:\n got %v\nwant %v", after, before)
		}
		if n := len(stagingFolders(t, out)); n != 0 {
			t.Errorf("%d staging folders left", n)
		}
	})

	t.Run("a file that is not an outcomes database blocks the run", func(t *testing.T) {
		other := filepath.Join(tmp, "other")
		if err := os.MkdirAll(other, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(other, databaseFile), []byte("not a database"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCLI(t, nil, "run", "--study", filepath.Join(in, "study.yaml"), "--out", other, "--key-file", key)
		if code != exitOutput || !strings.Contains(stderr, databaseFile) || !strings.Contains(stderr, "move it away") {
			t.Errorf("exit %d, want %d with advice:\n%s", code, exitOutput, stderr)
		}
		AssertNoPanic(t, stderr)
		if data, _ := os.ReadFile(filepath.Join(other, databaseFile)); string(data) != "not a database" {
			t.Error("the file was changed")
		}
	})
}
