package outdir

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// A run writes its outputs into a staging folder inside the output folder
// and moves them into place only when every stage succeeded:
//
//  1. Begin takes an exclusive lock on the output folder (LockFile, a
//     lock that the system drops when the process dies, even by SIGKILL),
//     so no two runs write the same folder. Holding the lock, it finishes
//     or removes what earlier runs left (see recoverStaging), then makes
//     .outcomes-incomplete-run-<random>.
//  2. The stages write their outputs into the staging folder.
//  3. Commit checks, before anything is moved, that every output may go
//     where it goes: no folder stands where a file goes (or the reverse),
//     no file there was written by anyone but outcomes (see the manifest
//     below), and every destination folder can be written. It fsyncs every
//     staged file and the staging folder, writes the new manifest and the
//     marker file CommitMarker (and fsyncs them): from here on the staged
//     set is complete and durable. It then renames the outputs into the
//     output folder file by file (inside a folder such as tables/ too), the
//     database last, removes the files of the previous manifest that this
//     run did not write again, puts the new manifest in place, fsyncs the
//     output folder and removes the marker; Cleanup removes the staging
//     folder and releases the lock.
//
// The manifest, ManifestFile in the output folder, lists every file the
// last committed run wrote there, one slash-separated path per line. It is
// what makes the folder's outputs the tool's own: a commit overwrites or
// removes only files the manifest lists, so a researcher's own notes or
// tables/ files beside the outputs are never touched, and an output whose
// name is taken by a file of someone else (a partner's export in a
// pseudonymise --out folder) is refused before anything moves. A folder
// without a manifest but with an outcomes.duckdb (written before
// manifests) has its outputs of the same names overwritten; nothing else
// in it is removed.
//
// A run that fails, is interrupted or is killed before step 3's marker
// leaves no result: a failed or interrupted run removes its staging folder,
// a killed one leaves it without a marker, and the next run removes it. A
// run killed (or failing) during the renames leaves its staging folder
// with the marker and part of its outputs in place: the next run into the
// folder first completes the renames (roll forward), so the outputs in the
// folder come from one run. Staging folders start with a dot and say what
// they are, so no temporary file is mistaken for a result.
//
// cmd/outcomes/kill_test.go checks this with SIGKILL at each stage.
const (
	// StagingPrefix starts the name of every staging folder.
	StagingPrefix = ".outcomes-incomplete-run-"
	// CommitMarker, inside a staging folder, marks its outputs complete.
	CommitMarker = "COMMITTING"
	// LockFile in the output folder holds the lock of the run writing it.
	LockFile = ".outcomes.lock"
	// ManifestFile in the output folder lists the files the last run
	// wrote; stagedManifest is its next version inside a staging folder.
	ManifestFile   = ".outcomes-manifest"
	stagedManifest = "MANIFEST"
	// legacyMarker is the file whose presence marks a folder written by an
	// outcomes run from before manifests.
	legacyMarker = "outcomes.duckdb"
)

// Error is a failure to write the output folder: not writable, locked by
// another run, a folder in the way, a failed flush or rename. The command
// line maps it to its exit code for output problems.
type Error struct{ Err error }

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// DiskFull says whether err comes from a full disk or an exhausted quota,
// from Go's file writes (ENOSPC, EDQUOT) or from DuckDB, whose errors are
// text. Whatever stage it stopped, it is an output problem.
func DiskFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "No space left on device") || strings.Contains(msg, "Disk quota exceeded") ||
		strings.Contains(msg, "There is not enough space on the disk")
}

// Fail marks err as a failure to write the outputs (nil stays nil), for
// the stages that write into a staging folder.
func Fail(err error) error {
	if err == nil {
		return nil
	}
	return &Error{Err: err}
}

// Staging is one run's staging folder inside a locked output folder.
type Staging struct {
	outDir, dir string
	lock        *os.File
}

// Begin locks outDir, recovers what earlier runs left and makes a new
// staging folder. Messages about recovered folders go to warn. Errors are
// *Error.
func Begin(outDir string, warn io.Writer) (*Staging, error) {
	s, err := begin(outDir, warn)
	return s, Fail(err)
}

