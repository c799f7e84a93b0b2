package synth

import (
	"cmp"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/outcomes-research/outcomes/internal/bsn"
	"github.com/outcomes-research/outcomes/internal/names"
)

// rateSpecs are the outcome measures of the demo study with the true rates
// the generator draws from, in study order. The generator reads its
// probabilities from here, so truth.json cannot disagree with the draws.
var rateSpecs = []struct {
	prog, outcome string
	window        int
	rate          float64
}{
	{"AMB", "recidivism", 12, 0.30},
	{"AMB", "recidivism", 24, 0.45},
	{"RES", "recidivism", 12, 0.22},
	{"RES", "recidivism", 24, 0.35},
	{"OPVS", "shelter_return", 6, 0.10},
	{"OPVS", "shelter_return", 12, 0.20},
	{"OPVS", "shelter_return", 24, 0.30},
	{"OPVR", "shelter_return", 6, 0.10},
	{"OPVR", "shelter_return", 12, 0.20},
	{"OPVR", "shelter_return", 24, 0.30},
	{"PREV", "shelter_return", 6, 0.05},
	{"PREV", "shelter_return", 12, 0.10},
	{"PREV", "shelter_return", 24, 0.15},
	{"RG", "shelter_inflow", 12, 0.05},
}

// cumRates returns the true rates of prog in window order: cumulative
// probabilities of a first event within each window.
func cumRates(prog string) []float64 {
	var p []float64
	for _, s := range rateSpecs {
		if s.prog == prog {
			p = append(p, s.rate)
		}
	}
	return p
}

// returnWindows are the month boundaries of the return classes: (ref+14d,
// 6m], (6m, 12m], (12m, 24m], and "later" (24m, 48m].
var returnWindows = []int{6, 12, 24, 48}

// prevShare is the probability that a person whose index stay at Opvang
// Stad ends in independent housing starts PREV the next day. The OPVS
// return probabilities of the other persons are set so that every OPVS
// index person's return probability is the OPVS rate (a mixture).
const prevShare = 0.30

const transferDays = 14

// Canonical programme codes.
const (
	progAMB  = "AMB"
	progRES  = "RES"
	progOPVS = "OPVS"
	progOPVR = "OPVR"
	progPREV = "PREV"
	progRG   = "RG"
)

// Canonical destinations.
const (
	destIndependent = "independent_housing"
	destSupported   = "supported_housing"
	destShelter     = "shelter"
	destDetention   = "detention"
	destOther       = "other"
	destUnknown     = "unknown"
)

// destCodes gives each partner's export code of a canonical destination,
// as in the study file's code tables.
var destCodes = map[int]map[string]string{
	fileNazorg: {destIndependent: "eigen woning", destSupported: "begeleid wonen", destShelter: "opvang",
		destDetention: "detentie", destOther: "anders", destUnknown: "onbekend"},
	fileStad: {destIndependent: "zelfstandige woning", destSupported: "beschermd wonen", destShelter: "andere opvang",
		destDetention: "detentie", destOther: "overig", destUnknown: "onbekend"},
	fileRegio: {destIndependent: "Zelfstandig", destSupported: "Beschermd wonen", destShelter: "Andere opvang",
		destDetention: "Detentie", destUnknown: "Onbekend"},
}

type weighted struct {
	v string
	w int
}

// Destination draws. Opvang Regio has no code for "other".
var (
	destAfter    = []weighted{{destIndependent, 35}, {destSupported, 20}, {destShelter, 10}, {destDetention, 10}, {destOther, 10}, {destUnknown, 15}}
	destStay     = []weighted{{destIndependent, 30}, {destSupported, 15}, {destShelter, 15}, {destDetention, 5}, {destOther, 10}, {destUnknown, 25}}
	destNonIndep = []weighted{{destSupported, 20}, {destShelter, 20}, {destDetention, 8}, {destOther, 12}, {destUnknown, 40}}
	categories   = []weighted{{"geweld", 25}, {"vermogen", 35}, {"opiumwet", 15}, {"overig", 25}}
)

