package reports

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/outcomes-research/outcomes/analyses"
)

// TestReviewFilesPerPartner: each partner's file holds only its own halves
// of the pairs, a hostile partner name cannot leave the review folder, and
// two names that reduce alike get two files.
func TestReviewFilesPerPartner(t *testing.T) {
	dir := t.TempDir()
	l := &analyses.Linkage{ReviewPairs: []analyses.ReviewPair{
		{Partner: "../Opvang Stad", PairID: "aa", File: "stad.csv", Line: 4, OtherPartner: "Regio", Weight: 1, Pattern: "surname=dice>=0.90"},
		{Partner: "../Opvang Stad", PairID: "bb", File: "stad.csv", Line: 9, OtherPartner: "Regio", Weight: 0, Pattern: "sex=agree"},
		{Partner: "Opvang-Stad", PairID: "cc", File: "x.csv", Line: 2, OtherPartner: "Regio", Weight: -1, Pattern: "sex=agree"},
		{Partner: "Regio", PairID: "aa", File: "regio.txt", Line: 7, OtherPartner: "../Opvang Stad", Weight: 1, Pattern: "surname=dice>=0.90"},
	}}
	names, err := writeReview(dir, l)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"review/opvang_stad.csv", "review/opvang_stad_2.csv", "review/regio.csv"}
	if !slices.Equal(names, want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	read := func(name string) [][]string {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	stad := read(want[0])
	if len(stad) != 3 || stad[1][0] != "aa" || stad[1][1] != "stad.csv" || stad[1][2] != "4" || stad[1][4] != "0.667" || stad[2][2] != "9" {
		t.Errorf("opvang_stad.csv: %v", stad)
	}
	regio := read(want[2])
	if len(regio) != 2 || regio[1][1] != "regio.txt" || regio[1][2] != "7" {
		t.Errorf("regio.csv: %v", regio)
	}
	for _, row := range regio {
		if slices.Contains(row, "stad.csv") {
			t.Errorf("Regio's file names the other partner's file: %v", row)
		}
	}
	if names, err := writeReview(t.TempDir(), &analyses.Linkage{}); err != nil || names != nil {
		t.Errorf("no pairs: files %v, %v", names, err)
	}
}
