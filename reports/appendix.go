package reports

import (
	"fmt"
	"strings"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/study"
)

// appendix is the researchers' part: definitions, data quality, model
// tables and provenance.
func (b builder) appendix() section {
	st := b.res.Study
	s := section{ID: "appendix", Heading: b.t.f("appendix"), Audience: b.t.f("audience_researchers")}
	s.Blocks = append(s.Blocks, block{Heading: b.t.f("definitions"), List: append(b.outcomeDefinitions(),
		b.t.f("def_censoring", longDate(st.Cutoff, b.lang)),
		b.t.f("def_exclusions"),
		b.t.f("def_ci"),
	)})
	s.Blocks[len(s.Blocks)-1].List = append(s.Blocks[len(s.Blocks)-1].List, b.disclosureRules()...)
	s.Blocks = append(s.Blocks, b.qualityBlocks()...)
	s.Blocks = append(s.Blocks, b.linkageBlocks()...)
	if bl, ok := b.logRankBlock(); ok {
		s.Blocks = append(s.Blocks, bl)
	}
	s.Blocks = append(s.Blocks, b.coxBlocks()...)
	if bl, ok := b.referenceBlock(); ok {
		s.Blocks = append(s.Blocks, bl)
	}
	s.Blocks = append(s.Blocks, b.contrastBlocks()...)
	if bl, ok := b.spm2Block(); ok {
		s.Blocks = append(s.Blocks, bl)
	}
	if bl, ok := b.adjustedBlock(); ok {
		s.Blocks = append(s.Blocks, bl)
	}
	s.Blocks = append(s.Blocks, b.disclosureLogBlock())
	s.Blocks = append(s.Blocks, b.provenanceBlocks()...)
	return s
}

// outcomeDefinitions are the definitions of the windows, reference dates
// and qualifying events: one item each, made of the parts of every outcome
// kind with subjects of its own (study.OutcomeDef.Texts), in the order of
// study.OutcomeKinds.
func (b builder) outcomeDefinitions() []string {
	o := b.res.Study.Outcomes
	var windows, references, events []string
	for _, def := range study.OutcomeKinds() {
		if !def.OwnSubjects() {
			continue
		}
		windows = append(windows, b.t.f(def.Texts.Windows, months(def.Windows(o))))
		references = append(references, b.t.f(def.Texts.Reference))
		var args []any
		if def.Texts.EventsArgs != nil {
			args = def.Texts.EventsArgs(o)
		}
		events = append(events, b.t.f(def.Texts.Events, args...))
	}
	return []string{
		b.t.f("def_windows", strings.Join(windows, "; ")),
		b.t.f("def_reference", strings.Join(references, "; ")),
		b.t.f("def_events", strings.Join(events, "; ")),
	}
}

func months(ws []int) string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = fmt.Sprint(w)
	}
	return strings.Join(s, ", ")
}

// qualityBlocks account for every input row per file, per quarantine rule,
// and for how persons were linked. These are row counts about the data,
// not about persons' outcomes, so they are not suppressed.
func (b builder) qualityBlocks() []block {
	n := func(i int) string { return number(i, b.lang) }
	files := newTable("data_quality", b.t.f("quality"), b.t.f("col_partner"), "`"+b.t.f("col_file"), b.t.f("col_kind"),
		"#"+b.t.f("col_read"), "#"+b.t.f("col_loaded"), "#"+b.t.f("col_quarantined"))
	links := newTable("linkage", b.t.f("linkage_title"), b.t.f("col_partner"), "`"+b.t.f("col_file"),
		"#"+b.t.f("col_bsn"), "#"+b.t.f("col_fallback"), "#"+b.t.f("col_supplier"))
	rules := newTable("quarantine_rules", b.t.f("quarantine_title"), b.t.f("col_partner"), "`"+b.t.f("col_file"), b.t.f("col_rule"), "#"+b.t.f("col_rows"))
	var read, loaded, quar, bsn, fb, sup int
	for _, f := range b.res.Files {
		files.add(f.Partner, f.File, b.kindName(f.Kind), n(f.Read), n(f.Loaded), n(f.Quarantined))
		links.add(f.Partner, f.File, n(f.LinkedBSN), n(f.LinkedFallback), n(f.LinkedSupplier))
		read, loaded, quar = read+f.Read, loaded+f.Loaded, quar+f.Quarantined
		bsn, fb, sup = bsn+f.LinkedBSN, fb+f.LinkedFallback, sup+f.LinkedSupplier
		for _, r := range f.Rules {
			rules.add(f.Partner, f.File, b.ruleName(r.Rule), n(r.Count))
		}
	}
	files.add(b.t.f("total"), "–", "–", n(read), n(loaded), n(quar))
	links.add(b.t.f("total"), "–", n(bsn), n(fb), n(sup))
	out := []block{{Heading: b.t.f("quality"), Paragraphs: []string{b.t.f("quality_intro")}, Table: files}}
	if len(rules.Rows) > 0 {
		out = append(out, block{Table: rules})
	}
	out = append(out, block{Table: links})
	return append(out, b.flowBlock())
}