// exitReasons are Nazorg Noord's free-text reasons, by destination.
var exitReasons = map[string][]string{
	destIndependent: {"regulier beëindigd", "doelen behaald"},
	destSupported:   {"regulier beëindigd", "doorverwezen"},
	destShelter:     {"voortijdig gestopt", "doorverwezen"},
	destDetention:   {"nieuwe detentie"},
	destOther:       {"verhuisd", "voortijdig gestopt"},
	destUnknown:     {"uit beeld", "voortijdig gestopt"},
}

type person struct {
	ord     uint32
	bsn     string
	surname string
	first   string
	male    bool
	birth   day
	trajs   []traj
	offs    []offence
	// spec is the person's own offence, which specialtyShare of their
	// offences repeat (justice.go).
	spec feit
}

// traj is one row of a trajectory export.
type traj struct {
	file    int
	prog    string // canonical programme
	code    string // the export's programme code
	start   day
	end     day // 0: still running at the cut-off
	release day // 0: none
	dest    string
	reason  string
	noBSN   bool // written without BSN (Opvang Regio)
}

// offence is one row of the justice export: an offence of a criminal
// case (justice.go).
type offence struct {
	date  day
	cat   string
	clock string // time of day written after the date, or ""
	// The case: its number, registration date and decision; counts says
	// whether the row counts (its decision is not an acquittal, technical
	// dismissal or other technical decision).
	feit   string
	caseID string
	reg    day
	disp   string
	counts bool
}

// counter is a realised eligible/events count.
type counter struct{ eligible, events int }

type badRow struct {
	pos  int
	file int
	rule string
	n    int // the how-manieth bad row of this rule
}

type gen struct {
	cfg    Config
	sz     groups
	r      *rand.Rand
	dates  *dateCache
	cutoff day
	keys   map[uint64]struct{}
	nextID uint32
	bsnA   uint64
	bsnB   uint64
	ex     [numFiles]*export

	counts     []counter
	persons    int
	validOffs  int
	quarantine map[string]int // file|rule
	bad        []badRow
	mixOPVS    []float64

	// rx draws the assessments and the families programme (families.go).
	rx *rand.Rand
	// rd draws the register's detentions, deaths and emigrations
	// (registerEvents), so that adding them changed no other export.
	rd *rand.Rand
	// rj draws the criminal cases' structure, classification, decisions
	// and registration dates (justice.go); cases numbers them; single
	// makes every offence a case of one row and adds no other cases (the
	// justice-only persons of a study with a fixed Config.Events).
	rj           *rand.Rand
	cases        int
	single       bool
	domains      []domainCount // per assessedProgrammes × domainCodes
	detainees    []detainee
	famDetainees int

	p person
}

const bsnBase = 9_000_000 // bsn.Synthetic prefixes from 1000001: no leading zero

func newGen(cfg Config) (*gen, error) {
	sz, err := sizes(cfg)
	if err != nil {
		return nil, err
	}
	g := &gen{
		cfg:        cfg,
		sz:         sz,
		r:          rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6f7574636f6d6573)), // "outcomes"
		dates:      newDateCache(),
		cutoff:     mkday(2025, 12, 31),
		keys:       make(map[uint64]struct{}, sz.total()+32),
		counts:     make([]counter, len(rateSpecs)),
		quarantine: map[string]int{},
		rx:         rand.New(rand.NewPCG(uint64(cfg.Seed), 0x66616d696c696573)), // "families"
		rd:         rand.New(rand.NewPCG(uint64(cfg.Seed), 0x7265676973746572)), // "register"
		rj:         rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6a757374696365)),   // "justice"
		domains:    make([]domainCount, len(assessedProgrammes)*len(domainCodes)),
	}
	// A bijection ord → BSN index, so BSNs look scattered, not sequential.
	m := uint64(bsn.SyntheticCount - bsnBase)
	g.bsnA = 48_271_009
	for gcd(g.bsnA, m) != 1 {
		g.bsnA += 2
	}
	g.bsnB = uint64(cfg.Seed) * 2_654_435_761 % m
	// OPVS return probabilities of non-PREV persons: the mixture with PREV
	// persons (probability prevShare) must give the OPVS rates.
	opvs, prev := cumRates(progOPVS), cumRates(progPREV)
	for k := range opvs {
		g.mixOPVS = append(g.mixOPVS, (opvs[k]-prevShare*prev[k])/(1-prevShare))
	}
	g.planBad()
	return g, nil
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// bsnOf returns the BSN of person ord.
func (g *gen) bsnOf(ord uint32) string {
	m := uint64(bsn.SyntheticCount - bsnBase)
	return bsn.Synthetic(uint32(bsnBase + (g.bsnA*uint64(ord)+g.bsnB)%m))
}

