package outdir

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckOverwrite: a folder holding an earlier run's outputs is refused
// without force, with a message naming the folder, the flag and --force;
// a new folder, one with only others' files, and force pass.
func TestCheckOverwrite(t *testing.T) {
	dir := t.TempDir()
	if err := CheckOverwrite("--out", filepath.Join(dir, "new"), false); err != nil {
		t.Fatalf("a folder that does not exist: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckOverwrite("--out", dir, false); err != nil {
		t.Fatalf("a folder with only a file of the user's: %v", err)
	}
	s, err := Begin(dir, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.Path("export.csv"), []byte("a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(nil, "export.csv"); err != nil {
		t.Fatal(err)
	}
	s.Cleanup(io.Discard)

	err = CheckOverwrite("--out", dir, false)
	var oe *Error
	if !errors.As(err, &oe) {
		t.Fatalf("an earlier run's outputs without --force: %v, want an *Error", err)
	}
	for _, want := range []string{"--out " + dir, "already holds the outputs of an earlier run (export.csv, listed in " + ManifestFile, "--force"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if got := listNames(map[string]bool{"e": true, "b/1": true, "b/2/3": true, "a": true, "d": true, "c": true, "f": true}, 4); got != "a, b/, c, d and 2 more" {
		t.Errorf("listNames of six entries: %q", got)
	}
	if _, err := BeginReplacing("--out", dir, io.Discard, false); err == nil {
		t.Error("BeginReplacing without force began")
	}
	s, err = BeginReplacing("--out", dir, io.Discard, true)
	if err != nil {
		t.Fatalf("with --force: %v", err)
	}
	s.Cleanup(io.Discard)
	if data, err := os.ReadFile(filepath.Join(dir, "export.csv")); err != nil || string(data) != "a\n" {
		t.Errorf("the earlier output changed: %q, %v", data, err)
	}
}
