package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/outcomes-research/outcomes/study"
)

// ReferenceSummary says, per programme with subjects of its own, which
// reference dates its subjects got and who had none (computeReferenceDates).
type ReferenceSummary struct {
	Programme string
	Outcome   study.OutcomeKind
	// Setting is the study file's reference_date, "" for the outcome
	// kind's default.
	Setting study.ProgrammeReference
	// Persons have a trajectory in the programme; Subjects are those with
	// a reference date on or before the cut-off; Excluded = Persons −
	// Subjects (no trajectory with the chosen date, or only later ones).
	Persons, Subjects, Excluded int
	// Sources counts the subjects by the date their reference is
	// (release, start, end, exit_to_housing), in that order; absent
	// sources are left out.
	Sources []SourceCount
	// Delayed counts the subjects whose programme starts after their
	// reference date (aftercare after release): they enter the risk set
	// late (delayed entry). GapP25, GapMedian and GapP75 are the quartiles
	// of those days (R's quantile type 7), NaN when none.
	Delayed                   int
	GapP25, GapMedian, GapP75 float64
	// What referenceTable withholds: a small count, and what the
	// published counts would give by subtraction (persons − subjects =
	// excluded; subjects − a source or the delayed entries).
	hiddenPersons, hiddenSubjects, hiddenExcluded, hiddenDelay bool
	minCell                                                    int
}

// ReferenceSmall and ReferenceWithheld stand for a count of a
// ReferenceSummary that is not published: between 1 and min_cell − 1, or
// withheld because the published counts would give it by subtraction.
const (
	ReferenceSmall    = -1
	ReferenceWithheld = -2
)

// SourceCount is one source of reference dates and its subjects.
type SourceCount struct {
	Source string
	N      int
	hidden bool
}