// flowBlock shows where the rows went, per partner: loaded or quarantined,
// and how the loaded rows were linked to persons, as a Sankey diagram with
// the table of its flows.
func (b builder) flowBlock() block {
	title := b.t.f("flow_title")
	d := chartData{ID: "chart_flow", Kind: kindSankey, Title: title}
	tb := newTable("row_flow", title, b.t.f("col_from"), b.t.f("col_to"), "#"+b.t.f("col_rows"))
	var order []string
	byPartner := map[string][2]int{}
	var bsn, fb, sup int
	for _, f := range b.res.Files {
		if _, ok := byPartner[f.Partner]; !ok {
			order = append(order, f.Partner)
		}
		c := byPartner[f.Partner]
		byPartner[f.Partner] = [2]int{c[0] + f.Loaded, c[1] + f.Quarantined}
		bsn, fb, sup = bsn+f.LinkedBSN, fb+f.LinkedFallback, sup+f.LinkedSupplier
	}
	loaded, quarantined := b.t.f("node_loaded"), b.t.f("node_quarantined")
	add := func(from, to string, n int) {
		if n > 0 {
			d.Flows = append(d.Flows, flow{From: from, To: to, Rows: n})
			tb.add(from, to, number(n, b.lang))
		}
	}
	for _, p := range order {
		add(p, loaded, byPartner[p][0])
		add(p, quarantined, byPartner[p][1])
	}
	add(loaded, b.t.f("node_bsn"), bsn)
	add(loaded, b.t.f("node_fallback"), fb)
	add(loaded, b.t.f("node_supplier"), sup)
	bl := b.chartWithTable(d, tb)
	bl.Heading = title
	return bl
}

// ruleName says a quarantine rule (ingest.Rule, stored by its code in
// the database's quarantine table) in the report's language; every rule of
// ingest.Rules has a text (TestRuleNames), an unknown one shows its code.
func (b builder) ruleName(rule string) string {
	if s, ok := b.t["qrule_"+rule]; ok {
		return s
	}
	return rule
}

// kindName says what one row of an export describes.
func (b builder) kindName(kind string) string {
	if s, ok := b.t["kind_"+kind]; ok {
		return s
	}
	return kind
}

func (b builder) logRankBlock() (block, bool) {
	if len(b.res.LogRank) == 0 {
		return block{}, false
	}
	tb := newTable("log_rank", b.t.f("logrank_title"), b.t.f("col_outcome"), b.t.f("col_programmes"), "#"+b.t.f("col_chisq"), "#"+b.t.f("col_df"), "#"+b.t.f("col_p"))
	for _, lr := range b.res.LogRank {
		names := make([]string, len(lr.Programmes))
		for i, p := range lr.Programmes {
			names[i] = b.programmeName(p)
		}
		if lr.Skipped != "" {
			tb.add(b.outcomeName(lr.Outcome), strings.Join(names, "; "), "–", "–", b.t.f("not_computed", b.skipped(lr.Skipped)))
			continue
		}
		tb.add(b.outcomeName(lr.Outcome), strings.Join(names, "; "), decimal(lr.ChiSq, 2, b.lang), fmt.Sprint(lr.DF), pValue(lr.P, b.lang))
	}
	return block{Heading: b.t.f("logrank_title"), Table: tb}, true
}

