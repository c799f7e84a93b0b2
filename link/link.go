package link

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
)

// Config sets the thresholds and the work of one linkage.
type Config struct {
	// Upper is the match weight from which a pair is linked; Lower the
	// weight from which a pair below Upper goes to clerical review (and
	// below which two records never share a cluster). Lower <= Upper.
	Upper, Lower float64
	// OneToOne lists the sources whose records are each a different
	// person (a register with one row per client): two records of such a
	// source never share a cluster.
	OneToOne map[int32]bool
	// Decisions are clerical decisions on pairs (i < j, indexes into the
	// records): true links the pair whatever its weight, false keeps the
	// two records in different clusters.
	Decisions map[[2]int32]bool
	// Workers is the number of goroutines comparing pairs (0: 2).
	Workers int
	// MaxBlock is the largest block compared pair by pair (0: 2000);
	// larger blocks are skipped and counted in Result.SkippedBlocks.
	MaxBlock int
	// Seed seeds the random pairs from which u is estimated.
	Seed uint64
}

// Pair is two records (I < J) and their match weight.
type Pair struct {
	I, J    int32
	Weight  float32
	Pattern Pattern
}

// Result is the outcome of Link.
type Result struct {
	// Cluster holds, per record, the smallest index of the records in its
	// cluster (itself when it links to none).
	Cluster []int32
	// Links are the pairs that joined two clusters, strongest first.
	Links []Pair
	// Review are the pairs with Lower <= weight < Upper whose records
	// ended in different clusters, strongest first, without a decision.
	Review []Pair
	// Refused counts pairs at or above Upper not linked because the merge
	// would have put two anchors, two records of a one-to-one source, a
	// pair decided apart, or a pair below Lower in one cluster.
	Refused int
	Model   Model
	// Histogram counts the candidate pairs per whole match weight
	// (floor), from HistogramMin to HistogramMin+len-1; the ends collect
	// the tails.
	Histogram []int64
	// SkippedBlocks counts blocks larger than MaxBlock, left out.
	SkippedBlocks int
}

// HistogramMin is the weight of Result.Histogram's first bin.
const HistogramMin = -40

