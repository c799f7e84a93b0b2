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
	write(filepath.Join(out, ManifestFile), "report.html\ntables/old.csv\noutcomes.duckdb\n")
	// A file of the researcher's own beside them.
	write(filepath.Join(out, "tables", "mine.csv"), "my table")
	// A run killed while loading: no marker.
	incomplete := filepath.Join(out, StagingPrefix+"1")
	write(filepath.Join(incomplete, "outcomes.duckdb"), "half db")
	// A run killed during its commit: the report is moved, the rest not.
	committing := filepath.Join(out, StagingPrefix+"2")
	write(filepath.Join(committing, CommitMarker), "report.html\ntables\noutcomes.duckdb\n")
	write(filepath.Join(committing, stagedManifest), "report.html\ntables/new.csv\noutcomes.duckdb\n")
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
	if got := read(filepath.Join(out, "tables", "mine.csv")); got != "my table" {
		t.Errorf("the researcher's own tables/mine.csv is %q", got)
	}
	if got := read(filepath.Join(out, ManifestFile)); got != "report.html\ntables/new.csv\noutcomes.duckdb\n" {
		t.Errorf("manifest %q", got)
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

// A commit writes only what it owns: a file of someone else where an
// output goes is refused before anything moves, files beside the outputs
// stay, and an output of the previous run that is not written again goes.
func TestCommitOwnsOnlyItsFiles(t *testing.T) {
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
	commit := func(files map[string]string) error {
		t.Helper()
		s, err := Begin(out, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Cleanup(io.Discard)
		var names []string
		for name, text := range files {
			write(s.Path(name), text)
			names = append(names, name)
		}
		return s.Commit(nil, names...)
	}
	// A researcher's own folder and a file named like an output.
	write(filepath.Join(out, "tables", "notes.txt"), "mine")
	write(filepath.Join(out, "export.pseudonymised.csv"), "a partner's export")
	err := commit(map[string]string{"export.pseudonymised.csv": "new", "tables/rates.csv": "rates"})
	if err == nil || !strings.Contains(err.Error(), "not written by outcomes") {
		t.Fatalf("commit over a foreign file: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "export.pseudonymised.csv")); string(data) != "a partner's export" {
		t.Errorf("the foreign file became %q", data)
	}
	if _, err := os.Stat(filepath.Join(out, "tables", "rates.csv")); err == nil {
		t.Error("a refused commit moved an output")
	}
	os.Remove(filepath.Join(out, "export.pseudonymised.csv"))
	if err := commit(map[string]string{"report.html": "r1", "tables/rates.csv": "rates", "tables/old.csv": "old"}); err != nil {
		t.Fatal(err)
	}
	if err := commit(map[string]string{"report.html": "r2", "tables/rates.csv": "rates2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "tables", "old.csv")); err == nil {
		t.Error("an output the second run did not write is still there")
	}
	for path, want := range map[string]string{"tables/notes.txt": "mine", "tables/rates.csv": "rates2", "report.html": "r2"} {
		if data, err := os.ReadFile(filepath.Join(out, path)); err != nil || string(data) != want {
			t.Errorf("%s = %q, %v; want %q", path, data, err, want)
		}
	}
}

// TestCommitKeepsModes: a private staged folder and its private files stay
// private in the output folder (the Parquet export), whatever the moves
// create folders with.
func TestCommitKeepsModes(t *testing.T) {
	out := t.TempDir()
	s, err := Begin(out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Cleanup(io.Discard)
	part := s.Path(filepath.Join("parquet", "data", "cohort=2021"))
	if err := os.MkdirAll(part, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"parquet", "parquet/data", "parquet/data/cohort=2021"} {
		os.Chmod(s.Path(d), 0o700)
	}
	if err := os.WriteFile(filepath.Join(part, "data_0.parquet"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.Path("report.html"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(nil, "report.html", "parquet"); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{
		"parquet": 0o700, "parquet/data": 0o700, "parquet/data/cohort=2021": 0o700,
		"parquet/data/cohort=2021/data_0.parquet": 0o600, "report.html": 0o644,
	} {
		fi, err := os.Stat(filepath.Join(out, path))
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", path, fi.Mode().Perm(), err, want)
		}
	}
}