func begin(outDir string, warn io.Writer) (*Staging, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating output folder: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(outDir, LockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("output folder %s is not writable: %w", outDir, err)
	}
	if busy, err := lockExclusive(lock); err != nil || busy {
		lock.Close()
		if busy {
			return nil, fmt.Errorf("output folder %s: another outcomes run is writing to it; wait for it to finish or choose another --out", outDir)
		}
		return nil, fmt.Errorf("locking output folder %s: %w", outDir, err)
	}
	s := &Staging{outDir: outDir, lock: lock}
	if err := recoverStaging(outDir, warn); err != nil {
		s.unlock()
		return nil, err
	}
	dir, err := os.MkdirTemp(outDir, StagingPrefix)
	if err != nil {
		s.unlock()
		return nil, fmt.Errorf("output folder %s is not writable: %w", outDir, err)
	}
	s.dir = dir
	return s, nil
}

// recoverStaging handles the staging folders of earlier runs in outDir; the
// caller holds the lock, so none of them belongs to a live run. A folder
// with the commit marker holds a complete set whose renames were cut off:
// they are completed. Any other folder is an incomplete run: removed.
func recoverStaging(outDir string, warn io.Writer) error {
	entries, err := os.ReadDir(outDir)
	if err != nil {
		return fmt.Errorf("reading output folder %s: %w", outDir, err)
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), StagingPrefix) {
			continue
		}
		dir := filepath.Join(outDir, e.Name())
		if _, err := os.Stat(filepath.Join(dir, CommitMarker)); err == nil {
			fmt.Fprintf(warn, "outcomes: completing the outputs of an interrupted run found in %s\n", dir)
			if err := finishCommit(outDir, dir); err != nil {
				return fmt.Errorf("completing an interrupted run in %s: %w", dir, err)
			}
		} else {
			fmt.Fprintf(warn, "outcomes: removing %s, left by an interrupted run (its outputs were never used)\n", dir)
		}
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("removing %s, left by an interrupted run: %w", dir, err)
		}
	}
	return nil
}

// Path is the path of output name inside the staging folder.
func (s *Staging) Path(name string) string { return filepath.Join(s.dir, name) }

// Dir is the staging folder.
func (s *Staging) Dir() string { return s.dir }

// Commit moves the named outputs into the output folder, replacing the
// previous run's outputs of those names. A name may be a path inside the
// staging folder (tables/rates.csv): its top-level folder (tables) is then
// moved file by file; files of the previous run that this one did not
// write are removed (they are in the manifest), any other file stays. Give the database last: it is moved last,
// so a database in the output folder is never older than the report beside
// it. beforeMove, when set, is called once the staged set is complete and
// durable, before anything is moved (the kill test pauses there). Errors
// are *Error.
func (s *Staging) Commit(beforeMove func(), names ...string) error {
	return Fail(s.commit(beforeMove, names...))
}

func (s *Staging) commit(beforeMove func(), names ...string) error {
	var entries []string
	for _, n := range names {
		top := strings.Split(filepath.ToSlash(filepath.Clean(n)), "/")[0]
		if top == "" || top == "." || top == ".." || strings.HasPrefix(top, ".") || strings.HasPrefix(top, trashPrefix) || top == stagedManifest {
			return fmt.Errorf("bug: output name %q", n)
		}
		if !slices.Contains(entries, top) {
			entries = append(entries, top)
		}
	}
	files, err := stagedFiles(s.dir, entries)
	if err != nil {
		return err
	}
	if err := s.checkDestinations(files); err != nil {
		return err
	}
	for _, e := range entries {
		if err := syncTree(s.Path(e)); err != nil {
			return fmt.Errorf("saving %s: %w", e, err)
		}
	}
	manifest := s.Path(stagedManifest)
	if err := os.WriteFile(manifest, []byte(strings.Join(files, "\n")+"\n"), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", manifest, err)
	}
	if err := syncPath(manifest); err != nil {
		return err
	}
	if err := syncPath(s.dir); err != nil {
		return fmt.Errorf("saving %s: %w", s.dir, err)
	}
	// The marker lists the outputs in move order; its presence means the
	// staged set is complete.
	marker := s.Path(CommitMarker)
	if err := os.WriteFile(marker, []byte(strings.Join(entries, "\n")+"\n"), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", marker, err)
	}
	if err := syncPath(marker); err != nil {
		return err
	}
	if err := syncPath(s.dir); err != nil {
		return err
	}
	if beforeMove != nil {
		beforeMove()
	}
	return finishCommit(s.outDir, s.dir)
}

