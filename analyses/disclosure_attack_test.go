package analyses

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/outcomes-research/outcomes/internal/attack"
)

// published turns suppressed rate cells into what a reader sees: exact
// counts, or the interval of their marks; withdrawn rows are not seen.
func published(rates []Rate, minCell int) *attack.Problem {
	p := &attack.Problem{MinCell: minCell}
	of := func(m Mark) attack.Interval {
		switch m {
		case MarkSmall:
			return attack.Interval{Lo: 1, Hi: float64(minCell - 1)}
		case MarkZero:
			return attack.Interval{}
		}
		return attack.Interval{Lo: float64(minCell), Hi: math.Inf(1)}
	}
	index := map[int]int{}
	total := -1
	parts := map[string][]int{}
	var dims []string
	for i, r := range rates {
		if r.Withdrawn {
			continue
		}
		c := attack.Cell{Name: fmt.Sprintf("%d %s=%s", r.Cohort, r.Breakdown, r.Group),
			N: attack.Interval{Lo: float64(r.N), Hi: float64(r.N)}, E: attack.Interval{Lo: float64(r.Events), Hi: float64(r.Events)}}
		if r.Suppressed {
			c.N, c.E = of(r.NMark), of(r.EventsMark)
		}
		index[i] = len(p.Cells)
		p.Cells = append(p.Cells, c)
		dim := r.Breakdown
		switch {
		case r.Breakdown == "" && r.Cohort == 0:
			total = index[i]
			continue
		case r.Breakdown == "":
			dim = "cohort"
		}
		if _, ok := parts[dim]; !ok {
			dims = append(dims, dim)
		}
		parts[dim] = append(parts[dim], index[i])
	}
	for _, d := range dims {
		p.Relations = append(p.Relations, append([]int{total}, parts[d]...))
	}
	return p
}

// TestSuppressWithstandsAttack is the property test of issue 12: on random
// totals split at random into cohorts, sexes and age bands, the attacker of
// internal/attack (independent of Suppress, linear programming over every
// margin) narrows no hidden count beyond what its label allows.
func TestSuppressWithstandsAttack(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 2026))
	iterations := 40
	if testing.Short() {
		iterations = 8
	}
	hidden, counts := 0, 0
	for iter := range iterations {
		n := 5 + rng.IntN(200)
		e := rng.IntN(n + 1)
		rates := []Rate{rate(0, "", "", n, e)}
		for _, dim := range []string{"", "sex", "age_band"} {
			k := 1 + rng.IntN(5)
			// Split n persons and e events into k groups at random.
			ns, es := make([]int, k), make([]int, k)
			for range n {
				ns[rng.IntN(k)]++
			}
			left := e
			for g := range k {
				if g == k-1 {
					es[g] = left
					break
				}
				take := 0
				for range ns[g] {
					if left > 0 && rng.Float64() < float64(e)/float64(n) {
						take++
						left--
					}
				}
				es[g] = take
			}
			if es[k-1] > ns[k-1] {
				continue // this split does not fit: leave the dimension out
			}
			for g := range k {
				if ns[g] == 0 {
					continue
				}
				r := rate(0, dim, fmt.Sprint(g), ns[g], es[g])
				if dim == "" {
					r.Cohort = 2020 + g
				}
				rates = append(rates, r)
			}
		}
		Suppress(rates, 10)
		p := published(rates, 10)
		res := p.Attack()
		hidden += res.Hidden
		counts += res.Counts
		for _, f := range res.Findings {
			t.Errorf("iteration %d: %v in %v", iter, f, rates)
		}
		for _, e := range res.Errors {
			t.Errorf("iteration %d: %s", iter, e)
		}
	}
	t.Logf("%d random tables, %d hidden cells, %d hidden counts attacked", iterations, hidden, counts)
}
