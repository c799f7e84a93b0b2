package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/outcomes-research/outcomes/study"
)

// Re-runs and repeated exports.
//
// A run on an output folder that already holds an outcomes database carries
// that database's run and source_file rows over into the new one
// (store.ImportHistory), and takes the next run id: the provenance then
// shows, run by run, which file versions (SHA-256) were read, so a
// corrected export is visible as a new hash of the same file in a later
// run. The data tables hold the newest run's rows only.
//
// Within one run, an export whose content and kind equal those of an
// earlier export of the study (the same file listed twice, or one file
// under two names) is not read again: it is recorded in source_file with
// duplicate_of naming the loaded file and zero row counts, so no row is
// loaded twice.

// fileRef names one export of the study by position.
type fileRef struct{ partner, file int }

// duplicate is an export whose content equals the earlier export of.
type duplicate struct {
	of     fileRef
	sha256 string
	bytes  int64
}

// findDuplicates returns the exports whose kind and content equal those of
// an earlier export in study order. Only files of equal size are hashed.
// Files that cannot be read are left to the load, which reports them.
func findDuplicates(st *study.Study) map[fileRef]duplicate {
	type key struct {
		kind string
		size int64
	}
	bySize := map[key][]fileRef{}
	var order []key
	for pi, p := range st.Partners {
		for fi, f := range p.Files {
			fs, err := os.Stat(f.Path)
			if err != nil || !fs.Mode().IsRegular() {
				continue
			}
			k := key{f.Kind, fs.Size()}
			if bySize[k] == nil {
				order = append(order, k)
			}
			bySize[k] = append(bySize[k], fileRef{pi, fi})
		}
	}
	dups := map[fileRef]duplicate{}
	for _, k := range order {
		refs := bySize[k]
		if len(refs) < 2 {
			continue
		}
		first := map[string]fileRef{}
		for _, r := range refs {
			sum, err := hashFile(st.Partners[r.partner].Files[r.file].Path)
			if err != nil {
				continue
			}
			if of, ok := first[sum]; ok {
				dups[r] = duplicate{of: of, sha256: sum, bytes: k.size}
			} else {
				first[sum] = r
			}
		}
	}
	return dups
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// duplicateNote says, for stderr, that export r is not read again.
func duplicateNote(st *study.Study, r fileRef, d duplicate) string {
	if st.Partners[r.partner].Files[r.file].Path == st.Partners[d.of.partner].Files[d.of.file].Path {
		return fmt.Sprintf("note: %s is listed more than once in the study file: its rows are loaded once; source_file records each listing", describe(st, r))
	}
	return fmt.Sprintf("note: %s has the same content as %s (SHA-256): its rows are loaded once; source_file records both", describe(st, r), describe(st, d.of))
}

// describe names an export for messages: partner / file as in the study.
func describe(st *study.Study, r fileRef) string {
	p := st.Partners[r.partner]
	return fmt.Sprintf("%s / %s", p.Name, p.Files[r.file].Name)
}

// fileExists says whether path names an existing file.
func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}
