package synth

import "strconv"

// The justice export as the Recidivemonitor reads the OM's records: one row
// per offence (feit) of a criminal case (parketnummer), with its offence
// date (pleegdatum), the case's registration date, the article of law and
// the decision (afdoening). Every draw here comes from g.rj, so adding the
// cases changed no other export.

// justiceExtraction is the justice export's extraction date (the study
// file's extraction_date): no case is registered after it.
var justiceExtraction = mkday(2026, 9, 30)

// feit is an offence as the justice export codes it: the article of law
// and the study file's classification of it (offence type and seriousness
// tier by statutory maximum), which the generator uses for nothing but the
// truth of its documentation.
type feit struct {
	code, typ, tier string
	w               int
}

// feits are the offences of each demo category, with their weights. The
// statutory maxima: 300 Sr mishandeling 3 years, 285 Sr bedreiging 2,
// 141 Sr openlijke geweldpleging 5.5, 302 Sr zware mishandeling 8, 312 Sr
// diefstal met geweld 9, 310 Sr diefstal 4, 311 Sr gekwalificeerde
// diefstal 6, 416 Sr heling 4, 326 Sr oplichting 4, 11 Opw (soft drugs) 2,
// 10 lid 3 Opw (hard drugs) 6, 10 lid 4 Opw (hard drugs, import) 8 or more, 350 Sr
// vernieling 2, 8 WVW (driving under influence) 0.25, 55 WWM (firearm) 4,
// 246 Sr aanranding 8, 242 Sr verkrachting 12.
var feits = map[string][]feit{
	"geweld": {{"300 Sr", "violence", "minor", 40}, {"285 Sr", "violence", "minor", 28}, {"141 Sr", "violence", "serious", 12},
		{"302 Sr", "violence", "very_serious", 12}, {"312 Sr", "property_violent", "very_serious", 10}},
	"vermogen": {{"310 Sr", "property", "serious", 55}, {"311 Sr", "property", "serious", 25}, {"416 Sr", "property", "serious", 10},
		{"326 Sr", "property", "serious", 10}},
	"opiumwet": {{"11 Opw", "drugs", "minor", 40}, {"10 lid 3 Opw", "drugs", "serious", 45}, {"10 lid 4 Opw", "drugs", "very_serious", 15}},
	"overig": {{"350 Sr", "public_order", "minor", 35}, {"8 WVW", "traffic", "minor", 30}, {"55 WWM", "weapons", "serious", 22},
		{"246 Sr", "sexual", "very_serious", 10}, {"242 Sr", "sexual", "very_serious", 3}},
}

// Decisions (afdoeningen) as the export codes them. countingDisposals end
// a case that counts as recidivism; nonCountingDisposals one that does not
// (acquittal, technical dismissal, other technical decisions, and a case
// joined to another at trial, which is tried, and counted, in that one).
var (
	countingDisposals = []weighted{{"schuldigverklaring", 50}, {"strafbeschikking", 15}, {"transactie", 5},
		{"beleidssepot", 12}, {"voorwaardelijk sepot", 8}}
	nonCountingDisposals = []weighted{{"vrijspraak", 30}, {"technisch sepot", 40}, {"ontslag van rechtsvervolging", 5},
		{"gevoegd", 20}, {"OM niet-ontvankelijk", 5}}
)

const (
	dispAcquittal = "vrijspraak"
	dispPending   = "nog niet afgedaan"
)

// Shares of the case structure.
const (
	// specialtyShare: the share of a person's offences that repeat the
	// person's own offence (the same article), so that specific
	// recidivism (same type as the index case) is more than chance.
	specialtyShare = 0.45
	// multiRowShare: the share of cases with two or three offences.
	multiRowShare = 0.2
	// partialAcquittal: the chance that a further offence of a case is
	// acquitted while the case counts.
	partialAcquittal = 0.15
	// nonCountingShare: the share of aftercare clients with a case that
	// does not count (acquittal, technical dismissal, ...), dated within
	// a year before to two years after the release.
	nonCountingShare = 0.3
)

