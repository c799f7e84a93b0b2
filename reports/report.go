package reports

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strings"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/reports/third_party/echarts"
	"github.com/outcomes-research/outcomes/study"
)

//go:embed report.html.tmpl
var reportTemplate string

// Output names inside the folder given to [Write].
const (
	ReportFile = "report.html"
	TablesDir  = "tables"
	TablesXLSX = "tables.xlsx"
)

// Options controls a report.
type Options struct {
	// Lang is "nl" (default) or "en".
	Lang string
}

// view is the report's content, computed from the results before rendering.
// Everything the reader sees is in it, so tests can check it without a
// browser and the CSV/XLSX exports use the very same tables.
type view struct {
	T         texts
	Lang      string
	Title     string
	Demo      bool
	Generated string
	Sections  []section
	ECharts   template.JS
	CSS       template.CSS
}

// section is one chapter of the report, with an entry in the contents.
type section struct {
	ID      string
	Heading string
	// Audience says whom the section is written for.
	Audience string
	Intro    []string
	Blocks   []block
}

// block is a unit inside a section: a heading, text, warnings, at most one
// chart with the table of its numbers, and notes.
type block struct {
	Heading    string
	Paragraphs []string
	List       []string
	Warnings   []string
	Chart      *chartBlock
	Table      *table
	Notes      []string
}

type chartBlock struct {
	Data    chartData
	Element template.HTML
	Script  template.HTML
}

// Write renders the report for res into dir, with every published table as
// CSV under dir/tables and as one XLSX workbook (a sheet per table), and,
// when a probabilistic linkage left pairs for clerical review, one review
// file per partner under dir/review (review.go). It returns the names of
// the files written, relative to dir, report first.
func Write(dir string, res *analyses.Results, o Options) ([]string, error) {
	t, err := translations(o.Lang)
	if err != nil {
		return nil, err
	}
	v := buildView(res, t)
	html, err := renderHTML(v)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, ReportFile), html, outputMode); err != nil {
		return nil, fmt.Errorf("writing report: %w", err)
	}
	names := []string{ReportFile}
	var sheets []sheet
	for _, tb := range v.tables() {
		sheets = append(sheets, tb.typed(v.Lang, t))
	}
	csvNames, err := writeCSV(dir, sheets, v.Lang)
	if err != nil {
		return nil, err
	}
	names = append(names, csvNames...)
	reviewNames, err := writeReview(dir, res.Linkage)
	if err != nil {
		return nil, err
	}
	names = append(names, reviewNames...)
	info := workbookInfo{Title: t.f("xl_doc_title", res.Study.Name), Creator: "outcomes " + res.Run.ToolVersion,
		Created: res.Run.Started, Lang: v.Lang, Texts: t, MinCell: res.Study.MinCell}
	if err := writeXLSX(filepath.Join(dir, TablesXLSX), sheets, info); err != nil {
		return nil, err
	}
	return append(names, TablesXLSX), nil
}

// Render returns the report as HTML bytes.
func Render(res *analyses.Results, o Options) ([]byte, error) {
	t, err := translations(o.Lang)
	if err != nil {
		return nil, err
	}
	return renderHTML(buildView(res, t))
}

func renderHTML(v view) ([]byte, error) {
	tmpl, err := template.New("report").Funcs(template.FuncMap{"prose": prose}).Parse(reportTemplate)
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
	v := view{
		T: t, Lang: t["lang"], Title: t.f("title", st.Name), Demo: st.Demo,
		Generated: t.f("generated", longDate(st.Cutoff, t["lang"]), res.Run.RunID, res.Run.ToolVersion),
		ECharts:   template.JS(echarts.Script()),
		CSS:       template.CSS(reportCSS),
	}
	b := builder{res: res, t: t, lang: t["lang"], minCell: st.MinCell}
	v.Sections = append(v.Sections, b.fundersSection())
	v.Sections = append(v.Sections, b.outcomeSections()...)
	if s, ok := b.familiesSection(); ok {
		v.Sections = append(v.Sections, s)
	}
	if s, ok := b.domainsSection(); ok {
		v.Sections = append(v.Sections, s)
	}
	v.Sections = append(v.Sections, b.appendix())
	return v
}

// builder carries what every part of the view needs.
type builder struct {
	res     *analyses.Results
	t       texts
	lang    string
	minCell int
}

// programmeName returns the report name of a programme code.
func (b builder) programmeName(code string) string {
	if p, ok := b.res.Study.Programme(code); ok && p.Name != "" {
		return p.Name
	}
	return code
}

// outcomeName names an outcome kind in the report's language (its
// definition's Texts.Name); an unknown kind shows as [kind].
func (b builder) outcomeName(kind study.OutcomeKind) string {
	def, ok := kind.Definition()
	if !ok {
		return "[" + string(kind) + "]"
	}
	return b.t.f(def.Texts.Name)
}

// lessThan is how a suppressed count is shown: "<10" for MinCell 10.
func (b builder) lessThan() string { return fmt.Sprintf("<%d", b.minCell) }

// hiddenMark is how a count hidden to protect another cell (or a class) is
// shown: "×". It never means "below the threshold".
const hiddenMark = "×"

// mark shows a count of a suppressed cell as analyses marked it: "<MinCell"
// for a count below the threshold, "×" for one hidden to protect another
// cell, "0" for a published zero.
func (b builder) mark(m analyses.Mark) string {
	switch m {
	case analyses.MarkSmall:
		return b.lessThan()
	case analyses.MarkZero:
		return "0"
	}
	return hiddenMark
}

// count shows n, or "<MinCell" when n is below the minimum cell size.
func (b builder) count(n int) string {
	if n < b.minCell {
		return b.lessThan()
	}
	return number(n, b.lang)
}

// tables returns every published table of the view, in report order.
func (v view) tables() []table {
	var out []table
	for _, s := range v.Sections {
		for _, bl := range s.Blocks {
			// A table without rows is a sentence in the report
			// (report.html.tmpl), and no sheet or CSV file.
			if bl.Table != nil && len(bl.Table.Rows) > 0 {
				out = append(out, *bl.Table)
			}
		}
	}
	return out
}

// charts returns every chart of the view, in report order.
func (v view) charts() []chartData {
	var out []chartData
	for _, s := range v.Sections {
		for _, bl := range s.Blocks {
			if bl.Chart != nil {
				out = append(out, bl.Chart.Data)
			}
		}
	}
	return out
}

// prose is the HTML of a sentence of the report: escaped, with every
// `identifier` between backticks (a study-file key, a database table or
// column, a code value a researcher looks up) set as code, so that a reader
// tells the names to type from the words to read. The translations mark
// them; a backtick without its pair is shown as it is.
func prose(s string) template.HTML {
	parts := strings.Split(template.HTMLEscapeString(s), "`")
	if len(parts)%2 == 0 { // an odd number of backticks: not marked up
		return template.HTML(template.HTMLEscapeString(s))
	}
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 {
			b.WriteString("<code>" + p + "</code>")
			continue
		}
		b.WriteString(p)
	}
	return template.HTML(b.String())
}
