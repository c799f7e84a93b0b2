package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// ddlLifeDomainChange documents table life_domain_change.
const ddlLifeDomainChange = `CREATE OR REPLACE TABLE life_domain_change (
    programme         VARCHAR,  -- programme the assessments were made in
    domain            VARCHAR,  -- scored domain (study file life_domains; default the life domain itself)
    n                 INTEGER,  -- persons with assessments on at least two dates; NULL when suppressed
    mean_first        DOUBLE,   -- mean score (1-5) at the first assessment
    mean_last         DOUBLE,   -- mean score at the last assessment
    mean_change       DOUBLE,   -- mean of last - first
    ci_lower          DOUBLE,   -- paired t 95% interval; NULL when the changes are all equal
    ci_upper          DOUBLE,
    improved          INTEGER,  -- persons with last > first; NULL when counts_suppressed
    unchanged         INTEGER,  -- last = first
    worse             INTEGER,  -- last < first
    counts_suppressed BOOLEAN,  -- one of improved/unchanged/worse is between 1 and min_cell - 1
    n_intake          INTEGER,  -- persons with an intake assessment (attrition: n_intake - n were not followed up); NULL when detail_suppressed
    mean_intake_lost  DOUBLE,   -- mean intake score of those not followed up; NULL when fewer than min_cell
    at_floor          INTEGER,  -- of n_intake, scored 1 at intake; NULL when detail_suppressed
    at_ceiling        INTEGER,  -- of n_intake, scored 5 at intake (cannot improve)
    could_improve     INTEGER,  -- of n, intake below 5: the denominator of improved
    could_worsen      INTEGER,  -- of n, intake above 1: the denominator of worse
    reliable_change   DOUBLE,   -- Jacobson-Truax threshold 1.96 * sqrt(2) * sd(intake) * sqrt(1 - reliability); NULL when sd is 0
    reliably_improved INTEGER,  -- change above reliable_change; NULL when detail_suppressed
    reliably_worse    INTEGER,  -- change below -reliable_change
    wilcoxon_p        DOUBLE,   -- Wilcoxon signed-rank test, two-sided (R's wilcox.test paired); NULL when every change is 0
    clusters          INTEGER,  -- households (a person outside households is one)
    cluster_lower     DOUBLE,   -- household-clustered 95% interval of mean_change; NULL when no household has two members
    cluster_upper     DOUBLE,
    detail_suppressed BOOLEAN,  -- one of the detail counts is between 1 and min_cell - 1
    suppressed        BOOLEAN,  -- n below min_cell: the row is not for publication
    researcher_only   BOOLEAN   -- exact values of a suppressed row, kept under disclosure.researcher_exact
)`

// DomainDetail is what a methodologist reads beside a mean change (issue 15):
// who was lost, who could move, who moved reliably, and whether household
// members carry the result.
type DomainDetail struct {
	// NIntake counts the persons with an intake assessment in the
	// programme and domain; NIntake − N were not followed up (attrition).
	// MeanIntake is the intake mean of all NIntake, MeanIntakeLost that of
	// those not followed up (NaN when none), to compare with MeanFirst.
	NIntake                    int
	MeanIntake, MeanIntakeLost float64
	// AtFloor and AtCeiling count the persons of NIntake scored 1 and 5
	// at intake: a 5 cannot improve, a 1 cannot worsen.
	AtFloor, AtCeiling int
	// CouldImprove (intake below 5) and CouldWorsen (intake above 1) count
	// the followed persons who could move each way: the denominators of
	// the shares improved and worse.
	CouldImprove, CouldWorsen int
	// ReliableChange is the Jacobson–Truax threshold (stats.JacobsonTruax,
	// intake SD of the N followed persons, the study's reliability; NaN
	// when that SD is 0); ReliablyImproved and ReliablyWorse count the
	// changes beyond it.
	ReliableChange                  float64
	ReliablyImproved, ReliablyWorse int
	// WilcoxonP is the two-sided signed-rank p-value (NaN when every
	// change is 0).
	WilcoxonP float64
	// Clusters counts the households among the N (a person outside
	// households is one); Clustered is the household-clustered 95%
	// interval of the mean change, NaN when no household has two members.
	Clusters  int
	Clustered stats.Interval
	// Transitions counts persons by intake score (row, 1–5) and follow-up
	// score (column, 1–5), scores rounded to the nearest whole point when
	// several life domains are averaged into one scored domain.
	Transitions [5][5]int
	// Suppressed withholds the counts above (and MeanIntakeLost) when one
	// of them is between 1 and MinCell − 1; transition cells are checked
	// one by one in the result table.
	Suppressed bool
}

