package attack

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"html"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// table is one published CSV file.
type table struct {
	id     string
	header []string
	rows   [][]string
}

// reader reads one kind of published table into the Problem.
type reader struct {
	// id is a table ID, or a prefix ending in "_" that names a family of
	// tables (rates_recidivism_12, rates_shelter_return_6, …).
	id string
	// read adds the table's counts and the relations a reader of the
	// report knows; nil for a table that publishes no count of the
	// persons of a result (why says so).
	read func(*reading, table) error
	why  string
}

func (r reader) matches(id string) bool {
	if strings.HasSuffix(r.id, "_") {
		return strings.HasPrefix(id, r.id)
	}
	return id == r.id
}

// readers is the one place where a published table is registered with the
// attacker, in the order they are read (later readers link to the counts of
// earlier ones). A table in tables/ that no reader matches is listed in
// Problem.Unregistered, and TestAttack fails on it: a new published table
// gets a reader here, with every linear relation a reader of the report can
// know (sums, margins, nesting, equal populations), or a nil read with the
// reason it publishes no count of a result's persons.
func readers() []reader {
	return []reader{
		{id: "rates_", read: readRates},
		{id: "headline", read: readHeadline},
		{id: "trend_", read: readTrend},
		{id: "breakdown_", read: readBreakdown},
		{id: "families", read: readFamilies},
		{id: "family_coverage", read: readFamilyCoverage},
		{id: "spm2_returns", read: readSPM2},
		{id: "at_risk_", read: readAtRisk},
		{id: "persontime_", read: readPersonTime},
		{id: "survival_at_", read: readSurvivalAt},
		{id: "ascertainment_", read: readAscertainment},
		{id: "reference_dates", read: readReferenceDates},
		{id: "contrasts_", read: readContrasts},
		{id: "adjusted_rates", read: readAdjusted},
		{id: "domains_", read: readDomains},
		{id: "domain_detail_", read: readDomainDetail},
		{id: "transitions_", read: readTransitions},
		{id: "recidivism_definitions", read: readDefinitions},
		{id: "recidivism_def_cohorts", read: readDefCohorts},
		{id: "cif_", why: "cumulative incidence in percent at chosen months; no count"},
		{id: "km_", why: "cumulative shares at the at-risk table's published months only, whose counts that table publishes"},
		{id: "comparisons_", why: "differences and ratios of two published rate cells (a dash where either is hidden)"},
		{id: "cox_", why: "hazard ratios only; no count"},
		{id: "log_rank", why: "test statistics only; no count"},
		{id: "disclosure_log", why: "where cells are hidden and why, never a value (the rules it states are read as labels)"},
		{id: "data_quality", why: "rows per file and rule: records, not persons of a result"},
		{id: "input_files", why: "rows per file: records, not persons of a result"},
		{id: "quarantine_rules", why: "rows per rule: records, not persons of a result"},
		{id: "row_flow", why: "rows per file and destination: records, not persons of a result"},
		{id: "linkage", why: "records per file and linkage key: records, not persons of a result"},
		{id: "provenance", why: "run parameters and hashes; no count"},
	}
}

// reading is the state of one ReadReport: the problem so far and the keys
// of the counts that later tables link to.
type reading struct {
	p               *Problem
	minCell         int
	zerosDisclosive bool
	caption         map[string]string
	// rate cells by outcome|programme|window, and breakdown cells by
	// outcome|programme|dimension|group|window (families: "families"|
	// programme|in programme|window).
	totals map[string]int
	groups map[string]int
	// headWindow is each programme's headline window.
	headWindow map[string]string
	// curves by outcome|programme.
	curves map[string]*curve
	// defs are the recidivism definitions' cells by programme|definition|
	// window.
	defs map[string]int
}

// curve holds the counts of one survival curve: persons (N, the at-risk
// count at month 0), the at-risk, cumulative event and cumulative
// censoring counts per month, and the person-time cell (same persons, all
// first events).
type curve struct {
	n          *Ref
	months     []int
	at, ev, ce map[int]Ref
	personTime int // cell index + 1; 0 when none
}

func (rd *reading) curve(outcome, programme string) *curve {
	k := outcome + "|" + programme
	if rd.curves[k] == nil {
		rd.curves[k] = &curve{at: map[int]Ref{}, ev: map[int]Ref{}, ce: map[int]Ref{}}
	}
	return rd.curves[k]
}

