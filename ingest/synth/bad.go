package synth

// Quarantine rules, as named by package ingest (and pseudonymise for
// no_identifier).
const (
	ruleDateInvalid     = "date_invalid"
	ruleUnknownCode     = "unknown_code"
	ruleEndBeforeStart  = "end_before_start"
	ruleNoIdentifier    = "no_identifier"
	ruleMissingRequired = "missing_required"
	// afterCutoff is no quarantine rule: an offence dated after the study's
	// cut-off, which is loaded and not counted (it is in the plan so that
	// the demo keeps its place among the justice rows; Truth.AfterCutoff
	// counts it).
	afterCutoff = "after_cutoff"
)

// badPlan lists the deliberately bad rows: file, rule and count (and the
// row after the cut-off, which loads). The counts do not scale. Each bad row is about a person of its own who has no other
// row, so quarantining it changes no outcome.
var badPlan = []struct {
	file  int
	rule  string
	count int
}{
	{fileNazorg, ruleDateInvalid, 3},
	{fileNazorg, ruleUnknownCode, 2},
	{fileStad, ruleEndBeforeStart, 2},
	{fileJustitie, ruleNoIdentifier, 4},
	{fileJustitie, afterCutoff, 1},
	{fileRG, ruleMissingRequired, 1},
}

// planBad spreads the bad rows over the persons that write to their file,
// so they sit among good rows rather than at the end.
func (g *gen) planBad() {
	s := g.sz
	ranges := map[int][2]int{
		fileNazorg:   {0, s.amb + s.res},
		fileStad:     {s.amb + s.res, s.stad},
		fileJustitie: {0, s.total()},
		fileRG:       {s.amb + s.res + s.stad + s.regio, s.rg23 + s.rg24},
	}
	perFile := map[int]int{}
	for _, b := range badPlan {
		perFile[b.file] += b.count
	}
	seen := map[int]int{}
	for _, b := range badPlan {
		for n := range b.count {
			r := ranges[b.file]
			seen[b.file]++
			pos := r[0] + r[1]*seen[b.file]/(perFile[b.file]+1)
			g.bad = append(g.bad, badRow{pos: pos, file: b.file, rule: b.rule, n: n})
		}
	}
	// Stable order by position (insertion sort: the list is short).
	for i := 1; i < len(g.bad); i++ {
		for j := i; j > 0 && g.bad[j].pos < g.bad[j-1].pos; j-- {
			g.bad[j], g.bad[j-1] = g.bad[j-1], g.bad[j]
		}
	}
}

// emitBad writes the bad rows planned before person idx; idx < 0 writes
// all that are left.
func (g *gen) emitBad(idx int) {
	for len(g.bad) > 0 && (idx < 0 || g.bad[0].pos <= idx) {
		b := g.bad[0]
		g.bad = g.bad[1:]
		g.badRow(b)
		g.quarantine[filePaths[b.file]+"|"+b.rule]++
	}
}

var impossibleDates = []string{"31-02-2021", "30-02-2022", "31-04-2020"}

// badRow writes one bad row about a new person. Everything but the one
// broken value is valid.
func (g *gen) badRow(b badRow) {
	d := g.between(releaseLo, releaseHi)
	g.identity(adultBirth(d))
	p := &g.p
	switch b.rule {
	case ruleDateInvalid, ruleUnknownCode:
		t := traj{file: fileNazorg, prog: progAMB, code: "AMB-7D", start: d - 30, end: d + 200, release: d,
			dest: destUnknown, reason: "uit beeld"}
		if b.rule == ruleUnknownCode {
			t.code = "AMB-X"
		}
		e := g.trajRecord(&t)
		if b.rule == ruleDateInvalid {
			e.rec[7] = impossibleDates[b.n%len(impossibleDates)] // Startdatum
		}
		e.write()
	case ruleEndBeforeStart:
		t := traj{file: fileStad, prog: progOPVS, code: "24UURS", start: d, end: d - day(1+g.r.IntN(30)), dest: destUnknown}
		g.writeTraj(&t)
	case ruleNoIdentifier:
		// A BSN with its check digit changed fails the elfproef.
		bsn := []byte(p.bsn)
		bsn[8] = '0' + (bsn[8]-'0'+1)%10
		g.newCase(offence{date: d, cat: g.pick(categories)}, true, false)
		g.writeOffence(string(bsn), &p.offs[0])
	case afterCutoff:
		g.newCase(offence{date: mkday(2026, 2, 1), cat: g.pick(categories)}, true, false)
		g.writeOffence(p.bsn, &p.offs[0])
	case ruleMissingRequired:
		t := traj{file: fileRG, prog: progRG, start: d}
		e := g.trajRecord(&t)
		e.rec[5] = "" // Startdatum
		e.write()
	default:
		panic("synth: unknown bad-row rule " + b.rule)
	}
}

// truth assembles truth.json from the counts.
func (g *gen) truth() Truth {
	t := Truth{Seed: g.cfg.Seed, Cutoff: g.cutoff.String(), Persons: g.persons}
	for i, s := range rateSpecs {
		t.Rates = append(t.Rates, Rate{Programme: s.prog, Outcome: s.outcome, WindowMonths: s.window, TrueRate: trueRate(s.prog, s.outcome, s.rate),
			Eligible: g.counts[i].eligible, Events: g.counts[i].events})
	}
	for _, b := range badPlan {
		if b.rule == afterCutoff {
			// Its person has this one loaded row.
			t.AfterCutoff += g.quarantine[filePaths[b.file]+"|"+b.rule]
			t.Persons += g.quarantine[filePaths[b.file]+"|"+b.rule]
			continue
		}
		t.Quarantine = append(t.Quarantine, QuarantineCount{File: filePaths[b.file], Rule: b.rule, Count: g.quarantine[filePaths[b.file]+"|"+b.rule]})
	}
	for i, e := range g.ex {
		t.Files = append(t.Files, FileCount{File: filePaths[i], Rows: e.rows, FallbackRows: e.noBSN})
	}
	g.familyTruth(&t)
	return t
}
