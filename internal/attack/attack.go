// Package attack plays the intruder against a published report: it reads
// only what a reader of the report gets (the tables/*.csv files and the
// chart data in report.html), takes every hidden count at the interval its
// label announces ("<10": 1 to 9, "×": 10 or more), and tries to narrow each
// hidden count of persons, events and persons without the event, first by
// subtraction over every margin and then by linear programming over all the
// tables that describe one population (gonum's simplex). A hidden count
// fails when the attacker pins it to one value or to fewer possible values
// than the rule allows (Protected).
//
// It is written apart from the suppression in package analyses and shares
// no code with it: it knows the published format, not how the pattern was
// chosen. It is a test helper: only tests import it.
package attack

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// Interval is what a reader knows of one count: Lo ≤ count ≤ Hi (Hi may be
// +Inf).
type Interval struct{ Lo, Hi float64 }

// Exact reports whether the interval holds one value.
func (v Interval) Exact() bool { return v.Hi-v.Lo < 0.5 }

// Cell is one published cell of persons with and without an event.
type Cell struct {
	// Name says where the cell is published (table, row).
	Name string
	// N and E are the persons and the persons with the event as their
	// labels announce them.
	N, E Interval
	// Protects is set when the disclosure log says the cell is hidden to
	// protect another (so none of its counts is below the threshold);
	// Small when it says the cell is below the threshold or one class.
	Protects, Small bool
}

// Hidden reports whether a count of the cell is not published.
func (c Cell) Hidden() bool { return !c.N.Exact() || !c.E.Exact() }

// Problem is what the attacker knows: the cells and the relations between
// them.
type Problem struct {
	MinCell int
	Cells   []Cell
	// Relations: Cells[r[0]] is the total of the cells r[1:], for persons
	// and for events.
	Relations [][]int
	// Same lists pairs of cells that are the same cell published twice.
	Same [][2]int
}

// Label parses a published count: a number (with . or , as thousands
// separator), "<T" (1 to T−1, or 0 to T−1 when zeros are disclosive) or "×"
// (T or more). ok is false for anything else ("–").
func Label(s string, minCell int, zerosDisclosive bool) (v Interval, ok bool) {
	s = strings.TrimSpace(s)
	switch {
	case s == "×":
		return Interval{float64(minCell), math.Inf(1)}, true
	case strings.HasPrefix(s, "<"):
		lo := 1.0
		if zerosDisclosive {
			lo = 0
		}
		return Interval{lo, float64(minCell - 1)}, true
	}
	k, err := strconv.Atoi(strings.NewReplacer(".", "", ",", "", " ", "").Replace(s))
	if err != nil {
		return Interval{}, false
	}
	return Interval{float64(k), float64(k)}, true
}

// Finding is one hidden count the attacker narrowed too far.
type Finding struct {
	Cell, Count string // Count: "persons", "events" or "without"
	Lo, Hi      float64
	By          string // "subtraction" or "linear programming"
}

func (f Finding) String() string {
	return fmt.Sprintf("%s %s in [%g, %g] by %s", f.Cell, f.Count, f.Lo, f.Hi, f.By)
}

// Result is what an attack found.
type Result struct {
	// Hidden counts the hidden cells; Counts the hidden counts examined.
	Hidden, Counts int
	// Findings are the counts narrowed too far, by subtraction first.
	Findings []Finding
	// Narrowest is the smallest width (Hi − Lo) the linear programmes left
	// a hidden count whose label is not exact.
	Narrowest float64
	// Subtracted counts the hidden counts subtraction alone recovered.
	Subtracted int
	// Errors are the linear programmes that could not be solved
	// (infeasible tables, numerical failure); a test fails on any.
	Errors []string
}

// Protected reports whether a reader who knows got of a count whose label
// says label learns too little: the count is not pinned down, and at least
// ⌊T/2⌋ + 1 values (all the label's values, when it has fewer) stay
// possible.
func Protected(label, got Interval, minCell int) bool {
	if label.Exact() {
		return true
	}
	need := math.Min(label.Hi-label.Lo, float64(minCell/2))
	return !got.Exact() && got.Hi-got.Lo >= need-1e-6
}

type count int

const (
	persons count = iota
	events
	without
)

func (c count) String() string { return [...]string{"persons", "events", "without"}[c] }

// labelOf is the label interval of a cell's count.
func (p *Problem) labelOf(c Cell, k count) Interval {
	switch k {
	case persons:
		return c.N
	case events:
		return c.E
	}
	u := Interval{math.Max(0, c.N.Lo-c.E.Hi), c.N.Hi - c.E.Lo}
	t := float64(p.MinCell)
	switch {
	case c.Protects:
		u.Lo = math.Max(u.Lo, t)
	case c.Small && c.N.Lo >= t && c.E.Lo >= t:
		u.Hi = math.Min(u.Hi, t-1)
	}
	return u
}

// Attack runs subtraction and then linear programming.
func (p *Problem) Attack() Result {
	var res Result
	for _, c := range p.Cells {
		if c.Hidden() {
			res.Hidden++
		}
	}
	res.Narrowest = math.Inf(1)
	known := p.subtract(&res)
	for _, comp := range p.components() {
		p.program(comp, known, &res)
	}
	return res
}

