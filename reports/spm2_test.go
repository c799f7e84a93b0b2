package reports

import (
	"slices"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/analyses"
)

// TestSPM2Table checks the researchers' SPM2 table: a published row with
// its share, a row whose bins are withheld ("<10" for a small one, "×" for
// one hidden to protect it) and the system-wide row; and that the method
// text names HUD and the transfer days.
func TestSPM2Table(t *testing.T) {
	res := fixtureResults()
	res.SPM2 = []analyses.SPM2Row{
		{Programme: "OPV", Origin: analyses.SPM2OriginExit, N: 200, Returns: [3]int{20, 15, 10}, Total: 45},
		{Programme: "PREV", Origin: analyses.SPM2OriginExitBeforeStart, N: 60, Returns: [3]int{0, 0, 0}, Total: 15,
			Hidden: [5]bool{false, false, true, true, true}, Marks: [5]analyses.Mark{0, 0, analyses.MarkSmall, analyses.MarkHidden, analyses.MarkSmall}},
		{Origin: analyses.SPM2OriginSystem, N: 240, Returns: [3]int{24, 16, 12}, Total: 52},
	}
	tt, _ := translations("en")
	v := buildView(res, tt)
	var got *table
	var bl block
	for _, s := range v.Sections {
		for _, b := range s.Blocks {
			if b.Table != nil && b.Table.ID == "spm2_returns" {
				got, bl = b.Table, b
			}
		}
	}
	if got == nil {
		t.Fatal("no spm2_returns table")
	}
	want := [][]string{
		{"Opvang Stad", "exit from this programme to a home", "200", "20", "15", "10", "45", "22.5%"},
		{"Terugvalpreventie", "exit to a home before the start", "60", "<10", "×", "<10", "15", "25.0%"},
		{"System (each person once)", "first exit to a home", "240", "24", "16", "12", "52", "21.7%"},
	}
	if !slices.EqualFunc(got.Rows, want, slices.Equal[[]string]) {
		t.Errorf("rows\n%q\nwant\n%q", got.Rows, want)
	}
	if len(bl.Paragraphs) != 1 || !strings.Contains(bl.Paragraphs[0], "HUD's System Performance Measure 2") || !strings.Contains(bl.Paragraphs[0], "more than 14 days") {
		t.Errorf("method text %q: want HUD and the transfer days named", bl.Paragraphs)
	}
}