// stagedFiles lists the files under the staged entries, as slash paths
// relative to the staging folder, entries in order.
func stagedFiles(dir string, entries []string) ([]string, error) {
	var files []string
	for _, e := range entries {
		if _, err := os.Lstat(filepath.Join(dir, e)); err != nil {
			return nil, fmt.Errorf("bug: staged output %s: %w", e, err)
		}
		err := filepath.WalkDir(filepath.Join(dir, e), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// readManifest reads the manifest of outDir: the set of files the last
// run wrote, or nil when there is none.
func readManifest(outDir string) (map[string]bool, error) {
	data, err := os.ReadFile(filepath.Join(outDir, ManifestFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", ManifestFile, err)
	}
	set := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && filepath.IsLocal(filepath.FromSlash(line)) {
			set[line] = true
		}
	}
	return set, nil
}

// checkDestinations refuses, before anything is moved, an output whose
// place is taken: by a folder where a file goes (or a file where a folder
// goes), or by a file outcomes did not write (not in the manifest). It
// makes the destination folders and checks that each can be written, so
// that the renames after the marker do not fail half way on permissions.
func (s *Staging) checkDestinations(files []string) error {
	owned, err := readManifest(s.outDir)
	if err != nil {
		return err
	}
	_, legacyErr := os.Stat(filepath.Join(s.outDir, legacyMarker))
	legacy := owned == nil && legacyErr == nil
	dirs := map[string]bool{}
	for _, f := range files {
		dst := filepath.Join(s.outDir, filepath.FromSlash(f))
		// Every folder on the way must be a folder.
		for d := filepath.Dir(f); d != "."; d = filepath.Dir(d) {
			p := filepath.Join(s.outDir, filepath.FromSlash(d))
			if fi, err := os.Lstat(p); err == nil && !fi.IsDir() {
				return fmt.Errorf("%s is in the way of the new %s: move it out of the output folder", p, f)
			}
		}
		if fi, err := os.Lstat(dst); err == nil {
			switch {
			case fi.IsDir():
				return fmt.Errorf("%s is in the way of the new %s: move it out of the output folder", dst, f)
			case !owned[f] && !legacy:
				return fmt.Errorf("%s was not written by outcomes (it is not in %s): outcomes never overwrites other files; move it, or choose another output folder", dst, ManifestFile)
			}
		}
		dirs[filepath.Dir(dst)] = true
	}
	for d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("output folder %s cannot be written: %w", d, err)
		}
		probe, err := os.CreateTemp(d, ".outcomes-probe-")
		if err != nil {
			return fmt.Errorf("output folder %s is not writable: %w", d, err)
		}
		probe.Close()
		os.Remove(probe.Name())
	}
	return nil
}

// trashPrefix names, inside a staging folder, a previous output folder
// moved aside by versions before the manifest; it goes with the staging
// folder.
const trashPrefix = "previous-"

// finishCommit moves the outputs listed in dir's commit marker into outDir
// file by file (those still in dir: a recovery may find some already
// moved), removes the files of outDir's previous manifest that the new one
// does not list, puts the new manifest in place, fsyncs outDir and removes
// the marker. Each step can be repeated, so a recovery after a crash
// anywhere in it ends in the same folder.
func finishCommit(outDir, dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, CommitMarker))
	if err != nil {
		return err
	}
	for _, n := range strings.Fields(string(data)) {
		if n != filepath.Base(n) || strings.HasPrefix(n, ".") || n == CommitMarker || n == stagedManifest || strings.HasPrefix(n, trashPrefix) {
			return fmt.Errorf("bug: output name %q in %s", n, CommitMarker)
		}
		src := filepath.Join(dir, n)
		fi, err := os.Lstat(src)
		if errors.Is(err, os.ErrNotExist) {
			continue // moved before an interruption
		}
		files, err := stagedFiles(dir, []string{n})
		if err != nil {
			return err
		}
		for _, f := range files {
			from, to := filepath.Join(dir, filepath.FromSlash(f)), filepath.Join(outDir, filepath.FromSlash(f))
			if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
				return fmt.Errorf("moving %s into %s: %w", f, outDir, err)
			}
			if err := os.Rename(from, to); err != nil {
				return fmt.Errorf("moving %s into %s: %w", f, outDir, err)
			}
		}
		if fi != nil && fi.IsDir() {
			if err := copyFolderModes(src, filepath.Join(outDir, n)); err != nil {
				return err
			}
		}
		if err := os.RemoveAll(src); err != nil {
			return err
		}
	}
	staged := filepath.Join(dir, stagedManifest)
	if next, err := os.ReadFile(staged); err == nil {
		keep := map[string]bool{}
		for _, f := range strings.Fields(string(next)) {
			keep[f] = true
		}
		old, err := readManifest(outDir)
		if err != nil {
			return err
		}
		for f := range old {
			if keep[f] {
				continue
			}
			p := filepath.Join(outDir, filepath.FromSlash(f))
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("removing %s, an output of the previous run: %w", p, err)
			}
			// Its folder goes too once empty (Remove fails on a folder
			// that holds anything else).
			for d := filepath.Dir(f); d != "."; d = filepath.Dir(d) {
				if os.Remove(filepath.Join(outDir, filepath.FromSlash(d))) != nil {
					break
				}
			}
		}
		if err := os.Rename(staged, filepath.Join(outDir, ManifestFile)); err != nil {
			return fmt.Errorf("writing %s: %w", ManifestFile, err)
		}
	}
	if err := syncPath(outDir); err != nil {
		return fmt.Errorf("saving %s: %w", outDir, err)
	}
	return os.Remove(filepath.Join(dir, CommitMarker))
}

