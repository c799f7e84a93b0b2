package stats

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// LogRankResult is the outcome of a log-rank test between k groups.
type LogRankResult struct {
	// ChiSq is the log-rank statistic (O − E)ᵀ V⁻¹ (O − E), computed over the
	// groups with a positive expected count, leaving one of them out.
	ChiSq float64
	// DF is the degrees of freedom: the number of groups with a positive
	// expected count, minus one.
	DF int
	// P is the upper-tail chi-square probability of ChiSq on DF.
	P float64
	// Observed is the number of events in each group.
	Observed []int
	// Expected is each group's expected number of events under equal hazards:
	// Σ over event times t of d(t)·nₖ(t)/n(t), with d(t) events among n(t) at
	// risk overall and nₖ(t) at risk in group k.
	Expected []float64
	// Variance is the k×k covariance matrix of O − E (hypergeometric, with the
	// usual correction for ties), R's survdiff(...)$var.
	Variance [][]float64
}

// LogRank compares the survival of k >= 2 groups with the log-rank
// (Mantel–Haenszel) test, R's survdiff(Surv(time, event) ~ group) with the
// default rho = 0. Each argument is one group's subjects. With delayed entry
// (a positive Subject.Entry) a subject is in the risk sets of the event
// times t with Entry < t <= Time, the counting-process form of the test
// (survdiff does not take Surv(start, stop, event); it is the score test of
// coxph(Surv(entry, time, event) ~ group, ties = "exact"), with which it is
// checked). A group may have no
// events (its Observed is 0 and it still contributes its time at risk). A
// group whose members are never at risk at any event time has Expected 0 and
// is left out of the statistic, as R does.
//
// It returns an error if fewer than two groups are given, a time is negative
// or not finite, nobody has an event, or fewer than two groups have a
// positive expected count.
func LogRank(groups ...[]Subject) (LogRankResult, error) {
	k := len(groups)
	if k < 2 {
		return LogRankResult{}, fmt.Errorf("log-rank: need at least two groups, got %d", k)
	}
	type obs struct {
		t     float64
		event bool
		g     int
	}
	var all, entries []obs
	for g, subs := range groups {
		for i, s := range subs {
			if math.IsNaN(s.Time) || math.IsInf(s.Time, 0) || s.Time < 0 {
				return LogRankResult{}, fmt.Errorf("log-rank: group %d, subject %d: follow-up time must be finite and non-negative", g, i)
			}
			if err := checkSubjectEntry(fmt.Sprintf("log-rank: group %d", g), i, s); err != nil {
				return LogRankResult{}, err
			}
			all = append(all, obs{s.Time, s.Event, g})
			if s.Entry > 0 {
				entries = append(entries, obs{t: s.Entry, g: g})
			}
		}
	}
	slices.SortFunc(entries, func(a, b obs) int {
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	})
	slices.SortFunc(all, func(a, b obs) int {
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	})
	res := LogRankResult{Observed: make([]int, k), Expected: make([]float64, k), Variance: make([][]float64, k)}
	for g := range res.Variance {
		res.Variance[g] = make([]float64, k)
	}
	atRisk := make([]float64, k)
	for _, o := range all {
		atRisk[o.g]++
	}
	for _, o := range entries {
		atRisk[o.g]--
	}
	n := float64(len(all) - len(entries))
	dg := make([]float64, k)
	totalEvents := 0
	in := 0
	for i := 0; i < len(all); {
		for in < len(entries) && entries[in].t < all[i].t {
			atRisk[entries[in].g]++
			n++
			in++
		}
		j := i
		clear(dg)
		removed := make([]float64, k)
		d := 0.0
		for ; j < len(all) && all[j].t == all[i].t; j++ {
			removed[all[j].g]++
			if all[j].event {
				dg[all[j].g]++
				d++
			}
		}
		if d > 0 {
			for g := range k {
				res.Observed[g] += int(dg[g])
				res.Expected[g] += d * atRisk[g] / n
			}
			totalEvents += int(d)
			if n > 1 {
				f := d * (n - d) / (n * n * (n - 1))
				for g := range k {
					for h := range k {
						v := -atRisk[g] * atRisk[h]
						if g == h {
							v += atRisk[g] * n
						}
						res.Variance[g][h] += f * v
					}
				}
			}
		}
		for g := range k {
			atRisk[g] -= removed[g]
		}
		n -= float64(j - i)
		i = j
	}
	if totalEvents == 0 {
		return LogRankResult{}, errors.New("log-rank: no events in any group")
	}
	var keep []int
	for g, e := range res.Expected {
		if e > 0 {
			keep = append(keep, g)
		}
	}
	if len(keep) < 2 {
		return LogRankResult{}, errors.New("log-rank: fewer than two groups have subjects at risk at an event time")
	}
	keep = keep[1:]
	m := len(keep)
	v := mat.NewSymDense(m, nil)
	diff := mat.NewVecDense(m, nil)
	for a, g := range keep {
		diff.SetVec(a, float64(res.Observed[g])-res.Expected[g])
		for b, h := range keep {
			v.SetSym(a, b, res.Variance[g][h])
		}
	}
	var sol mat.VecDense
	if err := sol.SolveVec(v, diff); err != nil {
		return LogRankResult{}, fmt.Errorf("log-rank: variance matrix is singular: %w", err)
	}
	res.ChiSq = mat.Dot(&sol, diff)
	res.DF = m
	res.P = distuv.ChiSquared{K: float64(m)}.Survival(res.ChiSq)
	return res, nil
}
