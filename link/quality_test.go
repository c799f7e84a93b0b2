package link

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/outcomes-research/outcomes/ingest/synth"
	"github.com/outcomes-research/outcomes/internal/names"
	"github.com/outcomes-research/outcomes/pseudonymise"
)

// population is synthetic records with known truth, encoded as the
// pipeline encodes them, and grouped into entities by the exact fallback
// key (normalised surname + birth date + sex), as the pipeline's
// pseudonyms group them.
type population struct {
	entities []Record
	// person is the true person of each entity's records; records lists,
	// per entity, how many records (by true person) it holds.
	records  [][]int32 // per entity, the true person of each record
	anchored []bool
	persons  int
}

func newPopulation(tb testing.TB, persons int, seed uint64) *population {
	tb.Helper()
	key, err := pseudonymise.KeyFromText(strings.Repeat("ab", 32))
	if err != nil {
		tb.Fatal(err)
	}
	enc := pseudonymise.NewEncoder(key)
	r := rand.New(rand.NewPCG(seed, 7))
	rates := synth.LinkageErrorRates()
	pop := &population{persons: persons}
	byKey := map[string]int32{}
	line := 0
	for p := range persons {
		birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365*55))
		truth := synth.Identity{Surname: synth.LinkageSurname(r), Year: birth.Year(), Month: int(birth.Month()), Day: birth.Day(), Sex: []string{"m", "v"}[r.IntN(2)]}
		truth.Given = synth.LinkageGivenName(r, truth.Sex)
		// A third of the persons are known to justice by BSN: one anchor
		// record, written correctly.
		anchor := r.IntN(3) == 0
		n := 1 + r.IntN(4)
		for k := range n {
			id, source := truth, int32(1+r.IntN(4))
			isAnchor := anchor && k == 0
			if isAnchor {
				source = 0
			} else {
				id, _ = synth.Garble(r, rates, truth)
			}
			exact := names.NormaliseSurname(id.Surname) + fmt.Sprintf("|%d-%d-%d|%s", id.Year, id.Month, id.Day, id.Sex)
			if isAnchor {
				exact = fmt.Sprintf("bsn%d", p)
			} else if names.NormaliseSurname(id.Surname) == "" || id.Year == 0 {
				// No fallback key: the pipeline quarantines the row.
				continue
			}
			e, ok := byKey[exact]
			if !ok {
				line++
				ref := []byte(fmt.Sprintf("f%d\x00%d", source, line))
				rec := Record{Surname: enc.AppendName(nil, pseudonymise.EncSurname, id.Surname, ref), Sex: sexByte(id.Sex), Source: source, Anchor: isAnchor,
					SurnameParts: enc.AppendSurnameParts(nil, id.Surname, ref), Given: enc.AppendName(nil, pseudonymise.EncGiven, id.Given, ref)}
				if id.Year != 0 {
					rec.Birth = enc.AppendDate(nil, time.Date(id.Year, time.Month(id.Month), id.Day, 0, 0, 0, 0, time.UTC))
					rec.BirthYear = int32(id.Year)
				}
				e = int32(len(pop.entities))
				byKey[exact] = e
				pop.entities = append(pop.entities, rec)
				pop.records = append(pop.records, nil)
				pop.anchored = append(pop.anchored, isAnchor)
			}
			pop.records[e] = append(pop.records[e], int32(p))
		}
	}
	return pop
}

func sexByte(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
}

// quality is pairwise precision and recall over the records of persons
// without a BSN anchor... computed over all record pairs of which at least
// one record has no BSN.
type quality struct {
	truePairs, predicted, correct int64
}

func (q quality) precision() float64 { return float64(q.correct) / float64(max(q.predicted, 1)) }
func (q quality) recall() float64    { return float64(q.correct) / float64(max(q.truePairs, 1)) }

