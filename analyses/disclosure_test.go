package analyses

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/outcomes-research/outcomes/study"
)

// revealed plays the attacker: for every published total, a partition with
// exactly one unpublished cell gives that cell away as the total minus the
// published cells. It returns the cells so revealed.
func revealed(rates []Rate) []string {
	type key struct {
		programme string
		window    int
	}
	totals := map[key]Rate{}
	parts := map[key]map[string][]Rate{}
	for _, r := range rates {
		k := key{r.Programme, r.WindowMonths}
		if r.Cohort == 0 && r.Breakdown == "" {
			totals[k] = r
			continue
		}
		dim := r.Breakdown
		if dim == "" {
			dim = "cohort"
		}
		if parts[k] == nil {
			parts[k] = map[string][]Rate{}
		}
		parts[k][dim] = append(parts[k][dim], r)
	}
	var out []string
	for k, byDim := range parts {
		t, ok := totals[k]
		if !ok || t.Suppressed {
			continue
		}
		for dim, cells := range byDim {
			n, events, hidden := t.N, t.Events, []Rate{}
			for _, c := range cells {
				if c.Suppressed {
					hidden = append(hidden, c)
				} else {
					n, events = n-c.N, events-c.Events
				}
			}
			if len(hidden) == 1 && n == hidden[0].N && events == hidden[0].Events {
				out = append(out, fmt.Sprintf("%s %s %d/%d", k.programme, dim, events, n))
			}
		}
	}
	return out
}

func rate(cohort int, breakdown, group string, n, events int) Rate {
	return Rate{Programme: "P", Outcome: study.OutcomeRecidivism, WindowMonths: 12, Cohort: cohort, Breakdown: breakdown, Group: group, N: n, Events: events}
}

func TestSuppress(t *testing.T) {
	tests := []struct {
		name  string
		rates []Rate
		want  []bool // Suppressed, per row
	}{
		{
			name:  "large cells are published",
			rates: []Rate{rate(0, "", "", 100, 40), rate(2022, "", "", 50, 20), rate(2023, "", "", 50, 20)},
			want:  []bool{false, false, false},
		},
		{
			name:  "few events, few without, few persons",
			rates: []Rate{rate(0, "", "", 50, 45), rate(0, "", "", 9, 0), rate(0, "", "", 40, 3), rate(0, "", "", 40, 0)},
			want:  []bool{true, true, true, false},
		},
		{
			// 2023 has 8 events: suppressed. Without complementary
			// suppression, total − 2022 − 2024 = 25 persons, 8 events would
			// reveal it; the smallest other cohort (2024) is hidden too.
			name:  "a total would reveal one suppressed cohort",
			rates: []Rate{rate(0, "", "", 100, 33), rate(2022, "", "", 55, 15), rate(2023, "", "", 25, 8), rate(2024, "", "", 20, 10)},
			want:  []bool{false, false, true, true},
		},
		{
			name:  "two suppressed cohorts need no complement",
			rates: []Rate{rate(0, "", "", 100, 30), rate(2022, "", "", 60, 20), rate(2023, "", "", 35, 8), rate(2024, "", "", 5, 2)},
			want:  []bool{false, false, true, true},
		},
		{
			name: "breakdowns are complemented per dimension",
			rates: []Rate{rate(0, "", "", 98, 33),
				rate(0, "sex", "m", 90, 30), rate(0, "sex", "v", 8, 3),
				rate(0, "age_band", "<25", 48, 13), rate(0, "age_band", "25-34", 30, 10), rate(0, "age_band", "35-44", 20, 10)},
			want: []bool{false, true, true, false, false, false},
		},
		{
			name:  "a suppressed total needs no complement",
			rates: []Rate{rate(0, "", "", 30, 5), rate(2022, "", "", 20, 3), rate(2023, "", "", 10, 2)},
			want:  []bool{true, true, true},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			Suppress(tc.rates, 10)
			for i, r := range tc.rates {
				if r.Suppressed != tc.want[i] {
					t.Errorf("row %d (%d %s %s n=%d e=%d): suppressed=%v, want %v", i, r.Cohort, r.Breakdown, r.Group, r.N, r.Events, r.Suppressed, tc.want[i])
				}
			}
			if got := revealed(tc.rates); len(got) > 0 {
				t.Errorf("published cells reveal %v", got)
			}
		})
	}
}