// Link estimates the model on the records, scores the candidate pairs that
// the blocking rules yield and forms clusters. See the package
// documentation for the method. Link reads the records' encodings in
// place (it copies none of them), so they must not change while it runs.
func Link(records []Record, cfg Config) Result {
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.MaxBlock <= 0 {
		cfg.MaxBlock = 2000
	}
	prep := make([]prepared, len(records))
	for i := range records {
		prep[i].prepare(&records[i])
	}
	b := newBlocks(prep, cfg.MaxBlock)
	res := Result{SkippedBlocks: b.skipped}

	// u from random pairs: among them, matches are too rare to matter;
	// uYear from random pairs of one birth year, the condition of the
	// surname rules.
	r := rand.New(rand.NewPCG(cfg.Seed, 0x6c696e6b))
	u := sampleU(prep, r, nil)
	uYear := sampleU(prep, r, byYear(prep))

	// Pass 1: the candidates' patterns per kind of rule, for EM; and per
	// record the records of the same birth year with the same surname
	// (level 1) but an unrelated birth date: namesakes, for the term
	// frequency.
	counts := make([][2][NumPatterns]float64, cfg.Workers)
	namesakes := make([][]int32, cfg.Workers)
	for w := range namesakes {
		namesakes[w] = make([]int32, len(prep))
	}
	b.each(cfg.Workers, 0, 1, func(w, _, i, j int) {
		counts[w][0][compare(&prep[i], &prep[j])]++
	})
	// The surname rules' pairs, also those the date rule found first.
	b.each(cfg.Workers, 1, 1+bands, func(w, _, i, j int) {
		p := compare(&prep[i], &prep[j])
		counts[w][1][p]++
		if p.Level(FieldSurname) == 1 && p.Level(FieldBirth) == Levels[FieldBirth]-1 {
			namesakes[w][i]++
			namesakes[w][j]++
		}
	})
	var byDate, byName [NumPatterns]float64
	for _, c := range counts {
		for p := range c[0] {
			byDate[p] += c[0][p]
			byName[p] += c[1][p]
		}
	}
	// Session 1, pairs of one birth date (day and month in any order):
	// m of the names and sex. Session 2, pairs of similar surnames and one
	// birth year: m of the birth date and sex.
	mDate, pDate, it1 := em(&byDate, &u, [NumFields]bool{FieldSurname: true, FieldGiven: true, FieldSex: true}, 500)
	mName, pName, it2 := em(&byName, &uYear, [NumFields]bool{FieldGiven: true, FieldBirth: true, FieldSex: true}, 500)
	model := Model{U: u, Iterations: max(it1, it2), CandidateMatches: pDate * sumCounts(&byDate)}
	// Each session's m is blended with the prior m as if priorMatches
	// matches had shown it, so a small study (a pilot of 19 persons, whose
	// few pairs cannot carry EM) links by the prior, a large one by its
	// own data.
	model.M = blend(mDate, pDate*sumCounts(&byDate))
	model.M[FieldBirth] = blend(mName, pName*sumCounts(&byName))[FieldBirth]
	// Within one birth year a mistyped year cannot occur, so session 2
	// cannot estimate the month-and-day level: it is set to half the
	// year-and-one-part level (one of three parts mistyped, the year one
	// of them), and the levels renormalised.
	model.M[FieldBirth][4] = model.M[FieldBirth][3] / 2
	normalise(&model.M[FieldBirth], Levels[FieldBirth])
	// Matches in the date blocks are those whose birth dates agree up to a
	// swap: the whole number of matches is theirs over that share.
	agree := mName[FieldBirth][1] + mName[FieldBirth][2]
	allPairs := float64(len(prep)) * float64(len(prep)-1) / 2
	matches := model.CandidateMatches / math.Max(agree, 0.01)
	model.Lambda = math.Min(0.5, math.Max(matches, 1)/math.Max(allPairs, 1))
	res.Model = model
	var weights [NumPatterns]float32
	for p := range weights {
		weights[p] = float32(model.Weight(Pattern(p)))
	}
	sc := &scorer{prep: prep, weights: &weights, tf: termFrequency(prep, namesakes, model.U[FieldSurname][1])}

	// Pass 2: weights; pairs from Lower on are kept.
	hist := make([][]int64, cfg.Workers)
	kept := make([][]Pair, cfg.Workers)
	for w := range hist {
		hist[w] = make([]int64, 81)
	}
	b.each(cfg.Workers, 0, b.rules, func(w, _, i, j int) {
		p, wt := sc.score(i, j)
		bin := min(max(int(math.Floor(float64(wt)))-HistogramMin, 0), len(hist[w])-1)
		hist[w][bin]++
		if float64(wt) >= cfg.Lower {
			kept[w] = append(kept[w], Pair{I: int32(i), J: int32(j), Weight: wt, Pattern: p})
		}
	})
	res.Histogram = make([]int64, len(hist[0]))
	for _, h := range hist {
		for k, v := range h {
			res.Histogram[k] += v
			res.Model.Candidates += v
		}
	}
	// One exactly-sized list, each worker's freed as soon as it is copied.
	total := 0
	for _, k := range kept {
		total += len(k)
	}
	pairs := make([]Pair, 0, total+len(cfg.Decisions))
	for w := range kept {
		pairs = append(pairs, kept[w]...)
		kept[w] = nil
	}
	// Clerical decisions: a decided link is kept whatever its weight; a
	// decided non-link is dropped (and checked again when merging).
	pairs = slices.DeleteFunc(pairs, func(p Pair) bool { _, ok := cfg.Decisions[[2]int32{p.I, p.J}]; return ok })
	for k, link := range cfg.Decisions {
		if link && k[0] < k[1] && int(k[1]) < len(prep) {
			p, _ := sc.score(int(k[0]), int(k[1]))
			pairs = append(pairs, Pair{I: k[0], J: k[1], Weight: float32(math.Inf(1)), Pattern: p})
		}
	}
	slices.SortFunc(pairs, func(a, b Pair) int {
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		if c := cmp.Compare(a.I, b.I); c != 0 {
			return c
		}
		return cmp.Compare(a.J, b.J)
	})
	cl := newClusters(len(prep))
	// Pairs are strongest first: from the first below Upper on, all are
	// for review (a view of pairs, not a copy).
	review := pairs[len(pairs):]
	for k, p := range pairs {
		if float64(p.Weight) < cfg.Upper {
			review = pairs[k:]
			break
		}
		a, c := cl.find(p.I), cl.find(p.J)
		if a == c {
			continue
		}
		if !cl.compatible(a, c, sc, cfg) {
			res.Refused++
			continue
		}
		cl.union(a, c)
		res.Links = append(res.Links, p)
	}
	for _, p := range review {
		if cl.find(p.I) != cl.find(p.J) {
			res.Review = append(res.Review, p)
		}
	}
	res.Cluster = make([]int32, len(prep))
	for i := range prep {
		res.Cluster[i] = cl.min[cl.find(int32(i))]
	}
	return res
}