// addedPrecision is the precision of the pairs a linkage adds to the exact
// key's (whose own false pairs, namesakes born on one day, it inherits).
func (q quality) addedPrecision(exact quality) float64 {
	return float64(q.correct-exact.correct) / float64(max(q.predicted-exact.predicted, 1))
}

func (q quality) f1() float64 {
	p, r := q.precision(), q.recall()
	return 2 * p * r / max(p+r, 1e-12)
}

// measure scores clusters of entities (cluster[e] is entity e's cluster)
// against the truth, over pairs of records that are not both BSN records
// (those link by BSN whatever this package does).
func (pop *population) measure(cluster []int32) quality {
	var q quality
	c2 := func(n int64) int64 { return n * (n - 1) / 2 }
	byPerson := map[int32][2]int64{}  // person: records (all, anchor)
	byCluster := map[int32][2]int64{} // cluster: records (all, anchor)
	byBoth := map[[2]int32][2]int64{} // (cluster, person)
	for e, recs := range pop.records {
		a := int64(0)
		if pop.anchored[e] {
			a = 1
		}
		for _, p := range recs {
			v := byPerson[p]
			byPerson[p] = [2]int64{v[0] + 1, v[1] + a}
			v = byCluster[cluster[e]]
			byCluster[cluster[e]] = [2]int64{v[0] + 1, v[1] + a}
			k := [2]int32{cluster[e], p}
			v = byBoth[k]
			byBoth[k] = [2]int64{v[0] + 1, v[1] + a}
		}
	}
	for _, v := range byPerson {
		q.truePairs += c2(v[0]) - c2(v[1])
	}
	for _, v := range byCluster {
		q.predicted += c2(v[0]) - c2(v[1])
	}
	for _, v := range byBoth {
		q.correct += c2(v[0]) - c2(v[1])
	}
	return q
}

func TestLinkageQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("links 20,000 synthetic persons")
	}
	pop := newPopulation(t, 20_000, 1)
	exact := make([]int32, len(pop.entities))
	for i := range exact {
		exact[i] = int32(i)
	}
	// Upper 0.9 is the precision-first threshold: at 0.7 the same data
	// give precision 0.989, recall 0.969.
	cfg := Config{Upper: ProbabilityWeight(0.9), Lower: ProbabilityWeight(0.2), OneToOne: map[int32]bool{0: true}}
	res := Link(pop.entities, cfg)
	ex, pr := pop.measure(exact), pop.measure(res.Cluster)
	t.Logf("%d persons, %d entities, %d candidate pairs, lambda %.3g, EM %d iterations", pop.persons, len(pop.entities), res.Model.Candidates, res.Model.Lambda, res.Model.Iterations)
	for f := 0; f < NumFields; f++ {
		for l := 1; l < Levels[f]; l++ {
			t.Logf("  %-10s %-20s m %.4f u %.6f", FieldNames[f], LevelNames[f][l], res.Model.M[f][l], res.Model.U[f][l])
		}
	}
	t.Logf("exact key:     precision %.4f recall %.4f F1 %.4f", ex.precision(), ex.recall(), ex.f1())
	t.Logf("probabilistic: precision %.4f recall %.4f F1 %.4f (links %d, review %d, refused %d); precision of the added pairs %.4f", pr.precision(), pr.recall(), pr.f1(), len(res.Links), len(res.Review), res.Refused, pr.addedPrecision(ex))
	// The target: precision 0.99 and recall 0.95 for persons
	// without a BSN. On these error rates (about a quarter of the records
	// with a surname or date mistake, exact-key recall 0.52) the model
	// reaches 0.999 and 0.98 with the given name; on surname, birth date
	// and sex alone it stopped at 0.943, chiefly on a mistyped date part.
	if pr.precision() < 0.99 || pr.recall() < 0.95 {
		t.Errorf("precision %.4f, recall %.4f: want at least 0.99 and 0.95", pr.precision(), pr.recall())
	}
	if pr.recall() <= ex.recall() {
		t.Errorf("recall %.4f is no better than the exact key's %.4f", pr.recall(), ex.recall())
	}
}
