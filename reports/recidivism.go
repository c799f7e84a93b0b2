package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/study"
)

// recidivismBlocks are the recidivism section's parts that follow the WODC
// Recidivemonitor (analyses/doc.go, "Criminal cases" and "Definitions"):
// every recidivism definition side by side over all cohorts, the same per
// monitor cohort (partial cohort years marked), the frequency per year at
// liberty, and the Aalen–Johansen cumulative incidence with death and
// emigration as competing events where the data have any. Other outcome
// kinds get none.
func (b builder) recidivismBlocks(outcome study.OutcomeKind) []block {
	if outcome != study.OutcomeRecidivism {
		return nil
	}
	var out []block
	if len(b.res.Definitions) > 0 {
		out = append(out, b.definitionsBlock(false), b.definitionsBlock(true))
	}
	if bl, ok := b.incidenceBlock(outcome); ok {
		out = append(out, bl)
	}
	return out
}

// definitionName says a recidivism definition in words.
func (b builder) definitionName(name string) string {
	if s, ok := b.t["recdef_"+name]; ok {
		return s
	}
	return name
}

// definitionsBlock is the table of every recidivism definition: over all
// cohorts (one row per person, the first reference date), or per monitor
// cohort (byCohort; a person released in two years is in both, and a
// cohort year whose window has not closed for all its members is marked
// partial, never shown as complete).
func (b builder) definitionsBlock(byCohort bool) block {
	id, title := "recidivism_definitions", b.t.f("recdef_title")
	lead := []string{b.t.f("col_programme"), b.t.f("col_definition"), "#" + b.t.f("col_window")}
	if byCohort {
		id, title = "recidivism_def_cohorts", b.t.f("recdef_cohorts_title")
		lead = append(lead, "#"+b.t.f("col_cohort"))
	}
	cols := append(lead, "#"+b.t.f("col_n"), "#"+b.t.f("col_events"), "#"+b.t.f("col_rate"), "#"+b.t.f("col_ci_wilson"),
		"#"+b.t.f("col_cases"), "#"+b.t.f("col_years_liberty"), "#"+b.t.f("col_per_year"), "#"+b.t.f("col_per_year_nb"))
	if byCohort {
		cols = append(cols, b.t.f("col_remark"))
	}
	tb := newTable(id, title, cols...)
	partial := false
	for _, d := range b.res.Definitions {
		if (d.Cohort != 0) != byCohort {
			continue
		}
		row := []string{b.programmeName(d.Programme), b.definitionName(d.Definition), fmt.Sprint(d.WindowMonths)}
		if byCohort {
			row = append(row, fmt.Sprint(d.Cohort))
		}
		row = append(row, b.definitionCells(d)...)
		if byCohort {
			remark := "–"
			if d.Partial {
				remark, partial = b.t.f("remark_partial"), true
			}
			row = append(row, remark)
		}
		tb.add(row...)
	}
	bl := block{Heading: title, Table: tb}
	if byCohort {
		bl.Paragraphs = []string{b.t.f("recdef_cohorts_intro")}
		if partial {
			bl.Warnings = []string{b.t.f("warn_partial_cohort")}
		}
		return bl
	}
	st := b.res.Study
	bl.Paragraphs = []string{b.t.f("recdef_intro", b.definitionName(st.Outcomes.RecidivismDefinition)), b.t.f("recdef_frequency")}
	return bl
}

// definitionCells are the counts, prevalence and frequency cells of one
// definition row, with its disclosure marks: a withheld n shows its mark,
// suppressed events their mark with dashes for the rate and interval, and a
// withheld frequency dashes.
func (b builder) definitionCells(d analyses.DefinitionRate) []string {
	n := number(d.N, b.lang)
	if d.NHidden {
		n = b.mark(d.NMark)
	}
	out := []string{n}
	switch {
	case d.Suppressed:
		out = append(out, b.mark(d.EventsMark), "–", "–")
	case d.N == 0:
		out = append(out, "–", "–", "–")
	default:
		out = append(out, number(d.Events, b.lang), percent(d.Rate, b.lang),
			percent(d.CI.Lower, b.lang)+" – "+percent(d.CI.Upper, b.lang))
	}
	if d.FrequencyHidden || d.N == 0 {
		return append(out, "–", "–", "–", "–")
	}
	return append(out, number(d.Cases, b.lang), decimal(d.Years, 1, b.lang),
		b.perYear(d.PerYear.Value, d.PerYear.Lower, d.PerYear.Upper), b.perYear(d.NegBin.Value, d.NegBin.Lower, d.NegBin.Upper))
}

// perYear shows a rate per year at liberty with its interval, or "–".
func (b builder) perYear(v, lo, hi float64) string {
	if !finite(v, lo, hi) {
		return "–"
	}
	return fmt.Sprintf("%s (%s – %s)", decimal(v, 2, b.lang), decimal(lo, 2, b.lang), decimal(hi, 2, b.lang))
}

