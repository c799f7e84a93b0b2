package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/outcomes-research/outcomes/study"
)

// SPM2Days is the follow-up of HUD's System Performance Measure 2: returns
// are counted within this many days after the exit, and an exit is in the
// universe only when this many days after it lie on or before the follow-up
// end.
const SPM2Days = 730

// SPM2Bins are the measure's periods after the exit, in days: 0–180 (HUD's
// "less than 6 months"), 181–365 and 366–730. A return on the day of the
// exit itself does not count (see computeSPM2), so the first bin starts at
// day 1 in practice.
var SPM2Bins = [3][2]int{{0, 180}, {181, 365}, {366, 730}}

// Origins of an SPM2 row (SPM2Row.Origin).
const (
	// SPM2OriginExit: exits to a home from the programme itself (a shelter
	// or housing programme).
	SPM2OriginExit = "exit"
	// SPM2OriginExitBeforeStart: for a programme that is neither shelter
	// nor housing (support after the move, e.g. relapse prevention), the
	// person's latest exit to a home from a shelter or housing programme on
	// or before the programme's start. Its participants are counted from
	// that exit, not from the programme start.
	SPM2OriginExitBeforeStart = "exit_before_start"
	// SPM2OriginSystem: the system-wide row, every shelter and housing
	// programme together, each person once.
	SPM2OriginSystem = "system"
)

// SPM2Row is one row of the returns-to-homelessness table after HUD's
// System Performance Measure 2 (computeSPM2).
type SPM2Row struct {
	// Programme is the programme's code; "" for the system-wide row.
	Programme string
	// Origin is SPM2OriginExit, SPM2OriginExitBeforeStart or
	// SPM2OriginSystem.
	Origin string
	// N is the universe: persons with an exit to a home whose 730 days
	// lie before the follow-up end, each counted once (their first such
	// exit). Returns are the persons whose first return lies in each bin
	// (SPM2Bins); Total their sum, the returns within 730 days.
	N       int
	Returns [3]int
	Total   int
	// Hidden says which counts may not be published, in the order n,
	// total, bins; Marks how each hidden count is shown; Rule why the row
	// is (partly) hidden. Set by markSPM2.
	Hidden [5]bool
	Marks  [5]Mark
	Rule   Rule
}

// counts returns the row's counts in the order of Hidden: n, total, bins.
func (r SPM2Row) counts() [5]int {
	return [5]int{r.N, r.Total, r.Returns[0], r.Returns[1], r.Returns[2]}
}

// ddlSPM2 documents table spm2_return.
const ddlSPM2 = `CREATE OR REPLACE TABLE spm2_return (
    programme       VARCHAR,  -- programme code; NULL for the system-wide row (every shelter and housing programme, each person once)
    origin          VARCHAR,  -- exit (exits to a home from the programme), exit_before_start (the exit to a home before the programme's start), system
    n               INTEGER,  -- persons with an exit to a home whose 730 days closed before the follow-up end, their first such exit; NULL when withheld
    returns_0_180   INTEGER,  -- of them, first return 0-180 days after the exit (a return on the exit day itself does not count); NULL when withheld
    returns_181_365 INTEGER,  -- first return 181-365 days after the exit
    returns_366_730 INTEGER,  -- first return 366-730 days after the exit
    returns_total   INTEGER,  -- returns within 730 days (the sum of the three)
    suppressed      BOOLEAN,  -- some count of the row is withheld (disclosure_log says which and why)
    researcher_only BOOLEAN   -- exact values of a suppressed row, kept under disclosure.researcher_exact
)`