// Random helpers.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// between returns a uniform day in [lo, hi]; lo if hi < lo.
func (g *gen) between(lo, hi day) day {
	if hi <= lo {
		return lo
	}
	return lo + day(g.r.IntN(int(hi-lo)+1))
}

func (g *gen) pick(ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.w
	}
	n := g.r.IntN(total)
	for _, w := range ws {
		if n < w.w {
			return w.v
		}
		n -= w.w
	}
	panic("unreachable")
}

func (g *gen) pickDest(file int, ws []weighted) string {
	d := g.pick(ws)
	if _, ok := destCodes[file][d]; !ok {
		return destUnknown
	}
	return d
}

// identity gives g.p a new ordinal, BSN, name, sex and a birth date in
// [lo, hi], such that no two persons share surname (as normalised for
// fallback keys), birth date and sex: fallback linkage then never merges
// two people.
func (g *gen) identity(lo, hi day) {
	p := &g.p
	p.ord = g.nextID
	g.nextID++
	p.bsn = g.bsnOf(p.ord)
	p.trajs = p.trajs[:0]
	p.offs = p.offs[:0]
	p.spec = feit{}
	for try := 0; ; try++ {
		p.male = g.r.IntN(2) == 0
		p.surname = surnames[g.r.IntN(len(surnames))]
		if g.chance(0.15) {
			p.surname += "-" + surnames[g.r.IntN(len(surnames))]
		}
		p.birth = g.between(lo, hi)
		h := fnv.New64a()
		h.Write([]byte(names.NormaliseSurname(p.surname)))
		h.Write([]byte{'|', byte(p.birth), byte(p.birth >> 8), byte(p.birth >> 16), byte(p.birth >> 24)})
		if p.male {
			h.Write([]byte{'m'})
		}
		k := h.Sum64()
		if _, dup := g.keys[k]; !dup || try >= 1000 {
			g.keys[k] = struct{}{}
			break
		}
	}
	if p.male {
		p.first = firstNamesM[g.r.IntN(len(firstNamesM))]
	} else {
		p.first = firstNamesV[g.r.IntN(len(firstNamesV))]
	}
}

var (
	birthLo   = mkday(1960, 1, 1)
	birthHi   = mkday(2005, 12, 31)
	releaseLo = mkday(2019, 1, 1)
	releaseHi = mkday(2024, 12, 31)
	offenceLo = mkday(2012, 1, 1)
)

// adultBirth returns the birth-date range of someone at least 18 at t.
func adultBirth(t day) (day, day) { return birthLo, min(birthHi, addYears(t, -18)) }

// run generates every person and bad row, in a fixed order.
func (g *gen) run() {
	idx := 0
	step := func(f func()) {
		g.emitBad(idx)
		f()
		g.finish()
		idx++
	}
	for range g.sz.amb {
		step(func() { g.aftercare(progAMB) })
	}
	for range g.sz.res {
		step(func() { g.aftercare(progRES) })
	}
	for range g.sz.stad {
		step(func() { g.shelterClient(fileStad) })
	}
	for range g.sz.regio {
		step(func() { g.shelterClient(fileRegio) })
	}
	// The RG pilot is tiny: exactly round(rate × n) participants enter a
	// shelter within 12 months (a simple random sample of them), rather
	// than a binomial number.
	nRG := g.sz.rg23 + g.sz.rg24
	inflows := int(math.Round(cumRates(progRG)[0] * float64(nRG)))
	for k := range nRG {
		year := 2023
		if k >= g.sz.rg23 {
			year = 2024
		}
		in := g.r.IntN(nRG-k) < inflows
		if in {
			inflows--
		}
		step(func() { g.resourceGroup(year, in) })
	}
	for k := range g.sz.background {
		step(func() { g.background(g.sz.background - k) })
	}
	g.emitBad(-1)
	g.families()
}

