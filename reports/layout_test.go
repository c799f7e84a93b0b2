package reports

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/reports/browsertest"
	"github.com/outcomes-research/outcomes/store/storetest"
	"github.com/outcomes-research/outcomes/study"
)

// demoResults computes the bundled demo study's results as the pipeline
// does (load, link, analyses), so the report tests can lay out the report a
// reader of the demo gets.
func demoResults(t *testing.T) *analyses.Results {
	t.Helper()
	if testing.Short() {
		t.Skip("loads the demo exports")
	}
	st, err := study.Load(filepath.Join("..", "testdata", "demo", "study.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := storetest.Open(t)
	storetest.LoadStudy(t, s, st, 0)
	res, err := analyses.Compute(context.Background(), s.DB(), st, 1)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestReportLayout lays the fixture and the demo report out in Chromium, in
// both languages, on a screen 1280 px wide and printed on A4 (print media at
// the printable width, 18 cm, after beforeprint, as Chromium prints), and
// measures every chart, label and table: nothing may reach past the page's
// right edge, no chart's drawing past its box, no label past its chart or
// over another label, no table past the page or with a cell cut off, no
// word of a table cell broken across two lines (a line of a cell breaks
// only at a space or after a hyphen or dash; a number with its unit is one
// word), and in print every chart and table must keep together
// (break-inside: avoid, and a chart no taller than a page; a table taller
// than a page repeats its header on every page). The printed PDF's page
// count is logged, and how many tables run over a page.
func TestReportLayout(t *testing.T) {
	if _, err := browsertest.ChromiumPath(); err != nil && os.Getenv("CI") == "" {
		t.Skipf("%v (skipped outside CI)", err)
	}
	var demo *analyses.Results
	sources := []struct {
		name string
		res  func(t *testing.T) *analyses.Results
	}{
		{"fixture", func(*testing.T) *analyses.Results { return fixtureResults() }},
		{"demo", func(t *testing.T) *analyses.Results {
			if demo == nil {
				demo = demoResults(t)
			}
			return demo
		}},
	}
	for _, src := range sources {
		for _, lang := range Languages() {
			for _, m := range []struct {
				name  string
				media browsertest.Media
			}{
				{"screen", browsertest.Media{}},
				{"print", browsertest.Media{Print: true}},
			} {
				t.Run(src.name+"/"+lang+"/"+m.name, func(t *testing.T) {
					dir, _ := writeFixture(t, src.res(t), lang)
					if *screenshots != "" && m.media.Print {
						m.media.PDF = filepath.Join(*screenshots, fmt.Sprintf("%s_%s.pdf", src.name, lang))
						if html, err := os.ReadFile(filepath.Join(dir, ReportFile)); err == nil {
							_ = os.WriteFile(filepath.Join(*screenshots, fmt.Sprintf("%s_%s.html", src.name, lang)), html, 0o644)
						}
					}
					ctx, cancel := context.WithTimeout(t.Context(), 2*browsertest.CheckTimeout)
					defer cancel()
					l, err := browsertest.Measure(ctx, filepath.Join(dir, ReportFile), m.media)
					if err != nil {
						t.Fatal(err)
					}
					texts := 0
					for _, c := range l.Charts {
						texts += c.Texts
					}
					long := 0
					for _, b := range l.Blocks {
						if b.Kind == "table" && l.Page.Height > 0 && b.Height > float64(l.Page.Height) {
							long++
						}
					}
					t.Logf("%d charts (%d labels), %d tables (%d longer than a page), width %d px, %d pages",
						len(l.Charts), texts, len(l.Tables), long, l.Width, l.Pages)
					if len(l.Charts) < 5 || len(l.Tables) < 10 || texts < 5*len(l.Charts) {
						t.Fatalf("measured %d charts with %d labels and %d tables: the report did not load or is not drawn as SVG", len(l.Charts), texts, len(l.Tables))
					}
					for _, p := range l.Problems() {
						t.Error(p)
					}
				})
			}
		}
	}
}

var measureFile = flag.String("measure", "", "lay out this report file (screen and print) and list what does not fit, e.g. a demo report: go test -tags duckdb_arrow ./reports -run TestMeasureFile -measure demo-output/report.html")

// TestMeasureFile measures a report given with -measure, to look at one
// without writing a test; it is skipped otherwise.
func TestMeasureFile(t *testing.T) {
	if *measureFile == "" {
		t.Skip("no -measure file")
	}
	for _, media := range []browsertest.Media{{}, {Print: true, PDF: strings.TrimSuffix(*measureFile, ".html") + ".pdf"}} {
		l, err := browsertest.Measure(t.Context(), *measureFile, media)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("print %v: %d charts, %d tables, width %d, %d pages", media.Print, len(l.Charts), len(l.Tables), l.Width, l.Pages)
		for _, p := range l.Problems() {
			t.Errorf("print %v: %s", media.Print, p)
		}
	}
}