// computeSPM2 measures returns to homelessness as HUD's System Performance
// Measure 2 does (FY2015 and later programming specifications, as the HMIS
// vendors document them; see doc.go):
//
//   - Exits: the end of a stay in a programme marked shelter or listed in
//     outcomes.housing_programmes whose exit destination is
//     independent_housing (HUD: an exit to a permanent destination from
//     emergency shelter, transitional or permanent housing).
//   - Universe: per programme, each person's first exit whose 730 days lie
//     on or before the follow-up end of shelter_return (followEnd: the
//     cut-off, or the earliest extraction date of the exports that hold
//     shelter stays and entries, minus the registration lag). HUD's
//     look-back is the exits of the two years before the report period;
//     here every exit whose 730 days have closed, the first per person.
//     A programme neither shelter nor housing with outcome shelter_return
//     is measured from the exit to a home before its start
//     (SPM2OriginExitBeforeStart), never from its own start. The
//     system-wide row de-duplicates persons over every shelter and housing
//     programme: each person's first exit.
//   - Return: the first of a shelter_entry event, the start of a stay in a
//     shelter programme (both on any day after the exit), or the start of
//     a stay in a housing programme more than outcomes.transfer_days after
//     the exit and after the end of the person's earlier housing stays
//     (HUD: a re-entry into transitional or permanent housing within 14
//     days is a transfer, and the window rolls from the exit of each
//     transfer), within 730 days; the qualifying events and the transfer
//     rule are the rates' (hitsSQL, transferAnchorSQL). An entry on the exit
//     day itself is not counted, as in the rates.
//   - Bins: the first return's day after the exit, 0–180, 181–365,
//     366–730, and their total.
func computeSPM2(ctx context.Context, db *sql.DB, st *study.Study) ([]SPM2Row, error) {
	def, _ := study.OutcomeShelterReturn.Definition()
	end, err := followEnd(ctx, db, st, def)
	if err != nil {
		return nil, err
	}
	var exitProgrammes, others, rows []string
	for _, p := range st.Programmes {
		housing := slices.Contains(st.Outcomes.HousingProgrammes, p.Code)
		switch {
		case p.Shelter || housing:
			exitProgrammes = append(exitProgrammes, p.Code)
			rows = append(rows, p.Code)
		case p.Outcome == study.OutcomeShelterReturn:
			others = append(others, p.Code)
			rows = append(rows, p.Code)
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	housing := sqlList([]string{study.DestIndependentHousing})
	q := fmt.Sprintf(`
WITH hit AS (
    %[1]s
), exits AS (
    SELECT programme, person_id, end_date AS exit_date, '%[8]s' AS origin FROM trajectory
    WHERE programme IN (%[5]s) AND exit_destination = %[6]s AND end_date IS NOT NULL
    UNION ALL
    SELECT t.programme, t.person_id,
           (SELECT max(x.end_date) FROM trajectory x WHERE x.person_id = t.person_id AND x.programme IN (%[5]s)
                AND x.exit_destination = %[6]s AND x.end_date <= t.start_date),
           '%[9]s'
    FROM trajectory t WHERE t.programme IN (%[7]s)
), universe AS (
    SELECT programme, person_id, min(exit_date) AS exit_date, any_value(origin) AS origin FROM exits
    WHERE exit_date IS NOT NULL AND exit_date + %[11]d <= DATE '%[12]s' GROUP BY programme, person_id
    UNION ALL
    SELECT NULL, person_id, min(exit_date), '%[10]s' FROM exits
    WHERE origin = '%[8]s' AND exit_date + %[11]d <= DATE '%[12]s' GROUP BY person_id
), first_return AS (
    SELECT u.programme, u.origin, u.person_id, min(date_diff('day', u.exit_date, h.hit_date)) AS days
    FROM universe u LEFT JOIN hit h ON h.person_id = u.person_id
        AND h.hit_date > %[2]s + h.gap_days AND h.hit_date <= u.exit_date + %[11]d
    GROUP BY u.programme, u.origin, u.person_id
)
SELECT programme, origin, count(*),
       count(*) FILTER (WHERE days BETWEEN %[13]d AND %[14]d),
       count(*) FILTER (WHERE days BETWEEN %[15]d AND %[16]d),
       count(*) FILTER (WHERE days BETWEEN %[17]d AND %[18]d)
FROM first_return GROUP BY programme, origin`,
		strings.Join(hitsSQL(def, st), unionAll), transferAnchorSQL("h", "u.exit_date"), 0, nil,
		sqlList(exitProgrammes), housing, sqlList(others), SPM2OriginExit, SPM2OriginExitBeforeStart, SPM2OriginSystem,
		SPM2Days, end.Format(time.DateOnly),
		SPM2Bins[0][0], SPM2Bins[0][1], SPM2Bins[1][0], SPM2Bins[1][1], SPM2Bins[2][0], SPM2Bins[2][1])
	res, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("counting returns to homelessness (SPM 2): %w", err)
	}
	defer res.Close()
	got := map[string]SPM2Row{}
	for res.Next() {
		var programme sql.NullString
		var r SPM2Row
		if err := res.Scan(&programme, &r.Origin, &r.N, &r.Returns[0], &r.Returns[1], &r.Returns[2]); err != nil {
			return nil, fmt.Errorf("counting returns to homelessness (SPM 2): %w", err)
		}
		r.Programme = programme.String
		r.Total = r.Returns[0] + r.Returns[1] + r.Returns[2]
		got[r.Programme] = r
	}
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("counting returns to homelessness (SPM 2): %w", err)
	}
	var out []SPM2Row
	for _, code := range rows {
		r, ok := got[code]
		if !ok {
			r = SPM2Row{Programme: code, Origin: SPM2OriginExit}
			if slices.Contains(others, code) {
				r.Origin = SPM2OriginExitBeforeStart
			}
		}
		out = append(out, r)
	}
	sys, ok := got[""]
	if !ok {
		sys = SPM2Row{Origin: SPM2OriginSystem}
	}
	return append(out, sys), nil
}