// incidenceBlock is the Aalen–Johansen cumulative incidence of an outcome
// per programme, at its published points (analyses.IncidenceStep.Point),
// with the table of the cumulative incidence of the outcome and of the
// competing events at the outcome's windows. It is shown only when a
// curve of the outcome has a competing event (a death or emigration);
// without one it equals 1 − Kaplan–Meier, shown above.
func (b builder) incidenceBlock(outcome study.OutcomeKind) (block, bool) {
	byProg := map[string][]analyses.IncidenceStep{}
	competing := false
	for _, s := range b.res.Incidence {
		if s.Outcome == outcome {
			byProg[s.Programme] = append(byProg[s.Programme], s)
			competing = competing || s.Competing > 0 || s.CompetingHidden
		}
	}
	if !competing {
		return block{}, false
	}
	o := b.outcomeName(outcome)
	title := b.t.f("cif_title", o)
	d := chartData{ID: "chart_cif_" + string(outcome), Kind: kindKM, Title: title, XName: b.t.f("axis_months"), YName: b.t.f("axis_cumulative")}
	months := slices.Clone(b.res.Study.Outcomes.RecidivismWindows)
	if def, ok := outcome.Definition(); ok {
		months = def.Windows(b.res.Study.Outcomes)
	}
	cols := []string{b.t.f("col_programme"), "#" + b.t.f("col_months"), "#" + b.t.f("col_cif"), "#" + b.t.f("col_cif_competing")}
	tb := newTable("cif_"+string(outcome), b.t.f("cif_numbers_title", o), cols...)
	for _, p := range b.res.Study.Programmes {
		if p.Outcome != outcome {
			continue
		}
		name := b.programmeName(p.Code)
		steps := byProg[p.Code]
		if len(steps) == 0 {
			d.Left = append(d.Left, name)
			for _, m := range months {
				tb.add(name, fmt.Sprint(m), "–", "–")
			}
			continue
		}
		pts := []point{{}}
		for _, s := range steps {
			y := round1(100 * s.CIF)
			pts = append(pts, point{X: round1(s.Time / daysPerMonth), Y: y, Lo: y, Hi: y})
		}
		d.Series = append(d.Series, series{Name: name, Points: pts})
		last := steps[len(steps)-1].Time
		for _, m := range months {
			day := math.Round(float64(m) * daysPerMonth)
			if day > last {
				tb.add(name, fmt.Sprint(m), "–", "–")
				continue
			}
			cif, comp := 0.0, 0.0
			for _, s := range steps {
				if s.Time > day {
					break
				}
				cif, comp = s.CIF, s.CIFCompeting
			}
			compCell := "–"
			if !math.IsNaN(comp) {
				compCell = percent(comp, b.lang)
			}
			tb.add(name, fmt.Sprint(m), percent(cif, b.lang), compCell)
		}
	}
	bl := b.chartWithTable(d, tb)
	bl.Heading = title
	bl.Paragraphs = []string{b.t.f("cif_intro")}
	if len(d.Series) == 0 {
		bl.Paragraphs = nil
	}
	if len(d.Left) > 0 {
		bl.Warnings = []string{b.t.f("warn_small", strings.Join(d.Left, ", "), b.minCell)}
	}
	return bl, true
}

