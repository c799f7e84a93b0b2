package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes"
)

// demoWithCutoff copies the demo study into a folder and sets its cut-off
// and, when extraction is not empty, every export's extraction date ("-"
// removes them, so they are detected).
func demoWithCutoff(t *testing.T, cutoff, extraction string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, outcomes.DemoStudy()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "study.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := regexp.MustCompile(`(?m)^cutoff: .*$`).ReplaceAllString(string(data), "cutoff: "+cutoff)
	switch extraction {
	case "":
	case "-":
		s = regexp.MustCompile(`(?m)^\s+extraction_date: .*\n`).ReplaceAllString(s, "")
	default:
		s = regexp.MustCompile(`(?m)extraction_date: .*$`).ReplaceAllString(s, "extraction_date: "+extraction)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCutoffMidFollowUp runs the demo with a cut-off in the middle of
// follow-up, as a researcher does with exports extracted long after it
// (issue 13): no row is quarantined for a date after the cut-off, every
// trajectory loads, the persons released on or before the cut-off are
// followed, windows close only before it, and later events are accounted,
// not counted.
func TestCutoffMidFollowUp(t *testing.T) {
	truth := demoTruth(t)
	study := demoWithCutoff(t, "2023-06-30", "")
	out := filepath.Join(t.TempDir(), "results")
	key := newKeyFile(t)
	code, stdout, stderr := runCLI(t, nil, "run", "--study", study, "--out", out, "--key-file", key)
	if code != exitOK {
		t.Fatalf("run exited %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "dated after the cut-off 2023-06-30: loaded, not counted") {
		t.Errorf("stdout does not account the rows after the cut-off:\n%s", stdout)
	}
	db := openDB(t, out)
	deliberate := 0
	for _, q := range truth.Quarantine {
		deliberate += q.Count
	}
	if got := queryInt(t, db, `SELECT count(*) FROM quarantine`); got != deliberate {
		t.Errorf("%d rows quarantined, want only the generator's %d deliberately bad rows", got, deliberate)
	}
	for _, f := range truth.Files {
		bad := 0
		for _, q := range truth.Quarantine {
			if q.File == f.File {
				bad += q.Count
			}
		}
		if got := queryInt(t, db, `SELECT rows_loaded FROM source_file WHERE file = ? AND duplicate_of IS NULL`, f.File); got != f.Rows-bad {
			t.Errorf("%s: %d rows loaded, want %d (all but the deliberately bad)", f.File, got, f.Rows-bad)
		}
	}
	checks := []struct {
		name string
		sql  string
		want int
	}{
		{"every person released on or before the cut-off is followed (recidivism: release, else an end on or before it, else start)",
			`SELECT count(*) FROM (SELECT DISTINCT programme, person_id FROM trajectory
			 WHERE programme IN ('AMB', 'RES') AND CASE WHEN release_date IS NOT NULL THEN release_date
			     WHEN end_date <= DATE '2023-06-30' THEN end_date ELSE start_date END <= DATE '2023-06-30'
			 EXCEPT SELECT programme, person_id FROM outcome_subject WHERE outcome = 'recidivism')`, 0},
		{"no subject's reference date lies after the cut-off", `SELECT count(*) FROM outcome_subject WHERE ref_date > DATE '2023-06-30'`, 0},
		{"no first event after the cut-off", `SELECT count(*) FROM outcome_subject WHERE first_event > DATE '2023-06-30'`, 0},
		{"follow-up ends at the cut-off (extraction long after it)", `SELECT count(*) FROM outcome_subject WHERE censor_date <> DATE '2023-06-30'`, 0},
		{"events after the cut-off are accounted per export", `SELECT CAST(sum(rows_after_cutoff) AS INTEGER) - (SELECT count(*) FROM event WHERE event_date > DATE '2023-06-30') - (SELECT count(*) FROM trajectory WHERE start_date > DATE '2023-06-30') - (SELECT count(*) FROM assessment WHERE assessment_date > DATE '2023-06-30') FROM export_extraction`, 0},
		{"a 12-month rate counts only windows closed by the cut-off", `SELECT count(*) FROM outcome_rate WHERE window_months = 12 AND outcome = 'recidivism' AND cohort > 2022`, 0},
	}
	for _, c := range checks {
		if got := queryInt(t, db, c.sql); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	subjects := queryInt(t, db, `SELECT count(*) FROM outcome_subject WHERE outcome = 'recidivism'`)
	if subjects == 0 {
		t.Error("no recidivism subjects at a mid-follow-up cut-off")
	}
	// What the old rule (quarantine any row with a date after the cut-off)
	// would have dropped, for the record.
	t.Logf("trajectories with a date after the cut-off (quarantined before issue 13): %d of %d; recidivism subjects now: %d",
		queryInt(t, db, `SELECT count(*) FROM trajectory WHERE greatest(start_date, coalesce(end_date, start_date), coalesce(release_date, start_date)) > DATE '2023-06-30'`),
		queryInt(t, db, `SELECT count(*) FROM trajectory`), subjects)
}

// TestCutoffAfterExtraction: a cut-off after every export's declared
// extraction date is refused with a message naming the newest one; without
// declared dates a cut-off in the future runs, but no window closes after
// the detected extraction date less the registration lag, so people
// released weeks before the data end are not reported as 0% recidivism.
func TestCutoffAfterExtraction(t *testing.T) {
	key := newKeyFile(t)
	t.Run("declared", func(t *testing.T) {
		study := demoWithCutoff(t, "2025-12-31", "2025-06-30")
		code, _, stderr := runCLI(t, nil, "run", "--study", study, "--out", filepath.Join(t.TempDir(), "r"), "--key-file", key)
		if code != exitStudy || !strings.Contains(stderr, "newest extraction date") || !strings.Contains(stderr, "2025-06-30") {
			t.Errorf("exit %d, stderr %q; want %d and a message naming the newest extraction date", code, stderr, exitStudy)
		}
	})
	t.Run("detected", func(t *testing.T) {
		study := demoWithCutoff(t, "2027-12-31", "-")
		out := filepath.Join(t.TempDir(), "r")
		code, _, stderr := runCLI(t, nil, "run", "--study", study, "--out", out, "--key-file", key)
		if code != exitOK {
			t.Fatalf("run exited %d: %s", code, stderr)
		}
		if !strings.Contains(stderr, "warning: justitie/registraties.csv (Justitie): its latest date is 2026-09-28, before the cut-off 2027-12-31") {
			t.Errorf("no warning of the justice export ending before the cut-off:\n%s", stderr)
		}
		db := openDB(t, out)
		// The justice export's latest date is its last registration
		// (datum_registratie 2026-09-28, synth v5's late registrations):
		// recidivism follow-up ends six months before.
		if got := queryInt(t, db, `SELECT count(*) FROM outcome_subject WHERE outcome = 'recidivism' AND censor_date <> DATE '2026-03-28'`); got != 0 {
			t.Errorf("%d recidivism subjects not censored at the detected extraction less the lag (2026-03-28)", got)
		}
		if got := queryInt(t, db, `SELECT count(*) FROM export_extraction WHERE ends_before_cutoff`); got == 0 {
			t.Error("no export flagged as ending before the cut-off")
		}
		if got := queryInt(t, db, `SELECT count(*) FROM outcome_subject WHERE outcome = 'recidivism'
			AND ref_date + INTERVAL 12 MONTH <= censor_date AND ref_date > DATE '2025-03-28'`); got != 0 {
			t.Errorf("%d subjects released after 2025-03-28 have a closed 12-month window", got)
		}
	})
}
