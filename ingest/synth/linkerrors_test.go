package synth

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/outcomes-research/outcomes/study"
)

func readCSV(t *testing.T, path string, comma rune) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = comma
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestLinkageErrors: with LinkageErrors the exports hold the same world
// with garbled identity columns (some, not most, of the persons), the
// study file maps the given names and links probabilistically, and the
// truth file lies beside the folder and names every trajectory row's
// person consistently with the BSNs.
func TestLinkageErrors(t *testing.T) {
	base := t.TempDir()
	clean, garbled := filepath.Join(base, "clean"), filepath.Join(base, "garbled")
	if _, err := Write(clean, Config{Seed: 3, Scale: 0.3}); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(garbled, Config{Seed: 3, Scale: 0.3, LinkageErrors: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(LinkageTruthPath(clean)); err == nil {
		t.Error("a study without errors has a linkage truth file")
	}
	st, err := study.Load(filepath.Join(garbled, "study.yaml"))
	if err != nil {
		t.Fatalf("the study file of a study with errors: %v", err)
	}
	if st.Linkage.Probabilistic == nil || !st.Linkage.Probabilistic.EncodeAll {
		t.Error("probabilistic linkage (encode_all) is not on")
	}
	// Opvang Stad: columns 0 (bsn) and 4 onwards are the world's; 1-3 the
	// identity.
	a, b := readCSV(t, filepath.Join(clean, filePaths[fileStad]), ','), readCSV(t, filepath.Join(garbled, filePaths[fileStad]), ',')
	if len(a) != len(b) {
		t.Fatalf("%d rows with errors, %d without", len(b), len(a))
	}
	changed := 0
	for i := range a {
		for c := range a[i] {
			if c == 0 && b[i][c] == "" {
				continue // a shelter registration without the BSN
			}
			if c >= 1 && c <= 3 {
				if a[i][c] != b[i][c] {
					changed++
					break
				}
			} else if a[i][c] != b[i][c] {
				t.Fatalf("row %d column %d differs: errors changed the world", i+1, c+1)
			}
		}
	}
	// Three in ten long-tailed surnames come from the demo's list, so a
	// few rows keep their demo identity by chance.
	if share := float64(changed) / float64(len(a)-1); share < 0.9 {
		t.Errorf("%.2f of the rows have another identity than the demo's, want at least 0.9 (long-tailed names with errors)", share)
	}
	truth := readCSV(t, LinkageTruthPath(garbled), ',')
	if got := truth[0]; len(got) != 3 || got[0] != "file" || got[1] != "line" || got[2] != "person" {
		t.Fatalf("truth header %v", got)
	}
	rows := map[string][][]string{}
	for _, f := range []int{fileNazorg, fileStad, fileRegio, fileRG, fileFAMTraj} {
		comma := map[int]rune{fileNazorg: ';', fileRegio: '\t'}[f]
		if comma == 0 {
			comma = ','
		}
		if f == fileNazorg {
			continue // Windows-1252; its BSNs are ASCII but the reader wants UTF-8
		}
		rows[filePaths[f]] = readCSV(t, filepath.Join(garbled, filePaths[f]), comma)
	}
	personOfBSN, bsnOfPerson := map[string]string{}, map[string]string{}
	n := 0
	for _, tr := range truth[1:] {
		data, ok := rows[tr[0]]
		if !ok {
			continue
		}
		line, _ := strconv.Atoi(tr[1])
		if line < 2 || line > len(data) {
			t.Fatalf("truth row %v: no such line", tr)
		}
		if tr[0] == filePaths[fileRG] {
			continue // no BSN column
		}
		bsn := data[line-1][0]
		if bsn == "" {
			continue
		}
		n++
		if p, ok := personOfBSN[bsn]; ok && p != tr[2] {
			t.Fatalf("BSN of person %s is also person %s's", p, tr[2])
		}
		if x, ok := bsnOfPerson[tr[2]]; ok && x != bsn {
			t.Fatalf("person %s has two BSNs", tr[2])
		}
		personOfBSN[bsn], bsnOfPerson[tr[2]] = tr[2], bsn
	}
	if n < 100 {
		t.Errorf("only %d truth rows checked against BSNs", n)
	}
}