// persons returns the curve's persons, creating an unpublished count when
// no table showed it yet.
func (rd *reading) curvePersons(c *curve, name string) Ref {
	if c.n == nil {
		r := rd.p.AddCount(name+" persons", Interval{0, math.Inf(1)})
		rd.p.Counts[r.i].Unpublished = true
		c.n = &r
	}
	return *c.n
}

// count parses a published count: a number, a mark ("<T", "×") or a dash
// (not published: any count from 0, and no rule to check on it). ok is
// false for anything else.
func (rd *reading) count(s string) (v Interval, unpublished, ok bool) {
	s = strings.TrimSpace(s)
	if s == "–" || s == "-" {
		return Interval{0, math.Inf(1)}, true, true
	}
	// "271 (58%)": the count before its share.
	if i := strings.Index(s, " ("); i > 0 {
		s = s[:i]
	}
	v, ok = Label(s, rd.minCell, rd.zerosDisclosive)
	return v, false, ok
}

// addCount adds a published count (see count); ok false when s is none.
func (rd *reading) addCount(name, s string) (Ref, bool) {
	v, unpublished, ok := rd.count(s)
	if !ok {
		return Ref{}, false
	}
	r := rd.p.AddCount(name, v)
	rd.p.Counts[r.i].Unpublished = unpublished
	return r, true
}

// cell adds the cell of persons (column pi) and events (pi + 1) of a row.
func (rd *reading) cell(row []string, pi int, name string) (int, bool) {
	if pi+1 >= len(row) {
		return 0, false
	}
	n, _, okN := rd.count(row[pi])
	e, _, okE := rd.count(row[pi+1])
	if !okN {
		return 0, false
	}
	if n.Exact() && n.Lo == 0 {
		e = Interval{0, 0} // nobody, so nobody with the event
	} else if !okE {
		return 0, false
	}
	return rd.p.AddCell(Cell{Name: name, N: n, E: e}), true
}

// outcomeOf is the outcome in a table ID prefix_<outcome>[_<window>].
func outcomeOf(id, prefix string, window bool) string {
	s := strings.TrimPrefix(id, prefix)
	if window {
		if i := strings.LastIndex(s, "_"); i > 0 {
			s = s[:i]
		}
	}
	return s
}

// ReadReport reads a report's output folder (tables/*.csv and report.html)
// into a Problem: every published table through its reader (see readers),
// with the relations a reader of the report can see.
func ReadReport(dir string, minCell int, zerosDisclosive bool) (*Problem, error) {
	files, err := filepath.Glob(filepath.Join(dir, "tables", "*.csv"))
	if err != nil {
		return nil, err
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		return nil, err
	}
	var tables []table
	for _, f := range files {
		t, err := readCSV(f, string(page))
		if err != nil {
			return nil, err
		}
		tables = append(tables, t)
	}
	rd := &reading{p: &Problem{MinCell: minCell}, minCell: minCell, zerosDisclosive: zerosDisclosive,
		caption: captions(string(page)), totals: map[string]int{}, groups: map[string]int{},
		headWindow: map[string]string{}, curves: map[string]*curve{}}
	rs := readers()
	for _, t := range tables {
		if !slices.ContainsFunc(rs, func(r reader) bool { return r.matches(t.id) }) {
			rd.p.Unregistered = append(rd.p.Unregistered, t.id)
		}
	}
	for _, r := range rs {
		if r.read == nil {
			continue
		}
		for _, t := range tables {
			if !r.matches(t.id) {
				continue
			}
			if err := r.read(rd, t); err != nil {
				return nil, fmt.Errorf("%s: %w", t.id, err)
			}
		}
	}
	rd.nest()
	rd.linkCurves()
	return rd.p, nil
}

// readRates: rates_<outcome>_<window>, a programme's all-cohorts cell per
// row (programme, window, persons, events, …).
func readRates(rd *reading, t table) error {
	outcome := outcomeOf(t.id, "rates_", true)
	for _, row := range t.rows {
		if i, ok := rd.cell(row, 2, t.id+": "+row[0]+", "+row[1]); ok {
			rd.totals[outcome+"|"+row[0]+"|"+row[1]] = i
		}
	}
	return nil
}

