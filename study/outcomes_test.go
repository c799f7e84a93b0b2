package study

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestEveryOutcomeKindIsFullyDefined fails when an outcome kind lacks a part
// of its definition. Its texts are checked in package reports, its SQL in
// package analyses.
func TestEveryOutcomeKindIsFullyDefined(t *testing.T) {
	defaults := mustParse(t, studyWithProgramme(OutcomeRecidivism, "")).Outcomes
	seen := map[OutcomeKind]bool{}
	for _, def := range OutcomeKinds() {
		t.Run(string(def.Kind), func(t *testing.T) {
			if def.Kind == "" || seen[def.Kind] {
				t.Fatalf("kind %q is empty or listed twice", def.Kind)
			}
			seen[def.Kind] = true
			if def.WindowsKey == "" || def.Windows == nil {
				t.Error("no windows (WindowsKey, Windows)")
			} else if len(def.Windows(defaults)) == 0 {
				t.Error("no default windows")
			}
			if def.Texts.Name == "" || def.Texts.Summary == "" {
				t.Error("no Name or Summary text")
			}
			if def.OwnSubjects() {
				checkOwnSubjects(t, def, defaults)
			} else {
				checkDetaineeOutcome(t, def)
			}
		})
	}
}

// checkOwnSubjects checks the parts of a kind measured on its own
// participants.
func checkOwnSubjects(t *testing.T, def OutcomeDef, defaults Outcomes) {
	t.Helper()
	if def.Reference == "" {
		t.Error("no Reference")
	}
	if def.Events.EventTypes == nil {
		t.Error("no Events.EventTypes")
	} else {
		for _, e := range def.Events.EventTypes(defaults) {
			if !slices.Contains(EventTypes(), e) {
				t.Errorf("qualifying event type %q is not an event type", e)
			}
		}
	}
	if def.Texts.Windows == "" || def.Texts.Reference == "" || def.Texts.Events == "" {
		t.Error("no definition texts (Texts.Windows, Texts.Reference, Texts.Events)")
	}
}

// checkDetaineeOutcome checks a kind measured by linked detainees: their
// outcome must have subjects of its own, and the kind no half definition of
// subjects.
func checkDetaineeOutcome(t *testing.T, def OutcomeDef) {
	t.Helper()
	linked, ok := def.DetaineeOutcome.Definition()
	if !ok || !linked.OwnSubjects() {
		t.Errorf("DetaineeOutcome %q is not a kind with subjects of its own", def.DetaineeOutcome)
	}
	if def.Reference != "" || def.Events.EventTypes != nil || def.Texts.Windows != "" {
		t.Error("a kind without own subjects has a Reference, Events or definition texts, which nothing uses")
	}
}

// TestOutcomeWindowsKeys checks that each kind's WindowsKey is the study
// file key its Windows reads, and that the key is validated.
func TestOutcomeWindowsKeys(t *testing.T) {
	for _, def := range OutcomeKinds() {
		t.Run(string(def.Kind), func(t *testing.T) {
			s := mustParse(t, studyWithProgramme(def.Kind, def.WindowsKey+": [7, 30]"))
			if got := def.Windows(s.Outcomes); !slices.Equal(got, []int{7, 30}) {
				t.Errorf("outcomes.%s: [7, 30] gives windows %v", def.WindowsKey, got)
			}
			_, err := Parse("study.yaml", []byte(studyWithProgramme(def.Kind, def.WindowsKey+": [7, 0]")))
			if err == nil || !strings.Contains(err.Error(), "outcomes."+def.WindowsKey+"[1]") {
				t.Errorf("a window of 0 months: error %v, want one at outcomes.%s[1]", err, def.WindowsKey)
			}
		})
	}
}

// TestProgrammeOutcome checks that a programme takes every kind and nothing
// else, and that the message lists the kinds.
func TestProgrammeOutcome(t *testing.T) {
	for _, def := range OutcomeKinds() {
		if s := mustParse(t, studyWithProgramme(def.Kind, "")); s.Programmes[0].Outcome != def.Kind {
			t.Errorf("programme outcome %s read as %q", def.Kind, s.Programmes[0].Outcome)
		}
	}
	_, err := Parse("study.yaml", []byte(studyWithProgramme("recidive", "")))
	if err == nil || !strings.Contains(err.Error(), "programmes[0].outcome: outcome must be ") {
		t.Fatalf("outcome recidive: error %v, want one at programmes[0].outcome", err)
	}
	for _, def := range OutcomeKinds() {
		if !strings.Contains(err.Error(), string(def.Kind)) {
			t.Errorf("the message %q does not name the kind %s", err, def.Kind)
		}
	}
}

// studyWithProgramme is a minimal study file with one programme of the
// given outcome kind and, when given, one line under outcomes:.
func studyWithProgramme(kind OutcomeKind, outcomesLine string) string {
	outcomes := ""
	if outcomesLine != "" {
		outcomes = "outcomes:\n  " + outcomesLine + "\n"
	}
	return fmt.Sprintf(`study: t
cutoff: 2025-12-31
%sprogrammes: [{code: P, outcome: %s}]
partners:
  - name: N
    files:
      - {path: t.csv, kind: trajectories, columns: {bsn: bsn, programme: p, start: s}}
`, outcomes, kind)
}

func mustParse(t *testing.T, yaml string) *Study {
	t.Helper()
	s, err := Parse("study.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("%v\n%s", err, yaml)
	}
	return s
}