// subtract recovers, over and over, the one unknown count of a relation as
// the total minus the known parts (or their sum). It returns the counts it
// knows exactly, per cell and count.
func (p *Problem) subtract(res *Result) map[[2]int]float64 {
	known := map[[2]int]float64{}
	for i, c := range p.Cells {
		if c.N.Exact() {
			known[[2]int{i, int(persons)}] = c.N.Lo
		}
		if c.E.Exact() {
			known[[2]int{i, int(events)}] = c.E.Lo
		}
	}
	for changed := true; changed; {
		changed = false
		for _, r := range p.Relations {
			for _, k := range []count{persons, events} {
				unknown, sum := -1, 0.0
				for j, i := range r {
					v, ok := known[[2]int{i, int(k)}]
					if !ok {
						if unknown >= 0 {
							unknown = -2
							break
						}
						unknown = j
						continue
					}
					if j == 0 {
						sum += v
					} else {
						sum -= v
					}
				}
				if unknown < 0 {
					continue
				}
				v := sum
				if unknown == 0 {
					v = -sum
				}
				i := r[unknown]
				known[[2]int{i, int(k)}] = v
				changed = true
				res.Subtracted++
				res.Findings = append(res.Findings, Finding{Cell: p.Cells[i].Name, Count: k.String(), Lo: v, Hi: v, By: "subtraction"})
			}
		}
		for _, s := range p.Same {
			for _, k := range []count{persons, events} {
				a, okA := known[[2]int{s[0], int(k)}]
				b, okB := known[[2]int{s[1], int(k)}]
				switch {
				case okA && !okB:
					known[[2]int{s[1], int(k)}] = a
					changed = true
				case okB && !okA:
					known[[2]int{s[0], int(k)}] = b
					changed = true
				}
			}
		}
	}
	return known
}

// components groups the cells that relations or Same link.
func (p *Problem) components() [][]int {
	parent := make([]int, len(p.Cells))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) { parent[find(a)] = find(b) }
	for _, r := range p.Relations {
		for _, i := range r[1:] {
			union(r[0], i)
		}
	}
	for _, s := range p.Same {
		union(s[0], s[1])
	}
	groups := map[int][]int{}
	var roots []int
	for i := range p.Cells {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	var out [][]int
	for _, r := range roots {
		hidden := false
		for _, i := range groups[r] {
			hidden = hidden || p.Cells[i].Hidden()
		}
		if hidden {
			out = append(out, groups[r])
		}
	}
	return out
}

// program bounds every hidden count of one component by linear
// programming: variables n, e, u (= n − e) per cell, each within its label,
// the relations and Same as equalities.
func (p *Problem) program(comp []int, known map[[2]int]float64, res *Result) {
	type varKey struct {
		cell int
		k    count
	}
	index := map[varKey]int{}
	var lo, hi []float64
	for _, i := range comp {
		for _, k := range []count{persons, events, without} {
			l := p.labelOf(p.Cells[i], k)
			if v, ok := known[[2]int{i, int(k)}]; ok && k != without {
				l = Interval{v, v}
			}
			index[varKey{i, k}] = len(lo)
			lo, hi = append(lo, l.Lo), append(hi, l.Hi)
		}
	}
	var rows [][]float64
	var rhs []float64
	add := func(coef map[int]float64) {
		row := make([]float64, len(lo))
		for j, c := range coef {
			row[j] += c
		}
		rows = append(rows, row)
		rhs = append(rhs, 0)
	}
	in := map[int]bool{}
	for _, i := range comp {
		in[i] = true
		add(map[int]float64{index[varKey{i, persons}]: 1, index[varKey{i, events}]: -1, index[varKey{i, without}]: -1})
	}
	for _, r := range p.Relations {
		if !in[r[0]] {
			continue
		}
		for _, k := range []count{persons, events, without} {
			coef := map[int]float64{index[varKey{r[0], k}]: -1}
			for _, i := range r[1:] {
				coef[index[varKey{i, k}]] += 1
			}
			add(coef)
		}
	}
	for _, s := range p.Same {
		if !in[s[0]] {
			continue
		}
		for _, k := range []count{persons, events} {
			add(map[int]float64{index[varKey{s[0], k}]: 1, index[varKey{s[1], k}]: -1})
		}
	}
	for _, i := range comp {
		c := p.Cells[i]
		if !c.Hidden() {
			continue
		}
		for _, k := range []count{persons, events, without} {
			label := p.labelOf(c, k)
			if label.Exact() {
				continue
			}
			j := index[varKey{i, k}]
			res.Counts++
			minV, errMin := solve(rows, rhs, lo, hi, j, 1)
			maxV, errMax := solve(rows, rhs, lo, hi, j, -1)
			if errMin != nil || errMax != nil {
				res.Errors = append(res.Errors, fmt.Sprintf("%s %s: %v %v", c.Name, k, errMin, errMax))
				continue
			}
			got := Interval{math.Ceil(minV - 1e-6), math.Floor(-maxV + 1e-6)}
			if math.IsInf(maxV, -1) {
				got.Hi = math.Inf(1)
			}
			res.Narrowest = math.Min(res.Narrowest, got.Hi-got.Lo)
			if !Protected(label, got, p.MinCell) {
				res.Findings = append(res.Findings, Finding{Cell: c.Name, Count: k.String(), Lo: got.Lo, Hi: got.Hi, By: "linear programming"})
			}
		}
	}
}