// aftercare makes an ex-detainee in programme prog (AMB or RES): one
// trajectory (a few get a second, later one), offences before and after
// release, and for a quarter a shelter history after release.
func (g *gen) aftercare(prog string) {
	release := g.between(releaseLo, releaseHi)
	g.identity(adultBirth(release))
	p := &g.p
	code := "AMB-7D"
	if prog == progRES {
		code = "NZH"
	}
	end1 := g.aftercareTraj(prog, code, release)

	// Offences before the programme started.
	start := p.trajs[0].start
	lo, hi := max(addYears(p.birth, 12), addYears(start, -8)), start-30
	for range g.r.IntN(6) {
		if lo <= hi {
			g.offence(g.between(lo, hi))
		}
	}
	// The first offence after release: within 12 months, in months 13-24,
	// later (60%) or never.
	rates := cumRates(prog)
	b12, b24 := addMonths(release, 12), addMonths(release, 24)
	var first day
	switch u := g.r.Float64(); {
	case u < rates[0]:
		first = g.between(release+1, b12)
	case u < rates[1]:
		first = g.between(b12+1, b24)
	case g.chance(0.6):
		first = g.between(b24+1, addMonths(release, 60))
	}
	if first != 0 {
		g.offence(first)
		t := first
		for range g.r.IntN(4) {
			t += day(14 + g.r.IntN(386))
			g.offence(t)
		}
		// A few are detained again and start a second trajectory.
		if end1 != 0 && g.chance(0.08) {
			if s2 := first + day(60+g.r.IntN(240)); s2 > end1 {
				if rel2 := s2 + day(14+g.r.IntN(107)); rel2 <= releaseHi {
					g.aftercareTrajAt(prog, code, s2, rel2)
				}
			}
		}
	}
	g.registerEvents(release, first)
	g.nonCounting(release)
	if g.chance(0.25) {
		home := fileStad
		if g.chance(0.4) {
			home = fileRegio
		}
		g.shelterLife(home, release+day(g.r.IntN(500)))
	}
}

// registerEvents writes an aftercare client's detention spell, death or
// emigration to the register export, drawn from g.rd so the other exports
// stay as they were: about a third of those who reoffend are detained again
// 30-180 days after their first new offence, for 14-180 days (no end when
// still detained at the cut-off); of those who do not reoffend, 3% die and
// 2% emigrate within 900 days of release (on or before the cut-off). Clients
// known by name only get no register row.
func (g *gen) registerEvents(release, first day) {
	p := &g.p
	if p.bsn == "" {
		return
	}
	e := g.ex[fileRegister]
	row := func(kind string, d, end day) {
		e.rec = append(e.rec[:0], p.bsn, g.date(fileRegister, p.birth), kind, g.date(fileRegister, d), g.date(fileRegister, end))
		e.write()
	}
	if first != 0 {
		if g.rd.Float64() < 0.35 {
			if start := first + day(30+g.rd.IntN(151)); start <= g.cutoff {
				end := start + day(14+g.rd.IntN(167))
				if end > g.cutoff {
					end = 0
				}
				row("detentie", start, end)
			}
		}
		return
	}
	kind := ""
	switch u := g.rd.Float64(); {
	case u < 0.03:
		kind = "overlijden"
	case u < 0.05:
		kind = "emigratie"
	}
	if d := release + day(1+g.rd.IntN(900)); kind != "" && d <= g.cutoff {
		row(kind, d, 0)
	}
}

// aftercareTraj adds the first trajectory, with its start drawn before
// release; it returns the end day (0 if still running).
func (g *gen) aftercareTraj(prog, code string, release day) day {
	var start day
	if prog == progAMB {
		start = release - day(7+g.r.IntN(114)) // visits start inside prison
	} else {
		start = release - day(30+g.r.IntN(211))
	}
	return g.aftercareTrajAt(prog, code, start, release)
}

