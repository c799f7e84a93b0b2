package analyses

// The fixtures in testdata/contrasts and their reference values come from R
// (survival 3.5-3), computed from the rows themselves; regenerate from the
// repository root with
//
//	Rscript analyses/testdata/make_contrast_reference.R
//
// Tolerance: 1e-6 relative (iterative fits; as analyses/stats).

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/outcomes-research/outcomes/analyses/stats/rref"
	"github.com/outcomes-research/outcomes/study"
)

type refModel struct {
	N, Events               int
	HR, Lower, Upper, P, SE rref.Number
	NaiveSE                 rref.Number `json:"naive_se"`
	PHChiSq                 rref.Number `json:"ph_chisq"`
	PHP                     rref.Number `json:"ph_p"`
	PHGlobalChiSq           rref.Number `json:"ph_global_chisq"`
	PHGlobalP               rref.Number `json:"ph_global_p"`
}

func readContrastCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

func nearR(t *testing.T, what string, got float64, want rref.Number) {
	t.Helper()
	w := float64(want)
	if math.Abs(got-w) > 1e-6*math.Max(1, math.Abs(w)) {
		t.Errorf("%s = %.10g, R %.10g", what, got, w)
	}
}

func checkModel(t *testing.T, name string, m ContrastModel, want refModel, robust bool) {
	t.Helper()
	if m.Skipped != "" {
		t.Fatalf("%s skipped: %s", name, m.Skipped)
	}
	if m.N != want.N || m.Events != want.Events {
		t.Errorf("%s: n, events = %d, %d; R %d, %d", name, m.N, m.Events, want.N, want.Events)
	}
	if m.Robust != robust {
		t.Errorf("%s: robust = %v, want %v", name, m.Robust, robust)
	}
	nearR(t, name+" HR", m.HR.Value, want.HR)
	nearR(t, name+" lower", m.HR.Lower, want.Lower)
	nearR(t, name+" upper", m.HR.Upper, want.Upper)
	nearR(t, name+" p", m.P, want.P)
	nearR(t, name+" se", m.SE, want.SE)
	nearR(t, name+" naive se", m.NaiveSE, want.NaiveSE)
	nearR(t, name+" PH chisq", m.PH.ChiSq, want.PHChiSq)
	nearR(t, name+" PH p", m.PH.P, want.PHP)
	nearR(t, name+" PH global chisq", m.PHGlobal.ChiSq, want.PHGlobalChiSq)
	nearR(t, name+" PH global p", m.PHGlobal.P, want.PHGlobalP)
}

// TestContrastSubsetAgainstR is fixture (a) of issue 14: programme SUB is a
// subset of WIDE. The overlap is counted, the relation named, the stacked
// models use the person-clustered variance and the comparison of distinct
// persons (WIDE's subjects, SUB a time-varying exposure from its start) is
// a counting-process model, each equal to R.
func TestContrastSubsetAgainstR(t *testing.T) {
	b, err := os.ReadFile("testdata/contrasts/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Subset struct {
			NProgramme  int `json:"n_programme"`
			NReference  int `json:"n_reference"`
			Overlap     int
			Unadjusted  refModel
			Adjusted    refModel
			TimeVarying refModel
		}
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	db := testDB(t)
	var persons []person
	var trajs []traj
	seen := map[string]bool{}
	for _, r := range readContrastCSV(t, "testdata/contrasts/subset_trajectories.csv") {
		age, _ := strconv.Atoi(r[4])
		trajs = append(trajs, traj{person: r[0], programme: r[1], start: r[2], age: age})
		if !seen[r[0]] {
			seen[r[0]] = true
			persons = append(persons, person{r[0], r[3]})
		}
	}
	var events []ev
	for _, r := range readContrastCSV(t, "testdata/contrasts/subset_events.csv") {
		events = append(events, ev{r[0], study.EventShelterEntry, r[1]})
	}
	load(t, db, persons, trajs, events)
	st := testStudy(t, "2025-12-31", 5,
		study.Programme{Code: "WIDE", Outcome: study.OutcomeShelterInflow},
		study.Programme{Code: "SUB", Outcome: study.OutcomeShelterInflow})
	st.Contrasts = []study.Contrast{{Programme: "SUB", Reference: "WIDE", Outcome: study.OutcomeShelterInflow, Declared: true}}
	res := compute(t, db, st)
	if len(res.Contrasts) != 1 {
		t.Fatalf("%d contrasts, want 1", len(res.Contrasts))
	}
	c := res.Contrasts[0]
	want := ref.Subset
	if c.NProgramme != want.NProgramme || c.NReference != want.NReference || c.Overlap != want.Overlap {
		t.Errorf("n programme, reference, overlap = %d, %d, %d; want %d, %d, %d",
			c.NProgramme, c.NReference, c.Overlap, want.NProgramme, want.NReference, want.Overlap)
	}
	if c.Relation != RelationProgrammeInReference {
		t.Errorf("relation %s, want %s", c.Relation, RelationProgrammeInReference)
	}
	checkModel(t, "unadjusted", c.Unadjusted, want.Unadjusted, true)
	checkModel(t, "adjusted", c.Adjusted, want.Adjusted, true)
	// WIDE's subjects with SUB as a time-varying exposure from the SUB
	// start (no immortal time).
	d, tv := c.Disjoint, want.TimeVarying
	if d.Groups != "with_programme_from_start_vs_without" || d.Skipped != "" {
		t.Fatalf("disjoint model %q skipped %q", d.Groups, d.Skipped)
	}
	if d.N != tv.N || d.Events != tv.Events {
		t.Errorf("time-varying rows, events = %d, %d; R %d, %d", d.N, d.Events, tv.N, tv.Events)
	}
	nearR(t, "time-varying HR", d.HR.Value, tv.HR)
	nearR(t, "time-varying lower", d.HR.Lower, tv.Lower)
	nearR(t, "time-varying upper", d.HR.Upper, tv.Upper)
	nearR(t, "time-varying p", d.P, tv.P)
	nearR(t, "time-varying se", d.SE, tv.SE)
	// The rate comparison follows the contrast's direction and carries the
	// overlap of its cells.
	for _, cmp := range res.Comparisons {
		if cmp.A != "SUB" || cmp.B != "WIDE" {
			t.Errorf("comparison %s vs %s, want SUB vs WIDE", cmp.A, cmp.B)
		}
		if cmp.Relation != RelationProgrammeInReference && cmp.Relation != RelationOverlap {
			t.Errorf("comparison relation %s", cmp.Relation)
		}
	}
	got := queryStrings(t, db, `SELECT model, groups, overlap, relation, robust FROM contrast ORDER BY model`)
	wantRows := []string{"adjusted|stacked|70|programme_in_reference|true", "disjoint|with_programme_from_start_vs_without|70|programme_in_reference|false",
		"unadjusted|stacked|70|programme_in_reference|true"}
	if len(got) != len(wantRows) {
		t.Fatalf("contrast table %v, want %v", got, wantRows)
	}
	for i := range got {
		if got[i] != wantRows[i] {
			t.Errorf("contrast row %q, want %q", got[i], wantRows[i])
		}
	}
}