// caseNumber returns the n-th case number of the export, shaped like a
// parketnummer (arrondissement/serial-year of registration).
func caseNumber(n int, reg day) string {
	y, _, _ := reg.civil()
	s := strconv.Itoa(700_000 + n%300_000)
	return strconv.Itoa(10+n%9) + "/" + s + "-" + strconv.Itoa(y%100)
}

// pickFeit returns an offence of category cat, or, for specialtyShare of
// the offences, the person's own offence.
func (g *gen) pickFeit(cat string) feit {
	p := &g.p
	if p.spec.code == "" {
		p.spec = g.pickFeitOf(feits[cat])
	} else if g.rj.Float64() < specialtyShare {
		return p.spec
	}
	return g.pickFeitOf(feits[cat])
}

func (g *gen) pickFeitOf(fs []feit) feit {
	total := 0
	for _, f := range fs {
		total += f.w
	}
	n := g.rj.IntN(total)
	for _, f := range fs {
		if n < f.w {
			return f
		}
		n -= f.w
	}
	panic("unreachable")
}

// registration draws a case's registration date after its last offence
// date: mostly within two months, some after half a year or more (late
// registrations), never after the export's extraction.
func (g *gen) registration(last day) day {
	var lag int
	switch u := g.rj.Float64(); {
	case u < 0.8:
		lag = 3 + g.rj.IntN(58)
	case u < 0.97:
		lag = 61 + g.rj.IntN(180)
	default:
		lag = 241 + g.rj.IntN(300)
	}
	reg := last + day(lag)
	if reg > justiceExtraction {
		reg = last + day(3+g.rj.IntN(58))
	}
	return reg
}

// newCase adds a criminal case whose first offence is o (its date, clock
// and category already drawn) to g.p: counting says whether its decision
// counts as recidivism. extra allows further offences in the case.
func (g *gen) newCase(o offence, counting, extra bool) {
	p := &g.p
	f := g.pickFeit(o.cat)
	o.feit = f.code
	rows := []offence{o}
	if extra && g.rj.Float64() < multiRowShare {
		for range 1 + g.rj.IntN(2) {
			e := offence{date: o.date + day(g.rj.IntN(21)), feit: g.pickFeitOf(feits[g.pickCat()]).code}
			if e.date > g.cutoff {
				e.date = o.date
			}
			rows = append(rows, e)
		}
	}
	last := o.date
	for _, r := range rows {
		last = max(last, r.date)
	}
	reg := g.registration(last)
	disp := g.pickJ(countingDisposals)
	if !counting {
		disp = g.pickJ(nonCountingDisposals)
	} else if reg > mkday(2025, 6, 30) && g.rj.Float64() < 0.5 {
		disp = dispPending
	}
	g.cases++
	id := caseNumber(g.cases, reg)
	for i := range rows {
		rows[i].caseID, rows[i].reg, rows[i].disp, rows[i].counts = id, reg, disp, counting
		if i > 0 && counting && disp != dispPending && g.rj.Float64() < partialAcquittal {
			rows[i].disp, rows[i].counts = dispAcquittal, false
		}
	}
	p.offs = append(p.offs, rows...)
}

// pickCat draws an offence category from g.rj.
func (g *gen) pickCat() string { return g.pickJ(categories) }

func (g *gen) pickJ(ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.w
	}
	n := g.rj.IntN(total)
	for _, w := range ws {
		if n < w.w {
			return w.v
		}
		n -= w.w
	}
	panic("unreachable")
}

// nonCounting adds, for nonCountingShare of aftercare clients released on
// release, a case that is no recidivism (acquittal, technical dismissal,
// other technical decision, joined to another case).
func (g *gen) nonCounting(release day) {
	if g.rj.Float64() >= nonCountingShare {
		return
	}
	d := release - 365 + day(g.rj.IntN(3*365))
	if d > g.cutoff {
		return
	}
	g.newCase(offence{date: d, cat: g.pickCat()}, false, true)
}
