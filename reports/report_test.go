package reports

import (
	"bytes"
	"flag"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/reports/browsertest"
	"github.com/outcomes-research/outcomes/reports/third_party/echarts"
)

var screenshots = flag.String("screenshots", "", "also write the report tests' screenshots to this directory, to look at them")

// writeFixture writes the fixture report in lang into a temporary folder
// and returns the folder and the names Write returned.
func writeFixture(t *testing.T, res *analyses.Results, lang string) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	names, err := Write(dir, res, Options{Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return dir, names
}

func TestWriteReturnsEveryFileItWrote(t *testing.T) {
	dir, names := writeFixture(t, fixtureResults(), "nl")
	if names[0] != ReportFile || names[len(names)-1] != TablesXLSX {
		t.Errorf("names start with %q and end with %q, want %s first and %s last", names[0], names[len(names)-1], ReportFile, TablesXLSX)
	}
	var onDisk []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			onDisk = append(onDisk, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Clone(names)
	slices.Sort(got)
	slices.Sort(onDisk)
	if !slices.Equal(got, onDisk) {
		t.Errorf("Write returned %v, but wrote %v", got, onDisk)
	}
}

// htmlTable is a table as parsed back from the report.
var (
	tableRE = regexp.MustCompile(`(?s)<table data-table="([a-z0-9_]+)"[^>]*>\s*<caption>(.*?)</caption>(.*?)</table>`)
	rowRE   = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellRE  = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	// inCellRE is the markup inside a cell (a number's span, an
	// identifier's code), which the text of the cell leaves out.
	inCellRE = regexp.MustCompile(`</?(span|code)[^>]*>`)
)

// parseTables reads the published tables back out of a rendered report.
func parseTables(t *testing.T, page []byte) []table {
	t.Helper()
	var out []table
	for _, m := range tableRE.FindAllStringSubmatch(string(page), -1) {
		tb := table{ID: m[1], Caption: html.UnescapeString(m[2])}
		for i, r := range rowRE.FindAllStringSubmatch(m[3], -1) {
			var cells []string
			for _, c := range cellRE.FindAllStringSubmatch(r[1], -1) {
				cells = append(cells, html.UnescapeString(inCellRE.ReplaceAllString(c[1], "")))
			}
			if i == 0 {
				tb.Header = cells
			} else {
				tb.Rows = append(tb.Rows, cells)
			}
		}
		out = append(out, tb)
	}
	return out
}

func equalRows(a, b [][]string) bool {
	return slices.EqualFunc(a, b, func(x, y []string) bool { return slices.Equal(x, y) })
}

func TestSuppressionIsVisible(t *testing.T) {
	res := fixtureResults()
	v := buildView(res, dutch())
	tables := map[string]table{}
	for _, tb := range v.tables() {
		tables[tb.ID] = tb
	}
	charts := map[string]chartData{}
	for _, c := range v.charts() {
		charts[c.ID] = c
	}
	cases := []struct {
		name, table, rowKey, chart, left string
	}{
		{"suppressed programme rate", "rates_recidivism_24", "Nazorghuis", "chart_recidivism_24", "Nazorghuis"},
		{"suppressed cohort", "trend_amb", "2021", "chart_trend_amb", "2021"},
		{"suppressed comparison", "comparisons_recidivism", "Ambulante nazorg vs. Nazorghuis (24 mnd)", "chart_rd_recidivism", "Ambulante nazorg vs. Nazorghuis (24 mnd)"},
		{"suppressed curve", "at_risk_shelter_return", "Terugvalpreventie", "chart_km_shelter_return", "Terugvalpreventie"},
		{"suppressed life domain", "domains_amb", "Zingeving", "chart_domains_amb", "Zingeving"},
		{"suppressed family group", "families", "Gezinsondersteuning", "chart_families", "Gezinsondersteuning: Ja (12 mnd)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tb, ok := tables[tc.table]
			if !ok {
				t.Fatalf("no table %s", tc.table)
			}
			i := slices.IndexFunc(tb.Rows, func(r []string) bool { return r[0] == tc.rowKey })
			if i < 0 {
				t.Fatalf("table %s has no row %q", tc.table, tc.rowKey)
			}
			// "<10" for a count below the threshold, "×" for one hidden to
			// protect another cell; a comparison of hidden cells has only
			// dashes and says why.
			// A withheld curve's at-risk row has only dashes: its counts
			// need not be below the threshold.
			dashes := strings.HasPrefix(tc.table, "at_risk_") && !slices.ContainsFunc(tb.Rows[i][2:], func(c string) bool { return c != "–" })
			if !dashes && !slices.ContainsFunc(tb.Rows[i], func(c string) bool { return c == "<10" || c == "×" || strings.HasPrefix(c, "Onderdrukt") }) {
				t.Errorf("row %q of %s shows no <10, × or remark: %q", tc.rowKey, tc.table, tb.Rows[i])
			}
			c, ok := charts[tc.chart]
			if !ok {
				t.Fatalf("no chart %s", tc.chart)
			}
			if !slices.Contains(c.Left, tc.left) {
				t.Errorf("chart %s does not list %q as left out: %q", tc.chart, tc.left, c.Left)
			}
			if slices.Contains(c.Categories, tc.left) || slices.ContainsFunc(c.Series, func(s series) bool { return s.Name == tc.left }) {
				t.Errorf("chart %s still draws %q", tc.chart, tc.left)
			}
		})
	}
}

func TestSectionsAppearOnlyWithTheirData(t *testing.T) {
	full := fixtureResults()
	bare := fixtureResults()
	bare.Survival, bare.LogRank, bare.Comparisons, bare.Adjusted, bare.Cox, bare.LifeDomains, bare.Families = nil, nil, nil, nil, nil, nil, nil
	ids := func(res *analyses.Results) (sections, charts, tables []string) {
		v := buildView(res, english())
		for _, s := range v.Sections {
			sections = append(sections, s.ID)
		}
		for _, c := range v.charts() {
			charts = append(charts, c.ID)
		}
		for _, tb := range v.tables() {
			tables = append(tables, tb.ID)
		}
		return
	}
	fs, fc, ft := ids(full)
	bs, bc, bt := ids(bare)
	cases := []struct {
		name   string
		got    []string
		id     string
		inFull bool
		inBare bool
	}{
		{"summary section", fs, "summary", true, true},
		{"summary section without analyses", bs, "summary", true, true},
		{"families section", fs, "families", true, false},
		{"life domains section", fs, "life_domains", true, false},
		{"km chart", fc, "chart_km_recidivism", true, false},
		{"forest chart", fc, "chart_rr_recidivism", true, false},
		{"cox table", ft, "cox_recidivism", true, false},
		{"adjusted table", ft, "adjusted_rates", true, false},
		{"rates chart", fc, "chart_recidivism_12", true, true},
		{"data quality table", ft, "data_quality", true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			all := map[string][]string{"sections": bs, "charts": bc, "tables": bt}
			if !slices.Contains(tc.got, tc.id) {
				t.Errorf("%s missing from the full report", tc.id)
			}
			inBare := slices.Contains(all["sections"], tc.id) || slices.Contains(all["charts"], tc.id) || slices.Contains(all["tables"], tc.id)
			if inBare != tc.inBare {
				t.Errorf("%s in the report without analyses: %v, want %v", tc.id, inBare, tc.inBare)
			}
		})
	}
}

