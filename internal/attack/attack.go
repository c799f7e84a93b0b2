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
	// Counts are published counts outside cells, and Linear any further
	// relation between counts (nesting of windows, at-risk arithmetic,
	// classes that sum to a total).
	Counts []Count
	Linear []Linear
	// Unregistered lists published tables no reader of the attacker knows
	// (see readers in read.go); a test fails on any.
	Unregistered []string

	domainRows map[string][]Ref // ReadReport's life-domain rows
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
	// Cell names the count: a cell's name and "persons", "events" or
	// "without", or a Count's name.
	Cell   string
	Lo, Hi float64
	By     string // "subtraction" or "linear programming"
}

func (f Finding) String() string {
	return fmt.Sprintf("%s in [%g, %g] by %s", f.Cell, f.Lo, f.Hi, f.By)
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
	// Relaxed counts the hidden counts of components too large for the
	// exact programme, bounded by interval propagation only.
	Relaxed int
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

// labelOf is the label interval of a cell's count.
func (p *Problem) labelOf(c Cell, k Kind) Interval {
	switch k {
	case Persons:
		return c.N
	case Events:
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

// Kind is one of a cell's three counts.
type Kind int

// The counts of a cell: persons, persons with the event, persons without.
const (
	Persons Kind = iota
	Events
	Without
)

func (k Kind) String() string { return [...]string{"persons", "events", "without"}[k] }

// Count is a published count that is not one of a cell's three (a number
// at risk, a life-domain class, a cumulative count of censorings).
type Count struct {
	Name  string
	Label Interval
	// Unpublished: shown as a dash (not published, with no rule of its
	// own: a number at risk between two published months). It takes part
	// in the relations but is not attacked.
	Unpublished bool
}

// Ref names one count of a Problem: a cell's persons, events or persons
// without the event (CellRef), or one of Problem.Counts (CountRef).
type Ref struct {
	count bool
	i     int
	kind  Kind
}

// CellRef is count k of Problem.Cells[i].
func CellRef(i int, k Kind) Ref { return Ref{i: i, kind: k} }

// CountRef is Problem.Counts[i].
func CountRef(i int) Ref { return Ref{count: true, i: i} }

// Term is coefficient × count.
type Term struct {
	Ref  Ref
	Coef float64
}

// Linear is a linear relation a reader knows between published counts:
// Σ Coef·count = RHS, or ≤ RHS when Less.
type Linear struct {
	Terms []Term
	Less  bool
	RHS   float64
	// Why says where the relation comes from (for messages).
	Why string
}

// AddCount appends a count and returns its Ref.
func (p *Problem) AddCount(name string, label Interval) Ref {
	p.Counts = append(p.Counts, Count{Name: name, Label: label})
	return CountRef(len(p.Counts) - 1)
}

// AddCell appends a cell and returns its index.
func (p *Problem) AddCell(c Cell) int {
	p.Cells = append(p.Cells, c)
	return len(p.Cells) - 1
}

// Equal adds a = b.
func (p *Problem) Equal(a, b Ref, why string) {
	p.Linear = append(p.Linear, Linear{Terms: []Term{{a, 1}, {b, -1}}, Why: why})
}

// AtMost adds a ≤ b.
func (p *Problem) AtMost(a, b Ref, why string) {
	p.Linear = append(p.Linear, Linear{Terms: []Term{{a, 1}, {b, -1}}, Less: true, Why: why})
}

// Sum adds total = Σ parts.
func (p *Problem) Sum(total Ref, parts []Ref, why string) {
	l := Linear{Terms: []Term{{total, -1}}, Why: why}
	for _, r := range parts {
		l.Terms = append(l.Terms, Term{r, 1})
	}
	p.Linear = append(p.Linear, l)
}

// variables is a Problem flattened to counts and relations.
type variables struct {
	names  []string
	labels []Interval
	free   []bool   // unpublished counts: in relations, not attacked
	eqs    []Linear // over variable indices in Term.Ref.i
	ineqs  []Linear
}

func (p *Problem) index(r Ref) int {
	if r.count {
		return 3*len(p.Cells) + r.i
	}
	return 3*r.i + int(r.kind)
}

func (p *Problem) flatten() variables {
	var v variables
	for _, c := range p.Cells {
		for _, k := range []Kind{Persons, Events, Without} {
			v.names = append(v.names, c.Name+" "+k.String())
			v.labels = append(v.labels, p.labelOf(c, k))
			v.free = append(v.free, false)
		}
	}
	for _, c := range p.Counts {
		v.names = append(v.names, c.Name)
		v.labels = append(v.labels, c.Label)
		v.free = append(v.free, c.Unpublished)
	}
	term := func(j int, coef float64) Term { return Term{Ref{count: true, i: j}, coef} }
	for i := range p.Cells {
		v.eqs = append(v.eqs, Linear{Terms: []Term{term(3*i, 1), term(3*i+1, -1), term(3*i+2, -1)}})
	}
	for _, r := range p.Relations {
		for k := range 3 {
			l := Linear{Terms: []Term{term(3*r[0]+k, -1)}}
			for _, i := range r[1:] {
				l.Terms = append(l.Terms, term(3*i+k, 1))
			}
			v.eqs = append(v.eqs, l)
		}
	}
	for _, s := range p.Same {
		for k := range 3 {
			v.eqs = append(v.eqs, Linear{Terms: []Term{term(3*s[0]+k, 1), term(3*s[1]+k, -1)}})
		}
	}
	for _, l := range p.Linear {
		f := Linear{Less: l.Less, RHS: l.RHS, Why: l.Why}
		for _, t := range l.Terms {
			f.Terms = append(f.Terms, term(p.index(t.Ref), t.Coef))
		}
		if l.Less {
			v.ineqs = append(v.ineqs, f)
		} else {
			v.eqs = append(v.eqs, f)
		}
	}
	return v
}

// Attack runs subtraction and then linear programming.
func (p *Problem) Attack() Result {
	var res Result
	for _, c := range p.Cells {
		if c.Hidden() {
			res.Hidden++
		}
	}
	for _, c := range p.Counts {
		if !c.Label.Exact() && !c.Unpublished {
			res.Hidden++
		}
	}
	res.Narrowest = math.Inf(1)
	v := p.flatten()
	known := v.subtract(&res)
	for _, comp := range v.components(known) {
		v.program(comp, known, p.MinCell, &res)
	}
	return res
}

// subtract recovers, over and over, the one unknown count of an equality
// from the counts known exactly (published, or recovered before). It
// returns the counts it knows exactly.
func (v variables) subtract(res *Result) map[int]float64 {
	known := map[int]float64{}
	for j, l := range v.labels {
		if l.Exact() {
			known[j] = l.Lo
		}
	}
	for changed := true; changed; {
		changed = false
		for _, l := range v.eqs {
			unknown, coef, sum := -1, 0.0, l.RHS
			for _, t := range l.Terms {
				if x, ok := known[t.Ref.i]; ok {
					sum -= t.Coef * x
					continue
				}
				if unknown >= 0 && unknown != t.Ref.i {
					unknown = -2
					break
				}
				unknown = t.Ref.i
				coef += t.Coef
			}
			if unknown < 0 || coef == 0 {
				continue
			}
			x := sum / coef
			known[unknown] = x
			changed = true
			if v.free[unknown] {
				continue
			}
			res.Subtracted++
			res.Findings = append(res.Findings, Finding{Cell: v.names[unknown], Lo: x, Hi: x, By: "subtraction"})
		}
	}
	return known
}

// components groups the counts that relations link through counts not
// known exactly (a known count is a constant, which links nothing),
// keeping the groups with a count that is not published.
func (v variables) components(known map[int]float64) [][]int {
	parent := make([]int, len(v.labels))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, l := range append(slices.Clone(v.eqs), v.ineqs...) {
		first := -1
		for _, t := range l.Terms {
			if _, ok := known[t.Ref.i]; ok {
				continue
			}
			if first < 0 {
				first = t.Ref.i
				continue
			}
			parent[find(t.Ref.i)] = find(first)
		}
	}
	groups := map[int][]int{}
	var roots []int
	for i := range v.labels {
		if _, ok := known[i]; ok {
			continue
		}
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	var out [][]int
	for _, r := range roots {
		if slices.ContainsFunc(groups[r], func(i int) bool { return !v.labels[i].Exact() && !v.free[i] }) {
			out = append(out, groups[r])
		}
	}
	return out
}

// program bounds every hidden count of one component by linear
// programming: each count within its label (or at its recovered value),
// the equalities as rows, each inequality as a row with a slack ≥ 0.
func (v variables) program(comp []int, known map[int]float64, minCell int, res *Result) {
	// Counts known exactly (published or recovered) are constants: they
	// move to the right-hand side, so the programme has a column only for
	// what is unknown.
	col := map[int]int{}
	var lo, hi []float64
	for _, j := range comp {
		if _, ok := known[j]; ok {
			continue
		}
		col[j] = len(lo)
		lo, hi = append(lo, v.labels[j].Lo), append(hi, v.labels[j].Hi)
	}
	inComp := map[int]bool{}
	for _, j := range comp {
		inComp[j] = true
	}
	var rows [][]float64
	var rhs []float64
	var slacks []int
	for _, l := range append(slices.Clone(v.eqs), v.ineqs...) {
		if !slices.ContainsFunc(l.Terms, func(t Term) bool { return inComp[t.Ref.i] }) {
			continue
		}
		row := make([]float64, len(lo))
		b, any := l.RHS, false
		for _, t := range l.Terms {
			if x, ok := known[t.Ref.i]; ok {
				b -= t.Coef * x
				continue
			}
			row[col[t.Ref.i]] += t.Coef
			any = true
		}
		if !any {
			continue
		}
		if l.Less {
			slacks = append(slacks, len(rows))
		}
		rows, rhs = append(rows, row), append(rhs, b)
	}
	rows, rhs, slacks = presolve(rows, rhs, slacks, lo, hi)
	nv := len(lo)
	for k, r := range slacks {
		for i := range rows {
			rows[i] = append(rows[i], 0)
		}
		rows[r][nv+k] = 1
		lo, hi = append(lo, 0), append(hi, math.Inf(1))
	}
	// The range of values each count took in the optimal points found so
	// far: a count whose range is wide enough needs no programme of its own.
	seenRange := make([]Interval, nv)
	seenOK := make([]bool, nv)
	see := func(x []float64) {
		for i := range nv {
			if !seenOK[i] {
				seenRange[i], seenOK[i] = Interval{x[i], x[i]}, true
				continue
			}
			seenRange[i].Lo = math.Min(seenRange[i].Lo, x[i])
			seenRange[i].Hi = math.Max(seenRange[i].Hi, x[i])
		}
	}
	for _, j := range comp {
		label := v.labels[j]
		if label.Exact() || v.free[j] {
			continue
		}
		if _, ok := known[j]; ok {
			continue // recovered by subtraction: a finding already
		}
		res.Counts++
		c := col[j]
		if r := seenRange[c]; seenOK[c] && Protected(label, r, minCell) {
			// Feasible points with values this far apart are known
			// already: the count's range is at least as wide.
			res.Narrowest = math.Min(res.Narrowest, r.Hi-r.Lo)
			continue
		}
		if len(lo) > maxColumns {
			// Too large for the dense simplex on this machine: the bounds
			// presolve proved are the count's range (wider than or equal
			// to the exact one, so a finding here is real, but a narrower
			// exact range may be missed).
			res.Relaxed++
			got := Interval{lo[c], hi[c]}
			if got.Lo > got.Hi {
				res.Errors = append(res.Errors, fmt.Sprintf("%s: the published marks contradict each other (bounds %g > %g)", v.names[j], got.Lo, got.Hi))
				continue
			}
			res.Narrowest = math.Min(res.Narrowest, got.Hi-got.Lo)
			if !Protected(label, got, minCell) {
				res.Findings = append(res.Findings, Finding{Cell: v.names[j], Lo: got.Lo, Hi: got.Hi, By: "bounds"})
			}
			continue
		}
		minV, errMin := solve(rows, rhs, lo, hi, c, 1, see)
		maxV, errMax := solve(rows, rhs, lo, hi, c, -1, see)
		if errMin != nil || errMax != nil {
			res.Errors = append(res.Errors, fmt.Sprintf("%s: %v %v", v.names[j], errMin, errMax))
			continue
		}
		got := Interval{math.Ceil(minV - 1e-6), math.Floor(-maxV + 1e-6)}
		if math.IsInf(maxV, -1) {
			got.Hi = math.Inf(1)
		}
		res.Narrowest = math.Min(res.Narrowest, got.Hi-got.Lo)
		if !Protected(label, got, minCell) {
			res.Findings = append(res.Findings, Finding{Cell: v.names[j], Lo: got.Lo, Hi: got.Hi, By: "linear programming"})
		}
	}
}

// maxColumns is the largest linear programme (counts plus slacks) solved
// exactly; a larger component is bounded by presolve alone (Result.Relaxed).
const maxColumns = 200

// presolve tightens the bounds lo, hi of integer counts through every row
// (interval arithmetic, rounded to whole counts) to a fixpoint and drops
// the inequalities (rows listed in slacks) that the bounds imply, so that
// the linear programmes stay small. Both steps keep the feasible set.
func presolve(rows [][]float64, rhs []float64, slacks []int, lo, hi []float64) ([][]float64, []float64, []int) {
	for j := range hi {
		if hi[j] > 1e12 {
			hi[j] = math.Inf(1) // beyond float precision for counts: unbounded
		}
	}
	less := map[int]bool{}
	for _, r := range slacks {
		less[r] = true
	}
	for range 100 {
		changed := false
		for r, row := range rows {
			// The least sum is finite (every lower bound is); the greatest
			// is its finite part plus infs unbounded terms.
			minSum, maxSum, infs := 0.0, 0.0, 0
			top := func(j int, c float64) (float64, bool) {
				if c > 0 {
					return c * hi[j], math.IsInf(hi[j], 1)
				}
				return c * lo[j], false
			}
			for j, c := range row {
				switch {
				case c > 0:
					minSum += c * lo[j]
				case c < 0:
					minSum += c * hi[j]
				}
				if c != 0 {
					if v, isInf := top(j, c); isInf {
						infs++
					} else {
						maxSum += v
					}
				}
			}
			if math.IsInf(minSum, 0) {
				continue // a negative coefficient on an unbounded count
			}
			for j, c := range row {
				if c == 0 {
					continue
				}
				// The others' least and greatest contribution.
				restMin := minSum - c*lo[j]
				if c < 0 {
					restMin = minSum - c*hi[j]
				}
				v, isInf := top(j, c)
				restMax := math.Inf(1)
				switch {
				case isInf && infs == 1:
					restMax = maxSum
				case !isInf && infs == 0:
					restMax = maxSum - v
				}
				// c·x ≤ rhs − restMin; for equalities also c·x ≥ rhs − restMax.
				up, down := (rhs[r]-restMin)/c, math.Inf(-1)
				if !less[r] {
					down = (rhs[r] - restMax) / c
				}
				if c < 0 {
					up, down = down, up
				}
				if v := math.Floor(up + 1e-7); !math.IsInf(up, 0) && v < hi[j]-0.5 {
					hi[j], changed = v, true
				}
				if v := math.Ceil(down - 1e-7); !math.IsInf(down, 0) && v > lo[j]+0.5 {
					lo[j], changed = v, true
				}
			}
		}
		if !changed {
			break
		}
	}
	var outRows [][]float64
	var outRHS []float64
	var outSlacks []int
	for r, row := range rows {
		if less[r] {
			maxSum := 0.0
			for j, c := range row {
				switch {
				case c > 0:
					maxSum += c * hi[j]
				case c < 0:
					maxSum += c * lo[j]
				}
			}
			if maxSum <= rhs[r]+1e-9 {
				continue // implied by the bounds
			}
			outSlacks = append(outSlacks, len(outRows))
		}
		outRows, outRHS = append(outRows, row), append(outRHS, rhs[r])
	}
	return outRows, outRHS, outSlacks
}

// solve minimises sign · x[j] subject to rows · x = rhs and lo ≤ x ≤ hi; it
// returns the optimum of sign · x[j] (−Inf when unbounded below).
//
// seen, when not nil, gets the optimal point (every variable's value).
func solve(rows [][]float64, rhs, lo, hi []float64, j int, sign float64, seen func([]float64)) (float64, error) {
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
	if seen != nil {
		point := slices.Clone(lo[:nv])
		for k, i := range keep {
			if i < nv {
				point[i] += x[k]
			}
		}
		seen(point)
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