func (g *gen) aftercareTrajAt(prog, code string, start, release day) day {
	end := release + day(30+g.r.IntN(511))
	if prog == progRES {
		end = release + day(60+g.r.IntN(661))
	}
	t := traj{file: fileNazorg, prog: prog, code: code, start: start, end: end, release: release}
	if end > g.cutoff {
		t.end = 0
	} else {
		t.dest = g.pickDest(fileNazorg, destAfter)
		rs := exitReasons[t.dest]
		t.reason = rs[g.r.IntN(len(rs))]
	}
	g.p.trajs = append(g.p.trajs, t)
	return t.end
}

// offence adds a counting criminal case whose (first) offence is dated d,
// if d is not after the cut-off.
func (g *gen) offence(d day) {
	if d > g.cutoff {
		return
	}
	o := offence{date: d, cat: g.pick(categories)}
	if g.chance(0.1) {
		o.clock = " " + strconv.Itoa(8+g.r.IntN(10)) + ":" + [...]string{"00", "15", "30", "45"}[g.r.IntN(4)] + ":00"
		if len(o.clock) == 8 {
			o.clock = " 0" + o.clock[1:]
		}
	}
	g.newCase(o, true, !g.single)
}

// shelterClient makes a person whose shelter history starts at home (the
// Opvang Stad or Opvang Regio export); a fifth also has offences.
func (g *gen) shelterClient(home int) {
	t0 := g.between(mkday(2016, 6, 1), mkday(2025, 6, 30))
	g.identity(adultBirth(t0))
	g.shelterLife(home, t0)
	if g.chance(0.2) {
		lo := max(offenceLo, addYears(g.p.birth, 12))
		for range 1 + g.r.IntN(3) {
			g.offence(g.between(lo, g.cutoff))
		}
	}
}

// Destination policies of a stay.
const (
	exitAny = iota
	exitIndependent
	exitNotIndependent
)

// stay adds a shelter stay at partner file starting at start and returns
// its end. ok is false when the history stops here: the stay starts after
// the cut-off (it is not added) or is still running at the cut-off. dur < 0
// draws the length from the kind of stay.
func (g *gen) stay(file int, start day, dur int, policy int) (end day, ok bool) {
	if start > g.cutoff {
		return 0, false
	}
	t := traj{file: file, prog: progOPVR, code: "Opvang 24-uurs", start: start}
	d := 14 + g.r.IntN(437)
	if file == fileStad {
		t.prog = progOPVS
		if g.chance(0.4) {
			t.code, d = "NACHTOPVANG", 1+g.r.IntN(60)
		} else {
			t.code, d = "24UURS", 14+g.r.IntN(352)
		}
	}
	if dur >= 0 {
		d = dur
	}
	t.end = start + day(d)
	if t.end > g.cutoff {
		t.end = 0
		g.p.trajs = append(g.p.trajs, t)
		return 0, false
	}
	switch policy {
	case exitIndependent:
		t.dest = destIndependent
	case exitNotIndependent:
		t.dest = g.pickDest(file, destNonIndep)
	default:
		t.dest = g.pickDest(file, destStay)
	}
	g.p.trajs = append(g.p.trajs, t)
	return t.end, true
}

func other(file int) int {
	if file == fileStad {
		return fileRegio
	}
	return fileStad
}