// total finds the rate cell of a programme and window whatever the
// outcome, when only one outcome has one.
func (rd *reading) total(programme, window string) (int, bool) {
	found, n := 0, 0
	for k, i := range rd.totals {
		if strings.HasSuffix(k, "|"+programme+"|"+window) {
			found, n = i, n+1
		}
	}
	return found, n == 1
}

// readHeadline: programme, outcome, window, persons, events: the same cell
// as the programme's rate.
func readHeadline(rd *reading, t table) error {
	for _, row := range t.rows {
		rd.headWindow[row[0]] = row[2]
		if c, ok := rd.cell(row, 3, t.id+": "+row[0]); ok {
			if tot, ok := rd.total(row[0], row[2]); ok {
				rd.p.Same = append(rd.p.Same, [2]int{tot, c})
			}
		}
	}
	return nil
}

// readTrend: trend_<code>, the cohort years of the programme named in the
// caption, in its headline window: they partition the total, except for
// recidivism, whose cohorts are the monitor's and overlap (see below).
func readTrend(rd *reading, t table) error {
	desc := rd.caption[t.id]
	programme := ""
	for name := range rd.headWindow {
		if strings.Contains(desc, name) && len(name) > len(programme) {
			programme = name
		}
	}
	tot, ok := rd.total(programme, rd.headWindow[programme])
	if !ok {
		return fmt.Errorf("no total found for its programme (caption %q)", desc)
	}
	rel := []int{tot}
	for _, row := range t.rows {
		if c, ok := rd.cell(row, 1, t.id+": "+row[0]); ok {
			rel = append(rel, c)
		}
	}
	recidivism := false
	for k, i := range rd.totals {
		recidivism = recidivism || (i == tot && strings.HasPrefix(k, "recidivism|"))
	}
	if !recidivism {
		rd.p.Relations = append(rd.p.Relations, rel)
		return nil
	}
	// Recidivism's cohorts are the monitor's (the report says so): a
	// person released in two years is in both, from the first release in
	// each. Everyone of the total is in the cohort of their first
	// reference date with the same outcome, so the total is at most the
	// cohorts' sum (persons, events, without); and a cohort's persons are
	// persons of the total. Nothing more: a later release's outcome is not
	// the first one's.
	if len(rel) > 1 {
		for _, k := range []Kind{Persons, Events, Without} {
			l := Linear{Terms: []Term{{CellRef(tot, k), 1}}, Less: true, Why: t.id + ": monitor cohorts"}
			for _, c := range rel[1:] {
				l.Terms = append(l.Terms, Term{CellRef(c, k), -1})
			}
			rd.p.Linear = append(rd.p.Linear, l)
		}
	}
	for _, c := range rel[1:] {
		rd.p.AtMost(CellRef(c, Persons), CellRef(tot, Persons), t.id)
	}
	return nil
}

// readBreakdown: breakdown_<outcome>, programme, window, dimension, group,
// persons, events: each dimension's groups partition the total.
func readBreakdown(rd *reading, t table) error {
	outcome := outcomeOf(t.id, "breakdown_", false)
	rels := map[string][]int{}
	var order []string
	for _, row := range t.rows {
		tot, ok := rd.totals[outcome+"|"+row[0]+"|"+row[1]]
		if !ok {
			return fmt.Errorf("no total for %s, %s", row[0], row[1])
		}
		key := row[0] + "|" + row[1] + "|" + row[2]
		if _, seen := rels[key]; !seen {
			rels[key] = []int{tot}
			order = append(order, key)
		}
		if c, ok := rd.cell(row, 4, t.id+": "+strings.Join(row[:4], ", ")); ok {
			rels[key] = append(rels[key], c)
			rd.groups[outcome+"|"+row[0]+"|"+row[2]+"|"+row[3]+"|"+row[1]] = c
		}
	}
	for _, k := range order {
		rd.p.Relations = append(rd.p.Relations, rels[k])
	}
	return nil
}

// readFamilies: programme, household in programme, window, persons,
// events.
func readFamilies(rd *reading, t table) error {
	for _, row := range t.rows {
		if c, ok := rd.cell(row, 3, t.id+": "+strings.Join(row[:3], ", ")); ok {
			rd.groups["families|"+row[0]+"|"+row[1]+"|"+row[2]] = c
		}
	}
	return nil
}