func TestReportIsSelfContained(t *testing.T) {
	for _, lang := range Languages() {
		t.Run(lang, func(t *testing.T) {
			page, err := Render(fixtureResults(), Options{Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			if m := regexp.MustCompile(`(?i)<script[^>]+src\s*=`).Find(page); m != nil {
				t.Errorf("report loads a script: %s", m)
			}
			// Outside the scripts (ECharts' code has tags in strings).
			if m := regexp.MustCompile(`(?i)<(link|img|iframe|object|embed)[^>]+(src|href|data)\s*=`).Find(stripScripts(page)); m != nil {
				t.Errorf("report loads a resource: %s", m)
			}
			if !bytes.Contains(page, []byte(`http-equiv="Content-Security-Policy" content="default-src 'none'`)) {
				t.Error("report lost its Content-Security-Policy")
			}
			if !bytes.Contains(page, []byte(echarts.Script())) {
				t.Error("ECharts is not inlined")
			}
			if m := regexp.MustCompile(`\[[a-z0-9_]+\]`).Find(stripScripts(page)); m != nil {
				t.Errorf("report shows a missing translation key %s", m)
			}
			if i := bytes.Index(page, []byte("%!")); i >= 0 {
				t.Errorf("report has a badly formatted text: %s", page[max(0, i-80):min(len(page), i+40)])
			}
			if !bytes.Contains(page, []byte(`lang="`+lang+`"`)) {
				t.Errorf("report is not marked lang=%s", lang)
			}
		})
	}
}

// stripScripts drops <script> elements, whose code has brackets of its own.
func stripScripts(page []byte) []byte {
	return regexp.MustCompile(`(?s)<script.*?</script>`).ReplaceAll(page, nil)
}

func TestSummarySentences(t *testing.T) {
	cases := []struct {
		lang, want string
	}{
		{"en", "Ambulante nazorg: 38 of 100 people (38%, 95% CI 29%–48%) had a new offence registered within two years of release."},
		{"nl", "Ambulante nazorg: bij 38 van de 100 mensen (38%, 95%-BI 29%–48%) werd binnen twee jaar na vrijlating een nieuw delict geregistreerd."},
		{"en", "Nazorghuis: the group is too small to publish numbers over two years (fewer than 10 people)."},
		{"en", "Terugvalpreventie: the group is too small to publish numbers over 6 months (fewer than 10 people)."},
		{"en", "Resourcegroep: 0 of 19 participants (0%, 95% CI 0%–17%) entered a shelter within one year of the start."},
		{"en", "Gezinsondersteuning: of the 40 detainees whose household took part, 12 (30%, 95% CI 18%–45%) had a new offence registered within two years of their return."},
	}
	for _, tc := range cases {
		t.Run(tc.lang+" "+tc.want[:20], func(t *testing.T) {
			tt, _ := translations(tc.lang)
			v := buildView(fixtureResults(), tt)
			if !slices.Contains(v.Sections[0].Blocks[0].Paragraphs, tc.want) {
				t.Errorf("summary lacks %q; it has\n%s", tc.want, strings.Join(v.Sections[0].Blocks[0].Paragraphs, "\n"))
			}
		})
	}
}

func TestReportRendersInBrowser(t *testing.T) {
	for _, lang := range Languages() {
		t.Run(lang, func(t *testing.T) {
			dir, _ := writeFixture(t, fixtureResults(), lang)
			shot := filepath.Join(t.TempDir(), "report.png")
			if *screenshots != "" {
				shot = filepath.Join(*screenshots, "fixture_"+lang+".png")
			}
			res := browsertest.Check(t, filepath.Join(dir, ReportFile), shot, browsertest.DefaultChartSelector)
			v := buildView(fixtureResults(), english())
			want := 0
			for _, s := range v.Sections {
				for _, b := range s.Blocks {
					if b.Chart != nil {
						want++
					}
				}
			}
			if len(res.Charts) != want || want < 10 {
				t.Errorf("%d charts rendered, want %d", len(res.Charts), want)
			}
		})
	}
}

func TestSurvivalBlockText(t *testing.T) {
	v := buildView(fixtureResults(), english())
	var paras []string
	for _, s := range v.Sections {
		for _, b := range s.Blocks {
			if b.Chart != nil && b.Chart.Data.ID == "chart_km_recidivism" {
				paras = b.Paragraphs
			}
		}
	}
	for _, want := range []string{
		"Median time to the outcome, in months (95% CI): Ambulante nazorg 13.8 (12.5 – –).",
		"Log-rank test across the curves: χ² = 1.23, degrees of freedom 1, p = 0.267.",
	} {
		if !slices.Contains(paras, want) {
			t.Errorf("Kaplan–Meier block lacks %q; it has %q", want, paras)
		}
	}
}

func TestFullySuppressedCurvesLeaveNoEmptyTables(t *testing.T) {
	v := buildView(fixtureResults(), dutch())
	for _, tb := range v.tables() {
		if tb.ID == "at_risk_shelter_inflow" || tb.ID == "km_shelter_inflow" {
			t.Errorf("table %s is published, but its only curve is suppressed", tb.ID)
		}
	}
	for _, c := range v.charts() {
		if c.ID == "chart_km_shelter_inflow" {
			t.Error("chart of a fully suppressed outcome is drawn")
		}
	}
	found := false
	for _, s := range v.Sections {
		for _, b := range s.Blocks {
			for _, w := range b.Warnings {
				found = found || strings.HasPrefix(w, "Resourcegroep: de aantallen worden niet gepubliceerd")
			}
		}
	}
	if !found {
		t.Error("no warning that the Resourcegroep curve is suppressed")
	}
}

func TestLifeDomainShareImproved(t *testing.T) {
	v := buildView(fixtureResults(), english())
	var paras []string
	for _, s := range v.Sections {
		if s.ID != "life_domains" {
			continue
		}
		for _, b := range s.Blocks {
			if b.Heading == "Ambulante nazorg" {
				paras = b.Paragraphs
			}
		}
	}
	// Housing: 50 of 80 improved; Money: 40 of 80; Meaning is suppressed.
	want := "Share that improved between intake and the latest assessment: Housing 63%; Money and income 50%."
	if !slices.Contains(paras, want) {
		t.Errorf("life-domain block lacks %q; it has %q", want, paras)
	}
}

func TestUndrawableValuesLeaveTheChartOut(t *testing.T) {
	res := fixtureResults()
	for i := range res.Rates {
		if res.Rates[i].Programme == "AMB" && res.Rates[i].WindowMonths == 12 && res.Rates[i].Cohort == 0 {
			res.Rates[i].CI.Upper = math.NaN()
		}
	}
	v := buildView(res, english())
	for _, c := range v.charts() {
		if c.ID == "chart_recidivism_12" {
			t.Error("chart with a NaN value is drawn")
		}
	}
	if _, err := Render(res, Options{Lang: "en"}); err != nil {
		t.Errorf("Render failed on a NaN value: %v", err)
	}
}

// TestSummaryOfAHiddenTotal: a programme whose all-cohorts rate is hidden
// with its n (as analyses publishes it) is too small to publish, not a
// programme whose window has not passed.
func TestSummaryOfAHiddenTotal(t *testing.T) {
	res := fixtureResults()
	hidden := 0
	for i, r := range res.Rates {
		if r.Suppressed && r.Cohort == 0 {
			res.Rates[i].N, res.Rates[i].Events = 0, 0
			hidden++
		}
	}
	if hidden == 0 {
		t.Fatal("the fixture has no hidden all-cohorts rate")
	}
	tt, _ := translations("en")
	paragraphs := buildView(res, tt).Sections[0].Blocks[0].Paragraphs
	want := "Nazorghuis: the group is too small to publish numbers over two years (fewer than 10 people)."
	if !slices.Contains(paragraphs, want) {
		t.Errorf("summary lacks %q; it has\n%s", want, strings.Join(paragraphs, "\n"))
	}
	for _, p := range paragraphs {
		if strings.HasPrefix(p, "Nazorghuis:") && strings.Contains(p, "nobody") {
			t.Errorf("a hidden total reads as no closed window: %q", p)
		}
	}
}
