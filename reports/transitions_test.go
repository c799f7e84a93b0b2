package reports

import (
	"slices"
	"testing"

	"github.com/outcomes-research/outcomes/analyses"
)

// TestTransitionsBlock: a domain whose transitions analyses publishes shows
// its 25 cells by intake score; a withheld one is a row of dashes with the
// note that says why.
func TestTransitionsBlock(t *testing.T) {
	b := builder{res: fixtureResults(), t: english(), lang: "en", minCell: 10}
	var tr [5][5]int
	tr[0][0], tr[0][1], tr[2][2], tr[4][3] = 12, 20, 0, 15
	bl, ok := b.transitionsBlock("AMB", []analyses.DomainChange{
		{Programme: "AMB", Domain: "housing", TransitionsPublished: true, Detail: analyses.DomainDetail{Transitions: tr}},
		{Programme: "AMB", Domain: "justice"},
	})
	if !ok {
		t.Fatal("no block")
	}
	want := [][]string{
		{"Housing", "1", "12", "20", "0", "0", "0"},
		{"Housing", "2", "0", "0", "0", "0", "0"},
		{"Housing", "3", "0", "0", "0", "0", "0"},
		{"Housing", "4", "0", "0", "0", "0", "0"},
		{"Housing", "5", "0", "0", "0", "15", "0"},
		{"Justice", "–", "–", "–", "–", "–", "–"},
	}
	if !slices.EqualFunc(bl.Table.Rows, want, slices.Equal[[]string]) {
		t.Errorf("rows %q, want %q", bl.Table.Rows, want)
	}
	if len(bl.Notes) != 1 {
		t.Errorf("notes %q, want the withheld note", bl.Notes)
	}
}
