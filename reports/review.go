package reports

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/outcomes-research/outcomes/analyses"
)

// ReviewDir is the folder of the per-partner clerical review files.
const ReviewDir = "review"

// reviewHeader is the header of a partner's review file: the pair, the
// partner's own record (file and line in its export), the other partner,
// the match probability, the comparison levels, and an empty finding for
// the partner to fill in with the decision file's words (link: one person;
// distinct: two).
var reviewHeader = []string{"pair_id", "file", "line", "other_partner", "match_probability", "pattern", "finding"}

// writeReview writes, when the run left pairs for clerical review, one
// file per partner under ReviewDir with that partner's halves of the pairs
// (analyses.ReviewPair): its own file and line, never the other partner's
// reference and never an identifier, so each partner can look its own
// records up and return its findings by pair id. The researcher joins the
// findings to linkage_review by pair_id for the decision file. It returns
// the names written, relative to dir.
func writeReview(dir string, l *analyses.Linkage) ([]string, error) {
	if l == nil || len(l.ReviewPairs) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(filepath.Join(dir, ReviewDir), 0o755); err != nil {
		return nil, fmt.Errorf("creating the review folder: %w", err)
	}
	var names []string
	used := map[string]bool{}
	pairs := l.ReviewPairs
	for len(pairs) > 0 {
		n := 1
		for n < len(pairs) && pairs[n].Partner == pairs[0].Partner {
			n++
		}
		name := reviewFileName(pairs[0].Partner, used)
		if err := writeReviewFile(filepath.Join(dir, name), pairs[:n]); err != nil {
			return nil, err
		}
		names = append(names, name)
		pairs = pairs[n:]
	}
	return names, nil
}

// reviewFileName is review/<partner>.csv with the partner's name reduced to
// lower-case letters, digits and underscores (a partner's name is the
// study file's, which may hold anything), unique within the run.
func reviewFileName(partner string, used map[string]bool) string {
	var b strings.Builder
	for _, r := range strings.ToLower(partner) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	base := strings.TrimSuffix(b.String(), "_")
	if base == "" {
		base = "partner"
	}
	name := base
	for k := 2; used[name]; k++ {
		name = base + "_" + strconv.Itoa(k)
	}
	used[name] = true
	return filepath.ToSlash(filepath.Join(ReviewDir, name+".csv"))
}

func writeReviewFile(path string, pairs []analyses.ReviewPair) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, outputMode)
	if err != nil {
		return fmt.Errorf("writing review file: %w", err)
	}
	w := csv.NewWriter(f)
	_ = w.Write(reviewHeader)
	for _, p := range pairs {
		prob := 1 / (1 + math.Exp2(-p.Weight))
		_ = w.Write([]string{p.PairID, p.File, strconv.FormatInt(p.Line, 10), p.OtherPartner, strconv.FormatFloat(prob, 'f', 3, 64), p.Pattern, ""})
	}
	w.Flush()
	err = w.Error()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing review file %s: %w", filepath.Base(path), err)
	}
	return nil
}