func (b builder) coxBlocks() []block {
	var out []block
	for _, m := range b.res.Cox {
		o := b.outcomeName(m.Outcome)
		title := b.t.f("cox_title", o, b.programmeName(m.Reference))
		tb := newTable("cox_"+string(m.Outcome), title, b.t.f("col_term"), "#"+b.t.f("col_hr"), "#"+b.t.f("col_ci"), "#"+b.t.f("col_p"))
		for _, h := range m.Terms {
			if h.Suppressed {
				tb.add(b.termName(h.Term), "–", "–", "–")
				continue
			}
			tb.add(b.termName(h.Term), decimal(h.Value, 2, b.lang), decimal(h.Lower, 2, b.lang)+" – "+decimal(h.Upper, 2, b.lang), pValue(h.P, b.lang))
		}
		n, events := number(m.N, b.lang), number(m.Events, b.lang)
		// Withheld: a curve of the outcome is suppressed, or too few events.
		nHidden, eventsHidden, nm, em := m.CountMarks()
		if nHidden {
			n = b.mark(nm)
		}
		if eventsHidden {
			events = b.mark(em)
		}
		bl := block{Heading: title, Paragraphs: []string{b.t.f("cox_intro", n, events)}, Table: tb}
		if m.Skipped != "" {
			bl.Paragraphs = append(bl.Paragraphs, b.t.f("not_computed", b.skipped(m.Skipped)))
		}
		if len(m.Dropped) > 0 {
			bl.Notes = append(bl.Notes, b.t.f("dropped", strings.Join(m.Dropped, ", ")))
		}
		out = append(out, bl)
	}
	return out
}

// termName says a Cox term in words: "programme:RES" → the programme's
// name, "sex:v" → "sex: v".
func (b builder) termName(term string) string {
	kind, level, found := strings.Cut(term, ":")
	if kind == "programme" && found {
		return b.t.f("term_programme", b.programmeName(level))
	}
	if s, ok := b.t["term_"+kind]; ok {
		if name, ok := b.t["group_"+kind+"_"+level]; ok && found {
			level = strings.ToLower(name) // "sex:v" → "Geslacht: vrouw", not the code
		}
		if found {
			return s + ": " + level
		}
		return s
	}
	return term
}

func (b builder) adjustedBlock() (block, bool) {
	if len(b.res.Adjusted) == 0 {
		return block{}, false
	}
	tb := newTable("adjusted_rates", b.t.f("adjusted_title"), b.t.f("col_programme"), b.t.f("col_outcome"), "#"+b.t.f("col_window"), "#"+b.t.f("col_n"),
		"#"+b.t.f("col_observed"), "#"+b.t.f("col_expected"), "#"+b.t.f("col_overall"), "#"+b.t.f("col_adjusted"), "#"+b.t.f("col_oe"))
	var skipped []string
	for _, a := range b.res.Adjusted {
		row := []string{b.programmeName(a.Programme), b.outcomeName(a.Outcome), fmt.Sprint(a.WindowMonths), b.count(a.N)}
		switch {
		case a.Suppressed:
			row[3] = b.adjustedN(a)
			row = append(row, "–", "–", "–", "–", "–")
		case a.Skipped != "":
			row = append(row, percent(a.Observed, b.lang), "–", "–", "–", "–")
			skipped = append(skipped, fmt.Sprintf("%s (%s, %d): %s", b.programmeName(a.Programme), b.outcomeName(a.Outcome), a.WindowMonths, b.skipped(a.Skipped)))
		default:
			row = append(row, percent(a.Observed, b.lang), percent(a.Expected, b.lang), percent(a.Overall, b.lang), percent(a.Adjusted, b.lang),
				decimal(a.OE.Value, 2, b.lang)+" ("+decimal(a.OE.Lower, 2, b.lang)+" – "+decimal(a.OE.Upper, 2, b.lang)+")")
		}
		tb.add(row...)
	}
	bl := block{Heading: b.t.f("adjusted_title"), Paragraphs: []string{b.t.f("adjusted_intro")}, Table: tb}
	for _, s := range skipped {
		bl.Notes = append(bl.Notes, b.t.f("not_computed", s))
	}
	return bl, true
}

