package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNothingOverwrittenWithoutForce: every command that writes a file the
// user names refuses to replace what is there without --force, with a
// message that names the target and --force, and leaves it unchanged.
// synth is TestSynthRefusesToOverwrite. run and demo replace an earlier
// run's outputs in --out (outdir's manifest) only with --force, and then
// keep the runs' history in the database; a file outcomes did not write
// they never replace (TestCases/hostile_out_foreign_report).
func TestNothingOverwrittenWithoutForce(t *testing.T) {
	t.Run("run and demo replace an earlier run's outputs only with --force", func(t *testing.T) {
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
		args := []string{"run", "--study", filepath.Join(in, "study.yaml"), "--out", out, "--key-file", key}
		if code, _, stderr := runCLI(t, nil, args...); code != exitOK {
			t.Fatalf("first run: exit %d: %s", code, stderr)
		}
		before := snapshot(t, out)
		for _, again := range [][]string{args, {"demo", "--out", out}} {
			code, _, stderr := runCLI(t, nil, again...)
			for _, want := range []string{"--out " + out + " already holds the outputs of an earlier run (", databaseFile, reportFile, "pass --force to replace them"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("%s again without --force: stderr %q lacks %q", again[0], stderr, want)
				}
			}
			if code != exitOutput {
				t.Errorf("%s again without --force: exit %d, want %d", again[0], code, exitOutput)
			}
			if after := snapshot(t, out); !equalSnapshots(after, before) {
				t.Errorf("%s without --force changed the outputs:\n got %v\nwant %v", again[0], after, before)
			}
		}
		if code, _, stderr := runCLI(t, nil, append(args, "--force")...); code != exitOK {
			t.Fatalf("run --force: exit %d: %s", code, stderr)
		}
		db := openDB(t, out)
		if got := queryInt(t, db, `SELECT count(*) FROM run`); got != 2 {
			t.Errorf("after run --force the database records %d runs, want 2 (the history is kept)", got)
		}
	})
	t.Run("keygen never overwrites a key", func(t *testing.T) {
		keyFile := filepath.Join(t.TempDir(), "study.key")
		if code, _, stderr := runCLI(t, nil, "keygen", "--out", keyFile); code != exitOK {
			t.Fatalf("keygen: exit %d: %s", code, stderr)
		}
		before, _ := os.ReadFile(keyFile)
		code, _, stderr := runCLI(t, nil, "keygen", "--out", keyFile)
		if code != exitKey || !strings.Contains(stderr, keyFile+" already exists; refusing to overwrite it") {
			t.Errorf("second keygen: exit %d, stderr %q; want %d and a refusal naming the file", code, stderr, exitKey)
		}
		if after, _ := os.ReadFile(keyFile); string(after) != string(before) {
			t.Error("the key file changed")
		}
	})
	t.Run("pseudonymise replaces its earlier exports only with --force", func(t *testing.T) {
		key := newKeyFile(t)
		studyFile := writeLinkStudy(t, t.TempDir(), linkStudyHead+linkStudyJustitie, linkExports())
		out := filepath.Join(t.TempDir(), "to-researcher")
		args := []string{"pseudonymise", "--study", studyFile, "--partner", "Justitie", "--out", out, "--key-file", key}
		if code, _, stderr := runCLI(t, nil, args...); code != exitOK {
			t.Fatalf("pseudonymise: exit %d: %s", code, stderr)
		}
		export := filepath.Join(out, "justitie.pseudonymised.csv")
		if err := os.WriteFile(export, []byte("marker\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCLI(t, nil, args...)
		if code != exitOutput || !strings.Contains(stderr, "--out "+out+" already holds the outputs of an earlier run") || !strings.Contains(stderr, "pass --force") {
			t.Errorf("second pseudonymise: exit %d, stderr %q; want %d, the folder and --force", code, stderr, exitOutput)
		}
		if data, _ := os.ReadFile(export); string(data) != "marker\n" {
			t.Error("the earlier export was replaced without --force")
		}
		if code, _, stderr := runCLI(t, nil, append(args, "--force")...); code != exitOK {
			t.Fatalf("pseudonymise --force: exit %d: %s", code, stderr)
		}
		if data, _ := os.ReadFile(export); string(data) == "marker\n" {
			t.Error("--force did not replace the earlier export")
		}
	})
}
