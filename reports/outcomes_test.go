package reports

import (
	"fmt"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// outcomeTextKeys are the translation keys an outcome kind's definition
// names.
func outcomeTextKeys(def study.OutcomeDef) []string {
	var keys []string
	for _, k := range []string{def.Texts.Name, def.Texts.Summary, def.Texts.Windows, def.Texts.Reference, def.Texts.Events} {
		if k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// TestEveryOutcomeKindHasItsTexts fails when an outcome kind lacks one of
// its texts in a report language, or when a text does not take the
// arguments the report gives it.
func TestEveryOutcomeKindHasItsTexts(t *testing.T) {
	o := oneProgrammePerKind(t).Study.Outcomes
	for _, lang := range Languages() {
		tt, err := translations(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, def := range study.OutcomeKinds() {
			t.Run(lang+"/"+string(def.Kind), func(t *testing.T) {
				texts := map[string][]any{
					def.Texts.Name:    nil,
					def.Texts.Summary: {"P", "3", "30", "10%", "2%", "26%", "een jaar"},
				}
				if def.OwnSubjects() {
					texts[def.Texts.Windows] = []any{months(def.Windows(o))}
					texts[def.Texts.Reference] = nil
					var args []any
					if def.Texts.EventsArgs != nil {
						args = def.Texts.EventsArgs(o)
					}
					texts[def.Texts.Events] = args
				}
				for key, args := range texts {
					if _, ok := tt[key]; key == "" || !ok {
						t.Errorf("text %q is not in the %s table", key, lang)
						continue
					}
					if s := tt.f(key, args...); strings.Contains(s, "%!") {
						t.Errorf("%s with %d arguments: %q", key, len(args), s)
					}
				}
			})
		}
	}
}

// TestEveryOutcomeKindGetsItsReportParts builds the report of a study with
// one programme per outcome kind and checks that each kind gets its parts:
// a section of its own (or the families section), a funders' sentence, and
// its part of the definitions.
func TestEveryOutcomeKindGetsItsReportParts(t *testing.T) {
	res := oneProgrammePerKind(t)
	for _, lang := range Languages() {
		tt, _ := translations(lang)
		v := buildView(res, tt)
		ids := map[string]section{}
		for _, s := range v.Sections {
			ids[s.ID] = s
		}
		sentences := ids["summary"].Blocks[0].Paragraphs
		definitions := strings.Join(ids["appendix"].Blocks[0].List, "\n")
		for i, def := range study.OutcomeKinds() {
			t.Run(lang+"/"+string(def.Kind), func(t *testing.T) {
				p := res.Study.Programmes[i]
				if def.OwnSubjects() {
					if s, ok := ids[string(def.Kind)]; !ok || s.Heading != tt.f(def.Texts.Name) {
						t.Errorf("no section %q headed %q", def.Kind, tt.f(def.Texts.Name))
					}
					if part := tt.f(def.Texts.Windows, months(def.Windows(res.Study.Outcomes))); !strings.Contains(definitions, part) {
						t.Errorf("the definitions do not say %q", part)
					}
				} else if _, ok := ids["families"]; !ok {
					t.Error("no families section")
				}
				if i >= len(sentences) || !strings.HasPrefix(sentences[i], p.Name+":") || sentences[i] == tt.f("summary_none", p.Name) {
					t.Errorf("no funders' sentence with numbers for %s in %q", p.Name, sentences)
				}
			})
		}
	}
}

// oneProgrammePerKind is the results of a study (with the study file's
// default windows) that has one programme per outcome kind, in the order of
// study.OutcomeKinds, each with a closed first window: 20 of 50 persons
// with the outcome.
func oneProgrammePerKind(t *testing.T) *analyses.Results {
	t.Helper()
	var programmes []string
	for i, def := range study.OutcomeKinds() {
		programmes = append(programmes, fmt.Sprintf("{code: P%d, name: Programme %s, outcome: %s}", i, def.Kind, def.Kind))
	}
	st, err := study.Parse("study.yaml", []byte(`study: t
cutoff: 2025-12-31
programmes: [`+strings.Join(programmes, ", ")+`]
partners:
  - name: N
    files:
      - {path: t.csv, kind: trajectories, columns: {bsn: bsn, programme: p, start: s}}
`))
	if err != nil {
		t.Fatal(err)
	}
	res := &analyses.Results{Study: st}
	for _, p := range st.Programmes {
		def, _ := p.Outcome.Definition()
		w := def.Windows(st.Outcomes)[0]
		r := analyses.Rate{Programme: p.Code, Outcome: p.Outcome, WindowMonths: w, N: 50, Events: 20, Rate: 0.4, CI: stats.Wilson(20, 50, 0.95)}
		if def.OwnSubjects() {
			res.Rates = append(res.Rates, r)
			continue
		}
		r.Outcome = def.DetaineeOutcome
		for _, in := range []bool{true, false} {
			res.Families = append(res.Families, analyses.FamilyOutcome{Programme: p.Code, WindowMonths: w, HouseholdInProgramme: in, Rate: r})
		}
	}
	return res
}