// nest adds the nesting of windows: whoever's longer window has closed is
// in the shorter window's population too, and who had no event within the
// longer window had none within the shorter: n(w′) ≤ n(w) and
// without(w′) ≤ without(w) for w < w′, for the totals, the breakdown
// groups and the families' groups.
func (rd *reading) nest() {
	for _, m := range []map[string]int{rd.totals, rd.groups} {
		byPop := map[string]map[int]int{}
		for k, c := range m {
			i := strings.LastIndex(k, "|")
			w, err := strconv.Atoi(k[i+1:])
			if err != nil {
				continue
			}
			if byPop[k[:i]] == nil {
				byPop[k[:i]] = map[int]int{}
			}
			byPop[k[:i]][w] = c
		}
		keys := slices.Sorted(maps.Keys(byPop))
		for _, k := range keys {
			ws := slices.Sorted(maps.Keys(byPop[k]))
			for j := 1; j < len(ws); j++ {
				short, long := byPop[k][ws[j-1]], byPop[k][ws[j]]
				why := fmt.Sprintf("%s: window %d within %d", k, ws[j], ws[j-1])
				rd.p.AtMost(CellRef(long, Persons), CellRef(short, Persons), why)
				rd.p.AtMost(CellRef(long, Without), CellRef(short, Without), why)
			}
		}
	}
}

// readAtRisk: at_risk_<outcome>, per programme three rows (at risk,
// cumulative events, cumulative censorings) over the month columns.
func readAtRisk(rd *reading, t table) error {
	outcome := outcomeOf(t.id, "at_risk_", false)
	var months []int
	for _, h := range t.header[2:] {
		m, err := strconv.Atoi(strings.Fields(h)[0])
		if err != nil {
			return fmt.Errorf("month column %q", h)
		}
		months = append(months, m)
	}
	for k, row := range t.rows {
		c := rd.curve(outcome, row[0])
		c.months = months
		target := []map[int]Ref{c.at, c.ev, c.ce}[k%3]
		for j, m := range months {
			if r, ok := rd.addCount(fmt.Sprintf("%s: %s, %s, month %d", t.id, row[0], row[1], m), row[2+j]); ok {
				target[m] = r
			}
		}
	}
	return nil
}

// readPersonTime: persontime_<outcome>, programme, persons, first events:
// the curve's persons and all its first events.
func readPersonTime(rd *reading, t table) error {
	outcome := outcomeOf(t.id, "persontime_", false)
	for _, row := range t.rows {
		if i, ok := rd.cell(row, 1, t.id+": "+row[0]); ok {
			c := rd.curve(outcome, row[0])
			c.personTime = i + 1
			rd.p.Equal(CellRef(i, Persons), rd.curvePersons(c, t.id+": "+row[0]), t.id)
		}
	}
	return nil
}

// readSurvivalAt: survival_at_<outcome>, programme, time, number at risk:
// the at-risk count of the curve at that month.
func readSurvivalAt(rd *reading, t table) error {
	outcome := outcomeOf(t.id, "survival_at_", false)
	months := len(t.header) > 1 && (strings.Contains(t.header[1], "maand") || strings.Contains(t.header[1], "month"))
	for _, row := range t.rows {
		r, ok := rd.addCount(t.id+": "+row[0]+", "+row[1], row[2])
		if !ok {
			continue
		}
		m, err := strconv.Atoi(row[1])
		if !months || err != nil {
			continue
		}
		c := rd.curve(outcome, row[0])
		if at, ok := c.at[m]; ok {
			rd.p.Equal(r, at, t.id)
		} else {
			c.at[m] = r
		}
	}
	return nil
}

// readAscertainment: ascertainment_<outcome>, programme, persons (the
// curve's), findable: a cell whose "events" are the findable persons.
func readAscertainment(rd *reading, t table) error {
	outcome := outcomeOf(t.id, "ascertainment_", false)
	for _, row := range t.rows {
		if i, ok := rd.cell(row, 1, t.id+": "+row[0]); ok {
			rd.p.Equal(CellRef(i, Persons), rd.curvePersons(rd.curve(outcome, row[0]), t.id+": "+row[0]), t.id)
		}
	}
	return nil
}