// recidivismDutch and recidivismEnglish are this file's texts, merged into
// the translation tables (dutch, english).
func recidivismDutch() texts {
	return texts{
		"recdef_title":         "Recidive zoals de WODC-Recidivemonitor die meet, per definitie",
		"recdef_cohorts_title": "Recidive per definitie en cohortjaar",
		"recdef_intro":         "Recidive is hier een nieuwe strafzaak met een pleegdatum na de referentiedatum (de datum van uitstroom uit detentie); meerdere registraties van één zaak tellen één keer, en zaken die zijn afgedaan met vrijspraak, een technisch sepot of een andere technische beslissing tellen niet mee. Naast elkaar: algemene recidive (elke strafzaak), ernstige recidive (een misdrijf met een wettelijk strafmaximum van 4 jaar of meer), zeer ernstige recidive (8 jaar of meer), specifieke recidive (hetzelfde soort delict als de indexzaak) en vrijheidsstrafrecidive (een nieuwe detentie). Het aandeel is de prevalentie: het deel van de mensen met minstens één zaak binnen de termijn, onder wie de termijn voor de peildatum (plus de registratievertraging) verstreken was. De kopcijfers elders in dit rapport gebruiken de definitie %s. Definities volgens de WODC-Recidivemonitor (Wartna, Blom en Tollenaar 2008; WODC, Cahier 2019-10).",
		"recdef_frequency":     "De frequentie is het aantal nieuwe zaken per jaar in vrijheid: tijd in detentie, en de tijd na overlijden of emigratie, telt niet mee. Het interval van de Poisson-kolom is exact (Garwood); mensen verschillen onderling meer dan een Poisson-verdeling toelaat (overdispersie), en daarom staat ernaast de schatting van een negatief-binomiaal model met een Wald-interval, dat met die spreiding rekening houdt.",
		"recdef_cohorts_intro": "Een cohort is iedereen die in dat jaar uit detentie kwam, gerekend vanaf de eerste uitstroom in dat jaar; wie in twee jaren uitstroomde, zit in beide cohorten. De cohorten tellen daarom niet op tot het totaal.",
		"warn_partial_cohort":  "een cohortjaar gemarkeerd als onvolledig is nog niet af: niet voor iedereen die in dat jaar uitstroomde was de termijn op de peildatum (plus registratievertraging) verstreken. Vergelijk het niet met volledige jaren.",
		"remark_partial":       "onvolledig cohortjaar",
		"cohort_partial":       "%d (onvolledig)",
		"recdef_general":       "algemeen",
		"recdef_serious":       "ernstig",
		"recdef_very_serious":  "zeer ernstig",
		"recdef_specific":      "specifiek",
		"recdef_custodial":     "vrijheidsstraf",
		"col_definition":       "Definitie",
		"col_cases":            "Zaken",
		"col_years_liberty":    "Jaren in vrijheid",
		"col_per_year":         "Zaken per jaar (Poisson 95%)",
		"col_per_year_nb":      "Zaken per jaar (neg. binomiaal 95%)",
		"cif_title":            "Cumulatieve incidentie van %s, met overlijden en emigratie als concurrerende gebeurtenis",
		"cif_numbers_title":    "Cumulatieve incidentie van %s (Aalen–Johansen) na een aantal maanden",
		"cif_intro":            "Wie overlijdt of emigreert, kan daarna niet meer recidiveren. Deze lijnen (Aalen–Johansen-schatter) tellen zo iemand niet als nog risicolopend, anders dan de Kaplan–Meier-curve hieronder, die het aandeel met een nieuwe zaak daardoor iets overschat. Zonder interval.",
		"col_cif":              "Cumulatieve incidentie",
		"col_cif_competing":    "Overleden of geëmigreerd",
	}
}

func recidivismEnglish() texts {
	return texts{
		"recdef_title":         "Recidivism as the WODC Recidivism Monitor measures it, by definition",
		"recdef_cohorts_title": "Recidivism by definition and cohort year",
		"recdef_intro":         "Recidivism here is a new criminal case with an offence date after the reference date (the release from detention); several registrations of one case count once, and cases disposed of by acquittal, technical dismissal or another technical decision do not count. Side by side: general recidivism (any criminal case), serious recidivism (an offence with a statutory maximum of 4 years or more), very serious recidivism (8 years or more), specific recidivism (the same type of offence as the index case) and custodial recidivism (a new detention). The share is the prevalence: the share of people with at least one case within the window, among those whose window had passed before the data cut-off (plus the registration lag). The headline figures elsewhere in this report use the definition %s. Definitions after the WODC Recidivism Monitor (Wartna, Blom and Tollenaar 2008; WODC, Cahier 2019-10).",
		"recdef_frequency":     "The frequency is the number of new cases per year at liberty: time in detention, and time after a death or emigration, does not count. The interval of the Poisson column is exact (Garwood); people differ from each other more than a Poisson distribution allows (overdispersion), so next to it is the estimate of a negative binomial model with a Wald interval, which allows for that spread.",
		"recdef_cohorts_intro": "A cohort is everyone released from detention in that year, counted from their first release in that year; someone released in two years is in both cohorts. The cohorts therefore do not add up to the total.",
		"warn_partial_cohort":  "a cohort year marked incomplete is not finished: not everyone released in that year had their window pass by the data cut-off (plus the registration lag). Do not compare it with complete years.",
		"remark_partial":       "incomplete cohort year",
		"cohort_partial":       "%d (incomplete)",
		"recdef_general":       "general",
		"recdef_serious":       "serious",
		"recdef_very_serious":  "very serious",
		"recdef_specific":      "specific",
		"recdef_custodial":     "custodial",
		"col_definition":       "Definition",
		"col_cases":            "Cases",
		"col_years_liberty":    "Years at liberty",
		"col_per_year":         "Cases per year (Poisson 95%)",
		"col_per_year_nb":      "Cases per year (neg. binomial 95%)",
		"cif_title":            "Cumulative incidence of %s, with death and emigration as competing events",
		"cif_numbers_title":    "Cumulative incidence of %s (Aalen–Johansen) after a number of months",
		"cif_intro":            "Someone who dies or emigrates can no longer reoffend. These lines (the Aalen–Johansen estimator) do not count such a person as still at risk, unlike the Kaplan–Meier curve below, which therefore slightly overstates the share with a new case. No interval.",
		"col_cif":              "Cumulative incidence",
		"col_cif_competing":    "Died or emigrated",
	}
}

// withTexts returns t with the entries of more added.
func withTexts(t texts, more ...texts) texts {
	for _, m := range more {
		for k, v := range m {
			t[k] = v
		}
	}
	return t
}
