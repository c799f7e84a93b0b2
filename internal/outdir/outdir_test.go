package outdir

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStagingRecovery checks what a run does with the staging folders of
// earlier runs: one without the commit marker is removed and never used;
// one with the marker has its remaining outputs moved into place (roll
// forward), a previous output folder replaced whole.
func TestStagingRecovery(t *testing.T) {
	out := t.TempDir()
	write := func(path, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(path string) string {
		t.Helper()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	// The outputs of an earlier good run.
	write(filepath.Join(out, "report.html"), "old report")
	write(filepath.Join(out, "outcomes.duckdb"), "old db")
	write(filepath.Join(out, "tables", "old.csv"), "old table")
	// A run killed while loading: no marker.
	incomplete := filepath.Join(out, StagingPrefix+"1")
	write(filepath.Join(incomplete, "outcomes.duckdb"), "half db")
	// A run killed during its commit: the report is moved, the rest not.
	committing := filepath.Join(out, StagingPrefix+"2")
	write(filepath.Join(committing, CommitMarker), "report.html\ntables\noutcomes.duckdb\n")
	write(filepath.Join(committing, "tables", "new.csv"), "new table")
	write(filepath.Join(committing, "outcomes.duckdb"), "new db")
	write(filepath.Join(out, "report.html"), "new report")

	var warn bytes.Buffer
	s, err := Begin(out, &warn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Begin(out, io.Discard); err == nil || !strings.Contains(err.Error(), "another outcomes run") {
		t.Errorf("a second run on a locked folder: %v, want a refusal", err)
	}
	s.Cleanup(io.Discard)

	if got := read(filepath.Join(out, "outcomes.duckdb")); got != "new db" {
		t.Errorf("database %q, want the committing run's", got)
	}
	if got := read(filepath.Join(out, "tables", "new.csv")); got != "new table" {
		t.Errorf("tables/new.csv %q", got)
	}
	if _, err := os.Stat(filepath.Join(out, "tables", "old.csv")); err == nil {
		t.Error("the previous run's table is still beside the new ones")
	}
	if n := len(stagingFolders(t, out)); n != 0 {
		t.Errorf("%d staging folders left", n)
	}
	for _, want := range []string{"completing the outputs of an interrupted run", "removing", "never used"} {
		if !strings.Contains(warn.String(), want) {
			t.Errorf("messages lack %q:\n%s", want, warn.String())
		}
	}
	// The lock is released: a new run may start.
	s2, err := Begin(out, io.Discard)
	if err != nil {
		t.Fatalf("after cleanup: %v", err)
	}
	s2.Cleanup(io.Discard)
}

// stagingFolders lists the staging folders in out.
func stagingFolders(t *testing.T, out string) []string {
	t.Helper()
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), StagingPrefix) {
			dirs = append(dirs, e.Name())
		}
	}
	return dirs
}