// TestSuppressRandom checks, on random partitions of random totals, that
// every small cell is suppressed and no suppressed cell can be recomputed
// from its total and the published cells.
func TestSuppressRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 2000 {
		var rates []Rate
		for _, dim := range []string{"", "sex", "age_band"} {
			k := 1 + rng.IntN(5)
			for g := range k {
				n := rng.IntN(40)
				e := 0
				if n > 0 {
					e = rng.IntN(n + 1)
				}
				r := rate(0, dim, fmt.Sprint(g), n, e)
				if dim == "" {
					r.Cohort = 2020 + g
				}
				rates = append(rates, r)
			}
		}
		// The partitions must add up to one total: rebuild the breakdowns
		// from the cohorts' sums by moving the difference into their last
		// group.
		n, e := 0, 0
		for _, r := range rates {
			if r.Breakdown == "" {
				n, e = n+r.N, e+r.Events
			}
		}
		ok := true
		for _, dim := range []string{"sex", "age_band"} {
			sn, se, last := 0, 0, -1
			for i, r := range rates {
				if r.Breakdown == dim {
					sn, se, last = sn+r.N, se+r.Events, i
				}
			}
			rates[last].N += n - sn
			rates[last].Events += e - se
			if r := rates[last]; r.N < 0 || r.Events < 0 || r.Events > r.N {
				ok = false
			}
		}
		if !ok {
			continue
		}
		rates = append(rates, rate(0, "", "", n, e))
		Suppress(rates, 10)
		for _, r := range rates {
			if tooSmall(r.N, r.Events, 10) && !r.Suppressed {
				t.Fatalf("iteration %d: small cell %+v published", iter, r)
			}
		}
		if got := revealed(rates); len(got) > 0 {
			t.Fatalf("iteration %d: published cells reveal %v in %+v", iter, got, rates)
		}
	}
}

// TestDisclosureInResults runs Compute on a programme whose 2022 cohort is
// small, and checks what reaches Results and the result tables, with and
// without researcher_exact.
func TestDisclosureInResults(t *testing.T) {
	db := testDB(t)
	// 40 persons released in 2023 (15 with an offence), 3 in 2022 (1 with
	// an offence), 30 in 2021 (12 with an offence).
	var ps []person
	var ts []traj
	var es []ev
	add := func(year, n, events int) {
		for i := range n {
			id := fmt.Sprintf("y%d-%02d", year, i)
			ps = append(ps, person{id, "m"})
			rel := fmt.Sprintf("%d-03-%02d", year, 1+i%28)
			ts = append(ts, traj{person: id, programme: "AMB", start: fmt.Sprintf("%d-01-01", year), release: rel, age: 30})
			if i < events {
				es = append(es, ev{id, "offence", fmt.Sprintf("%d-06-01", year)})
			}
		}
	}
	add(2021, 30, 12)
	add(2022, 3, 1)
	add(2023, 40, 15)
	load(t, db, ps, ts, es)
	st := testStudy(t, "2025-06-30", 10, study.Programme{Code: "AMB", Outcome: study.OutcomeRecidivism})

	for _, exact := range []bool{false, true} {
		t.Run(fmt.Sprintf("researcher_exact=%v", exact), func(t *testing.T) {
			st.Disclosure.ResearcherExact = exact
			res := compute(t, db, st)
			// 2022 is small; hiding 2021 as well would leave 2022 with 1
			// to 3 events (28 − 15 − at least 10 for the "×" of 2021), so
			// 2023 is hidden too.
			want := map[int]bool{0: false, 2021: true, 2022: true, 2023: true}
			for _, r := range res.Rates {
				if r.Suppressed != want[r.Cohort] {
					t.Errorf("cohort %d: suppressed=%v, want %v", r.Cohort, r.Suppressed, want[r.Cohort])
				}
				if r.Suppressed && (r.Events != 0 || r.Rate != 0 || r.CI.Upper != 0) {
					t.Errorf("cohort %d: suppressed values leave analyses: %+v", r.Cohort, r)
				}
			}
			if got := revealed(res.Rates); len(got) > 0 {
				t.Errorf("published rates reveal %v", got)
			}
			got := queryStrings(t, db, `SELECT coalesce(cohort, 0), n, events, suppressed, researcher_only FROM outcome_rate
				WHERE breakdown IS NULL ORDER BY 1`)
			wantRows := []string{"0|73|28|false|false", "2021|30|∅|true|false", "2022|∅|∅|true|false", "2023|40|∅|true|false"}
			if exact {
				wantRows = []string{"0|73|28|false|false", "2021|30|12|true|true", "2022|3|1|true|true", "2023|40|15|true|true"}
			}
			if fmt.Sprint(got) != fmt.Sprint(wantRows) {
				t.Errorf("outcome_rate:\n got %v\nwant %v", got, wantRows)
			}

		})
	}
}