// readReferenceDates: programme, setting, persons with a trajectory,
// subjects, excluded: subjects + excluded = persons; every curve of the
// programme follows some of its subjects.
func readReferenceDates(rd *reading, t table) error {
	for _, row := range t.rows {
		persons, ok1 := rd.addCount(t.id+": "+row[0]+" persons", row[2])
		subjects, ok2 := rd.addCount(t.id+": "+row[0]+" subjects", row[3])
		excluded, ok3 := rd.addCount(t.id+": "+row[0]+" excluded", row[4])
		if ok1 && ok2 && ok3 {
			rd.p.Sum(persons, []Ref{subjects, excluded}, t.id)
		}
		if !ok2 {
			continue
		}
		for k, c := range rd.curves {
			if strings.HasSuffix(k, "|"+row[0]) {
				rd.p.AtMost(rd.curvePersons(c, k), subjects, t.id)
			}
		}
	}
	return nil
}

// readContrasts: contrasts_<outcome>, the first (unadjusted) model of each
// contrast "A … B" stacks the two curves' persons and first events.
func readContrasts(rd *reading, t table) error {
	outcome := outcomeOf(t.id, "contrasts_", false)
	var names []string
	for k := range rd.curves {
		if p, ok := strings.CutPrefix(k, outcome+"|"); ok {
			names = append(names, p)
		}
	}
	seen := map[string]bool{}
	for _, row := range t.rows {
		if seen[row[0]] || len(row) < 5 {
			continue
		}
		seen[row[0]] = true
		var a, b *curve
		for _, x := range names {
			for _, y := range names {
				if x != y && len(x)+len(y) < len(row[0]) && strings.HasPrefix(row[0], x) && strings.HasSuffix(row[0], y) {
					a, b = rd.curve(outcome, x), rd.curve(outcome, y)
				}
			}
		}
		i, ok := rd.cell(row, 3, t.id+": "+row[0])
		if !ok || a == nil || a.personTime == 0 || b.personTime == 0 {
			continue
		}
		rd.p.Relations = append(rd.p.Relations, []int{i, a.personTime - 1, b.personTime - 1})
	}
	return nil
}

// readAdjusted: programme, outcome, window, persons: the persons of the
// programme's rate cell.
func readAdjusted(rd *reading, t table) error {
	for _, row := range t.rows {
		r, ok := rd.addCount(t.id+": "+strings.Join(row[:3], ", "), row[3])
		if !ok {
			continue
		}
		if tot, ok := rd.total(row[0], row[2]); ok {
			rd.p.Equal(r, CellRef(tot, Persons), t.id)
		}
	}
	return nil
}

// domainKey is a life-domain row of a programme's tables: the caption
// names the programme; the domain is the row's first column.
func domainKey(t table, prefix string, row []string) string {
	return strings.TrimPrefix(t.id, prefix) + "|" + row[0]
}

// readDomains: domains_<code>, domain, persons followed, means, improved,
// unchanged, worse: the three classes sum to the persons.
func readDomains(rd *reading, t table) error {
	for _, row := range t.rows {
		if len(row) < 8 {
			continue
		}
		name := t.id + ": " + row[0]
		n, ok := rd.addCount(name+" persons", row[1])
		if !ok {
			continue
		}
		var classes []Ref
		for j, class := range []string{"improved", "unchanged", "worse"} {
			r, ok := rd.addCount(name+" "+class, row[5+j])
			if !ok {
				break
			}
			classes = append(classes, r)
		}
		if len(classes) == 3 {
			rd.p.Sum(n, classes, t.id)
			rd.domains()[domainKey(t, "domains_", row)] = append([]Ref{n}, classes...)
		}
	}
	return nil
}

// domains holds the life-domain rows' counts (persons, improved, unchanged,
// worse) for the detail tables, in the Problem's own scratch map.
func (rd *reading) domains() map[string][]Ref {
	if rd.p.domainRows == nil {
		rd.p.domainRows = map[string][]Ref{}
	}
	return rd.p.domainRows
}

var reliableCell = regexp.MustCompile(`^(\S+) \S+ (\S+) \(`)