// blocks are the blocking rules' blocks. Rule 0 is the birth date with day
// and month unordered (so a swap stays in the block); rules 1..bands are
// bands of the surname encoding's bits (bit sampling, locality-sensitive for
// Hamming distance) with the birth year; the last mdBands rules are the
// first bands with month and day instead of the year, for a mistyped year.
// A pair is compared under the first rule whose key it shares, so each
// candidate pair is compared once.
//
// Memory is a few bytes per record and rule: a record's key under a rule is
// not stored but computed from its prepared fields and its band bits (key),
// and each rule keeps only the records of its blocks of two or more, one
// flat run per rule (members, cut by starts), not a slice per block.
type blocks struct {
	prep []prepared
	// band holds, per record, the bandBits sampled bits of its surname
	// encoding for each band (0 without a surname).
	band  [][bands]uint32
	rules int
	// members holds per rule the records of its blocks one block after
	// the other; block g is members[rule][starts[rule][g]:starts[rule][g+1]].
	members, starts [][]int32
	skipped         int
}

const (
	bands    = 12
	mdBands  = 4
	bandBits = 20
)

// key is record i's key under rule (0: none).
func (b *blocks) key(rule, i int) uint64 {
	p := &b.prep[i]
	switch {
	case rule == 0 && p.hasBirth:
		return p.birth[1] | 1
	case rule > 0 && rule <= bands && len(p.surname)*8 >= 1024:
		return uint64(p.year)<<32 | uint64(rule)<<24 | 1<<63 | uint64(b.band[i][rule-1])
	case rule > bands && p.hasBirth && len(p.surname)*8 >= 1024:
		return (p.birth[4]&^(1<<bandBits-1) | 1) ^ uint64(b.band[i][rule-bands-1])
	}
	return 0
}

func newBlocks(prep []prepared, maxBlock int) *blocks {
	rules := 1 + bands + mdBands
	b := &blocks{prep: prep, band: make([][bands]uint32, len(prep)), rules: rules,
		members: make([][]int32, rules), starts: make([][]int32, rules)}
	r := rand.New(rand.NewPCG(1, 2)) // fixed positions; the encodings are keyed
	var positions [bands][bandBits]int
	for k := range positions {
		for i := range positions[k] {
			positions[k][i] = r.IntN(1024)
		}
	}
	for i := range prep {
		p := &prep[i]
		if len(p.surname)*8 < 1024 {
			continue
		}
		for k := range positions {
			var v uint32
			for bit, pos := range positions[k] {
				v |= uint32(p.surname[pos/8]>>(pos%8)&1) << bit
			}
			b.band[i][k] = v
		}
	}
	// One buffer of keys and one of record order serve every rule in turn.
	keys := make([]uint64, len(prep))
	order := make([]int32, 0, len(prep))
	for rule := range rules {
		order = order[:0]
		for i := range prep {
			keys[i] = b.key(rule, i)
			if keys[i] != 0 {
				order = append(order, int32(i))
			}
		}
		slices.SortFunc(order, func(x, y int32) int {
			if c := cmp.Compare(keys[x], keys[y]); c != 0 {
				return c
			}
			return cmp.Compare(x, y)
		})
		// Two scans of the sorted records: the first sizes the rule's
		// blocks, the second fills them, so each rule holds exactly its
		// blocks' records.
		var members, starts []int32
		for fill := range 2 {
			nm, nb := 0, 0
			for s := 0; s < len(order); {
				e := s + 1
				for e < len(order) && keys[order[e]] == keys[order[s]] {
					e++
				}
				switch n := e - s; {
				case n > maxBlock:
					if fill == 1 {
						b.skipped++
					}
				case n > 1:
					if fill == 1 {
						starts[nb] = int32(nm)
						copy(members[nm:], order[s:e])
					}
					nm += n
					nb++
				}
				s = e
			}
			if fill == 0 {
				members, starts = make([]int32, nm), make([]int32, nb+1)
				starts[nb] = int32(nm)
			}
		}
		b.members[rule], b.starts[rule] = members, starts
	}
	return b
}