// shelterLife adds a shelter history beginning at t0, with home as the
// partner of the index stay. Only stays at home may end in independent
// housing, and only from the index stay on, so each person has at most one
// index stay and its return is drawn with the programme's rates:
//
//	0-2 earlier stays (a fifth at the other partner), not to a home;
//	for 75%: the index stay, ending in independent housing;
//	  at Opvang Stad, for prevShare of them, PREV from the day after;
//	  sometimes a transfer: a stay starting within 14 days of the exit;
//	  the return: a stay (a quarter at the other partner) in the drawn class;
//	  sometimes one more stay later.
func (g *gen) shelterLife(home int, t0 day) {
	policyAt := func(file int) int {
		if file == home {
			return exitAny
		}
		return exitNotIndependent
	}
	t := t0
	var nPre int
	switch u := g.r.Float64(); {
	case u < 0.55:
	case u < 0.85:
		nPre = 1
	default:
		nPre = 2
	}
	for range nPre {
		file := home
		if g.chance(0.2) {
			file = other(home)
		}
		end, ok := g.stay(file, t, -1, exitNotIndependent)
		if !ok {
			return
		}
		t = end + day(7+g.r.IntN(360))
	}
	if !g.chance(0.75) {
		g.stay(home, t, -1, exitNotIndependent)
		return
	}
	exit, ok := g.stay(home, t, -1, exitIndependent)
	if !ok {
		return
	}
	refs := []day{exit}
	rates := cumRates(progOPVR)
	if home == fileStad {
		rates = g.mixOPVS
		if g.chance(prevShare) {
			rates = cumRates(progPREV)
			refs = append(refs, exit+1)
			if exit+1 <= g.cutoff {
				pv := traj{file: fileStad, prog: progPREV, code: "TERUGVALPREVENTIE", start: exit + 1, end: exit + 1 + day(90+g.r.IntN(276))}
				if pv.end > g.cutoff {
					pv.end = 0
				} else {
					pv.dest = g.pick([]weighted{{destIndependent, 70}, {destSupported, 10}, {destShelter, 5}, {destUnknown, 15}})
				}
				g.p.trajs = append(g.p.trajs, pv)
			}
		}
	}
	// The class of the first return: the window it falls in for every
	// reference date in refs (exit; PREV start), so that it counts alike.
	class := len(returnWindows) - 1 // later or never
	u := g.r.Float64()
	for k, c := range rates {
		if u < c {
			class = k
			break
		}
	}
	var ret day
	if class < len(returnWindows)-1 || g.chance(0.5) {
		lo, hi := day(-1<<31), day(1<<31-1)
		for _, ref := range refs {
			l := ref + transferDays
			if class > 0 {
				l = addMonths(ref, returnWindows[class-1])
			}
			lo = max(lo, l)
			hi = min(hi, addMonths(ref, returnWindows[class]))
		}
		ret = g.between(lo+1, hi)
	}
	if g.chance(transferShare) {
		ts := exit + 1 + day(g.r.IntN(transferDays))
		file := home
		if g.chance(0.5) {
			file = other(home)
		}
		dur := 1 + g.r.IntN(20)
		if ret != 0 && ts+day(dur) >= ret {
			dur = int(ret - 1 - ts)
		}
		if _, ok := g.stay(file, ts, dur, policyAt(file)); !ok {
			return
		}
	}
	if ret == 0 {
		return
	}
	file := home
	if g.chance(0.25) {
		file = other(home)
	}
	end, ok := g.stay(file, ret, -1, policyAt(file))
	if ok && g.chance(0.4) {
		g.stay(home, end+day(30+g.r.IntN(470)), -1, exitAny)
	}
}

// resourceGroup makes an RG pilot participant starting in year; in says
// whether the first shelter entry falls within 12 months.
func (g *gen) resourceGroup(year int, in12 bool) {
	start := g.between(mkday(year, 1, 1), mkday(year, 12, 31))
	g.identity(adultBirth(start))
	t := traj{file: fileRG, prog: progRG, start: start, end: start + day(120+g.r.IntN(421))}
	if t.end > g.cutoff {
		t.end = 0
	}
	g.p.trajs = append(g.p.trajs, t)
	b12 := addMonths(start, 12)
	var in day
	switch {
	case in12:
		in = g.between(start+1, b12)
	case g.chance(0.1):
		in = g.between(b12+1, addMonths(start, 36))
	}
	if in != 0 {
		file := fileStad
		if g.chance(0.4) {
			file = fileRegio
		}
		g.stay(file, in, -1, exitNotIndependent)
	}
}

