package synth

import (
	"math/rand/v2"
	"slices"
)

// Life-domain assessments and the families programme.
//
// These draws come from a second PCG stream (gen.rx), and the household
// members are made after every other person and bad row: the exports and
// truth of the other programmes are byte-for-byte what they were before
// this part was added.

// Programme and export codes of the families programme.
const (
	progFAM = "FAM"
	codeFAM = "GEZIN"
)

// domainCodes are the strengths-based partner's domain names, in the order
// of study.LifeDomains, with their canonical codes.
var domainCodes = []struct{ code, canon string }{
	{"Huisvesting", "housing"}, {"Financiën", "finances"}, {"Werk & opleiding", "work_education"},
	{"Vrije tijd", "leisure"}, {"Familie", "family"}, {"Sociaal netwerk", "social_network"},
	{"(Ex-)partner", "partner"}, {"Kinderen & opvoeding", "parenting"}, {"Zingeving", "meaning"},
	{"Gezondheid & zelfzorg", "health"}, {"Veiligheid", "safety"},
}

// changeDist returns the distribution of a person's change in score between
// the first and last assessment, over changes -1, 0, +1, +2, in percent.
// The true mean change is its expectation (see trueChange).
func changeDist(prog, domain string) [4]int {
	switch {
	case domain == "housing":
		return [4]int{10, 30, 50, 10} // +0.6
	case domain == "finances":
		return [4]int{20, 40, 30, 10} // +0.3
	case prog == progFAM && domain == "family":
		return [4]int{10, 40, 40, 10} // +0.5
	}
	return [4]int{20, 60, 20, 0} // 0
}

func trueChange(prog, domain string) float64 {
	d := changeDist(prog, domain)
	return float64(-d[0]+d[2]+2*d[3]) / 100
}

// assessedCodes are the export's programme codes of the assessed
// programmes.
var assessedCodes = map[string]string{progAMB: "AMB-7D", progRES: "NZH", progPREV: "TERUGVALPREVENTIE", progFAM: codeFAM}

// domainCount is the realised first-to-last change of one programme and
// domain.
type domainCount struct {
	n, improved, unchanged, worse int
	sumFirst, sumLast             int
}