// each calls fn for every candidate pair (i < j) of the rules from to to
// (not included), on workers goroutines, with the worker's number and the
// rule that made the pair a candidate: a pair is the first of these rules'
// whose key it shares.
func (b *blocks) each(workers, from, to int, fn func(w, rule, i, j int)) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rule := from; rule < to; rule++ {
				members, starts := b.members[rule], b.starts[rule]
				for g := w; g < len(starts)-1; g += workers {
					grp := members[starts[g]:starts[g+1]]
					for x := 0; x < len(grp); x++ {
					pairs:
						for y := x + 1; y < len(grp); y++ {
							i, j := int(grp[x]), int(grp[y])
							for s := from; s < rule; s++ {
								if k := b.key(s, i); k != 0 && k == b.key(s, j) {
									continue pairs
								}
							}
							fn(w, rule, i, j)
						}
					}
				}
			}
		}()
	}
	wg.Wait()
}

// clusters is a union–find over records that keeps each cluster's members,
// for the checks before a merge.
type clusters struct {
	parent  []int32
	members [][]int32
	min     []int32
}

func newClusters(n int) *clusters {
	c := &clusters{parent: make([]int32, n), members: make([][]int32, n), min: make([]int32, n)}
	for i := range c.parent {
		c.parent[i] = int32(i)
		c.min[i] = int32(i)
	}
	return c
}

func (c *clusters) find(i int32) int32 {
	for c.parent[i] != i {
		c.parent[i] = c.parent[c.parent[i]]
		i = c.parent[i]
	}
	return i
}

func (c *clusters) list(root int32) []int32 {
	if c.members[root] == nil {
		return []int32{root}
	}
	return c.members[root]
}

// maxCluster bounds a cluster's size: a person has a handful of entities
// (one per spelling); hundreds are a chain.
const maxCluster = 64

// compatible reports whether clusters a and b may merge: together they hold
// at most one anchor and at most one record of each one-to-one source, no
// pair decided apart, and every pair across them weighs at least Lower (so a
// chain A–B–C of which A and C disagree stays apart).
func (c *clusters) compatible(a, b int32, sc *scorer, cfg Config) bool {
	prep := sc.prep
	ma, mb := c.list(a), c.list(b)
	if len(ma)+len(mb) > maxCluster {
		return false
	}
	var total float64
	for _, x := range ma {
		for _, y := range mb {
			px, py := &prep[x], &prep[y]
			if px.anchor && py.anchor {
				return false
			}
			if px.source == py.source && cfg.OneToOne[px.source] {
				return false
			}
			k := [2]int32{min(x, y), max(x, y)}
			if d, ok := cfg.Decisions[k]; ok {
				if !d {
					return false
				}
				continue
			}
			_, w32 := sc.score(int(x), int(y))
			w := float64(w32)
			if w < cfg.Lower-vetoMargin {
				return false
			}
			total += max(w, -weightClip)
		}
	}
	return total/float64(len(ma)*len(mb)) >= cfg.Lower
}

// vetoMargin: a pair this far below Lower (2^10 times less likely to match
// than a pair at Lower) contradicts a merge, however well the rest agree;
// weightClip bounds a pair's say in the mean.
const (
	vetoMargin = 10
	weightClip = 20
)

func (c *clusters) union(a, b int32) {
	if len(c.list(a)) < len(c.list(b)) {
		a, b = b, a
	}
	c.members[a] = append(c.list(a), c.list(b)...)
	c.members[b] = nil
	c.parent[b] = a
	c.min[a] = min(c.min[a], c.min[b])
}

// scorer weighs a pair: the pattern's weight, plus for agreeing surnames
// (level 1) the term-frequency adjustment of the more frequent of the two.
type scorer struct {
	prep    []prepared
	weights *[NumPatterns]float32
	tf      []float32
}

func (s *scorer) score(i, j int) (Pattern, float32) {
	p := compare(&s.prep[i], &s.prep[j])
	w := s.weights[p]
	if p.Level(FieldSurname) == 1 {
		w += min(s.tf[i], s.tf[j])
	}
	return p, w
}

