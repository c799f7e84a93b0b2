package reports

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/study"
)

// visibleText is what a reader of the HTML report sees: the body without
// scripts and styles, tags removed, entities decoded; the charts' own texts
// (titles, axis names, categories, series) are added from the view. What
// is marked as code (<code>: a database table or column, a study-file key,
// a file name, a hash) is left out: a researcher types those names as
// they are, so they are the one place a raw identifier may stand.
func visibleText(t *testing.T, res *analyses.Results, lang string) string {
	t.Helper()
	page, err := Render(res, Options{Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	body := page[bytes.Index(page, []byte("<body>")):]
	body = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>`).ReplaceAll(body, nil)
	body = codeRE.ReplaceAll(body, nil)
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
	verb := regexp.MustCompile("%(\\[\\d+\\])?[sdvfq%]|\\(|\\)|:|;|\"|`")
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
			for _, f := range findings {
				t.Errorf("%s in the Dutch report", f)
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

// codeRE is an identifier marked as code, with its markup.
var codeRE = regexp.MustCompile(`(?s)<code>.*?</code>`)

// TestRuleNames: every quarantine rule (ingest.Rules) and every export kind
// (study.Kinds) has its name in both languages, so the report never shows
// a rule's or a kind's code; the Dutch name differs from the code.
func TestRuleNames(t *testing.T) {
	for _, lang := range Languages() {
		tt, _ := translations(lang)
		b := builder{t: tt, lang: lang}
		for _, r := range ingest.Rules() {
			if name := b.ruleName(string(r)); name == string(r) || name == "" {
				t.Errorf("%s: rule %s has no name (qrule_%s)", lang, r, r)
			}
		}
		for _, k := range study.Kinds() {
			if name := b.kindName(string(k)); name == "" || (lang == "nl" && name == string(k)) {
				t.Errorf("%s: export kind %s has no name (kind_%s)", lang, k, k)
			}
		}
	}
}

// TestSkipReasons: the reasons analyses gives for what it did not compute
// read in Dutch in the Dutch report, with their numbers, and an unknown
// reason is shown as it is.
func TestSkipReasons(t *testing.T) {
	tt, _ := translations("nl")
	b := builder{t: tt, lang: "nl"}
	for reason, want := range map[string]string{
		"fewer than 10 persons with the event":                                             "minder dan 10 personen met de uitkomst",
		"fewer than 10 persons with the event per model parameter (23 with, 4 parameters)": "minder dan 10 personen met de uitkomst per modelparameter (23 met de uitkomst, 4 parameters)",
		"a group has fewer than 10 persons or events":                                      "een groep heeft minder dan 10 personen of uitkomsten",
		"fewer than 10 residual degrees of freedom":                                        "minder dan 10 residuele vrijheidsgraden",
		"the model did not converge":                                                       "het model convergeerde niet",
		"the model cannot be estimated: singular matrix":                                   "het model is niet te schatten (singular matrix)",
		"something new": "something new",
	} {
		if got := b.skipped(reason); got != want {
			t.Errorf("skipped(%q) = %q, want %q", reason, got, want)
		}
	}
}