// background makes a person with offences only; left is the number of
// background persons still to make, this one included.
func (g *gen) background(left int) {
	g.identity(birthLo, birthHi)
	n := 1 + g.r.IntN(5)
	if g.cfg.Events > 0 {
		rem := g.cfg.Events - g.validOffs
		if left == 1 {
			n = rem
		} else {
			mean := rem / left
			n = mean/2 + g.r.IntN(mean+1)
			n = min(n, rem-(left-1))
		}
		n = max(n, 1)
	}
	lo := max(offenceLo, addYears(g.p.birth, 12))
	g.single = g.cfg.Events > 0
	for range n {
		g.offence(g.between(lo, g.cutoff))
	}
	g.single = false
}

// finish evaluates the outcome definitions on the finished person and
// writes the person's rows.
func (g *gen) finish() {
	p := &g.p
	slices.SortStableFunc(p.trajs, func(a, b traj) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.start, b.start))
	})
	slices.SortStableFunc(p.offs, func(a, b offence) int { return cmp.Compare(a.date, b.date) })
	g.evaluate()
	g.blankBSNs()
	if len(p.trajs) > 0 || len(p.offs) > 0 {
		g.persons++
	}
	g.validOffs += len(p.offs)
	for i := range p.trajs {
		g.writeTraj(&p.trajs[i])
	}
	for i := range p.offs {
		g.writeOffence(p.bsn, &p.offs[i])
	}
	g.assess()
	g.noteDetainee()
}

// blankBSNs leaves the BSN out of about 5% of the person's Opvang Regio
// rows. Those rows link by fallback key, which needs a row with both BSN
// and surname; when the person's other rows cannot provide one (only
// justice rows, which carry no surname), one Regio row keeps its BSN.
func (g *gen) blankBSNs() {
	p := &g.p
	anchored := len(p.offs) == 0
	last := -1
	for i := range p.trajs {
		t := &p.trajs[i]
		switch t.file {
		case fileNazorg, fileStad:
			anchored = true
		case fileRegio:
			t.noBSN = g.chance(0.05)
			if !t.noBSN {
				anchored = true
			}
			last = i
		}
	}
	if !anchored && last >= 0 {
		p.trajs[last].noBSN = false
	}
}

// evaluate adds the person to the eligible and event counts, by the
// definitions in the package documentation.
func (g *gen) evaluate() {
	p := &g.p
	isShelter := func(t *traj) bool { return t.prog == progOPVS || t.prog == progOPVR }
	for i, s := range rateSpecs {
		// The index trajectory's reference date.
		var ref day
		found := false
		for j := range p.trajs {
			t := &p.trajs[j]
			if t.prog != s.prog {
				continue
			}
			var r day
			switch {
			case s.outcome == "recidivism":
				if t.release == 0 {
					continue
				}
				r = t.release
			case s.outcome == "shelter_return" && s.prog != progPREV:
				if t.end == 0 || t.dest != destIndependent {
					continue
				}
				r = t.end
			default:
				r = t.start
			}
			if !found || r < ref {
				ref, found = r, true
			}
		}
		if !found {
			continue
		}
		wend := addMonths(ref, s.window)
		if wend > g.cutoff {
			continue
		}
		g.counts[i].eligible++
		event := false
		switch s.outcome {
		case "recidivism":
			for _, d := range p.caseDates() {
				if d > ref && d <= wend {
					event = true
				}
			}
		case "shelter_return", "shelter_inflow":
			// Any shelter stay after the reference date counts, transfers
			// too (HUD System Performance Measure 2: the transfer days
			// apply only to housing programmes, and the demo has none).
			lo := ref
			for j := range p.trajs {
				t := &p.trajs[j]
				if isShelter(t) && t.start > lo && t.start <= wend {
					event = true
				}
			}
		}
		if event {
			g.counts[i].events++
		}
	}
}

// Row writing.

func (g *gen) sexCode(file int, male bool) string {
	switch {
	case file == fileRG && male:
		return "man"
	case file == fileRG:
		return "vrouw"
	case male:
		return "M"
	}
	return "V"
}