// TestTruncatedCurveTables checks the published and researcher-only parts of
// a curve cut where fewer than min_cell persons are at risk.
func TestTruncatedCurveTables(t *testing.T) {
	db := testDB(t)
	// 12 persons released on 2023-01-01; person k (1..10) offends on day
	// 10·k, two are never seen again. At the k-th event 13 − k are at risk:
	// by the time 10 persons have left the risk set (day 100) only 3 are at
	// risk, so no point of the curve is published; the 10 exact steps are
	// researcher-only rows.
	var ps []person
	var ts []traj
	var es []ev
	for k := 1; k <= 12; k++ {
		id := fmt.Sprintf("t%02d", k)
		ps = append(ps, person{id, "m"})
		ts = append(ts, traj{person: id, programme: "AMB", start: "2022-06-01", release: "2023-01-01", age: 30})
		if k <= 10 {
			es = append(es, ev{id, "offence", date(t, "2023-01-01").AddDate(0, 0, 10*k).Format("2006-01-02")})
		}
	}
	load(t, db, ps, ts, es)
	st := testStudy(t, "2024-06-30", 10, study.Programme{Code: "AMB", Outcome: study.OutcomeRecidivism})
	for _, exact := range []bool{false, true} {
		t.Run(fmt.Sprintf("researcher_exact=%v", exact), func(t *testing.T) {
			st.Disclosure.ResearcherExact = exact
			res := compute(t, db, st)
			c := res.Survival[0]
			if c.Suppressed || !c.Truncated || len(c.Steps) != 0 {
				t.Fatalf("curve: suppressed=%v truncated=%v steps=%d", c.Suppressed, c.Truncated, len(c.Steps))
			}
			got := queryStrings(t, db, `SELECT time_days, at_risk, researcher_only FROM survival_step ORDER BY time_days`)
			var want []string
			if exact {
				for k := 1; k <= 10; k++ {
					want = append(want, fmt.Sprintf("%d|%d|true", 10*k, 13-k))
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("survival_step:\n got %v\nwant %v", got, want)
			}
			// At-risk table: month 0 has 12 at risk; from month 6 on 2
			// are at risk (suppressed), 10 events, 0 censored.
			rows := queryStrings(t, db, `SELECT month, at_risk, events, suppressed, researcher_only FROM survival_at_risk WHERE month <= 6 ORDER BY month`)
			wantRows := []string{"0|12|0|false|false", "6|∅|∅|true|false"}
			if exact {
				wantRows[1] = "6|2|10|true|true"
			}
			if fmt.Sprint(rows) != fmt.Sprint(wantRows) {
				t.Errorf("survival_at_risk:\n got %v\nwant %v", rows, wantRows)
			}
			if c.AtRisk[1].Suppressed != true || c.AtRisk[1].AtRisk != 0 || c.AtRisk[1].Events != 0 {
				t.Errorf("suppressed at-risk row leaves analyses: %+v", c.AtRisk[1])
			}
		})
	}
}

func TestResearcherExactOption(t *testing.T) {
	const base = `study: t
cutoff: 2025-12-31
programmes: [{code: AMB, outcome: recidivism}]
partners:
  - name: A
    files:
      - path: a.csv
        kind: trajectories
        columns: {bsn: bsn, surname: naam, birth_date: geb, sex: sexe, programme: prog, start: start, release: vrij}
`
	tests := []struct {
		name, extra string
		want        bool
	}{
		{"default is off", "", false},
		{"disclosure block", "disclosure: {researcher_exact: true}\n", true},
		{"explicitly off", "disclosure:\n  researcher_exact: false\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := study.Parse("study.yaml", []byte(base+tc.extra))
			if err != nil {
				t.Fatal(err)
			}
			if st.Disclosure.ResearcherExact != tc.want {
				t.Errorf("researcher_exact = %v, want %v", st.Disclosure.ResearcherExact, tc.want)
			}
		})
	}
}