// markSPM2 applies disclosure control to the SPM2 rows (doc.go, "Returns
// to homelessness"). rates are the outcome_rate cells, already marked.
//
//   - A row whose n is small is withheld whole (primary).
//   - A row of a programme whose shelter_return rate over its longest
//     window (the population closest to the 730-day universe) is hidden is
//     withheld whole (linked).
//   - Persons with and without a return within 730 days follow the rate
//     cells' rule (rules.primary on n and total): when they may not be
//     published, the total and every bin are hidden.
//   - A small bin hides all three bins; when the published total (or n,
//     with the total hidden) would still narrow a small bin to fewer than
//     ⌊T/2⌋ + 1 values, the total is hidden too, and then n.
//   - When the exit programmes' rows partition the system-wide row (their n
//     add up to its n: no person in two of them, so every count adds up), a
//     count hidden in one row only is hidden in a second row as well (the
//     largest published one, usually the system-wide row, which leaves the
//     widest interval), so that no subtraction gives it back.
func markSPM2(rows []SPM2Row, rates []Rate, st *study.Study) {
	r := rulesOf(st)
	longest := map[string]int{}
	hiddenRate := map[string]bool{}
	for _, x := range rates {
		if x.Outcome != study.OutcomeShelterReturn || x.Breakdown != "" || x.Cohort != 0 || x.WindowMonths < longest[x.Programme] {
			continue
		}
		longest[x.Programme] = x.WindowMonths
		hiddenRate[x.Programme] = x.Suppressed || x.Withdrawn
	}
	hideAll := func(x *SPM2Row, rule Rule) {
		for k := range x.Hidden {
			x.Hidden[k] = true
		}
		x.Rule = rule
	}
	for i := range rows {
		x := &rows[i]
		x.Hidden, x.Rule = [5]bool{}, ""
		switch {
		case r.small(x.N):
			hideAll(x, RulePrimary)
		case x.Programme != "" && hiddenRate[x.Programme]:
			hideAll(x, RuleLinked)
		default:
			if rule := r.primary(x.N, x.Total); rule != "" {
				x.Hidden[1], x.Hidden[2], x.Hidden[3], x.Hidden[4] = true, true, true, true
				x.Rule = rule
			}
			for b := range 3 {
				if r.small(x.Returns[b]) {
					x.Rule = cmpOr(x.Rule, RulePrimary)
					x.Hidden[2], x.Hidden[3], x.Hidden[4] = true, true, true
				}
			}
		}
		protectSPM2Row(x, r)
	}
	protectSPM2Partition(rows, r)
	for i := range rows {
		x := &rows[i]
		c := x.counts()
		for k := range c {
			x.Marks[k] = MarkHidden
			if r.small(c[k]) {
				x.Marks[k] = MarkSmall
			} else if c[k] == 0 {
				x.Marks[k] = MarkZero
			}
		}
	}
}