// provenanceBlocks say where the numbers come from: the run, and the hash of
// every input file.
func (b builder) provenanceBlocks() []block {
	r := b.res.Run
	run := newTable("provenance", b.t.f("provenance"), b.t.f("col_item"), b.t.f("col_value"))
	run.add(b.t.f("prov_tool"), r.ToolVersion)
	run.add(b.t.f("prov_run"), fmt.Sprint(r.RunID))
	run.add(b.t.f("prov_started"), r.Started.UTC().Format("2006-01-02 15:04:05 UTC"))
	run.add(b.t.f("prov_study"), r.StudySHA256)
	run.add(b.t.f("prov_key"), r.KeyFingerprint)
	run.add(b.t.f("prov_cutoff"), b.res.Study.Cutoff.Format("2006-01-02"))
	run.add(b.t.f("prov_mincell"), fmt.Sprint(b.minCell))
	files := newTable("input_files", b.t.f("input_files_title"), b.t.f("col_partner"), "`"+b.t.f("col_file"), "`"+b.t.f("col_sha256"))
	for _, f := range b.res.Files {
		files.add(f.Partner, f.File, f.SHA256)
	}
	return []block{{Heading: b.t.f("provenance"), Paragraphs: []string{b.t.f("files_note")}, Table: run}, {Table: files}}
}

// adjustedN shows the n of a suppressed adjusted rate as the programme's
// all-cohorts rate cell shows it: its number when that cell is published
// (the adjusted rate is withheld for another reason), else its mark
// ("<MinCell" or "×"); a dash when there is no such cell.
func (b builder) adjustedN(a analyses.AdjustedRate) string {
	for _, r := range b.res.Rates {
		if r.Programme == a.Programme && r.Outcome == a.Outcome && r.WindowMonths == a.WindowMonths && r.Cohort == 0 && r.Breakdown == "" {
			if !r.Suppressed {
				return number(r.N, b.lang)
			}
			return b.mark(r.NMark)
		}
	}
	return "–"
}

// disclosureRules are the method text of disclosure control: exactly the
// rules this run applied, with the study's settings (analyses/doc.go,
// "Disclosure control", gives the sources).
func (b builder) disclosureRules() []string {
	d := b.res.Study.Disclosure
	zeros := b.t.f("def_zeros_open")
	if d.ZerosDisclosive {
		zeros = b.t.f("def_zeros_closed")
	}
	df := d.MinResidualDF
	if df <= 0 {
		df = 10
	}
	out := []string{
		b.t.f("def_suppression", b.minCell, b.lessThan()),
		b.t.f("def_class"),
		zeros,
		b.t.f("def_secondary", hiddenMark, b.minCell/2+1),
		b.t.f("def_dash"),
		b.t.f("def_survival_rule", b.minCell, b.minCell),
		b.t.f("def_models_rule", df),
	}
	if d.Rounding > 1 {
		out = append(out, b.t.f("def_rounding", d.Rounding))
	}
	return append(out, b.t.f("legend_marks", b.lessThan(), hiddenMark))
}

// publicRule is the disclosure log's rule as the report shows it. Primary,
// class and secondary are one category here (the database's disclosure_log
// keeps them apart): naming a class would say that everybody in the cell
// had the outcome, and telling primary from secondary would tell a reader
// more about a hidden cell's counts than its marks do.
func (b builder) publicRule(r analyses.Rule) string {
	switch r {
	case analyses.RulePrimary, analyses.RuleClass, analyses.RuleSecondary:
		return b.t.f("rule_cell")
	case analyses.RuleSurvival:
		return b.t.f("rule_survival")
	case analyses.RuleModel:
		return b.t.f("rule_model")
	}
	return b.t.f("rule_linked")
}

// disclosureLogBlock lists every cell the report does not publish
// (Results.Disclosure), never its value.
func (b builder) disclosureLogBlock() block {
	tb := newTable("disclosure_log", b.t.f("dlog_title"), "`"+b.t.f("col_table"), "`"+b.t.f("col_row_keys"), "`"+b.t.f("col_cell"), b.t.f("col_log_rule"))
	for _, e := range b.res.Disclosure {
		column := strings.ReplaceAll(e.Column, ",", ", ") // a line may break between the columns
		if column == "" {
			column = "–"
		}
		tb.add(e.Table, e.Keys, column, b.publicRule(e.Rule))
	}
	return block{Heading: b.t.f("dlog_title"), Paragraphs: []string{b.t.f("dlog_intro", len(b.res.Disclosure))}, Table: tb}
}
