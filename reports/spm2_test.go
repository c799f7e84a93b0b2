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

// TestFamilyCoverageTable checks the families' coverage chain: every step
// with its households, withheld counts marked, "–" where the return is not
// yet known; and the method paragraph with the grace period.
func TestFamilyCoverageTable(t *testing.T) {
	res := fixtureResults()
	res.Study.Outcomes.FamilyGraceDays = 30
	res.FamilyCoverage = []analyses.FamilyCoverage{
		{Programme: "FAM", Step: analyses.CoverageHouseholds, Households: 40, InProgrammeAny: 15, InProgramme: -1},
		{Programme: "FAM", Step: analyses.CoverageDetaineeSubject, Households: 30, InProgrammeAny: 12, InProgramme: 10},
		{Programme: "FAM", Step: analyses.CoverageFollowed, WindowMonths: 12, Households: 25, InProgrammeAny: 0, InProgramme: 0,
			Hidden: [3]bool{false, true, true}, Marks: [3]analyses.Mark{0, analyses.MarkSmall, analyses.MarkHidden}},
	}
	tt, _ := translations("en")
	v := buildView(res, tt)
	var got *table
	var intro []string
	for _, s := range v.Sections {
		if s.ID == "families" {
			intro = s.Intro
		}
		for _, b := range s.Blocks {
			if b.Table != nil && b.Table.ID == "family_coverage" {
				got = b.Table
			}
		}
	}
	if got == nil {
		t.Fatal("no family_coverage table")
	}
	want := [][]string{
		{"Gezinsondersteuning", "households in the export", "40", "15", "–"},
		{"Gezinsondersteuning", "detainee with a known return (recidivism measure)", "30", "12", "10"},
		{"Gezinsondersteuning", "followed for 12 months", "25", "<10", "×"},
	}
	if !slices.EqualFunc(got.Rows, want, slices.Equal[[]string]) {
		t.Errorf("rows\n%q\nwant\n%q", got.Rows, want)
	}
	if len(intro) != 2 || !strings.Contains(intro[1], "plus 30 days") {
		t.Errorf("families intro %q: want the grace period", intro)
	}
}
