package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"

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
    suppressed        BOOLEAN,  -- n below min_cell: the row is not for publication
    researcher_only   BOOLEAN   -- exact values of a suppressed row, kept under disclosure.researcher_exact
)`

// computeLifeDomains measures, per programme and scored domain, the change
// in self-sufficiency score (1–5) between a person's first and last
// assessment.
//
//   - Scored domain: the study file's life_domains mapping of the canonical
//     life domain (default: the life domain itself). When several life
//     domains map to one scored domain, a person's score on it at a date is
//     the mean of their scores on those life domains that date (so is
//     several rows for one domain on one date).
//   - Programme: the programme column of the assessment export; where the
//     export has none, the programme of the person's trajectory with the
//     latest start on or before the assessment date (ties: the programme
//     code first in sort order). Assessments with neither are excluded, as
//     are programmes not in the study file.
//   - Denominator: persons with assessments on at least two dates in the
//     programme and scored domain; first and last are the earliest and
//     latest of those dates (no window: every assessment up to the cut-off
//     counts). A person counts once per programme and scored domain.
//   - Change: last − first per person; mean with the paired t 95% interval
//     (stats.PairedT of last against first), whose limits are NaN when every
//     person's change is the same (the interval is then not defined, as in
//     R's t.test). Improved/unchanged/worse: change > 0, = 0, < 0.
//   - Disclosure: a row with n < MinCell is Suppressed; the improved,
//     unchanged and worse counts are withheld (CountsSuppressed) when any
//     of them is between 1 and MinCell − 1.
//
// Rows come in study programme order, then in the order of the scored
// domains' first life domain in study.LifeDomains.
func computeLifeDomains(ctx context.Context, db *sql.DB, st *study.Study) ([]DomainChange, error) {
	var mapping []string
	order := map[string]int{}
	for _, d := range study.LifeDomains() {
		scored := st.ScoredDomain(d)
		if _, ok := order[scored]; !ok {
			order[scored] = len(order)
		}
		mapping = append(mapping, fmt.Sprintf("(%s, %s)", sqlList([]string{d}), sqlList([]string{scored})))
	}
	q := fmt.Sprintf(`
WITH mapping(domain, scored) AS (VALUES %s),
derived AS (
    SELECT a.file_id, a.line, t.programme
    FROM assessment a JOIN trajectory t ON t.person_id = a.person_id AND t.start_date <= a.assessment_date
    WHERE a.programme IS NULL
    QUALIFY row_number() OVER (PARTITION BY a.file_id, a.line ORDER BY t.start_date DESC, t.programme) = 1
),
per_date AS (
    SELECT a.person_id, coalesce(a.programme, d.programme) AS programme, m.scored,
           a.assessment_date AS adate, avg(a.score) AS score
    FROM assessment a
    JOIN mapping m ON m.domain = a.domain
    LEFT JOIN derived d ON d.file_id = a.file_id AND d.line = a.line
    WHERE coalesce(a.programme, d.programme) IS NOT NULL
    GROUP BY ALL
)
SELECT programme, scored, arg_min(score, adate), arg_max(score, adate)
FROM per_date
GROUP BY programme, scored, person_id
HAVING count(*) >= 2
ORDER BY programme, scored, person_id`, strings.Join(mapping, ", "))
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("reading life-domain assessments: %w", err)
	}
	defer rows.Close()
	type key struct{ programme, domain string }
	type pairs struct{ first, last []float64 }
	byKey := map[key]*pairs{}
	for rows.Next() {
		var k key
		var first, last float64
		if err := rows.Scan(&k.programme, &k.domain, &first, &last); err != nil {
			return nil, fmt.Errorf("reading life-domain assessments: %w", err)
		}
		p := byKey[k]
		if p == nil {
			p = &pairs{}
			byKey[k] = p
		}
		p.first, p.last = append(p.first, first), append(p.last, last)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading life-domain assessments: %w", err)
	}
	var out []DomainChange
	for _, prog := range st.Programmes {
		var domains []string
		for k := range byKey {
			if k.programme == prog.Code {
				domains = append(domains, k.domain)
			}
		}
		slices.SortFunc(domains, func(a, b string) int { return order[a] - order[b] })
		for _, d := range domains {
			p := byKey[key{prog.Code, d}]
			out = append(out, domainChange(prog.Code, d, p.first, p.last, st.MinCell))
		}
	}
	return out, nil
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
		t.rows = append(t.rows, append(row, c.CountsSuppressed, c.Suppressed, ro || (c.CountsSuppressed && researcherExact)))
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
}