// readDomainDetail: domain_detail_<code>, domain, at intake, followed, …,
// reliably better "k of m (p%)" / worse: followed is the domain row's
// persons; reliably better is within improved, and improved within those
// who could improve (m), who are within those followed; likewise worse.
func readDomainDetail(rd *reading, t table) error {
	for _, row := range t.rows {
		if len(row) < 6 {
			continue
		}
		name := t.id + ": " + row[0]
		intake, okI := rd.addCount(name+" at intake", row[1])
		followed, okF := rd.addCount(name+" followed", row[2])
		if !okF {
			continue
		}
		if okI {
			rd.p.AtMost(followed, intake, t.id)
		}
		d, ok := rd.domains()[domainKey(t, "domain_detail_", row)]
		if !ok {
			continue
		}
		rd.p.Equal(followed, d[0], t.id)
		for j, part := range strings.Split(row[5], " / ") {
			m := reliableCell.FindStringSubmatch(strings.TrimSpace(part))
			if m == nil {
				continue
			}
			k, ok1 := rd.addCount(fmt.Sprintf("%s reliable %d", name, j), m[1])
			could, ok2 := rd.addCount(fmt.Sprintf("%s could %d", name, j), m[2])
			if !ok1 || !ok2 {
				continue
			}
			class := d[1]
			if j == 1 {
				class = d[3]
			}
			rd.p.AtMost(k, class, t.id)
			rd.p.AtMost(class, could, t.id)
			rd.p.AtMost(could, followed, t.id)
		}
	}
	return nil
}

// linkCurves adds what a reader knows of each curve: at month m the
// persons at risk, with an event by m and censored by m make up at least
// the persons (a person whose follow-up ends at m counts as at risk and
// as ended), and nobody at risk at m had ended by an earlier month m′;
// the counts at risk fall and the cumulative counts rise; the person-time
// cell's first events include every event by m and its persons without
// every censoring; and every rate cell of the outcome and programme is
// within the curve's persons, its events within the curve's first events.
func (rd *reading) linkCurves() {
	for _, k := range slices.Sorted(maps.Keys(rd.curves)) {
		c := rd.curves[k]
		p := rd.p
		a0, ok := c.at[0]
		if c.n == nil && !ok {
			continue
		}
		n := rd.curvePersons(c, k)
		if ok {
			p.Equal(n, a0, k+" month 0")
		}
		for j, m := range c.months {
			a, okA := c.at[m]
			e, okE := c.ev[m]
			ce, okC := c.ce[m]
			if !okA || !okE || !okC {
				continue
			}
			why := fmt.Sprintf("%s month %d", k, m)
			p.Linear = append(p.Linear, Linear{Terms: []Term{{n, 1}, {a, -1}, {e, -1}, {ce, -1}}, Less: true, Why: why})
			if c.personTime > 0 {
				p.AtMost(e, CellRef(c.personTime-1, Events), why)
				p.AtMost(ce, CellRef(c.personTime-1, Without), why)
			}
			if j == 0 {
				continue
			}
			prev := c.months[j-1]
			pa, ok1 := c.at[prev]
			pe, ok2 := c.ev[prev]
			pc, ok3 := c.ce[prev]
			if !ok1 || !ok2 || !ok3 {
				continue
			}
			p.AtMost(a, pa, why)
			p.AtMost(pe, e, why)
			p.AtMost(pc, ce, why)
			p.Linear = append(p.Linear, Linear{Terms: []Term{{a, 1}, {pe, 1}, {pc, 1}, {n, -1}}, Less: true, Why: why})
		}
		outcome, programme, _ := strings.Cut(k, "|")
		for tk, i := range rd.totals {
			if strings.HasPrefix(tk, outcome+"|"+programme+"|") {
				p.AtMost(CellRef(i, Persons), n, tk)
				if c.personTime > 0 {
					p.AtMost(CellRef(i, Events), CellRef(c.personTime-1, Events), tk)
				}
			}
		}
	}
}

