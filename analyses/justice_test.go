package analyses

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/outcomes-research/outcomes/store/storetest"
	"github.com/outcomes-research/outcomes/study"
)

// justiceDir holds the fixture of TestJusticeFixtureAgainstR and its R
// reference (make_reference.R, which documents every case in it).
const justiceDir = "testdata/justice"

// justiceReference is reference.json.
type justiceReference struct {
	FollowEnd   string   `json:"follow_end"`
	Extraction  []string `json:"extraction"`
	Definitions []struct {
		Definition       string
		Cohort           int
		Partial          bool
		N, Events, Cases int
		CILower          *float64 `json:"ci_lower"`
		CIUpper          *float64 `json:"ci_upper"`
		Years            float64
		PerYear          *float64 `json:"per_year"`
		PerYearLower     *float64 `json:"per_year_lower"`
		PerYearUpper     *float64 `json:"per_year_upper"`
	} `json:"definitions"`
	Subjects []struct {
		Person, Ref string
		FirstEvent  *string `json:"first_event"`
		Ending      *string `json:"ending"`
		IndexType   *string `json:"index_type"`
	} `json:"subjects"`
	Incidence struct {
		Time         []float64 `json:"time"`
		AtRisk       []int     `json:"at_risk"`
		CIF          []float64 `json:"cif"`
		CIFCompeting []float64 `json:"cif_competing"`
	} `json:"incidence"`
	Registration struct{ N, Events int } `json:"registration_general"`
}

func readCSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(justiceDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// justiceStudy is the fixture's study: the settings make_reference.R
// states.
func justiceStudy(t *testing.T, countDate string) *study.Study {
	defs := map[string][]int{}
	for _, d := range study.RecidivismDefinitions() {
		defs[d.Name] = []int{12}
	}
	return &study.Study{
		Name: "justice fixture", Cutoff: date(t, "2025-12-31"), MinCell: 1,
		Outcomes: study.Outcomes{
			RecidivismWindows: []int{12}, RecidivismEvents: []string{study.EventOffence},
			ShelterReturnWindows: []int{12}, InflowWindows: []int{12},
			RegistrationLagMonths: 6, CountDate: countDate, NonCounting: study.DefaultNonCounting(),
			RecidivismDefinition: study.DefGeneral, Definitions: defs,
		},
		Programmes: []study.Programme{{Code: "AMB", Name: "AMB", Outcome: study.OutcomeRecidivism}},
		Partners: []study.Partner{
			{Name: "Justitie", Files: []study.File{{Name: "justitie.csv", Kind: study.KindEvents, ExtractionDate: date(t, "2026-03-31")}}},
			{Name: "Register", Files: []study.File{{Name: "register.csv", Kind: study.KindEvents}}},
			{Name: "Nazorg", Files: []study.File{{Name: "trajecten.csv", Kind: study.KindTrajectories}}},
		},
	}
}

// justiceDB loads the fixture's canonical rows.
func justiceDB(t *testing.T) *sql.DB {
	t.Helper()
	db := storetest.Open(t).DB()
	mustExec(t, db, `INSERT INTO run (run_id, started, tool_version, study_name, study_sha256, key_fingerprint, cutoff, parameters)
		VALUES (1, TIMESTAMP '2026-07-01 00:00:00', 'test', 't', 'sha', 'fp', DATE '2025-12-31', '{}')`)
	null := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	for _, x := range readCSV(t, "exports.csv") {
		mustExec(t, db, `INSERT INTO source_file (file_id, run_id, partner, file, kind, sha256, bytes, rows_read, rows_loaded, rows_quarantined,
			linked_bsn, linked_fallback, linked_supplier, linked_none) VALUES (?, 1, ?, ?, ?, 'sha', 0, 0, 0, 0, 0, 0, 0, 0)`,
			x["file_id"], x["partner"], x["file"], x["kind"])
	}
	persons := map[string]bool{}
	for i, r := range readCSV(t, "trajectories.csv") {
		persons[r["person"]] = true
		mustExec(t, db, `INSERT INTO trajectory (file_id, line, person_id, partner, programme, start_date, end_date, release_date, linkage)
			VALUES (3, ?, ?, 'Nazorg', ?, CAST(? AS DATE), CAST(? AS DATE), CAST(? AS DATE), 'bsn')`,
			i+2, r["person"], r["programme"], r["start"], null(r["end"]), null(r["release"]))
	}
	for _, r := range readCSV(t, "events.csv") {
		persons[r["person"]] = true
		mustExec(t, db, `INSERT INTO event (file_id, line, person_id, partner, event_type, event_date, registration_date, case_id,
			disposal, offence_type, seriousness, end_date, linkage)
			VALUES (?, ?, ?, 'J', ?, CAST(? AS DATE), CAST(? AS DATE), ?, ?, ?, ?, CAST(? AS DATE), 'bsn')`,
			r["file"], r["line"], r["person"], r["event_type"], r["date"], null(r["registration_date"]), null(r["case_id"]),
			null(r["disposal"]), null(r["offence_type"]), null(r["seriousness"]), null(r["end"]))
	}
	for p := range persons {
		mustExec(t, db, `INSERT INTO person (person_id, birth_year, sex, linkage) VALUES (?, 1990, 'm', 'bsn')`, p)
	}
	return db
}

func closeTo(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// TestJusticeFixtureAgainstR checks cases, definitions, monitor cohorts,
// frequency at liberty, the cut-off and extraction rules and the
// Aalen–Johansen cumulative incidence on the fixture in testdata/justice
// against the independent R computation in make_reference.R. Tolerances:
// counts exact; person-years 1e-12; Wilson bounds and cumulative incidence
// 1e-12 (closed forms); Poisson bounds 1e-9 (gamma quantiles).
func TestJusticeFixtureAgainstR(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(justiceDir, "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref justiceReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db := justiceDB(t)
	st := justiceStudy(t, study.CountOffenceDate)
	if err := buildSubjects(ctx, db, st); err != nil {
		t.Fatal(err)
	}

	t.Run("extraction", func(t *testing.T) {
		rows, err := db.Query(`SELECT strftime(extraction_date, '%Y-%m-%d'), rows_after_cutoff, ends_before_cutoff FROM export_extraction ORDER BY file_id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		wantAfter := []int{1, 0, 0}            // the offence of P9 after the cut-off: loaded, not counted
		wantEnds := []bool{false, true, false} // the register ends before the cut-off: a warning
		i := 0
		for ; rows.Next(); i++ {
			var d string
			var after int
			var ends bool
			if err := rows.Scan(&d, &after, &ends); err != nil {
				t.Fatal(err)
			}
			if d != ref.Extraction[i] || after != wantAfter[i] || ends != wantEnds[i] {
				t.Errorf("export %d: extraction %s, %d after the cut-off, ends before %v; want %s, %d, %v",
					i+1, d, after, ends, ref.Extraction[i], wantAfter[i], wantEnds[i])
			}
		}
		if i != len(ref.Extraction) {
			t.Errorf("%d exports, want %d", i, len(ref.Extraction))
		}
	})

	t.Run("subjects", func(t *testing.T) {
		got := map[string][5]string{}
		rows, err := db.Query(`SELECT person_id, strftime(ref_date, '%Y-%m-%d'), coalesce(strftime(first_event, '%Y-%m-%d'), ''),
			coalesce(strftime(ending_date, '%Y-%m-%d'), ''), coalesce(index_type, ''), strftime(censor_date, '%Y-%m-%d')
			FROM outcome_subject WHERE outcome = 'recidivism'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var p string
			var v [5]string
			if err := rows.Scan(&p, &v[0], &v[1], &v[2], &v[3], &v[4]); err != nil {
				t.Fatal(err)
			}
			got[p] = v
		}
		if len(got) != len(ref.Subjects) {
			t.Errorf("%d subjects, want %d (P12, released after the cut-off, is none)", len(got), len(ref.Subjects))
		}
		str := func(p *string) string {
			if p == nil {
				return ""
			}
			return *p
		}
		for _, s := range ref.Subjects {
			want := [5]string{s.Ref, str(s.FirstEvent), str(s.Ending), str(s.IndexType), ref.FollowEnd}
			if got[s.Person] != want {
				t.Errorf("%s: ref, first event, ending, index type, censor = %q, want %q", s.Person, got[s.Person], want)
			}
		}
	})

	t.Run("definitions", func(t *testing.T) {
		defs, err := computeDefinitions(ctx, db, st)
		if err != nil {
			t.Fatal(err)
		}
		if len(defs) != len(ref.Definitions) {
			t.Fatalf("%d rows, want %d", len(defs), len(ref.Definitions))
		}
		for i, w := range ref.Definitions {
			g := defs[i]
			if g.Definition != w.Definition || g.Cohort != w.Cohort || g.WindowMonths != 12 {
				t.Fatalf("row %d is %s/%d, want %s/%d", i, g.Definition, g.Cohort, w.Definition, w.Cohort)
			}
			if g.Partial != w.Partial || g.N != w.N || g.Events != w.Events || g.Cases != w.Cases {
				t.Errorf("%s cohort %d: partial %v n %d events %d cases %d; want %v %d %d %d",
					w.Definition, w.Cohort, g.Partial, g.N, g.Events, g.Cases, w.Partial, w.N, w.Events, w.Cases)
			}
			if !closeTo(g.Years, w.Years, 1e-12) {
				t.Errorf("%s cohort %d: %v years at liberty, want %v", w.Definition, w.Cohort, g.Years, w.Years)
			}
			if w.N > 0 && (!closeTo(g.CI.Lower, orNaN(w.CILower), 1e-12) || !closeTo(g.CI.Upper, orNaN(w.CIUpper), 1e-12)) {
				t.Errorf("%s cohort %d: Wilson %v, want [%v, %v]", w.Definition, w.Cohort, g.CI, orNaN(w.CILower), orNaN(w.CIUpper))
			}
			if !closeTo(g.PerYear.Value, orNaN(w.PerYear), 1e-12) || !closeTo(g.PerYear.Lower, orNaN(w.PerYearLower), 1e-9) ||
				!closeTo(g.PerYear.Upper, orNaN(w.PerYearUpper), 1e-9) {
				t.Errorf("%s cohort %d: per year %+v, want %v [%v, %v]", w.Definition, w.Cohort, g.PerYear,
					orNaN(w.PerYear), orNaN(w.PerYearLower), orNaN(w.PerYearUpper))
			}
		}
	})

	t.Run("headline rate", func(t *testing.T) {
		if err := buildCohorts(ctx, db, st); err != nil {
			t.Fatal(err)
		}
		rates, err := computeRates(ctx, db, st)
		if err != nil {
			t.Fatal(err)
		}
		w := ref.Definitions[0] // general, all cohorts
		for _, r := range rates {
			if r.Cohort == 0 && (r.N != w.N || r.Events != w.Events) {
				t.Errorf("outcome_rate total: %d of %d, want %d of %d", r.Events, r.N, w.Events, w.N)
			}
		}
		// The cohort rows are the monitor's cohorts (the person released
		// in two years is in both), partial as the reference says: the
		// general definition's cohort rows of the R reference.
		cohorts := 0
		for _, w := range ref.Definitions {
			if w.Definition != study.DefGeneral || w.Cohort == 0 {
				continue
			}
			cohorts++
			found := false
			for _, r := range rates {
				if r.Cohort == w.Cohort && r.WindowMonths == 12 {
					found = true
					if r.N != w.N || r.Events != w.Events || r.Partial != w.Partial || r.Definition != study.DefGeneral {
						t.Errorf("outcome_rate cohort %d: %d of %d, partial %v, %q; want %d of %d, partial %v, general",
							w.Cohort, r.Events, r.N, r.Partial, r.Definition, w.Events, w.N, w.Partial)
					}
				}
			}
			if !found && w.N > 0 {
				t.Errorf("outcome_rate has no cohort %d", w.Cohort)
			}
		}
		if cohorts < 2 {
			t.Errorf("the reference has %d general cohort rows; the fixture should have a person in two cohorts", cohorts)
		}
	})

	t.Run("cumulative incidence", func(t *testing.T) {
		steps, err := computeIncidence(ctx, db, st, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(steps) != len(ref.Incidence.Time) {
			t.Fatalf("%d steps, want %d", len(steps), len(ref.Incidence.Time))
		}
		for i, s := range steps {
			if s.Time != ref.Incidence.Time[i] || s.AtRisk != ref.Incidence.AtRisk[i] ||
				!closeTo(s.CIF, ref.Incidence.CIF[i], 1e-12) || !closeTo(s.CIFCompeting, ref.Incidence.CIFCompeting[i], 1e-12) {
				t.Errorf("step %d: t %v at risk %d cif %v competing %v; want %v %d %v %v", i, s.Time, s.AtRisk, s.CIF, s.CIFCompeting,
					ref.Incidence.Time[i], ref.Incidence.AtRisk[i], ref.Incidence.CIF[i], ref.Incidence.CIFCompeting[i])
			}
		}
	})

	t.Run("registration date counts", func(t *testing.T) {
		db := justiceDB(t)
		st := justiceStudy(t, study.CountRegistrationDate)
		if err := buildSubjects(ctx, db, st); err != nil {
			t.Fatal(err)
		}
		if err := buildCohorts(ctx, db, st); err != nil {
			t.Fatal(err)
		}
		rates, err := computeRates(ctx, db, st)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rates {
			if r.Cohort == 0 && (r.N != ref.Registration.N || r.Events != ref.Registration.Events) {
				t.Errorf("general recidivism by registration date: %d of %d, want %d of %d (P1's offence before release, registered after it, counts)",
					r.Events, r.N, ref.Registration.Events, ref.Registration.N)
			}
		}
	})
}

// TestLibertyDays checks the time at liberty on hand-worked spells.
func TestLibertyDays(t *testing.T) {
	d := func(s string) time.Time { return date(t, s) }
	for _, tc := range []struct {
		name   string
		ending string
		spells [][2]string
		want   float64
	}{
		{"no custody", "", nil, 366},
		{"one spell", "", [][2]string{{"2024-02-01", "2024-03-01"}}, 366 - 29},
		{"overlapping spells merge", "", [][2]string{{"2024-02-01", "2024-03-01"}, {"2024-02-15", "2024-03-11"}}, 366 - 39},
		{"spell before ref is clipped", "", [][2]string{{"2023-12-01", "2024-01-11"}}, 366 - 10},
		{"death ends it", "2024-07-01", [][2]string{{"2024-08-01", "2024-09-01"}}, 182},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ending time.Time
			if tc.ending != "" {
				ending = d(tc.ending)
			}
			var spells [][2]time.Time
			for _, s := range tc.spells {
				spells = append(spells, [2]time.Time{d(s[0]), d(s[1])})
			}
			if got := libertyDays(d("2024-01-01"), d("2025-01-01"), ending, spells); got != tc.want {
				t.Errorf("libertyDays = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestPriorOffencesCountCases: the prior-offence covariate counts criminal
// cases, not rows, over the five years before the reference date, without
// acquittals.
func TestPriorOffencesCountCases(t *testing.T) {
	db := testDB(t)
	load(t, db, []person{{"a", "m"}}, []traj{{person: "a", programme: "AMB", start: "2022-01-01", release: "2022-06-30", age: 30}}, nil)
	for i, e := range []struct{ date, caseID, disposal string }{
		{"2021-03-01", "Z1", ""}, // one case of three rows: counts once
		{"2021-03-01", "Z1", ""},
		{"2021-04-02", "Z1", ""},
		{"2020-05-05", "Z2", "acquittal"}, // acquitted: not a case
		{"2017-06-30", "Z3", ""},          // exactly five years before: in
		{"2017-06-29", "Z4", ""},          // more than five years before: out
		{"2022-06-30", "Z5", ""},          // on the reference date: not prior
	} {
		mustExec(t, db, `INSERT INTO event (file_id, line, person_id, partner, event_type, event_date, case_id, disposal, linkage)
			VALUES (2, ?, 'a', 'J', 'offence', CAST(? AS DATE), ?, ?, 'bsn')`, i+2, e.date, e.caseID, nullString(e.disposal))
	}
	st := testStudy(t, "2025-12-31", 1, study.Programme{Code: "AMB", Outcome: study.OutcomeRecidivism})
	st.Outcomes.NonCounting = []string{"acquittal"}
	ctx := context.Background()
	if err := buildSubjects(ctx, db, st); err != nil {
		t.Fatal(err)
	}
	subs, err := loadSubjects(ctx, db, st, study.OutcomeRecidivism)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].prior != 2 || !subs[0].priorKnown || priorBandOf(subs[0]) != "2-4" {
		t.Fatalf("subjects %+v, want one with 2 prior cases (Z1 once, Z3), known, band 2-4", subs)
	}

	// A look-back of 3 years (outcomes.prior_lookback_years) leaves Z3 out.
	st.Outcomes.PriorLookbackYears = 3
	if subs, err = loadSubjects(ctx, db, st, study.OutcomeRecidivism); err != nil || len(subs) != 1 || subs[0].prior != 1 {
		t.Fatalf("3-year look-back: subjects %+v (%v), want one with 1 prior case", subs, err)
	}
	st.Outcomes.PriorLookbackYears = 5

	// Outside the justice exports' coverage the count is unknown, never 0:
	// a fallback-linked person when the study's only offence export carries
	// no names; everyone when the study declares no offence export.
	mustExec(t, db, `UPDATE person SET linkage = 'fallback' WHERE person_id = 'a'`)
	justice := study.Partner{Name: "J", Files: []study.File{{Name: "justice.csv", Kind: study.KindEvents,
		Constants: map[string]string{study.FieldEventType: study.EventOffence}, Columns: map[string]string{}}}}
	st.Partners = []study.Partner{justice}
	if subs, err = loadSubjects(ctx, db, st, study.OutcomeRecidivism); err != nil || len(subs) != 1 || subs[0].priorKnown || priorBandOf(subs[0]) != bandUnknown {
		t.Fatalf("fallback-linked, export without names: subjects %+v (%v), want the prior count unknown", subs, err)
	}
	justice.Files[0].Columns = map[string]string{study.FieldSurname: "achternaam"}
	st.Partners = []study.Partner{justice}
	if subs, err = loadSubjects(ctx, db, st, study.OutcomeRecidivism); err != nil || len(subs) != 1 || !subs[0].priorKnown {
		t.Fatalf("fallback-linked, export with names: subjects %+v (%v), want the prior count known", subs, err)
	}
	st.Partners = []study.Partner{{Name: "P", Files: []study.File{{Name: "traj.csv", Kind: study.KindTrajectories}}}}
	if subs, err = loadSubjects(ctx, db, st, study.OutcomeRecidivism); err != nil || len(subs) != 1 || subs[0].priorKnown {
		t.Fatalf("no offence export: subjects %+v (%v), want the prior count unknown", subs, err)
	}
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