// cmpOr returns a when it is set, else b.
func cmpOr(a, b Rule) Rule {
	if a != "" {
		return a
	}
	return b
}

// spm2Bounds is what a reader who knows the row's published counts and its
// labels ("<T": 1..T−1; "×": T or more) can say of each count, by
// propagating n = total + without and total = bin₁ + bin₂ + bin₃ to a fixed
// point. Hidden counts start at their label's interval.
func spm2Bounds(x SPM2Row, r rules) [5]interval {
	c := x.counts()
	var b [5]interval
	const inf = int64(1) << 40
	for k := range c {
		switch {
		case !x.Hidden[k]:
			b[k] = interval{int64(c[k]), int64(c[k])}
		case r.small(c[k]):
			lo := int64(1)
			if r.zeros {
				lo = 0
			}
			b[k] = interval{lo, int64(r.minCell - 1)}
		case c[k] == 0:
			b[k] = interval{0, 0}
		default:
			b[k] = interval{int64(r.minCell), inf}
		}
	}
	// without = n − total: its label is known from the rule that hid it.
	w := interval{0, inf}
	if !x.Hidden[0] && !x.Hidden[1] {
		w = interval{b[0].lo - b[1].lo, b[0].lo - b[1].lo}
	} else if without := x.N - x.Total; x.Hidden[1] && r.small(without) {
		w = interval{1, int64(r.minCell - 1)}
	} else if x.Hidden[1] && without >= r.minCell {
		w = interval{int64(r.minCell), inf}
	}
	for range 20 {
		// n = total + without
		b[0] = clamp(b[0], b[1].lo+w.lo, b[1].hi+w.hi)
		b[1] = clamp(b[1], b[0].lo-w.hi, b[0].hi-w.lo)
		w = clamp(w, b[0].lo-b[1].hi, b[0].hi-b[1].lo)
		// total = the bins
		b[1] = clamp(b[1], b[2].lo+b[3].lo+b[4].lo, b[2].hi+b[3].hi+b[4].hi)
		for k := 2; k < 5; k++ {
			var lo, hi int64
			for j := 2; j < 5; j++ {
				if j != k {
					lo, hi = lo+b[j].lo, hi+b[j].hi
				}
			}
			b[k] = clamp(b[k], b[1].lo-hi, b[1].hi-lo)
		}
	}
	return b
}

func clamp(v interval, lo, hi int64) interval {
	return interval{max(v.lo, lo), min(v.hi, hi)}
}

// spm2Protected reports whether every hidden small count of the row keeps
// at least ⌊T/2⌋ + 1 possible values (all its label's, when it has fewer),
// and no hidden count is pinned down.
func spm2Protected(x SPM2Row, r rules) bool {
	b := spm2Bounds(x, r)
	c := x.counts()
	need := min(int64(r.minCell-1), int64(r.minCell/2)+1)
	for k := range c {
		if !x.Hidden[k] {
			continue
		}
		width := b[k].hi - b[k].lo + 1
		if width <= 1 && !(c[k] == 0 && !r.zeros) {
			return false
		}
		if r.small(c[k]) && width < need {
			return false
		}
	}
	return true
}