func (g *gen) date(file int, d day) string {
	if d == 0 {
		return ""
	}
	l := layoutISO
	switch file {
	case fileNazorg:
		l = layoutDMYDash
	case fileRegio:
		l = layoutDMYShort
	case fileRG:
		l = layoutDMYSlash
	}
	return g.dates.format(l, d)
}

// phone, address and email are fake identifiers for columns the pipeline
// never reads; they depend on the ordinal only.
func phone(ord uint32) string {
	return "06-" + strconv.Itoa(10_000_000+int(uint64(ord)*2_246_822_519%90_000_000))
}

func address(ord uint32) string {
	h := uint64(ord)*0x9E3779B97F4A7C15 + 1
	pc := 1000 + int(h>>20%9000)
	letters := string([]byte{byte('A' + h>>40%26), byte('A' + h>>50%26)})
	if letters == "SA" || letters == "SD" || letters == "SS" {
		letters = "AB"
	}
	return streets[int(h%uint64(len(streets)))] + " " + strconv.Itoa(1+int(h>>8%180)) + ", " +
		strconv.Itoa(pc) + " " + letters + " " + cities[int(h>>32%uint64(len(cities)))]
}

func email(first, surname string, ord uint32) string {
	f := strings.ReplaceAll(names.NormaliseSurname(first), " ", "")
	s := strings.ReplaceAll(names.NormaliseSurname(surname), " ", "")
	return f + "." + s + strconv.Itoa(int(ord%100)) + "@example.nl"
}

// writeTraj writes one trajectory row of g.p.
func (g *gen) writeTraj(t *traj) { g.trajRecord(t).write() }

// trajRecord fills the record of t's export with t's row and returns the
// export, for the caller to write.
func (g *gen) trajRecord(t *traj) *export {
	p := &g.p
	e := g.ex[t.file]
	g.track(e)
	surname, first, birth, sex, noBSN := g.written(t.file)
	bsn := p.bsn
	if noBSN || t.noBSN {
		bsn = ""
		if t.file == fileStad || t.file == fileRegio {
			e.noBSN++
		}
	}
	dest := ""
	if t.dest != "" {
		dest = destCodes[t.file][t.dest]
	}
	switch t.file {
	case fileNazorg:
		e.rec = append(e.rec[:0], p.bsn, surname, first, g.date(t.file, birth), sex, phone(p.ord),
			t.code, g.date(t.file, t.start), g.date(t.file, t.end), g.date(t.file, t.release), t.reason, dest)
	case fileStad:
		e.rec = append(e.rec[:0], bsn, surname, g.date(t.file, birth), sex, address(p.ord), email(p.first, p.surname, p.ord),
			t.code, g.date(t.file, t.start), g.date(t.file, t.end), dest)
	case fileRegio:
		e.rec = append(e.rec[:0], bsn, surname, g.date(t.file, birth), sex,
			t.code, g.date(t.file, t.start), g.date(t.file, t.end), dest)
	case fileRG:
		e.rec = append(e.rec[:0], surname, first, g.date(t.file, birth), sex, phone(p.ord),
			g.date(t.file, t.start), g.date(t.file, t.end))
	case fileFAMTraj:
		e.rec = append(e.rec[:0], p.bsn, surname, g.date(t.file, birth), t.code, g.date(t.file, t.start), g.date(t.file, t.end))
	}
	return e
}

func (g *gen) writeOffence(bsn string, o *offence) {
	e := g.ex[fileJustitie]
	e.rec = append(e.rec[:0], o.caseID, bsn, g.date(fileJustitie, g.p.birth), g.date(fileJustitie, o.date)+o.clock,
		g.date(fileJustitie, o.reg), o.feit, o.disp)
	e.write()
}

// caseDates returns the dates of p's counting criminal cases: per case
// number, the earliest offence date of its counting rows (analyses'
// casesSQL under count_date offence_date).
func (p *person) caseDates() []day {
	var ids []string
	var dates []day
	for _, o := range p.offs {
		if !o.counts {
			continue
		}
		i := slices.Index(ids, o.caseID)
		if i < 0 {
			ids, dates = append(ids, o.caseID), append(dates, o.date)
		} else {
			dates[i] = min(dates[i], o.date)
		}
	}
	return dates
}