// assess writes the life-domain assessments of g.p: for the first
// trajectory in each assessed programme, an intake at the start and, for
// 80%, a follow-up 6-12 months later (for 30% of those also one in
// between); assessments after the cut-off are not made.
func (g *gen) assess() {
	p := &g.p
	done := map[string]bool{}
	for i := range p.trajs {
		t := &p.trajs[i]
		code, ok := assessedCodes[t.prog]
		if !ok || done[t.prog] {
			continue
		}
		done[t.prog] = true
		dates := []day{t.start}
		if g.rx.Float64() < 0.8 {
			last := t.start + day(183+g.rx.IntN(183))
			if g.rx.Float64() < 0.3 {
				dates = append(dates, t.start+day(60+g.rx.IntN(100)))
			}
			dates = append(dates, last)
		}
		for len(dates) > 0 && dates[len(dates)-1] > g.cutoff {
			dates = dates[:len(dates)-1]
		}
		for di, dc := range domainCodes {
			dist := changeDist(t.prog, dc.canon)
			change := -1
			for u := g.rx.IntN(100); u >= dist[change+1]; change++ {
				u -= dist[change+1]
			}
			// The first score leaves room for the change within 1-5.
			lo, hi := max(1, 1-change), min(5, 5-change)
			first := lo + g.rx.IntN(hi-lo+1)
			last := first + change
			for k, d := range dates {
				s := first
				switch {
				case k == len(dates)-1 && k > 0:
					s = last
				case k > 0:
					s = min(first, last) + g.rx.IntN(abs(change)+1)
				}
				g.writeScore(p.bsn, d, code, dc.code, s)
			}
			if len(dates) >= 2 {
				c := &g.domains[g.domainIndex(t.prog, di)]
				c.n++
				c.sumFirst += first
				c.sumLast += last
				switch {
				case change > 0:
					c.improved++
				case change < 0:
					c.worse++
				default:
					c.unchanged++
				}
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// assessedProgrammes lists the assessed programmes in study order.
var assessedProgrammes = []string{progAMB, progRES, progPREV, progFAM}

func (g *gen) domainIndex(prog string, domain int) int {
	return slices.Index(assessedProgrammes, prog)*len(domainCodes) + domain
}

func (g *gen) writeScore(bsn string, d day, prog, domain string, score int) {
	e := g.ex[fileZRM]
	e.rec = append(e.rec[:0], bsn, g.date(fileZRM, d), prog, domain, string(rune('0'+score)))
	e.write()
}

// detainee is an AMB participant who may get a household in the families
// programme.
type detainee struct {
	bsn, surname string
	male         bool
	birth        day
	ref          day // the first AMB release
}

// noteDetainee records g.p if it is an AMB participant whose 24-month
// window closed before the cut-off without a counting criminal case.
func (g *gen) noteDetainee() {
	p := &g.p
	var ref day
	for _, t := range p.trajs {
		if t.prog == progAMB && t.release != 0 && (ref == 0 || t.release < ref) {
			ref = t.release
		}
	}
	if ref == 0 || addMonths(ref, 24) > g.cutoff {
		return
	}
	for _, d := range p.caseDates() {
		if d > ref && d <= addMonths(ref, 24) {
			return
		}
	}
	g.detainees = append(g.detainees, detainee{bsn: p.bsn, surname: p.surname, male: p.male, birth: p.birth, ref: ref})
}

// familyHouseholds is the number of households in the families programme
// at demo size (it scales with Config.Scale; none when Config.Persons is
// set).
const familyHouseholds = 15

// families makes the households of the families programme: 15 AMB
// detainees (a simple random sample of those without a counting case within 24
// months of release, so the programme's detainees have a true recidivism of
// 0 within 12 and 24 months), each with 1-3 household members who take
// part in FAM from within half a year of the release and are assessed.
// A third of the links name the detainee by surname, birth date and sex
// only.
func (g *gen) families() {
	n := min(g.sz.households, len(g.detainees))
	idx := g.rx.Perm(len(g.detainees))[:n]
	slices.Sort(idx)
	for _, i := range idx {
		d := g.detainees[i]
		g.famDetainees++
		members := 1 + g.rx.IntN(3)
		for m := range members {
			rel := [...]string{"Partner", "Kind", "Ouder"}[min(m, 2)]
			start := min(d.ref+day(g.rx.IntN(180)), g.cutoff)
			lo, hi := adultBirth(start)
			if rel == "Kind" {
				lo, hi = addYears(d.birth, 18), min(addYears(start, -4), addYears(d.birth, 40))
			}
			if rel == "Ouder" {
				lo, hi = addYears(d.birth, -45), addYears(d.birth, -18)
			}
			g.identityFrom(g.rx, lo, hi)
			p := &g.p
			p.trajs = append(p.trajs, traj{file: fileFAMTraj, prog: progFAM, code: codeFAM, start: start})
			if end := start + day(180+g.rx.IntN(180)); end <= g.cutoff {
				p.trajs[0].end = end
			}
			e := g.ex[fileHouseholds]
			byName := g.rx.IntN(3) == 0
			dbsn, dname, dbirth, dsex := d.bsn, "", "", ""
			if byName {
				dbsn, dname, dbirth, dsex = "", d.surname, g.date(fileHouseholds, d.birth), g.sexCode(fileHouseholds, d.male)
			}
			e.rec = append(e.rec[:0], p.bsn, p.surname, g.date(fileHouseholds, p.birth), rel, dbsn, dname, dbirth, dsex)
			e.write()
			g.persons++
			for i := range p.trajs {
				g.writeTraj(&p.trajs[i])
			}
			g.assess()
		}
	}
}

// identityFrom is identity with the draws taken from r.
func (g *gen) identityFrom(r *rand.Rand, lo, hi day) {
	saved := g.r
	g.r = r
	g.identity(lo, hi)
	g.r = saved
}

// familyTruth adds the life-domain and families truth.
func (g *gen) familyTruth(t *Truth) {
	for pi, prog := range assessedProgrammes {
		for di, dc := range domainCodes {
			c := g.domains[pi*len(domainCodes)+di]
			dt := DomainChange{Programme: prog, Domain: dc.canon, TrueMeanChange: trueChange(prog, dc.canon), N: c.n,
				Improved: c.improved, Unchanged: c.unchanged, Worse: c.worse}
			if c.n > 0 {
				n := float64(c.n)
				dt.MeanFirst, dt.MeanLast = float64(c.sumFirst)/n, float64(c.sumLast)/n
				dt.MeanChange = float64(c.sumLast-c.sumFirst) / n
			}
			t.LifeDomains = append(t.LifeDomains, dt)
		}
	}
	// The programme's detainees have no offence within 24 months, so they
	// are eligible and event-free in both windows. Every household joins
	// within 180 days of the release, the demo study's family_grace_days,
	// so every one took part in time; the comparison group (detainees with
	// a household that did not take part, issue 14) is empty in the demo.
	zero := 0.0
	for _, w := range []int{12, 24} {
		t.Families = append(t.Families,
			FamilyRate{Programme: progFAM, WindowMonths: w, HouseholdInProgramme: true, TrueRate: &zero, Eligible: g.famDetainees},
			FamilyRate{Programme: progFAM, WindowMonths: w})
	}
}
