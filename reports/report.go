package reports

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"os"
	"strings"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/reports/third_party/echarts"
	"github.com/outcomes-research/outcomes/study"
)

//go:embed report.html.tmpl
var reportTemplate string

// Options controls a report.
type Options struct {
	// Lang is "nl" (default) or "en".
	Lang string
}

// view is the report's content, computed from the results before rendering.
type view struct {
	T          texts
	Lang       string
	Title      string
	Demo       bool
	Generated  string
	Sections   []section
	Quality    []qualityRow
	Method     string
	Provenance [][2]string
	ECharts    template.JS
	CSS        template.CSS
}

type section struct {
	ID        string
	Heading   string
	Sentences []string
	Charts    []chartBlock
	Note      string
}

type chartBlock struct {
	Data    chartData
	Element template.HTML
	Script  template.HTML
	Rows    []rateRow
}

type rateRow struct {
	Programme, Window, N, Events, Rate, CI string
}

type qualityRow struct {
	Partner, File, Read, Loaded, Quarantined, Rules, BSN, Fallback string
}

// Write renders the report for res into path.
func Write(path string, res *analyses.Results, o Options) error {
	html, err := Render(res, o)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, html, 0o644); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	return nil
}

// Render returns the report as HTML bytes.
func Render(res *analyses.Results, o Options) ([]byte, error) {
	t, err := translations(o.Lang)
	if err != nil {
		return nil, err
	}
	v := buildView(res, t)
	tmpl, err := template.New("report").Funcs(template.FuncMap{"join": func(s []string) string { return strings.Join(s, ", ") }}).Parse(reportTemplate)
	if err != nil {
		return nil, fmt.Errorf("bug: report template: %w", err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("rendering report: %w", err)
	}
	return buf.Bytes(), nil
}

func buildView(res *analyses.Results, t texts) view {
	st := res.Study
	lang := t["lang"]
	v := view{
		T: t, Lang: lang, Title: t.f("title", st.Name), Demo: st.Demo,
		Generated: t.f("generated", st.Cutoff.Format("2006-01-02"), res.Run.RunID, res.Run.ToolVersion),
		Method:    t.f("method_text", st.Cutoff.Format("2006-01-02"), st.Outcomes.TransferDays),
		ECharts:   template.JS(echarts.Script()),
		CSS:       template.CSS(reportCSS),
		Provenance: [][2]string{
			{t.f("prov_study"), res.Run.StudySHA256},
			{t.f("prov_key"), res.Run.KeyFingerprint},
			{t.f("prov_tool"), res.Run.ToolVersion},
			{t.f("prov_started"), res.Run.Started.UTC().Format("2006-01-02 15:04:05 UTC")},
		},
	}
	for _, outcome := range []string{study.OutcomeRecidivism, study.OutcomeShelterReturn, study.OutcomeShelterInflow} {
		if s, ok := outcomeSection(res, outcome, t); ok {
			v.Sections = append(v.Sections, s)
		}
	}
	for _, f := range res.Files {
		var rules []string
		for _, r := range f.Rules {
			rules = append(rules, fmt.Sprintf("%s: %s", r.Rule, number(r.Count, lang)))
		}
		v.Quality = append(v.Quality, qualityRow{
			Partner: f.Partner, File: f.File, Read: number(f.Read, lang), Loaded: number(f.Loaded, lang),
			Quarantined: number(f.Quarantined, lang), Rules: strings.Join(rules, "; "),
			BSN: number(f.LinkedBSN, lang), Fallback: number(f.LinkedFallback, lang),
		})
	}
	return v
}

// outcomeSection builds one outcome's sentences, charts and tables from the
// all-cohort rates of the programmes evaluated on it.
func outcomeSection(res *analyses.Results, outcome string, t texts) (section, bool) {
	st := res.Study
	lang := t["lang"]
	s := section{ID: outcome, Heading: t.f("outcome_" + outcome), Note: t.f("suppressed_note", st.MinCell, st.MinCell)}
	byWindow := map[int][]analyses.Rate{}
	var order []int
	for _, r := range res.Rates {
		if r.Outcome != outcome || r.Cohort != 0 {
			continue
		}
		if _, seen := byWindow[r.WindowMonths]; !seen {
			order = append(order, r.WindowMonths)
		}
		byWindow[r.WindowMonths] = append(byWindow[r.WindowMonths], r)
	}
	if len(order) == 0 {
		return s, false
	}
	minCell := st.MinCell
	for _, w := range order {
		d := chartData{
			ID: fmt.Sprintf("chart_%s_%d", outcome, w), Title: t.f("chart_title", t.f("outcome_"+outcome), w),
			XName: t.f("axis_programme"), YName: t.f("axis_rate"),
		}
		block := chartBlock{}
		for _, r := range byWindow[w] {
			p, _ := st.Programme(r.Programme)
			row := rateRow{Programme: p.Name, Window: fmt.Sprint(w)}
			switch {
			case r.N == 0:
				row.N, row.Events, row.Rate, row.CI = "0", "–", "–", "–"
				s.Sentences = append(s.Sentences, t.f("sentence_none", p.Name, w))
			case r.Suppressed:
				lt := fmt.Sprintf("<%d", minCell)
				row.N, row.Events, row.Rate, row.CI = maybeSmall(r.N, minCell, lang), lt, lt, "–"
				d.Left = append(d.Left, p.Name)
				s.Sentences = append(s.Sentences, t.f("sentence_suppressed", p.Name, w, minCell))
			default:
				row.N, row.Events = number(r.N, lang), number(r.Events, lang)
				row.Rate = percent(r.Rate, lang)
				row.CI = percent(r.CI.Lower, lang) + " – " + percent(r.CI.Upper, lang)
				d.Labels = append(d.Labels, p.Name)
				d.Values = append(d.Values, 100*r.Rate)
				d.Lower = append(d.Lower, 100*r.CI.Lower)
				d.Upper = append(d.Upper, 100*r.CI.Upper)
				s.Sentences = append(s.Sentences, t.f("sentence_"+outcome, number(r.N, lang), p.Name, number(r.Events, lang),
					percent(r.Rate, lang), percent(r.CI.Lower, lang), percent(r.CI.Upper, lang), w))
			}
			block.Rows = append(block.Rows, row)
		}
		block.Data = d
		if len(d.Labels) > 0 {
			block.Element, block.Script = barWithCI(d, t)
		}
		s.Charts = append(s.Charts, block)
	}
	return s, true
}

// maybeSmall shows a count below the minimum cell size as "<min".
func maybeSmall(n, minCell int, lang string) string {
	if n < minCell {
		return fmt.Sprintf("<%d", minCell)
	}
	return number(n, lang)
}