// protectSPM2Row hides the total, then n, until the row's hidden counts are
// protected (spm2Protected).
func protectSPM2Row(x *SPM2Row, r rules) {
	for _, k := range []int{1, 0} {
		if spm2Protected(*x, r) {
			return
		}
		if !x.Hidden[k] {
			x.Hidden[k] = true
			x.Rule = cmpOr(x.Rule, RuleSecondary)
		}
	}
	for k := range x.Hidden {
		x.Hidden[k] = true
	}
}

// protectSPM2Partition applies the secondary rule across the rows when the
// exit programmes' rows partition the system-wide row (markSPM2).
func protectSPM2Partition(rows []SPM2Row, r rules) {
	var parts []int
	sys := -1
	sum := 0
	for i, x := range rows {
		switch x.Origin {
		case SPM2OriginExit:
			parts = append(parts, i)
			sum += x.N
		case SPM2OriginSystem:
			sys = i
		}
	}
	if sys < 0 || len(parts) == 0 || sum != rows[sys].N {
		return
	}
	group := append(slices.Clone(parts), sys)
	for changed := true; changed; {
		changed = false
		for k := range 5 {
			var hidden []int
			best := -1
			for _, i := range group {
				if rows[i].Hidden[k] {
					hidden = append(hidden, i)
				} else if best < 0 || rows[i].counts()[k] > rows[best].counts()[k] {
					best = i
				}
			}
			if len(hidden) != 1 || best < 0 {
				continue
			}
			x := &rows[best]
			x.Hidden[k] = true
			if k >= 2 {
				x.Hidden[2], x.Hidden[3], x.Hidden[4] = true, true, true
			}
			x.Rule = cmpOr(x.Rule, RuleSecondary)
			protectSPM2Row(x, r)
			changed = true
		}
	}
}

// Suppressed reports whether any count of the row is withheld.
func (r SPM2Row) Suppressed() bool { return slices.Contains(r.Hidden[:], true) }

// spm2Table renders the SPM2 rows, not yet redacted, as table spm2_return.
func spm2Table(rows []SPM2Row, researcherExact bool) table {
	t := table{name: "spm2_return", ddl: ddlSPM2}
	for _, x := range rows {
		var programme any
		if x.Programme != "" {
			programme = x.Programme
		}
		c := x.counts()
		vals := []any{c[0], c[2], c[3], c[4], c[1]}
		hidden := []bool{x.Hidden[0], x.Hidden[2], x.Hidden[3], x.Hidden[4], x.Hidden[1]}
		ro := false
		for i := range vals {
			if hidden[i] {
				if researcherExact {
					ro = true
				} else {
					vals[i] = nil
				}
			}
		}
		t.rows = append(t.rows, append(append([]any{programme, x.Origin}, vals...), x.Suppressed(), ro))
	}
	return t
}

// spm2Log lists the withheld counts of the SPM2 rows.
func spm2Log(rows []SPM2Row) []LogEntry {
	names := [5]string{"n", "returns_total", "returns_0_180", "returns_181_365", "returns_366_730"}
	var out []LogEntry
	for _, x := range rows {
		keys := "programme=" + x.Programme
		if x.Programme == "" {
			keys = "programme=(system)"
		}
		var cols []string
		for k, h := range x.Hidden {
			if h {
				cols = append(cols, names[k])
			}
		}
		if len(cols) > 0 {
			out = append(out, LogEntry{Table: "spm2_return", Keys: keys + " origin=" + x.Origin, Column: strings.Join(cols, ","), Rule: x.Rule})
		}
	}
	return out
}

// redactSPM2 clears the withheld counts.
func redactSPM2(rows []SPM2Row) {
	for i := range rows {
		x := &rows[i]
		if x.Hidden[0] {
			x.N = 0
		}
		if x.Hidden[1] {
			x.Total = 0
		}
		for b := range 3 {
			if x.Hidden[2+b] {
				x.Returns[b] = 0
			}
		}
	}
}
