package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/reports/browsertest"
)

// Study-provided names (partner, file, programme, study) are escaped for
// every context they land in: HTML text, attributes, and the chart options
// (JSON inside <script>). A name that closes the script block or opens
// markup stays text: the raw payloads are not in the page, and in the
// browser nothing they carry runs (an injected console.error would be a
// problem Check reports; an <img> would make a blocked request).
func TestHostileNamesAreEscaped(t *testing.T) {
	const (
		closeScript = `</script><script>console.error("injected")</script>`
		markup      = `"><img src=x onerror=console.error('injected')>`
	)
	res := fixtureResults()
	res.Study.Name = "Studie " + markup
	for i := range res.Study.Programmes {
		res.Study.Programmes[i].Name += " " + markup
	}
	for i := range res.Files {
		res.Files[i].Partner += " " + closeScript
		res.Files[i].File = "map/" + markup + ".csv"
	}
	dir, _ := writeFixture(t, res, "nl")
	page, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{closeScript, `<img src=x onerror=console.error('injected')>`, `<script>console.error("injected")`} {
		if strings.Contains(string(page), raw) {
			t.Errorf("the report holds the raw name %q", raw)
		}
	}
	if *screenshots == "" {
		browsertest.Check(t, filepath.Join(dir, ReportFile), filepath.Join(t.TempDir(), "hostile.png"), browsertest.DefaultChartSelector)
	}
}