// readCSV reads the published table of the CSV file at path, in the
// layout of the report: the header and cells of the report's table of the
// same ID (page is report.html), where a cell still reads "271 (58%)" or
// "29,1% – 47,8%". The CSV files hold those very cells with the numbers
// typed and compound cells split into columns (package reports,
// spreadsheet.go; its TestCSVAndXLSXHoldTheReportTables checks that each
// CSV is its report table typed, with every mark in place), so reading
// the report's cells attacks what the CSV publishes; the CSV must parse
// and have the report table's rows.
func readCSV(path, page string) (table, error) {
	f, err := os.Open(path)
	if err != nil {
		return table{}, err
	}
	defer f.Close()
	// The Dutch tables are written for Dutch Excel (a byte-order mark and
	// ';'), the English ones as RFC 4180 (','): the header line tells.
	br := bufio.NewReader(f)
	if bom, _ := br.Peek(3); string(bom) == "\uFEFF" {
		br.Discard(3)
	}
	first, _ := br.Peek(4096) // short at the end of the file: fine
	r := csv.NewReader(br)
	if line, _, _ := strings.Cut(string(first), "\n"); strings.Count(line, ";") > strings.Count(line, ",") {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return table{}, fmt.Errorf("reading %s: %w", path, err)
	}
	t := table{id: strings.TrimSuffix(filepath.Base(path), ".csv")}
	m := regexp.MustCompile(`(?s)<table data-table="` + regexp.QuoteMeta(t.id) + `"[^>]*>\s*<caption>.*?</caption>(.*?)</table>`).FindStringSubmatch(page)
	if m == nil && len(recs) <= 1 {
		return t, nil // an empty table the report leaves out
	}
	if m == nil {
		return table{}, fmt.Errorf("%s: no table %s in report.html", path, t.id)
	}
	for i, row := range htmlRow.FindAllStringSubmatch(m[1], -1) {
		var cells []string
		for _, c := range htmlCell.FindAllStringSubmatch(row[1], -1) {
			cells = append(cells, html.UnescapeString(inCell.ReplaceAllString(c[1], "")))
		}
		if i == 0 {
			t.header = cells
		} else {
			t.rows = append(t.rows, cells)
		}
	}
	if len(recs) != len(t.rows)+1 {
		return table{}, fmt.Errorf("%s: %d rows, report.html's table %d", path, len(recs)-1, len(t.rows))
	}
	return t, nil
}

var (
	htmlRow  = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	htmlCell = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	// inCell is markup inside a cell (a number's span, an identifier's
	// code): the reader sees the text only.
	inCell = regexp.MustCompile(`<[^>]+>`)
)

var tableCaption = regexp.MustCompile(`<table data-table="(\w+)"[^>]*>\s*<caption>([^<]*)</caption>`)