// computeLifeDomains measures, per programme and scored domain, the change
// in self-sufficiency score (1–5) between a person's intake assessment and
// the follow-up assessment.
//
//   - Scored domain: the study's domain set (study.Study.Domains; default
//     the 11 Jouw Kracht domains, ZRM 2013 and 2017 as alternatives) mapped
//     through the study file's life_domains (default: each domain itself).
//     When several domains map to one scored domain, a person's score on
//     it at a date is the mean of their scores on those domains that date.
//   - Programme: the programme column of the assessment export; where the
//     export has none, the programme of the person's trajectory that runs
//     at the assessment date, from its start to its end plus
//     life_domain_analysis.grace_days (an open trajectory runs to the
//     cut-off); of several, the latest start (ties: the programme code
//     first in sort order). Assessments with neither are excluded, as are
//     programmes not in the study file.
//   - Intake: the person's earliest assessment date in the programme and
//     domain. Follow-up: with follow_up_months > 0, the assessment nearest
//     to intake + follow_up_months (months of 30.4375 days) within ±
//     tolerance_months (ties: the earlier); with 0, the last assessment
//     (intake → exit). Only assessments after the intake date count.
//   - Denominator N: persons with an intake and a follow-up; NIntake
//     counts everyone with an intake, so attrition is NIntake − N, with the
//     intake means of both groups (DomainDetail).
//   - Change: follow-up − intake per person; mean with the paired t 95%
//     interval (NaN limits when every change is equal, as R's t.test), the
//     Wilcoxon signed-rank p beside it, and the household-clustered
//     interval (stats.ClusteredMean, households from household_link: a
//     detainee and the members linked to them form one cluster).
//     Improved/unchanged/worse: change > 0, = 0, < 0; the shares improved
//     and worse are published over those who could move that way
//     (CouldImprove, CouldWorsen). Reliable change: Jacobson–Truax with the
//     study's reliability.
//   - Disclosure: a row with n < MinCell is Suppressed; the improved,
//     unchanged and worse counts are withheld (CountsSuppressed) when any
//     of them is between 1 and MinCell − 1; the detail counts likewise
//     (DomainDetail.Suppressed).
//
// Rows come in study programme order, then in the order of the scored
// domains' first domain in the domain set.
func computeLifeDomains(ctx context.Context, db *sql.DB, st *study.Study) ([]DomainChange, error) {
	return computeLifeDomainsIn(ctx, db, st, lifeDomainRowsPerPartition)
}

