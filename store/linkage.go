package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	_ "embed"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/outcomes-research/outcomes/link"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/study"
)

//go:embed linkage.sql
var linkageSQL string

// probabilisticStep marks, in Link's steps, where the probabilistic step
// runs: after the exact fallback join, before the person table is built.
const probabilisticStep = "-- probabilistic linkage"

// Probabilistic configures the probabilistic linkage step of Link.
type Probabilistic struct {
	// Upper is the match probability from which two persons are merged;
	// Lower the probability from which a pair below Upper goes to clerical
	// review. 0 < Lower <= Upper < 1.
	Upper, Lower float64
	// OneToOne lists partners whose records of different pseudonyms are
	// different persons (a register with one row per client).
	OneToOne []string
	// Decisions are clerical decisions from earlier runs' review.
	Decisions []Decision
}

// Decision is a clerical decision on a reviewed pair, by the record
// references of linkage_review.
type Decision struct {
	A, B RecordRef
	// Link: the two are one person; else they are two.
	Link bool
}

// RecordRef names a record by its partner's own reference.
type RecordRef struct {
	Partner, File string
	Line          int64
}

// SetProbabilistic turns the probabilistic step of Link on (p non-nil) or
// off. Off, the default, Link is the exact linkage alone.
func (s *Store) SetProbabilistic(p *Probabilistic) { s.probabilistic = p }

// probabilisticFromStudy sets the probabilistic step from the study's
// linkage.probabilistic block (none: off), reading its decision file.
func (s *Store) probabilisticFromStudy(st *study.Study) error {
	lp := st.Linkage.Probabilistic
	if lp == nil {
		return nil
	}
	p := &Probabilistic{Upper: lp.Upper, Lower: lp.Lower, OneToOne: lp.OneToOne}
	if lp.Decisions != "" {
		var err error
		if p.Decisions, err = ReadDecisions(lp.Decisions); err != nil {
			return err
		}
	}
	s.SetProbabilistic(p)
	return nil
}

// Decision file columns: linkage_review's record references, then the
// decision. Other columns (weight, pattern) may be present and are ignored.
var decisionColumns = []string{"partner_a", "file_a", "line_a", "partner_b", "file_b", "line_b", "decision"}

// ReadDecisions reads a clerical decision file: a CSV file with a header
// holding at least decisionColumns, one reviewed pair per row, decision
// "link" (one person) or "distinct" (two); a row with an empty decision is
// skipped (not yet reviewed). Errors name the line and column, never a
// value.
func ReadDecisions(path string) ([]Decision, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading decision file: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("reading decision file %s: %w", path, err)
	}
	at := map[string]int{}
	for i, h := range header {
		at[strings.TrimSpace(strings.ToLower(h))] = i
	}
	for _, c := range decisionColumns {
		if _, ok := at[c]; !ok {
			return nil, fmt.Errorf("decision file %s: no column %s (the columns are those of linkage_review, plus decision)", path, c)
		}
	}
	var out []Decision
	for line := 2; ; line++ {
		row, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("decision file %s: %w", path, err)
		}
		get := func(c string) string {
			if i := at[c]; i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		var d Decision
		switch strings.ToLower(get("decision")) {
		case "":
			continue
		case "link":
			d.Link = true
		case "distinct":
		default:
			return nil, fmt.Errorf("decision file %s, line %d, column decision: write link or distinct", path, line)
		}
		la, errA := strconv.ParseInt(get("line_a"), 10, 64)
		lb, errB := strconv.ParseInt(get("line_b"), 10, 64)
		if errA != nil || errB != nil {
			return nil, fmt.Errorf("decision file %s, line %d: line_a and line_b must be line numbers", path, line)
		}
		d.A = RecordRef{Partner: get("partner_a"), File: get("file_a"), Line: la}
		d.B = RecordRef{Partner: get("partner_b"), File: get("file_b"), Line: lb}
		out = append(out, d)
	}
}