// solve minimises sign · x[j] subject to rows · x = rhs and lo ≤ x ≤ hi; it
// returns the optimum of sign · x[j] (−Inf when unbounded below).
func solve(rows [][]float64, rhs, lo, hi []float64, j int, sign float64) (float64, error) {
	nv := len(lo)
	// Standard form: y = x − lo ≥ 0; a finite upper bound adds a slack:
	// y + s = hi − lo.
	var bounded []int
	for i := range nv {
		if !math.IsInf(hi[i], 1) {
			bounded = append(bounded, i)
		}
	}
	cols := nv + len(bounded)
	var A [][]float64
	var b []float64
	for r, row := range rows {
		full := make([]float64, cols)
		v := rhs[r]
		for i, c := range row {
			full[i] = c
			v -= c * lo[i]
		}
		A, b = append(A, full), append(b, v)
	}
	for k, i := range bounded {
		full := make([]float64, cols)
		full[i], full[nv+k] = 1, 1
		A, b = append(A, full), append(b, hi[i]-lo[i])
	}
	A, b = independentRows(A, b)
	c := make([]float64, cols)
	c[j] = sign
	// Columns that no row uses (a variable with no constraint at all) get
	// a harmless row of their own: y − t = 0 would add a column; instead
	// such a variable is bounded only below, so its optimum is known.
	used := make([]bool, cols)
	for _, row := range A {
		for i, v := range row {
			if v != 0 {
				used[i] = true
			}
		}
	}
	if !used[j] {
		if sign > 0 {
			return lo[j], nil
		}
		return math.Inf(-1), nil
	}
	var keep []int
	for i := range cols {
		if used[i] {
			keep = append(keep, i)
		}
	}
	if len(A) == 0 {
		if sign > 0 {
			return lo[j], nil
		}
		return math.Inf(-1), nil
	}
	// Big M: an artificial variable per row (the row's sign flipped so
	// that b ≥ 0) makes the artificial columns a feasible first basis,
	// which gonum's own search for one does not always find.
	const bigM = 1e7
	nk := len(keep)
	m := mat.NewDense(len(A), nk+len(A), nil)
	cc := make([]float64, nk+len(A))
	basic := make([]int, len(A))
	for r, row := range A {
		f := 1.0
		if b[r] < 0 {
			f, b[r] = -1, -b[r]
		}
		for k, i := range keep {
			m.Set(r, k, f*row[i])
		}
		m.Set(r, nk+r, 1)
		cc[nk+r] = bigM
		basic[r] = nk + r
	}
	for k, i := range keep {
		cc[k] = c[i]
	}
	opt, x, err := simplex(cc, m, b, basic)
	if errors.Is(err, lp.ErrUnbounded) {
		return math.Inf(-1), nil
	}
	if err != nil {
		return 0, err
	}
	for r := range A {
		if x[nk+r] > 1e-6 {
			return 0, lp.ErrInfeasible
		}
	}
	return opt + sign*lo[j], nil
}

// simplex is lp.Simplex, with a panic (a singular basis) as an error.
func simplex(c []float64, A mat.Matrix, b []float64, basic []int) (opt float64, x []float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("simplex: %v", r)
		}
	}()
	return lp.Simplex(c, A, b, 1e-9, basic)
}

// independentRows drops the rows of A that are linear combinations of
// earlier ones (Gaussian elimination with partial pivoting), as the simplex
// needs full row rank.
func independentRows(A [][]float64, b []float64) ([][]float64, []float64) {
	if len(A) == 0 {
		return A, b
	}
	cols := len(A[0])
	work := make([][]float64, len(A))
	for i, row := range A {
		work[i] = append(slices.Clone(row), b[i])
	}
	var basis [][]float64 // reduced rows so far, with their pivot column
	var pivots []int
	var outA [][]float64
	var outB []float64
	for i, row := range work {
		r := slices.Clone(row)
		for k, br := range basis {
			if f := r[pivots[k]]; f != 0 {
				for c := range r {
					r[c] -= f * br[c]
				}
			}
		}
		piv, best := -1, 1e-9
		for c := range cols {
			if a := math.Abs(r[c]); a > best {
				piv, best = c, a
			}
		}
		if piv < 0 {
			continue // dependent (and, for consistent tables, 0 = 0)
		}
		f := r[piv]
		for c := range r {
			r[c] /= f
		}
		basis, pivots = append(basis, r), append(pivots, piv)
		outA, outB = append(outA, A[i]), append(outB, b[i])
	}
	return outA, outB
}