// copyFolderModes gives each folder under dst the permissions of the
// staged folder it came from (a private parquet/ stays private); the
// moves made them with 0755.
func copyFolderModes(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if err := os.Chmod(filepath.Join(dst, rel), info.Mode().Perm()); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("setting the mode of %s: %w", filepath.Join(dst, rel), err)
		}
		return nil
	})
}

// syncTree flushes a file, or a folder and everything in it, to disk.
func syncTree(path string) error {
	return filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return syncPath(p)
	})
}

// syncPath flushes a file or folder to disk.
func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("flushing %s to disk: %w", path, err)
	}
	return nil
}

// Cleanup removes the staging folder and whatever is still in it, and
// releases the lock; a failure is only a warning, since the results are
// already in place or were never complete.
func (s *Staging) Cleanup(warn io.Writer) {
	defer s.unlock()
	if _, err := os.Stat(s.Path(CommitMarker)); err == nil {
		// The commit began but did not finish: keep the staged outputs, so
		// the next run completes the move (recoverStaging).
		fmt.Fprintf(warn, "warning: the outputs were only partly moved into %s; the next run into that folder completes the move\n", s.outDir)
		return
	}
	if err := os.RemoveAll(s.dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(warn, "warning: could not remove %s: %v\n", s.dir, err)
	}
}

func (s *Staging) unlock() {
	if s.lock != nil {
		s.lock.Close() // closing the descriptor drops the flock
		s.lock = nil
	}
}

// CheckFile checks, before a run, that the file a flag names (such
// as --timings) can be written: its folder exists and is writable, and the
// path is not a folder. A file that does not exist yet is created and
// removed again. Errors are *Error.
func CheckFile(flag, path string) error {
	if info, err := os.Stat(path); err == nil {
		if !info.Mode().IsRegular() {
			return Fail(fmt.Errorf("%s %s: not a regular file", flag, path))
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return Fail(fmt.Errorf("%s %s cannot be written: %w", flag, path, err))
		}
		return f.Close()
	} else if !errors.Is(err, os.ErrNotExist) {
		return Fail(fmt.Errorf("%s %s cannot be written: %w", flag, path, err))
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return Fail(fmt.Errorf("%s %s cannot be written (folder %s): %w", flag, path, filepath.Dir(path), err))
	}
	f.Close()
	return os.Remove(path)
}