// termFrequency is, per record, log2(u / f) with u the surname's level-1 u
// over all pairs and f the record's own surname frequency, estimated from
// its namesakes (same birth year, same surname, an unrelated birth date)
// among the records of its birth year and shrunk towards u (tfPrior): a common surname's agreement weighs
// less than a rare one's (Splink's term-frequency adjustment, on encodings
// whose values cannot be counted directly). Clipped to ±tfClip bits.
func termFrequency(prep []prepared, namesakes [][]int32, u float64) []float32 {
	perYear := map[int32]int{}
	for i := range prep {
		perYear[prep[i].year]++
	}
	tf := make([]float32, len(prep))
	for i := range prep {
		c := 0
		for _, w := range namesakes {
			c += int(w[i])
		}
		n := float64(perYear[prep[i].year])
		f := (float64(c) + tfPrior*u) / (n + tfPrior)
		tf[i] = float32(max(-tfClip, min(tfClip, math.Log2(u/f))))
	}
	return tf
}

const tfClip = 8

// tfPrior is the strength of the prior of a surname's frequency, in
// records: the frequency is the posterior mean (namesakes + tfPrior·u) /
// (records of the year + tfPrior) under a beta prior with mean u. A small
// study's estimates stay near u; a large one's follow its own counts.
const tfPrior = 1000

func sumCounts(c *[NumPatterns]float64) float64 {
	s := 0.0
	for _, v := range c {
		s += v
	}
	return s
}

// byYear groups record indexes by birth year (known years only).
func byYear(prep []prepared) [][]int32 {
	m := map[int32][]int32{}
	for i := range prep {
		if prep[i].year != 0 {
			m[prep[i].year] = append(m[prep[i].year], int32(i))
		}
	}
	var out [][]int32
	for _, g := range m {
		if len(g) > 1 {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b []int32) int { return cmp.Compare(a[0], b[0]) })
	return out
}

// sampleU estimates u per field and level from up to 2,000,000 random
// pairs: of all records (groups nil), or of records in one group (a group
// drawn by its number of records).
func sampleU(prep []prepared, r *rand.Rand, groups [][]int32) [NumFields][MaxLevels]float64 {
	var u [NumFields][MaxLevels]float64
	n := len(prep)
	var cum []int
	if groups != nil {
		total := 0
		for _, g := range groups {
			total += len(g)
			cum = append(cum, total)
		}
		n = total
	}
	if n > 1 {
		for range min(2_000_000, n*(n-1)/2) {
			var i, j int
			if groups == nil {
				i, j = r.IntN(n), r.IntN(n-1)
				if j >= i {
					j++
				}
			} else {
				g := groups[sort.SearchInts(cum, r.IntN(n)+1)]
				x, y := r.IntN(len(g)), r.IntN(len(g)-1)
				if y >= x {
					y++
				}
				i, j = int(g[x]), int(g[y])
			}
			p := compare(&prep[i], &prep[j])
			for f := 0; f < NumFields; f++ {
				u[f][p.Level(f)]++
			}
		}
	}
	for f := range u {
		u[f] = smooth(u[f], Levels[f])
	}
	return u
}

// priorM is the m the model starts from and blends with EM's estimate:
// what linkage studies of registrations report for names and dates (most
// matches agree exactly; a few per cent carry each kind of mistake).
var priorM = [NumFields][MaxLevels]float64{
	FieldSurname: {0, 0.85, 0.07, 0.04, 0.04},
	FieldGiven:   {0, 0.85, 0.07, 0.04, 0.04},
	FieldBirth:   {0, 0.86, 0.03, 0.06, 0.02, 0.03},
	FieldSex:     {0, 0.98, 0.02},
}

// priorMatches is the weight of priorM, in matches.
const priorMatches = 200

func blend(m [NumFields][MaxLevels]float64, matches float64) [NumFields][MaxLevels]float64 {
	var out [NumFields][MaxLevels]float64
	for f := 0; f < NumFields; f++ {
		for l := 1; l < Levels[f]; l++ {
			out[f][l] = (m[f][l]*matches + priorM[f][l]*priorMatches) / (matches + priorMatches)
		}
		normalise(&out[f], Levels[f])
	}
	return out
}
