package flow

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/outcomes-research/outcomes/study"
)

// Repeated exports.
//
// Within one run, an export whose content and kind equal those of an
// earlier export of the study (the same file listed twice, or one file
// under two names) is not read again: the run records it in source_file
// with duplicate_of naming the loaded file and zero row counts, so no row
// is loaded twice.

// Ref names one export of a study by position: Partner indexes
// study.Partners, File that partner's Files.
type Ref struct{ Partner, File int }

// Duplicate is an export whose content equals that of the earlier export
// Of.
type Duplicate struct {
	Of     Ref
	SHA256 string
	Bytes  int64
}

// Duplicates returns the exports whose kind and content equal those of an
// earlier export in study order. Only files of equal size are hashed.
// Files that cannot be read are left to the load, which reports them.
func Duplicates(st *study.Study) map[Ref]Duplicate {
	type key struct {
		kind study.Kind
		size int64
	}
	bySize := map[key][]Ref{}
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
			bySize[k] = append(bySize[k], Ref{pi, fi})
		}
	}
	dups := map[Ref]Duplicate{}
	for _, k := range order {
		refs := bySize[k]
		if len(refs) < 2 {
			continue
		}
		first := map[string]Ref{}
		for _, r := range refs {
			sum, err := hashFile(st.Partners[r.Partner].Files[r.File].Path)
			if err != nil {
				continue
			}
			if of, ok := first[sum]; ok {
				dups[r] = Duplicate{Of: of, SHA256: sum, Bytes: k.size}
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

// Note says, for stderr, that export r of st is not read again.
func (d Duplicate) Note(st *study.Study, r Ref) string {
	if st.Partners[r.Partner].Files[r.File].Path == st.Partners[d.Of.Partner].Files[d.Of.File].Path {
		return fmt.Sprintf("note: %s is listed more than once in the study file: its rows are loaded once; source_file records each listing", describe(st, r))
	}
	return fmt.Sprintf("note: %s has the same content as %s (SHA-256): its rows are loaded once; source_file records both", describe(st, r), describe(st, d.Of))
}

// describe names an export for messages: partner / file as in the study.
func describe(st *study.Study, r Ref) string {
	p := st.Partners[r.Partner]
	return fmt.Sprintf("%s / %s", p.Name, p.Files[r.File].Name)
}