// writeEncodings appends a batch's keyed encodings to record_encoding.
func (fl *FileLoader) writeEncodings(b pseudonymise.Batch) error {
	enc := b.Encodings()
	if len(enc) == 0 {
		return nil
	}
	if fl.encodings == nil {
		err := fl.s.conn.Raw(func(dc any) error {
			a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "record_encoding")
			fl.encodings = a
			return err
		})
		if err != nil {
			return fmt.Errorf("preparing encodings table: %w", err)
		}
	}
	blob := func(b []byte) any {
		if b == nil {
			return nil
		}
		return b
	}
	for _, e := range enc {
		if err := fl.encodings.AppendRow(int32(fl.ID), e.Line, blob(e.Surname), blob(e.SurnameParts), blob(e.Birth), blob(e.Given)); err != nil {
			return fmt.Errorf("writing encodings of %s: %w", b.File, err)
		}
	}
	return nil
}

// entity is one exact pseudonym with encodings: its pseudonym, whether it
// has a national ID, and the record that represents it (by its partner's
// reference), whose encodings go to package link. The encodings themselves
// are held only in the []link.Record handed to link.Link, which reads them
// in place (no second copy), so they are freed once Link returns.
type entity struct {
	person string
	ref    RecordRef
	anchor bool
}

// linkProbabilistic runs the model (package link) on the persons that have
// encodings, one representative record each (its first with a surname, by
// file and line, else its first), merges each cluster into its person with
// a national ID (else its smallest pseudonym), and records the model, the
// weights, the merges and the pairs for review.
func (s *Store) linkProbabilistic(ctx context.Context, p Probabilistic) error {
	rows, err := s.conn.QueryContext(ctx, `
		WITH rec AS (
		    SELECT person_id, linkage, file_id, line, sex, birth_year, partner FROM trajectory
		    UNION ALL SELECT person_id, linkage, file_id, line, sex, birth_year, partner FROM event
		    UNION ALL SELECT person_id, linkage, file_id, line, sex, birth_year, partner FROM assessment
		    UNION ALL SELECT person_id, linkage, file_id, line, sex, birth_year, partner FROM household_link
		), anchors AS (
		    SELECT person_id, bool_or(linkage = 'bsn') AS anchor FROM rec GROUP BY person_id
		), firsts AS (
		    SELECT r.person_id, r.partner, f.file, r.line, r.sex, r.birth_year, e.surname, e.surname_parts, e.birth, e.given
		    FROM rec r JOIN record_encoding e USING (file_id, line) JOIN source_file f USING (file_id)
		    QUALIFY row_number() OVER (PARTITION BY r.person_id ORDER BY e.surname IS NULL, e.given IS NULL, r.file_id, r.line) = 1
		)
		SELECT person_id, anchor, partner, file, line, coalesce(sex, ''), coalesce(birth_year, 0), surname, surname_parts, birth, given
		FROM firsts JOIN anchors USING (person_id) ORDER BY person_id`)
	if err != nil {
		return fmt.Errorf("reading encodings: %w", err)
	}
	var ents []entity
	var records []link.Record
	partners := map[string]int32{}
	// Partner and file names repeat on every row: one copy each.
	names := map[string]string{}
	intern := func(v string) string {
		if w, ok := names[v]; ok {
			return w
		}
		names[v] = v
		return v
	}
	for rows.Next() {
		var e entity
		var rec link.Record
		var sex string
		var year int32
		if err := rows.Scan(&e.person, &e.anchor, &e.ref.Partner, &e.ref.File, &e.ref.Line, &sex, &year,
			&rec.Surname, &rec.SurnameParts, &rec.Birth, &rec.Given); err != nil {
			rows.Close()
			return fmt.Errorf("reading encodings: %w", err)
		}
		e.ref.Partner, e.ref.File = intern(e.ref.Partner), intern(e.ref.File)
		if sex != "" {
			rec.Sex = sex[0]
		}
		rec.BirthYear, rec.Anchor = year, e.anchor
		src, ok := partners[e.ref.Partner]
		if !ok {
			src = int32(len(partners))
			partners[e.ref.Partner] = src
		}
		rec.Source = src
		ents = append(ents, e)
		records = append(records, rec)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading encodings: %w", err)
	}

	cfg := link.Config{Upper: link.ProbabilityWeight(p.Upper), Lower: link.ProbabilityWeight(p.Lower),
		OneToOne: map[int32]bool{}, Decisions: map[[2]int32]bool{}}
	for _, name := range p.OneToOne {
		if src, ok := partners[name]; ok {
			cfg.OneToOne[src] = true
		}
	}
	if len(p.Decisions) > 0 {
		byRef := make(map[RecordRef]int32, len(ents))
		for i, e := range ents {
			byRef[e.ref] = int32(i)
		}
		for _, d := range p.Decisions {
			a, okA := byRef[d.A]
			b, okB := byRef[d.B]
			if okA && okB && a != b {
				cfg.Decisions[[2]int32{min(a, b), max(a, b)}] = d.Link
			}
		}
	}
	res := link.Link(records, cfg)

	// Each cluster goes to its anchor (national ID), else its first
	// member (the smallest pseudonym, entities being in pseudonym order).
	target := map[int32]int32{}
	for i, c := range res.Cluster {
		if _, ok := target[c]; !ok || ents[i].anchor {
			if !ok || !ents[target[c]].anchor {
				target[c] = int32(i)
			}
		}
	}
	weightOf := map[int32]float64{}
	for _, l := range res.Links {
		weightOf[l.I] = math.Max(weightOf[l.I], float64(l.Weight))
		weightOf[l.J] = math.Max(weightOf[l.J], float64(l.Weight))
	}
	err = s.appendRows(ctx, "linkage_map", func(add func(...driver.Value) error) error {
		for i, c := range res.Cluster {
			if t := target[c]; t != int32(i) {
				w := weightOf[int32(i)]
				if math.IsInf(w, 0) {
					w = math.MaxFloat64 // a clerical decision
				}
				if err := add(ents[i].person, ents[t].person, w); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = s.appendRows(ctx, "linkage_model", func(add func(...driver.Value) error) error {
		for f := 0; f < link.NumFields; f++ {
			for l := 1; l < link.Levels[f]; l++ {
				if err := add(link.FieldNames[f], link.LevelNames[f][l], res.Model.M[f][l], res.Model.U[f][l]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = s.appendRows(ctx, "linkage_weight", func(add func(...driver.Value) error) error {
		for k, n := range res.Histogram {
			if n > 0 {
				if err := add(int32(link.HistogramMin+k), n); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = s.appendRows(ctx, "linkage_review", func(add func(...driver.Value) error) error {
		for _, r := range res.Review {
			a, b := ents[r.I].ref, ents[r.J].ref
			id := sha256.Sum256(fmt.Appendf(nil, "%q|%q|%d|%q|%q|%d", a.Partner, a.File, a.Line, b.Partner, b.File, b.Line))
			if err := add(hex.EncodeToString(id[:8]), a.Partner, a.File, a.Line, b.Partner, b.File, b.Line, float64(r.Weight), describe(r.Pattern)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := s.conn.ExecContext(ctx, `INSERT INTO linkage_run VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		len(ents), res.Model.Candidates, res.Model.Lambda, cfg.Upper, cfg.Lower,
		len(res.Links), len(res.Review), res.Refused, res.SkippedBlocks, len(cfg.Decisions)); err != nil {
		return fmt.Errorf("recording the linkage: %w", err)
	}
	for _, q := range []string{
		`INSERT INTO linkage_row SELECT file_id, line, person_id FROM trajectory WHERE person_id IN (SELECT person_id FROM linkage_map)`,
		`INSERT INTO linkage_row SELECT file_id, line, person_id FROM event WHERE person_id IN (SELECT person_id FROM linkage_map)`,
		`INSERT INTO linkage_row SELECT file_id, line, person_id FROM assessment WHERE person_id IN (SELECT person_id FROM linkage_map)`,
		`INSERT INTO linkage_row SELECT file_id, line, person_id FROM household_link WHERE person_id IN (SELECT person_id FROM linkage_map)`,
		`UPDATE trajectory SET person_id = m.linked_to FROM linkage_map m WHERE trajectory.person_id = m.person_id`,
		`UPDATE event SET person_id = m.linked_to FROM linkage_map m WHERE event.person_id = m.person_id`,
		`UPDATE assessment SET person_id = m.linked_to FROM linkage_map m WHERE assessment.person_id = m.person_id`,
		`UPDATE household_link SET person_id = m.linked_to FROM linkage_map m WHERE household_link.person_id = m.person_id`,
		`UPDATE household_link SET detainee_id = m.linked_to FROM linkage_map m WHERE household_link.detainee_id = m.person_id`,
	} {
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("applying the linkage: %w", err)
		}
	}
	return nil
}

// describe spells a comparison pattern for the review file.
func describe(p link.Pattern) string {
	var parts []string
	for f := 0; f < link.NumFields; f++ {
		if l := p.Level(f); l != 0 {
			parts = append(parts, link.FieldNames[f]+"="+link.LevelNames[f][l])
		}
	}
	return strings.Join(parts, " ")
}

// appendRows appends rows to table through a DuckDB appender.
func (s *Store) appendRows(ctx context.Context, table string, fill func(add func(...driver.Value) error) error) error {
	var a *duckdb.Appender
	err := s.conn.Raw(func(dc any) error {
		var err error
		a, err = duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
		return err
	})
	if err != nil {
		return fmt.Errorf("preparing %s: %w", table, err)
	}
	if err := fill(a.AppendRow); err != nil {
		a.Close()
		return fmt.Errorf("writing %s: %w", table, err)
	}
	if err := a.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", table, err)
	}
	return nil
}

//go:embed linkage_quality.sql
var linkageQualitySQL string

// LinkageQuality is pairwise linkage quality against a known truth, over
// the pairs of trajectory rows of which at least one was not linked by BSN.
type LinkageQuality struct {
	// Rows is the number of trajectory rows the truth names.
	Rows int64
	// TruePairs are the pairs of one true person; StrictPairs and
	// LinkedPairs the pairs the exact linkage and the run's linkage put in
	// one person, StrictCorrect and LinkedCorrect those of them that are
	// true pairs.
	TruePairs, StrictPairs, StrictCorrect, LinkedPairs, LinkedCorrect int64
}

// Precision and Recall of the exact (strict) linkage and of the run's.
func (q LinkageQuality) StrictPrecision() float64 { return ratio(q.StrictCorrect, q.StrictPairs) }
func (q LinkageQuality) StrictRecall() float64    { return ratio(q.StrictCorrect, q.TruePairs) }
func (q LinkageQuality) Precision() float64       { return ratio(q.LinkedCorrect, q.LinkedPairs) }
func (q LinkageQuality) Recall() float64          { return ratio(q.LinkedCorrect, q.TruePairs) }

func ratio(a, b int64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// MeasureLinkage measures the store's linkage against the truth file at
// truthPath (outcomes synth --linkage-errors writes one), with the query
// of linkage_quality.sql.
func (s *Store) MeasureLinkage(ctx context.Context, truthPath string) (LinkageQuality, error) {
	var q LinkageQuality
	err := s.conn.QueryRowContext(ctx, linkageQualitySQL, sql.Named("truth", truthPath)).Scan(
		&q.Rows, &q.TruePairs, &q.StrictPairs, &q.StrictCorrect, &q.LinkedPairs, &q.LinkedCorrect)
	if err != nil {
		return q, fmt.Errorf("measuring the linkage against %s: %w", truthPath, err)
	}
	return q, nil
}
