package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/outcomes-research/outcomes/ingest/synth"
	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/store"
)

// TestKill builds the binary, makes a good run, then kills runs on the same
// output folder with SIGKILL at several stages and checks that the good
// run's outputs are byte-identical and its database opens with the same
// counts, and that the next run succeeds and removes what the killed runs
// left. Stages are reached with the OUTCOMES_TEST_PAUSE_AT hook
// (staging.go), and a few kills come at fixed delays without the hook.
func TestKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it several times")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "outcomes")
	build := exec.Command("go", "build", "-tags", "duckdb_arrow", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	studyDir := filepath.Join(tmp, "study")
	if _, err := synth.Write(studyDir, synth.Config{Seed: 3, Scale: 1}); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(tmp, "study.key")
	if err := os.WriteFile(key, []byte(caseKeyText+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "out")
	// --force: every run after the first replaces the good run's outputs.
	args := []string{"run", "--study", filepath.Join(studyDir, "study.yaml"), "--out", out, "--key-file", key, "--force"}

	start := time.Now()
	if stderr, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("good run: %v\n%s", err, stderr)
	}
	goodRun := time.Since(start)
	good := snapshot(t, out)
	goodCounts := dbCounts(t, out)
	t.Logf("good run: %v, %d output files", goodRun, len(good))

	check := func(t *testing.T, what string) {
		t.Helper()
		if got := snapshot(t, out); !equalSnapshots(got, good) {
			t.Errorf("%s: the previous outputs changed:\n got %v\nwant %v", what, got, good)
		}
		if got := dbCounts(t, out); got != goodCounts {
			t.Errorf("%s: database counts %v, want %v", what, got, goodCounts)
		}
	}

	killAt := func(stage string) {
		t.Run("at "+stage, func(t *testing.T) {
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), pauseEnvVar+"="+stage)
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			reached := make(chan bool, 1)
			go func() {
				sc := bufio.NewScanner(stderr)
				for sc.Scan() {
					if sc.Text() == pauseMessage+stage {
						reached <- true
						io.Copy(io.Discard, stderr)
						return
					}
				}
				reached <- false
			}()
			select {
			case ok := <-reached:
				if !ok {
					cmd.Wait()
					t.Fatalf("the run ended without reaching stage %s", stage)
				}
			case <-time.After(3 * time.Minute):
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("stage %s not reached within 3 minutes", stage)
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			assertKilled(t, cmd.Wait())
			if n := len(stagingFolders(t, out)); n != 1 {
				t.Errorf("%d staging folders after the kill, want the killed run's one", n)
			}
			check(t, "after a kill at "+stage)
		})
	}
	for _, stage := range []string{pauseRead, pauseLoad, pauseReport} {
		killAt(stage)
	}

	// An interrupt (Ctrl-C) is not a kill: the run stops at the next
	// check, exits 130, and removes its own staging folder.
	for _, stage := range []string{pauseLoad, pauseReport} {
		t.Run("interrupt at "+stage, func(t *testing.T) {
			before := len(stagingFolders(t, out))
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), pauseEnvVar+"="+stage)
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var rest strings.Builder
			sc := bufio.NewScanner(stderr)
			reached := false
			for sc.Scan() {
				if sc.Text() == pauseMessage+stage && !reached {
					reached = true
					if err := cmd.Process.Signal(os.Interrupt); err != nil {
						t.Fatal(err)
					}
					continue
				}
				rest.WriteString(sc.Text() + "\n")
			}
			err = cmd.Wait()
			if !reached {
				t.Fatalf("stage %s not reached: %v\n%s", stage, err, rest.String())
			}
			if code := cmd.ProcessState.ExitCode(); code != exitCanceled {
				t.Errorf("exit %d after an interrupt, want %d:\n%s", code, exitCanceled, rest.String())
			}
			if !strings.Contains(rest.String(), "interrupted; previous outputs are unchanged") {
				t.Errorf("no interruption message:\n%s", rest.String())
			}
			AssertNoPanic(t, rest.String())
			// The earlier killed run's folder was removed by this run, and
			// this run removed its own.
			if n := len(stagingFolders(t, out)); n != 0 {
				t.Errorf("%d staging folders after an interrupted run (%d before it)", n, before)
			}
			check(t, "after an interrupt at "+stage)
		})
	}

	for _, delay := range []time.Duration{goodRun / 10, goodRun / 3, goodRun * 2 / 3} {
		t.Run("after "+delay.Round(time.Millisecond).String(), func(t *testing.T) {
			if hasCommitMarker(t, out) {
				t.Skip("an earlier run was killed during its commit; this run would complete it")
			}
			cmd := exec.Command(bin, args...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay)
			cmd.Process.Signal(syscall.SIGKILL)
			if err := cmd.Wait(); err == nil {
				// The run finished first: its outputs are a complete new set.
				good, goodCounts = snapshot(t, out), dbCounts(t, out)
				t.Logf("the run finished within %v", delay)
				return
			}
			// Killed inside the commit, the next run completes the move,
			// and the outputs are the killed run's; otherwise the previous.
			if marker := hasCommitMarker(t, out); marker {
				t.Log("killed during the commit")
				return
			}
			check(t, "after a kill at "+delay.String())
		})
	}

	// Last, as the next run completes a commit that was cut off.
	killAt(pauseCommit)

	t.Run("next run succeeds and removes the leftovers", func(t *testing.T) {
		leftovers := len(stagingFolders(t, out))
		var stderr bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("next run: %v\n%s", err, stderr.String())
		}
		if n := len(stagingFolders(t, out)); n != 0 {
			t.Errorf("%d staging folders left after a good run", n)
		}
		if leftovers > 0 && !strings.Contains(stderr.String(), "interrupted run") {
			t.Errorf("the run removed %d leftover folders without saying so:\n%s", leftovers, stderr.String())
		}
		db, err := store.Open(context.Background(), filepath.Join(out, databaseFile), true)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		AssertAccounting(t, db)
		if got := dbCounts(t, out); got.persons != goodCounts.persons || got.rows != goodCounts.rows {
			t.Errorf("next run: %v, want the same data as the good run %v", got, goodCounts)
		}
	})
}

