package reports

import (
	"bytes"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/analyses"
)

// visibleText is what a reader of the HTML report sees: the body without
// scripts and styles, tags removed, entities decoded; the charts' own texts
// (titles, axis names, categories, series) are added from the view.
func visibleText(t *testing.T, res *analyses.Results, lang string) string {
	t.Helper()
	page, err := Render(res, Options{Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	body := page[bytes.Index(page, []byte("<body>")):]
	body = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>`).ReplaceAll(body, nil)
	body = regexp.MustCompile(`<[^>]+>`).ReplaceAll(body, []byte("\n"))
	text := html.UnescapeString(string(body))
	tt, _ := translations(lang)
	for _, c := range buildView(res, tt).charts() {
		parts := append([]string{c.Title, c.XName, c.YName}, c.Categories...)
		for _, s := range c.Series {
			parts = append(parts, s.Name)
		}
		for _, f := range c.Flows {
			parts = append(parts, f.From, f.To)
		}
		text += "\n" + strings.Join(parts, "\n")
	}
	return text
}

// englishFragments are the pieces of English report text (between format
// verbs) that a Dutch report must not contain: those of three or more words
// that differ from the Dutch text of the same key. Shorter pieces are
// names, units or abbreviations the languages share (CI, Cox, n).
func englishFragments() []string {
	nl, en := dutch(), english()
	verb := regexp.MustCompile(`%(\[\d+\])?[sdvfq%]|\(|\)|:|;|"`)
	var out []string
	seen := map[string]bool{}
	for k, v := range en {
		if nl[k] == v {
			continue
		}
		for _, frag := range verb.Split(v, -1) {
			frag = strings.TrimSpace(strings.Trim(frag, ".,– "))
			if len(strings.Fields(frag)) < 3 || seen[frag] || strings.Contains(nl[k], frag) {
				continue
			}
			seen[frag] = true
			out = append(out, frag)
		}
	}
	return out
}

// TestDutchReportIsDutch reads the Dutch report of the fixture and of the
// demo study as a reader does and fails on English text from the English
// table, on raw codes (rule names, export kinds, covariate names, sex
// codes), on ISO dates in running text, on "-0,00", and on the wordings
// issue 18 names: "vrijwel zeker" for a 95% interval and "personen in een
// cel".
func TestDutchReportIsDutch(t *testing.T) {
	fragments := englishFragments()
	if len(fragments) < 100 {
		t.Fatalf("only %d English fragments to look for; the split is broken", len(fragments))
	}
	raw := []struct {
		what string
		re   *regexp.Regexp
	}{
		{"a code in snake_case", regexp.MustCompile(`\b[a-z]+(_[a-z0-9]+)+\b`)},
		{"an export kind by its code", regexp.MustCompile(`\b(assessments|households|trajectories|events|persons)\b`)},
		{"a sex code", regexp.MustCompile(`(?i)geslacht:? +[vmfx]\b|\n[vmfx]\n`)},
		{"an ISO date", regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)},
		{"a negative zero", regexp.MustCompile(`-0,0+\b`)},
		{"'vrijwel zeker' for a 95% interval", regexp.MustCompile(`(?i)vrijwel zeker`)},
		{"the jargon 'personen in een cel'", regexp.MustCompile(`(?i)personen in een cel`)},
	}
	sources := []struct {
		name string
		res  func(*testing.T) *analyses.Results
	}{
		{"fixture", func(*testing.T) *analyses.Results { return fixtureResults() }},
		{"demo", demoResults},
	}
	for _, src := range sources {
		t.Run(src.name, func(t *testing.T) {
			text := visibleText(t, src.res(t), "nl")
			var findings []string
			for _, f := range fragments {
				if strings.Contains(text, f) {
					findings = append(findings, "English text: "+f)
				}
			}
			running := runningText(t, src.res(t))
			for _, r := range raw {
				in := text
				if r.what == "an ISO date" {
					in = running
				}
				for _, m := range unique(r.re.FindAllString(in, -1)) {
					findings = append(findings, r.what+": "+strings.TrimSpace(m))
				}
			}
			// What is still to do is listed in knownDutchGaps; anything
			// else fails. A listed gap that is gone is logged, to be taken
			// off the list.
			for _, f := range findings {
				if !knownDutchGaps[f] {
					t.Errorf("%s in the Dutch report", f)
				}
			}
			for g := range knownDutchGaps {
				if src.name == "demo" && !fixtureOnlyGaps[g] && !slices.Contains(findings, g) {
					t.Logf("known gap %q is no longer in the Dutch demo report: take it off knownDutchGaps", g)
				}
			}
			// The English report, read the same way, does contain them:
			// the check can fail.
			en := visibleText(t, src.res(t), "en")
			inEnglish := 0
			for _, f := range fragments {
				if strings.Contains(en, f) {
					inEnglish++
				}
			}
			if inEnglish < 50 {
				t.Errorf("only %d of %d English fragments found in the English report; the check looks for the wrong text", inEnglish, len(fragments))
			}
		})
	}
}

// runningText is the Dutch report's text outside tables and charts: the
// sentences, where a date must be written out ("1 maart 2024"); tables of
// provenance keep ISO timestamps, which sort and are unambiguous.
func runningText(t *testing.T, res *analyses.Results) string {
	t.Helper()
	page, err := Render(res, Options{Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	body := page[bytes.Index(page, []byte("<body>")):]
	body = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<table.*?</table>`).ReplaceAll(body, nil)
	return html.UnescapeString(string(regexp.MustCompile(`<[^>]+>`).ReplaceAll(body, []byte("\n"))))
}

func unique(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// fixtureOnlyGaps are known gaps only the fixture shows (its made-up
// quarantine rules).
var fixtureOnlyGaps = map[string]bool{"a code in snake_case: bad_date": true, "a code in snake_case: missing_id": true}

// knownDutchGaps are the findings of TestDutchReportIsDutch on the demo
// report that are not fixed yet (issue 18, item 2): raw codes in the
// appendix, the method text and the data-quality tables (database table and
// column names, quarantine rule codes, export kinds, code values). The list
// may only shrink.
var knownDutchGaps = map[string]bool{
	"a code in snake_case: life_domain_transition": true,
	"a code in snake_case: bad_date":               true,
	"a code in snake_case: missing_id":             true,
	"a code in snake_case: adjusted_rate":          true,
	"a code in snake_case: age_band":               true,
	"a code in snake_case: at_landmark":            true,
	"a code in snake_case: breakdown_value":        true,
	"a code in snake_case: ci_lower":               true,
	"a code in snake_case: ci_upper":               true,
	"a code in snake_case: cif_competing":          true,
	"a code in snake_case: cox_model":              true,
	"a code in snake_case: cumulative_incidence":   true,
	"a code in snake_case: date_invalid":           true,
	"a code in snake_case: detainee_subject":       true,
	"a code in snake_case: end_before_start":       true,
	"a code in snake_case: exit_before_start":      true,
	"a code in snake_case: exit_to_housing":        true,
	"a code in snake_case: export_extraction":      true,
	"a code in snake_case: family_coverage":        true,
	"a code in snake_case: family_grace_days":      true,
	"a code in snake_case: family_outcome":         true,
	"a code in snake_case: family_programme":       true,
	"a code in snake_case: household_in_programme": true,
	"a code in snake_case: housing_programmes":     true,
	"a code in snake_case: in_programme":           true,
	"a code in snake_case: in_programme_any":       true,
	"a code in snake_case: life_domain_change":     true,
	"a code in snake_case: mean_change":            true,
	"a code in snake_case: mean_first":             true,
	"a code in snake_case: mean_last":              true,
	"a code in snake_case: missing_required":       true,
	"a code in snake_case: nazorg_noord":           true,
	"a code in snake_case: no_identifier":          true,
	"a code in snake_case: offence_date":           true,
	"a code in snake_case: opvang_regio":           true,
	"a code in snake_case: opvang_stad":            true,
	"a code in snake_case: other_technical":        true,
	"a code in snake_case: outcome_rate":           true,
	"a code in snake_case: per_year":               true,
	"a code in snake_case: programme_a":            true,
	"a code in snake_case: programme_b":            true,
	"a code in snake_case: recidivism_definition":  true,
	"a code in snake_case: reference_date":         true,
	"a code in snake_case: returns_0_180":          true,
	"a code in snake_case: returns_181_365":        true,
	"a code in snake_case: returns_366_730":        true,
	"a code in snake_case: shelter_inflow":         true,
	"a code in snake_case: shelter_return":         true,
	"a code in snake_case: social_network":         true,
	"a code in snake_case: survival_at_risk":       true,
	"a code in snake_case: survival_curve":         true,
	"a code in snake_case: survival_step":          true,
	"a code in snake_case: technical_dismissal":    true,
	"a code in snake_case: unknown_code":           true,
	"a code in snake_case: very_serious":           true,
	"a code in snake_case: window_months":          true,
	"a code in snake_case: work_education":         true,
	"a code in snake_case: years_at_liberty":       true,
	"a code in snake_case: zrm_scores":             true,
	"an export kind by its code: assessments":      true,
	"an export kind by its code: events":           true,
	"an export kind by its code: households":       true,
	"an export kind by its code: persons":          true,
}