func TestMarkAdjusted(t *testing.T) {
	adj := func(programme string, n, events int) AdjustedRate {
		return AdjustedRate{Programme: programme, WindowMonths: 12, N: n, Observed: float64(events) / float64(n)}
	}
	tests := []struct {
		name   string
		rows   []AdjustedRate
		hidden map[string]bool // suppressed rate cells
		want   []bool
	}{
		{"nothing hidden", []AdjustedRate{adj("A", 100, 30), adj("B", 80, 20)}, nil, []bool{false, false}},
		// B's 4 events would follow from Overall·180 − 30 − 20.
		{"one hidden cell hides every row", []AdjustedRate{adj("A", 100, 30), adj("B", 50, 4), adj("C", 80, 20)},
			map[string]bool{"B": true}, []bool{true, true, true}},
		{"two hidden cells hide only themselves", []AdjustedRate{adj("A", 100, 30), adj("B", 50, 4), adj("C", 30, 3)},
			map[string]bool{"B": true, "C": true}, []bool{false, true, true}},
		{"no events anywhere is publishable", []AdjustedRate{adj("A", 100, 0), adj("B", 80, 0), adj("C", 80, 0)},
			nil, []bool{false, false, false}},
		{"few events over all programmes", []AdjustedRate{adj("A", 100, 3), adj("B", 80, 0)},
			map[string]bool{"A": true}, []bool{true, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			markAdjusted(tc.rows, func(p string, _ int) bool { return tc.hidden[p] }, 10)
			for i, r := range tc.rows {
				if r.Suppressed != tc.want[i] {
					t.Errorf("%s: suppressed=%v, want %v", r.Programme, r.Suppressed, tc.want[i])
				}
			}
			// The attacker: with Overall published (any row not
			// suppressed), total events minus the published rows' events
			// must not isolate a single hidden row.
			open, hidden := 0, 0
			for _, r := range tc.rows {
				if r.Suppressed {
					hidden++
				} else {
					open++
				}
			}
			if open > 0 && hidden == 1 {
				t.Error("Overall of a published row reveals the one hidden programme")
			}
		})
	}
}

func TestMarkCox(t *testing.T) {
	curves := func(suppressed ...bool) []SurvivalCurve {
		var cs []SurvivalCurve
		for i, s := range suppressed {
			cs = append(cs, SurvivalCurve{Programme: fmt.Sprint("P", i), Suppressed: s})
		}
		return cs
	}
	tests := []struct {
		name       string
		events     int
		curves     []SurvivalCurve
		wantHidden bool
		wantTerms  []bool
	}{
		{"all curves published", 200, curves(false, false, false), false, []bool{false, false}},
		{"one suppressed curve", 200, curves(false, false, true), true, []bool{false, true}},
		// Two hidden curves: the model's events minus the published
		// curve's give their sum; hidden too.
		{"two suppressed curves", 200, curves(false, true, true), true, []bool{true, true}},
		{"few events", 4, curves(false, false), true, []bool{false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := CoxModel{Events: tc.events}
			for _, c := range tc.curves[1:] {
				m.Terms = append(m.Terms, HazardRatio{Term: "programme:" + c.Programme})
			}
			m.Terms = append(m.Terms, HazardRatio{Term: "age"})
			markCox(&m, tc.curves, 10)
			if m.eventsHidden != tc.wantHidden {
				t.Errorf("events hidden=%v, want %v", m.eventsHidden, tc.wantHidden)
			}
			for i, w := range tc.wantTerms {
				if m.Terms[i].Suppressed != w {
					t.Errorf("term %s suppressed=%v, want %v", m.Terms[i].Term, m.Terms[i].Suppressed, w)
				}
			}
			if m.Terms[len(m.Terms)-1].Suppressed {
				t.Error("age term suppressed")
			}
		})
	}
}
