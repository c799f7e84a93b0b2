package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/outcomes-research/outcomes/study"
)

// Ascertainment is, for one programme and outcome, the share of the
// programme's subjects who can be found at all in the sources that record
// the outcome's events. A person linked by the fallback key (surname, birth
// date, sex) has a pseudonym that only a source carrying names can
// reproduce; in a source with national IDs only (a justice extract without
// surnames) such a person never has an event, whatever happened. Zero
// events among people who cannot be found is a linkage gap, not an outcome.
//
// Sources: the study file's exports that can hold the outcome's qualifying
// events: events files whose event type is one of the outcome's (by
// constant, or mapped as a column), and, for outcomes that count shelter
// stays, trajectories files. A source "carries names" when it maps the
// surname (or, pseudonymised by its supplier, the fallback pseudonym).
// Findable means found by every source: every subject when all sources
// carry names; otherwise the subjects whose person is linked by national ID
// (person.linkage not fallback), since a fallback-linked person's events in
// a source without names are never seen. Population: the subjects of the survival curve (reference date
// on or before the cut-off).
type Ascertainment struct {
	Programme string
	Outcome   study.OutcomeKind
	// N is the subjects; Findable those who can be found in the sources.
	N, Findable int
	// Sources names the source files ("partner: path", the path relative to
	// the study file) considered, and
	// NamedSources those of them that carry names.
	Sources, NamedSources []string
	// Suppressed withholds N and Findable when N, Findable or N − Findable
	// is between 1 and MinCell − 1; Share is then unknown to reports, who
	// see only that it is below 100% (Complete false) or not.
	Suppressed bool
	// NPublished: N is published although the row is suppressed (see
	// subjectsPublished); Findable and Share stay withheld.
	NPublished bool
	// Complete is Findable == N: zero events can then be read as zero.
	Complete bool
}

// Share is Findable/N; NaN for N 0.
func (a Ascertainment) Share() float64 {
	if a.N == 0 {
		return math.NaN()
	}
	return float64(a.Findable) / float64(a.N)
}

// outcomeSources returns the study's files that can record the outcome's
// events, and those of them that carry names.
func outcomeSources(st *study.Study, outcome study.OutcomeKind) (all, named []string) {
	def, ok := outcome.Definition()
	if !ok || def.Events.EventTypes == nil {
		return nil, nil
	}
	return sourcesOf(st, def.Events.EventTypes(st.Outcomes), def.Events.ShelterStays)
}

// sourcesOf returns the study's files that can hold events of the given
// types (and, with shelterStays, the trajectories files), and those of them
// that carry names: the one rule of which persons a source can find, used
// by the ascertainment and by the prior-offence covariate (priorKnownSQL).
func sourcesOf(st *study.Study, types []string, shelterStays bool) (all, named []string) {
	for _, p := range st.Partners {
		for _, f := range p.Files {
			counts := false
			switch f.Kind {
			case study.KindEvents:
				if c, ok := f.Constants[study.FieldEventType]; ok {
					counts = slices.Contains(types, c)
				} else {
					_, counts = f.Columns[study.FieldEventType]
				}
			case study.KindTrajectories:
				counts = shelterStays
			}
			if !counts {
				continue
			}
			rel := f.Path
			if r, err := filepath.Rel(st.Dir, f.Path); err == nil && st.Dir != "" {
				rel = r
			}
			name := p.Name + ": " + filepath.ToSlash(rel)
			all = append(all, name)
			_, surname := f.Columns[study.FieldSurname]
			_, fallback := f.Columns[study.FieldFallbackID]
			if surname || fallback {
				named = append(named, name)
			}
		}
	}
	return all, named
}

// computeAscertainment counts, per programme with subjects of its own, the
// subjects and those findable in the outcome's sources.
func computeAscertainment(ctx context.Context, db *sql.DB, st *study.Study) ([]Ascertainment, error) {
	var out []Ascertainment
	for _, p := range st.Programmes {
		if windows(st, p.Outcome) == nil {
			continue
		}
		all, named := outcomeSources(st, p.Outcome)
		a := Ascertainment{Programme: p.Code, Outcome: p.Outcome, Sources: all, NamedSources: named}
		if err := db.QueryRowContext(ctx, `
SELECT count(*), count(*) FILTER (WHERE $3 OR coalesce(pe.linkage, '') <> 'fallback')
FROM outcome_subject s LEFT JOIN person pe USING (person_id)
WHERE s.programme = $1 AND s.outcome = $2 AND s.ref_date <= s.censor_date AND s.entered`, p.Code, p.Outcome, len(all) > 0 && len(named) == len(all)).Scan(&a.N, &a.Findable); err != nil {
			return nil, fmt.Errorf("counting the ascertainment of %s for %s: %w", p.Outcome, p.Code, err)
		}
		a.Complete = a.Findable == a.N
		a.Suppressed = tooSmallCount(a.N, st.MinCell) || tooSmallCount(a.Findable, st.MinCell) || tooSmallCount(a.N-a.Findable, st.MinCell)
		a.NPublished = a.Suppressed && subjectsPublished(a.N, rulesOf(st))
		out = append(out, a)
	}
	return out, nil
}

// tooSmallCount is a count between 1 and minCell − 1.
func tooSmallCount(k, minCell int) bool { return k > 0 && k < minCell }

const ddlAscertainment = `CREATE OR REPLACE TABLE ascertainment (
    programme       VARCHAR,
    outcome         VARCHAR,
    n               INTEGER,  -- subjects (those of survival_curve); NULL when 1..min_cell-1 (published with a suppressed row otherwise: reference_date publishes them too)
    findable        INTEGER,  -- of them, can be found in the outcome's sources; NULL when suppressed
    share           DOUBLE,   -- findable / n; NULL when suppressed
    complete        BOOLEAN,  -- findable = n: a zero can be read as zero
    sources         VARCHAR,  -- the export files that can record the outcome's events (partner: path, comma-separated)
    named_sources   VARCHAR,  -- those of them that carry names; fallback-linked persons count as findable only when all do
    suppressed      BOOLEAN,
    researcher_only BOOLEAN
)`

// ascertainmentTable renders Results.Ascertainment, not yet redacted.
func ascertainmentTable(res *Results, researcherExact bool) table {
	t := table{name: "ascertainment", ddl: ddlAscertainment}
	for _, a := range res.Ascertainment {
		withheld, ro := cells(a.Suppressed, researcherExact)
		row := []any{a.Programme, a.Outcome}
		row = append(row, hide(withheld, a.N, a.Findable, num(a.Share()))...)
		if a.NPublished {
			row[2] = a.N
		}
		t.rows = append(t.rows, append(row, a.Complete, nullIf(strings.Join(a.Sources, ",")), nullIf(strings.Join(a.NamedSources, ",")), a.Suppressed, ro))
	}
	return t
}

func redactAscertainment(res *Results) {
	for i := range res.Ascertainment {
		if a := &res.Ascertainment[i]; a.Suppressed {
			if !a.NPublished {
				a.N = 0
			}
			a.Findable = 0
		}
	}
}
