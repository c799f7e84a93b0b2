package study

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestJusticeDefaults: a study file that says nothing about the justice
// model gets the Recidivemonitor's defaults.
func TestJusticeDefaults(t *testing.T) {
	o := mustParse(t, studyWithProgramme(OutcomeRecidivism, "")).Outcomes
	if o.RegistrationLagMonths != 6 || o.CountDate != CountOffenceDate || o.RecidivismDefinition != DefGeneral {
		t.Errorf("lag %d, count date %q, definition %q; want 6, %s, %s", o.RegistrationLagMonths, o.CountDate, o.RecidivismDefinition, CountOffenceDate, DefGeneral)
	}
	if !slices.Equal(o.NonCounting, []string{DisposalAcquittal, DisposalTechnicalDismissal, DisposalOtherTechnical}) {
		t.Errorf("non-counting disposals %v", o.NonCounting)
	}
	for _, d := range RecidivismDefinitions() {
		if !slices.Equal(o.Definitions[d.Name], o.RecidivismWindows) {
			t.Errorf("definition %s windows %v, want the recidivism windows %v", d.Name, o.Definitions[d.Name], o.RecidivismWindows)
		}
	}
}

// TestJusticeSettings reads each setting and refuses wrong values with the
// key in the message.
func TestJusticeSettings(t *testing.T) {
	o := mustParse(t, studyWithProgramme(OutcomeRecidivism, `{registration_lag_months: 3, count_date: registration_date, non_counting_disposals: [acquittal], recidivism_definition: very_serious, recidivism_definitions: {general: [12], very_serious: [24, 36]}}`)).Outcomes
	if o.RegistrationLagMonths != 3 || o.CountDate != CountRegistrationDate || o.RecidivismDefinition != DefVerySerious ||
		!slices.Equal(o.NonCounting, []string{DisposalAcquittal}) || len(o.Definitions) != 2 || !slices.Equal(o.Definitions[DefVerySerious], []int{24, 36}) {
		t.Errorf("settings not read: %+v", o)
	}
	if o := mustParse(t, studyWithProgramme(OutcomeRecidivism, `{non_counting_disposals: []}`)).Outcomes; len(o.NonCounting) != 0 {
		t.Errorf("an empty non_counting_disposals should count every case, got %v", o.NonCounting)
	}
	for _, tc := range []struct{ line, key string }{
		{"registration_lag_months: -1", "outcomes.registration_lag_months"},
		{"count_date: pleegdatum", "outcomes.count_date"},
		{"non_counting_disposals: [vrijspraak]", "outcomes.non_counting_disposals[0]"},
		{"recidivism_definition: severe", "outcomes.recidivism_definition"},
		{"recidivism_definitions: {severe: [12]}", "outcomes.recidivism_definitions.severe"},
		{"recidivism_definitions: {general: [0]}", "outcomes.recidivism_definitions.general[0]"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			_, err := Parse("study.yaml", []byte(studyWithProgramme(OutcomeRecidivism, tc.line)))
			if err == nil || !strings.Contains(err.Error(), tc.key) {
				t.Errorf("error %v, want one naming %s", err, tc.key)
			}
		})
	}
}

// justiceStudy is a study file with a trajectories export and a justice
// export, both with the given extraction_date lines (empty: none).
func justiceStudyFile(trajExtraction, eventsExtraction string) string {
	line := func(d string) string {
		if d == "" {
			return ""
		}
		return ", extraction_date: " + d
	}
	return `study: t
cutoff: 2025-12-31
programmes: [{code: P, outcome: recidivism}]
partners:
  - name: N
    files:
      - {path: t.csv, kind: trajectories, columns: {bsn: bsn, programme: p, start: s}` + line(trajExtraction) + `}
  - name: J
    files:
      - path: j.csv
        kind: events` + strings.ReplaceAll(line(eventsExtraction), ", ", "\n        ") + `
        columns: {bsn: bsn, date: pleegdatum, registration_date: inschrijving, case_id: parketnummer, disposal: afdoening, offence_type: artikel, seriousness: artikel, end: einde}
        constants: {event_type: offence}
        codes:
          disposal: {VRIJ: acquittal, TS: technical_dismissal, VEROORD: conviction}
          offence_type: {"300": violence, "310": property}
          seriousness: {"300": minor, "310": serious}
`
}

// TestExtractionDates: extraction dates are read per export; a cut-off
// after the newest is refused only when every export declares one.
func TestExtractionDates(t *testing.T) {
	s := mustParse(t, justiceStudyFile("2026-03-31", "2026-06-30"))
	if got := s.Partners[1].Files[0].ExtractionDate; !got.Equal(time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("extraction date %v", got)
	}
	mustParse(t, justiceStudyFile("", "2025-06-30")) // one detected: not refused here
	_, err := Parse("study.yaml", []byte(justiceStudyFile("2025-03-31", "2025-06-30")))
	if err == nil || !strings.Contains(err.Error(), "cutoff") || !strings.Contains(err.Error(), "2025-06-30") {
		t.Errorf("error %v, want the cut-off refused naming the newest extraction date", err)
	}
	if _, err := Parse("study.yaml", []byte(justiceStudyFile("31-03-2026", ""))); err == nil || !strings.Contains(err.Error(), "extraction_date") {
		t.Errorf("error %v, want a bad extraction_date refused", err)
	}
	if _, err := Parse("study.yaml", []byte(strings.Replace(justiceStudyFile("", ""), "TS: technical_dismissal", "TS: technisch_sepot", 1))); err == nil || !strings.Contains(err.Error(), "codes.disposal.TS") {
		t.Errorf("error %v, want an unknown canonical disposal refused", err)
	}
}
