package analyses

import (
	"context"
	"database/sql"
	"fmt"
)

// Linkage describes the run's probabilistic linkage (store/linkage.sql),
// for the researchers' appendix: the model, the thresholds, how many pairs
// were compared, linked and left for review, and the distribution of the
// match weights. These are counts of record pairs and persons about the
// data, like the linkage counts per file, not about anyone's outcome.
type Linkage struct {
	// Entities are the pseudonyms with encodings; Candidates the pairs
	// compared; Links the pairs that merged two clusters; Review the pairs
	// between the thresholds; Refused the pairs above Upper a constraint
	// kept apart; Decisions the clerical decisions applied.
	Entities, Candidates, Links, Review, Refused, Decisions int64
	// Merged is the number of pseudonyms merged into another person;
	// MergedIntoBSN of them, those merged into a person with a BSN.
	Merged, MergedIntoBSN int64
	// PriorMatch is λ, the prior match probability of a random pair;
	// Upper and Lower the thresholds as match weights.
	PriorMatch, Upper, Lower float64
	// Weights are the candidate pairs per whole match weight.
	Weights []WeightBin
	// Levels are m and u per field and comparison level.
	Levels []LinkageLevel
	// ReviewPairs are each partner's halves of the pairs for clerical
	// review (view linkage_review_partner), by partner, strongest first:
	// its own record reference, never the other partner's.
	ReviewPairs []ReviewPair
}

// ReviewPair is one partner's half of a pair for clerical review: the pair's
// id, the partner's own record (file and line), the other partner's name,
// the match weight and the comparison levels. No identifier, and no
// reference to the other partner's record.
type ReviewPair struct {
	Partner, PairID, File string
	Line                  int64
	OtherPartner          string
	Weight                float64
	Pattern               string
}

// WeightBin counts the candidate pairs with floor(weight) = Weight.
type WeightBin struct {
	Weight int
	Pairs  int64
}

// LinkageLevel is one comparison level of the model.
type LinkageLevel struct {
	Field, Level string
	M, U         float64
}

// linkageSummary reads the linkage tables; nil when the run did not link
// probabilistically.
func linkageSummary(ctx context.Context, db *sql.DB) (*Linkage, error) {
	var l Linkage
	err := db.QueryRowContext(ctx, `SELECT entities, candidates, prior_match, upper_weight, lower_weight, links, review, refused, decisions FROM linkage_run`).
		Scan(&l.Entities, &l.Candidates, &l.PriorMatch, &l.Upper, &l.Lower, &l.Links, &l.Review, &l.Refused, &l.Decisions)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the linkage: %w", err)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE p.linkage = 'bsn')
		FROM linkage_map m LEFT JOIN person p ON p.person_id = m.linked_to`).Scan(&l.Merged, &l.MergedIntoBSN); err != nil {
		return nil, fmt.Errorf("reading the linkage: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT weight, pairs FROM linkage_weight ORDER BY weight`)
	if err != nil {
		return nil, fmt.Errorf("reading the linkage: %w", err)
	}
	for rows.Next() {
		var w WeightBin
		if err := rows.Scan(&w.Weight, &w.Pairs); err != nil {
			rows.Close()
			return nil, err
		}
		l.Weights = append(l.Weights, w)
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT field, level, m, u FROM linkage_model`)
	if err != nil {
		return nil, fmt.Errorf("reading the linkage: %w", err)
	}
	for rows.Next() {
		var v LinkageLevel
		if err := rows.Scan(&v.Field, &v.Level, &v.M, &v.U); err != nil {
			rows.Close()
			return nil, err
		}
		l.Levels = append(l.Levels, v)
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT partner, pair_id, file, line, other_partner, weight, pattern
		FROM linkage_review_partner ORDER BY partner, weight DESC, pair_id, file, line`)
	if err != nil {
		return nil, fmt.Errorf("reading the review pairs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r ReviewPair
		if err := rows.Scan(&r.Partner, &r.PairID, &r.File, &r.Line, &r.OtherPartner, &r.Weight, &r.Pattern); err != nil {
			return nil, err
		}
		l.ReviewPairs = append(l.ReviewPairs, r)
	}
	return &l, rows.Err()
}