// assertKilled fails unless err says the process died of SIGKILL.
func assertKilled(t *testing.T, err error) {
	t.Helper()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("the run was not killed: %v", err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the run ended with %v, not by SIGKILL", err)
	}
}

// snapshot maps every result file in out (staging folders and the lock
// file excluded) to its SHA-256.
func snapshot(t *testing.T, out string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		if d.IsDir() && strings.HasPrefix(d.Name(), outdir.StagingPrefix) {
			return filepath.SkipDir
		}
		if d.IsDir() || rel == outdir.LockFile {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		files[rel] = hex.EncodeToString(sum[:8])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files[databaseFile] == "" || files[reportFile] == "" {
		t.Fatalf("no database or report in %s", out)
	}
	return files
}

func equalSnapshots(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

type counts struct {
	runs, files, persons, rows int
}

// dbCounts opens the database in out read-only and counts its contents.
func dbCounts(t *testing.T, out string) counts {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(out, databaseFile), true)
	if err != nil {
		t.Fatalf("the database does not open: %v", err)
	}
	defer db.Close()
	return counts{
		runs:    queryInt(t, db, `SELECT count(*) FROM run WHERE finished IS NOT NULL`),
		files:   queryInt(t, db, `SELECT count(*) FROM source_file`),
		persons: queryInt(t, db, `SELECT count(*) FROM person`),
		rows:    queryInt(t, db, `SELECT (SELECT count(*) FROM trajectory) + (SELECT count(*) FROM event)`),
	}
}

func stagingFolders(t *testing.T, out string) []string {
	t.Helper()
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), outdir.StagingPrefix) {
			dirs = append(dirs, e.Name())
		}
	}
	return dirs
}

func hasCommitMarker(t *testing.T, out string) bool {
	for _, d := range stagingFolders(t, out) {
		if _, err := os.Stat(filepath.Join(out, d, outdir.CommitMarker)); err == nil {
			return true
		}
	}
	return false
}

// TestDiskFull runs the binary on a small private tmpfs (a mount namespace
// of its own, so nothing outside the test sees it): a good run, then a run
// on a disk filled up, which must exit 6 saying the disk is full, and leave
// the previous outputs byte-identical and no staging folder. Skipped where
// `unshare -m` and tmpfs mounts are not allowed (not root, no unshare).
func TestDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := exec.LookPath("unshare"); err != nil || os.Geteuid() != 0 {
		t.Skip("needs root and unshare for a private tmpfs")
	}
	tmp := t.TempDir()
	mnt := filepath.Join(tmp, "mnt")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs "+mnt).CombinedOutput(); err != nil {
		t.Skipf("no private tmpfs here: %v %s", err, out)
	}
	bin := filepath.Join(tmp, "outcomes")
	if out, err := exec.Command("go", "build", "-tags", "duckdb_arrow", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// One shell in one namespace: mount, good run, hashes, fill the disk,
	// second run, hashes. The demo's outputs take about 10 MB.
	script := `set -u
mount -t tmpfs -o size=40m tmpfs "$MNT" || exit 90
"$BIN" demo --out "$MNT/out" >/dev/null 2>&1 || exit 91
(cd "$MNT/out" && find . -type f ! -name .outcomes.lock | sort | xargs sha256sum) > "$TMP/before"
avail=$(df -k --output=avail "$MNT" | tail -1)
dd if=/dev/zero of="$MNT/filler" bs=1k count=$((avail - 256)) 2>/dev/null
"$BIN" demo --out "$MNT/out" --force >/dev/null 2>"$TMP/stderr"
echo $? > "$TMP/code"
(cd "$MNT/out" && find . -type f ! -name .outcomes.lock | sort | xargs sha256sum) > "$TMP/after"
ls -a "$MNT/out" > "$TMP/entries"
exit 0`
	cmd := exec.Command("unshare", "-m", "sh", "-c", script)
	cmd.Env = append(os.Environ(), "MNT="+mnt, "BIN="+bin, "TMP="+tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("disk-full script: %v\n%s", err, out)
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(tmp, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	stderr := read("stderr")
	t.Logf("second run on a full disk:\n%s", stderr)
	if code := strings.TrimSpace(read("code")); code != "6" {
		t.Errorf("exit %s on a full disk, want 6:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "disk is full") || strings.Contains(stderr, "bug") {
		t.Errorf("message does not say the disk is full, or calls it a bug:\n%s", stderr)
	}
	AssertNoPanic(t, stderr)
	if before, after := read("before"), read("after"); before != after || !strings.Contains(before, databaseFile) {
		t.Errorf("outputs changed on a full disk:\nbefore\n%s\nafter\n%s", before, after)
	}
	if entries := read("entries"); strings.Contains(entries, outdir.StagingPrefix) {
		t.Errorf("staging folder left on a full disk:\n%s", entries)
	}
}