// captions returns the caption of every table in the report, by table ID.
func captions(page string) map[string]string {
	out := map[string]string{}
	for _, m := range tableCaption.FindAllStringSubmatch(page, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// definitionRank orders the recidivism definitions by inclusion: a case
// that counts for a definition counts for general recidivism; a very
// serious one is serious. The names are the report's, in both languages.
var definitionParent = map[string]string{
	"ernstig": "algemeen", "zeer ernstig": "ernstig", "specifiek": "algemeen", "vrijheidsstraf": "algemeen",
	"serious": "general", "very serious": "serious", "specific": "general", "custodial": "general",
}

// readDefinitions: recidivism_definitions, programme, definition, window,
// persons, events, share, interval, cases: every definition of a programme
// and window counts the same persons (those of its recidivism rate cell),
// the persons with a serious case are among those with any case (and so
// on, definitionParent), persons with a case are at most the cases.
func readDefinitions(rd *reading, t table) error {
	cells := map[string]int{}
	for _, row := range t.rows {
		if len(row) < 8 {
			continue
		}
		i, ok := rd.cell(row, 3, t.id+": "+strings.Join(row[:3], ", "))
		if !ok {
			continue
		}
		cells[row[0]+"|"+row[1]+"|"+row[2]] = i
		rd.groups["definition|"+row[0]+"|"+row[1]+"|"+row[2]] = i
		if tot, ok := rd.totals["recidivism|"+row[0]+"|"+row[2]]; ok {
			rd.p.Equal(CellRef(i, Persons), CellRef(tot, Persons), t.id)
		}
		if cases, ok := rd.addCount(t.id+": "+strings.Join(row[:3], ", ")+" cases", row[7]); ok {
			rd.p.AtMost(CellRef(i, Events), cases, t.id)
		}
	}
	rd.linkDefinitions(cells, t.id)
	rd.defs = cells
	return nil
}

// linkDefinitions adds, for cells keyed programme|definition|rest, that a
// definition's persons are its parent's and its events within the
// parent's.
func (rd *reading) linkDefinitions(cells map[string]int, why string) {
	for _, k := range slices.Sorted(maps.Keys(cells)) {
		parts := strings.SplitN(k, "|", 3)
		parent, ok := definitionParent[parts[1]]
		if !ok {
			continue
		}
		if j, ok := cells[parts[0]+"|"+parent+"|"+parts[2]]; ok {
			rd.p.Equal(CellRef(cells[k], Persons), CellRef(j, Persons), why)
			rd.p.AtMost(CellRef(cells[k], Events), CellRef(j, Events), why)
		}
	}
}

// readDefCohorts: recidivism_def_cohorts, programme, definition, window,
// cohort year, persons, events, …, cases: a person enters the cohort of
// every year with a reference date, so the cohorts overlap: each is within
// the definition's all-cohorts cell (persons, events, without) and
// together they hold at least all of it; the definitions nest per cohort
// as in readDefinitions, and the windows nest per cohort.
func readDefCohorts(rd *reading, t table) error {
	cells := map[string]int{}
	byTotal := map[string][]int{}
	for _, row := range t.rows {
		if len(row) < 9 {
			continue
		}
		i, ok := rd.cell(row, 4, t.id+": "+strings.Join(row[:4], ", "))
		if !ok {
			continue
		}
		cells[row[0]+"|"+row[1]+"|"+row[2]+"|"+row[3]] = i
		rd.groups["def_cohort|"+row[0]+"|"+row[1]+"|"+row[3]+"|"+row[2]] = i
		if cases, ok := rd.addCount(t.id+": "+strings.Join(row[:4], ", ")+" cases", row[8]); ok {
			rd.p.AtMost(CellRef(i, Events), cases, t.id)
		}
		tk := row[0] + "|" + row[1] + "|" + row[2]
		if tot, ok := rd.defs[tk]; ok {
			// A cohort's persons are persons of the total; its events
			// and non-events are not bounded by the total's (a person's
			// later release can end otherwise than the first).
			rd.p.AtMost(CellRef(i, Persons), CellRef(tot, Persons), t.id)
			byTotal[tk] = append(byTotal[tk], i)
		}
	}
	for _, tk := range slices.Sorted(maps.Keys(byTotal)) {
		tot := rd.defs[tk]
		for _, k := range []Kind{Persons, Events, Without} {
			l := Linear{Terms: []Term{{CellRef(tot, k), 1}}, Less: true, Why: t.id + " " + tk}
			for _, i := range byTotal[tk] {
				l.Terms = append(l.Terms, Term{CellRef(i, k), -1})
			}
			rd.p.Linear = append(rd.p.Linear, l)
		}
	}
	rd.linkDefinitions(cells, t.id)
	return nil
}

// readTransitions: transitions_<code>, domain, intake score, persons per
// follow-up score 1–5 (a withheld domain is one row of dashes): above the
// diagonal the domain row's improved, on it unchanged, below it worse.
func readTransitions(rd *reading, t table) error {
	parts := map[string]*[3][]Ref{}
	for _, row := range t.rows {
		if len(row) < 7 {
			continue
		}
		from, err := strconv.Atoi(row[1])
		if err != nil {
			continue // withheld
		}
		key := strings.TrimPrefix(t.id, "transitions_") + "|" + row[0]
		if parts[key] == nil {
			parts[key] = &[3][]Ref{}
		}
		for to := 1; to <= 5; to++ {
			r, ok := rd.addCount(fmt.Sprintf("%s: %s, %d to %d", t.id, row[0], from, to), row[1+to])
			if !ok {
				continue
			}
			class := 1 // unchanged
			switch {
			case to > from:
				class = 0
			case to < from:
				class = 2
			}
			parts[key][class] = append(parts[key][class], r)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(parts)) {
		d, ok := rd.domains()[key]
		if !ok {
			continue
		}
		for class, refs := range parts[key] {
			rd.p.Sum(d[1+class], refs, t.id)
		}
	}
	return nil
}