// computeLifeDomainsIn is computeLifeDomains with partitions of about
// rowsPerPartition assessment rows.
func computeLifeDomainsIn(ctx context.Context, db *sql.DB, st *study.Study, rowsPerPartition int) ([]DomainChange, error) {
	var mapping []string
	order := map[string]int{}
	for _, d := range st.Domains() {
		scored := st.ScoredDomain(d)
		if _, ok := order[scored]; !ok {
			order[scored] = len(order)
		}
		mapping = append(mapping, fmt.Sprintf("(%s, %s)", sqlList([]string{d}), sqlList([]string{scored})))
	}
	set := st.LifeDomainAnalysis
	type key struct{ programme, domain string }
	byKey := map[key]*domainPairs{}
	parts, err := lifeDomainPartitions(ctx, db, rowsPerPartition)
	if err != nil {
		return nil, err
	}
	singletons := 0 // labels the persons who are a household of their own
	for part := range parts {
		rows, err := db.QueryContext(ctx, lifeDomainSQL(st, mapping, parts, part))
		if err != nil {
			return nil, fmt.Errorf("reading life-domain assessments: %w", err)
		}
		for rows.Next() {
			var k key
			var cluster sql.NullString
			var first float64
			var last sql.NullFloat64
			var n int
			if err := rows.Scan(&k.programme, &k.domain, &cluster, &first, &last, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("reading life-domain assessments: %w", err)
			}
			p := byKey[k]
			if p == nil {
				p = &domainPairs{}
				byKey[k] = p
			}
			for range n {
				p.intakes = append(p.intakes, first)
				if !last.Valid {
					p.lost++
					p.lostSum += first
					continue
				}
				label := cluster.String
				if !cluster.Valid {
					singletons++
					label = fmt.Sprintf("\x00%d", singletons) // never a pseudonym
				}
				p.first, p.last = append(p.first, first), append(p.last, last.Float64)
				p.clusters = append(p.clusters, label)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("reading life-domain assessments: %w", err)
		}
	}
	var out []DomainChange
	for _, prog := range st.Programmes {
		var domains []string
		for k := range byKey {
			if k.programme == prog.Code && len(byKey[k].first) > 0 {
				domains = append(domains, k.domain)
			}
		}
		slices.SortFunc(domains, func(a, b string) int { return order[a] - order[b] })
		for _, d := range domains {
			out = append(out, byKey[key{prog.Code, d}].change(prog.Code, d, set.Reliability, st.MinCell))
		}
	}
	return out, nil
}

// domainPairs collects one programme and scored domain: every intake, and
// the intake and follow-up pairs.
type domainPairs struct {
	intakes     []float64 // every person's intake score
	first, last []float64 // the followed persons' intake and follow-up
	clusters    []string  // their households
	lostSum     float64
	lost        int
}

// daysPerFollowUpMonth is the month of life_domain_analysis.follow_up_months.
const daysPerFollowUpMonth = 30.4375

// lifeDomainRowsPerPartition bounds the assessment rows one life-domain
// query aggregates: the households are split into hash partitions of about
// this many rows, each aggregated by a query of its own, so that the
// aggregation's hash tables stay within DuckDB's memory limit instead of
// spilling to disk.
const lifeDomainRowsPerPartition = 2_000_000

// lifeDomainPartitions is the number of hash partitions of the
// assessments (at least 1) for about rowsPerPartition rows each.
func lifeDomainPartitions(ctx context.Context, db *sql.DB, rowsPerPartition int) (int, error) {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM assessment`).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting life-domain assessments: %w", err)
	}
	return max(1, (n+rowsPerPartition-1)/rowsPerPartition), nil
}

// lifeDomainSQL aggregates partition part of parts (households by hash)
// to what computeLifeDomains needs, without handing a row per person to
// Go: one row per programme, scored domain, intake score and follow-up
// score (NULL: not followed up) with the number of persons, where persons
// are grouped only when they are a household of their own among the
// followed persons (cluster NULL); the members of a household of two or
// more followed persons keep their household (cluster), for the clustered
// interval. Intake and follow-up are chosen per person by aggregates, as
// computeLifeDomains documents; the tie rules are the sort keys of
// arg_min.
func lifeDomainSQL(st *study.Study, mapping []string, parts, part int) string {
	set := st.LifeDomainAnalysis
	follow := `SELECT programme, scored, person_id, arg_max(score, day) AS last
    FROM per_date p JOIN intake i USING (programme, scored, person_id)
    WHERE p.day > i.day0 GROUP BY ALL`
	if set.FollowUpMonths > 0 {
		target := fmt.Sprintf("abs(p.day::DOUBLE - (i.day0::DOUBLE + %d * %v))", set.FollowUpMonths, daysPerFollowUpMonth)
		follow = fmt.Sprintf(`SELECT programme, scored, person_id, arg_min(score, {'distance': %s, 'day': p.day}) AS last
    FROM per_date p JOIN intake i USING (programme, scored, person_id)
    WHERE p.day > i.day0 AND %s <= %d * %v GROUP BY ALL`, target, target, set.ToleranceMonths, daysPerFollowUpMonth)
	}
	return fmt.Sprintf(`
WITH mapping(domain, scored) AS (VALUES %s),
household AS (
    SELECT person_id, min(detainee_id) AS cluster FROM (
        SELECT person_id, detainee_id FROM household_link
        UNION ALL SELECT detainee_id, detainee_id FROM household_link)
    GROUP BY person_id
),
part AS (
    SELECT a.file_id, a.line, a.person_id, a.programme, a.domain, a.assessment_date, a.score,
           coalesce(h.cluster, a.person_id) AS cluster
    FROM assessment a LEFT JOIN household h USING (person_id)
    WHERE hash(coalesce(h.cluster, a.person_id)) %% %d = %d
),
derived AS (
    SELECT a.file_id, a.line,
           arg_min(t.programme, {'start': -date_diff('day', DATE '2000-01-01', t.start_date), 'programme': t.programme}) AS programme
    FROM part a JOIN trajectory t ON t.person_id = a.person_id AND t.start_date <= a.assessment_date
         AND a.assessment_date <= coalesce(t.end_date, DATE '%s') + INTERVAL (%d) DAY
    WHERE a.programme IS NULL
    GROUP BY a.file_id, a.line
),
per_date AS (
    SELECT a.person_id, a.cluster, coalesce(a.programme, d.programme) AS programme, m.scored,
           date_diff('day', DATE '2000-01-01', a.assessment_date) AS day, avg(a.score) AS score
    FROM part a
    JOIN mapping m ON m.domain = a.domain
    LEFT JOIN derived d ON d.file_id = a.file_id AND d.line = a.line
    WHERE coalesce(a.programme, d.programme) IS NOT NULL
    GROUP BY ALL
),
intake AS (
    SELECT programme, scored, person_id, any_value(cluster) AS cluster, min(day) AS day0, arg_min(score, day) AS first
    FROM per_date GROUP BY programme, scored, person_id
),
follow AS (%s),
pairs AS (
    SELECT i.programme, i.scored, i.cluster, i.first, f.last
    FROM intake i LEFT JOIN follow f USING (programme, scored, person_id)
),
shared AS (
    SELECT programme, scored, cluster FROM pairs WHERE last IS NOT NULL
    GROUP BY ALL HAVING count(*) > 1
)
SELECT p.programme, p.scored, s.cluster, p.first, p.last, count(*)::INTEGER
FROM pairs p LEFT JOIN shared s ON s.programme = p.programme AND s.scored = p.scored AND s.cluster = p.cluster AND p.last IS NOT NULL
GROUP BY ALL
ORDER BY p.programme, p.scored, s.cluster NULLS FIRST, p.first, p.last NULLS FIRST`,
		strings.Join(mapping, ", "), parts, part, st.Cutoff.Format(time.DateOnly), set.GraceDays, follow)
}

// change summarises the pairs of one programme and scored domain.
func (p *domainPairs) change(programme, domain string, reliability float64, minCell int) DomainChange {
	c := domainChange(programme, domain, p.first, p.last, minCell)
	d := &c.Detail
	d.NIntake = len(p.intakes)
	sum := 0.0
	for _, s := range p.intakes {
		sum += s
		switch {
		case s <= 1:
			d.AtFloor++
		case s >= 5:
			d.AtCeiling++
		}
	}
	d.MeanIntake, d.MeanIntakeLost = sum/float64(d.NIntake), math.NaN()
	if p.lost > 0 {
		d.MeanIntakeLost = p.lostSum / float64(p.lost)
	}
	mean := 0.0
	for i, f := range p.first {
		mean += f
		if f < 5 {
			d.CouldImprove++
		}
		if f > 1 {
			d.CouldWorsen++
		}
		r, k := int(math.Round(f))-1, int(math.Round(p.last[i]))-1
		if r >= 0 && r < 5 && k >= 0 && k < 5 {
			d.Transitions[r][k]++
		}
	}
	d.ReliableChange, d.WilcoxonP, d.Clustered = math.NaN(), math.NaN(), stats.Interval{Lower: math.NaN(), Upper: math.NaN()}
	if n := len(p.first); n >= 2 {
		mean /= float64(n)
		ss := 0.0
		for _, f := range p.first {
			ss += (f - mean) * (f - mean)
		}
		if rc, err := stats.JacobsonTruax(math.Sqrt(ss/float64(n-1)), reliability, 0.95); err == nil {
			d.ReliableChange = rc.Threshold
			for i := range p.first {
				switch rc.Classify(p.last[i] - p.first[i]) {
				case 1:
					d.ReliablyImproved++
				case -1:
					d.ReliablyWorse++
				}
			}
		}
	}
	if w, err := stats.WilcoxonSignedRank(p.last, p.first); err == nil {
		d.WilcoxonP = w.P
	}
	diffs := make([]float64, len(p.first))
	for i := range diffs {
		diffs[i] = p.last[i] - p.first[i]
	}
	seen := map[string]bool{}
	for _, g := range p.clusters {
		seen[g] = true
	}
	d.Clusters = len(seen)
	if d.Clusters < len(p.clusters) {
		if e, _, err := stats.ClusteredMean(diffs, p.clusters, 0.95); err == nil {
			d.Clustered = e.Interval
		}
	}
	counts := []int{d.NIntake, d.NIntake - c.N, d.AtFloor, d.AtCeiling, d.CouldImprove, d.CouldWorsen,
		c.N - d.CouldImprove, c.N - d.CouldWorsen, d.ReliablyImproved, d.ReliablyWorse}
	for _, k := range counts {
		if k > 0 && k < minCell {
			d.Suppressed = true
		}
	}
	return c
}

// domainChange summarises the paired first and last scores of one
// programme and scored domain.
func domainChange(programme, domain string, first, last []float64, minCell int) DomainChange {
	c := DomainChange{Programme: programme, Domain: domain, N: len(first)}
	var sumFirst, sumLast, sumChange float64
	for i := range first {
		sumFirst += first[i]
		sumLast += last[i]
		d := last[i] - first[i]
		sumChange += d
		switch {
		case d > 1e-9:
			c.Improved++
		case d < -1e-9:
			c.Worse++
		default:
			c.Unchanged++
		}
	}
	n := float64(c.N)
	c.MeanFirst, c.MeanLast = sumFirst/n, sumLast/n
	if t, err := stats.PairedT(last, first, 0.95); err == nil {
		c.MeanChange = t.Difference
	} else {
		// Fewer than two persons, or every change equal: no interval.
		c.MeanChange = stats.Estimate{Value: sumChange / n, Interval: stats.Interval{Lower: math.NaN(), Upper: math.NaN()}}
	}
	c.Suppressed = c.N < minCell
	for _, k := range []int{c.Improved, c.Unchanged, c.Worse} {
		if k > 0 && k < minCell {
			c.CountsSuppressed = true
		}
	}
	return c
}

// lifeDomainTable renders the changes, not yet redacted, as table
// life_domain_change.
func lifeDomainTable(changes []DomainChange, researcherExact bool) table {
	t := table{name: "life_domain_change", ddl: ddlLifeDomainChange}
	for _, c := range changes {
		withheld, ro := cells(c.Suppressed, researcherExact)
		row := []any{c.Programme, c.Domain}
		row = append(row, hide(withheld, c.N, num(c.MeanFirst), num(c.MeanLast),
			num(c.MeanChange.Value), num(c.MeanChange.Lower), num(c.MeanChange.Upper))...)
		countsWithheld := withheld || (c.CountsSuppressed && !researcherExact)
		row = append(row, hide(countsWithheld, c.Improved, c.Unchanged, c.Worse)...)
		row = append(row, c.CountsSuppressed)
		d := c.Detail
		detailWithheld := withheld || (d.Suppressed && !researcherExact)
		row = append(row, hide(detailWithheld, d.NIntake, num(d.MeanIntakeLost), d.AtFloor, d.AtCeiling, d.CouldImprove, d.CouldWorsen)...)
		row = append(row, hide(withheld, num(d.ReliableChange))...)
		row = append(row, hide(detailWithheld, d.ReliablyImproved, d.ReliablyWorse)...)
		row = append(row, hide(withheld, num(d.WilcoxonP), d.Clusters, num(d.Clustered.Lower), num(d.Clustered.Upper))...)
		t.rows = append(t.rows, append(row, d.Suppressed, c.Suppressed, ro || ((c.CountsSuppressed || d.Suppressed) && researcherExact)))
	}
	return t
}

// redactDomainChange clears what may not be published.
func redactDomainChange(c *DomainChange) {
	if c.Suppressed {
		c.N, c.MeanFirst, c.MeanLast, c.MeanChange = 0, 0, 0, stats.Estimate{}
	}
	if c.Suppressed || c.CountsSuppressed {
		c.Improved, c.Unchanged, c.Worse = 0, 0, 0
	}
	if c.Suppressed || c.Detail.Suppressed {
		d := &c.Detail
		d.NIntake, d.MeanIntakeLost, d.AtFloor, d.AtCeiling, d.CouldImprove, d.CouldWorsen = 0, math.NaN(), 0, 0, 0, 0
		d.ReliablyImproved, d.ReliablyWorse = 0, 0
	}
	if c.Suppressed {
		c.Detail = DomainDetail{ReliableChange: math.NaN(), WilcoxonP: math.NaN(), MeanIntake: math.NaN(), MeanIntakeLost: math.NaN(),
			Clustered: stats.Interval{Lower: math.NaN(), Upper: math.NaN()}}
	}
	// The transitions are published in the database (see transitionTable)
	// and, when every cell may be published, in the report (markDomains).
	if !c.TransitionsPublished {
		c.Detail.Transitions = [5][5]int{}
	}
}

const ddlLifeDomainTransition = `CREATE OR REPLACE TABLE life_domain_transition (
    programme       VARCHAR,
    domain          VARCHAR,
    intake_score    INTEGER,  -- 1-5 (rounded when domains are averaged)
    followup_score  INTEGER,  -- 1-5
    n               INTEGER,  -- persons; NULL when suppressed
    suppressed      BOOLEAN,  -- the whole table of the programme and domain: a cell between 1 and min_cell - 1, or the row is suppressed
    researcher_only BOOLEAN
)`

// transitionTable renders every change's intake × follow-up table, 25 rows
// per programme and domain. It is suppressed as a whole when any cell is
// between 1 and minCell − 1 (or the change row is suppressed): with the
// floor, ceiling and could-move counts published, one hidden cell could
// otherwise be recovered by subtraction.
func transitionTable(changes []DomainChange, minCell int, researcherExact bool) table {
	t := table{name: "life_domain_transition", ddl: ddlLifeDomainTransition}
	for _, c := range changes {
		hidden := c.Suppressed
		for _, row := range c.Detail.Transitions {
			for _, k := range row {
				hidden = hidden || (k > 0 && k < minCell)
			}
		}
		withheld, ro := cells(hidden, researcherExact)
		for i, row := range c.Detail.Transitions {
			for j, k := range row {
				t.rows = append(t.rows, append([]any{c.Programme, c.Domain, i + 1, j + 1}, append(hide(withheld, k), hidden, ro)...))
			}
		}
	}
	return t
}