// computeReferenceDates summarises the reference dates of outcome_subject
// per programme: the chosen date (study.Programme.Reference), the persons
// with a trajectory and the subjects, the source of each subject's date,
// and the gap from the reference date to the programme start. Counts
// between 1 and min_cell − 1 are not published (nor the quartiles of fewer
// than min_cell gaps).
func computeReferenceDates(ctx context.Context, db *sql.DB, st *study.Study) ([]ReferenceSummary, error) {
	var out []ReferenceSummary
	for _, p := range st.Programmes {
		if d, ok := p.Outcome.Definition(); !ok || !d.OwnSubjects() {
			continue
		}
		r := ReferenceSummary{Programme: p.Code, Outcome: p.Outcome, Setting: p.Reference, minCell: st.MinCell}
		var q1, q2, q3 sql.NullFloat64
		err := db.QueryRowContext(ctx, `
SELECT (SELECT count(DISTINCT person_id) FROM trajectory WHERE programme = $1),
       count(*), count(*) FILTER (WHERE entry_days > 0),
       quantile_cont(entry_days, 0.25) FILTER (WHERE entry_days > 0),
       quantile_cont(entry_days, 0.5) FILTER (WHERE entry_days > 0),
       quantile_cont(entry_days, 0.75) FILTER (WHERE entry_days > 0)
FROM outcome_subject WHERE programme = $1 AND outcome = $2 AND ref_date <= censor_date AND entered`, p.Code, string(p.Outcome)).
			Scan(&r.Persons, &r.Subjects, &r.Delayed, &q1, &q2, &q3)
		if err != nil {
			return nil, fmt.Errorf("summarising the reference dates of %s: %w", p.Code, err)
		}
		r.Excluded = r.Persons - r.Subjects
		r.GapP25, r.GapMedian, r.GapP75 = nullNaN(q1), nullNaN(q2), nullNaN(q3)
		for _, src := range []string{"release", "start", "end", "exit_to_housing"} {
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM outcome_subject WHERE programme = $1 AND outcome = $2 AND ref_date <= censor_date AND entered AND ref_source = $3`,
				p.Code, string(p.Outcome), src).Scan(&n); err != nil {
				return nil, fmt.Errorf("summarising the reference dates of %s: %w", p.Code, err)
			}
			if n > 0 {
				r.Sources = append(r.Sources, SourceCount{Source: src, N: n})
			}
		}
		markReference(&r)
		out = append(out, r)
	}
	return out, nil
}

// markReference decides what of r referenceTable withholds. Subjects is the
// n of the programme's rates: small, it is hidden, and so is every count it
// would give by subtraction (persons − subjects, subjects − a source or the
// delayed entries). A small excluded count hides the persons, who would
// give it by subtraction; a small source or delayed count, or a small rest,
// hides that count.
func markReference(r *ReferenceSummary) {
	small := func(k int) bool { return k > 0 && k < r.minCell }
	r.hiddenSubjects = small(r.Subjects)
	r.hiddenExcluded = small(r.Excluded) || r.hiddenSubjects
	r.hiddenPersons = small(r.Persons) || small(r.Excluded)
	r.hiddenDelay = small(r.Delayed) || small(r.Subjects-r.Delayed) || r.hiddenSubjects
	for i := range r.Sources {
		n := r.Sources[i].N
		r.Sources[i].hidden = small(n) || small(r.Subjects-n) || r.hiddenSubjects
	}
}

func nullNaN(v sql.NullFloat64) float64 {
	if !v.Valid {
		return math.NaN()
	}
	return v.Float64
}

// ddlReferenceDate is the reference_date table (doc.go, "Result tables").
const ddlReferenceDate = `CREATE OR REPLACE TABLE reference_date (
    programme       VARCHAR,
    outcome         VARCHAR,
    setting         VARCHAR,  -- the study file's reference_date; default: the outcome kind's rule
    persons         INTEGER,  -- persons with a trajectory in the programme
    subjects        INTEGER,  -- of them, with a reference date on or before the cut-off
    excluded        INTEGER,  -- persons - subjects: no trajectory with the chosen date (or only after the cut-off); NULL when 1..min_cell-1
    source          VARCHAR,  -- release, start, end, exit_to_housing: the date the subjects' reference is
    n               INTEGER,  -- subjects with this source; NULL when it, or the subjects without it, is 1..min_cell-1
    delayed_entry   INTEGER,  -- subjects whose programme starts after the reference date (they enter the risk set at the start); NULL when 1..min_cell-1
    gap_p25         DOUBLE,   -- quartiles of those days from reference date to programme start; NULL when delayed_entry is hidden or 0
    gap_median      DOUBLE,
    gap_p75         DOUBLE
)`

// referenceTable renders the summaries, one row per programme and source.
func referenceTable(res *Results) table {
	t := table{name: "reference_date", ddl: ddlReferenceDate}
	for _, r := range res.References {
		setting := string(r.Setting)
		if setting == "" {
			setting = "default"
		}
		var persons, subjects, excluded, delayed, q1, q2, q3 any = r.Persons, r.Subjects, r.Excluded, r.Delayed, num(r.GapP25), num(r.GapMedian), num(r.GapP75)
		if r.hiddenPersons {
			persons = nil
		}
		if r.hiddenSubjects {
			subjects = nil
		}
		if r.hiddenExcluded {
			excluded = nil
		}
		if r.hiddenDelay {
			delayed, q1, q2, q3 = nil, nil, nil, nil
		}
		if len(r.Sources) == 0 {
			t.rows = append(t.rows, []any{r.Programme, string(r.Outcome), setting, persons, subjects, excluded, nil, nil, delayed, q1, q2, q3})
		}
		for _, s := range r.Sources {
			var n any = s.N
			if s.hidden {
				n = nil
			}
			t.rows = append(t.rows, []any{r.Programme, string(r.Outcome), setting, persons, subjects, excluded, s.Source, n, delayed, q1, q2, q3})
		}
	}
	return t
}

// redactReferences clears what referenceTable withholds: a count below
// min_cell becomes ReferenceSmall, one withheld only because it would give
// another by subtraction ReferenceWithheld.
func redactReferences(res *Results) {
	for i := range res.References {
		r := &res.References[i]
		mark := func(k int) int {
			if k > 0 && k < r.minCell {
				return ReferenceSmall
			}
			return ReferenceWithheld
		}
		if r.hiddenPersons {
			r.Persons = mark(r.Persons)
		}
		if r.hiddenSubjects {
			r.Subjects = mark(r.Subjects)
		}
		if r.hiddenExcluded {
			r.Excluded = mark(r.Excluded)
		}
		if r.hiddenDelay {
			r.Delayed, r.GapP25, r.GapMedian, r.GapP75 = mark(r.Delayed), math.NaN(), math.NaN(), math.NaN()
		}
		for j := range r.Sources {
			if r.Sources[j].hidden {
				r.Sources[j].N = mark(r.Sources[j].N)
			}
		}
	}
}
