package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes"
	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/ingest/synth"
	"github.com/outcomes-research/outcomes/reports/browsertest"
	"github.com/outcomes-research/outcomes/store"
)

// runCLI runs one command line in-process and returns exit code and output.
func runCLI(t *testing.T, envVars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, env{
		stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv: func(k string) string { return envVars[k] },
	})
	return code, stdout.String(), stderr.String()
}

func demoTruth(t *testing.T) synth.Truth {
	t.Helper()
	data, err := fs.ReadFile(outcomes.DemoStudy(), "truth.json")
	if err != nil {
		t.Fatal(err)
	}
	var truth synth.Truth
	if err := json.Unmarshal(data, &truth); err != nil {
		t.Fatal(err)
	}
	return truth
}

// queryInt runs a query returning one integer.
func queryInt(t *testing.T, s *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestDemoEndToEnd(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, nil, "demo", "--out", out)
	if code != exitOK {
		t.Fatalf("demo exited %d: %s", code, stderr)
	}
	truth := demoTruth(t)

	db, err := store.Open(context.Background(), filepath.Join(out, databaseFile), true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	t.Run("the run records its command line", func(t *testing.T) {
		var line string
		if err := db.DB().QueryRow(`SELECT command_line FROM run`).Scan(&line); err != nil {
			t.Fatal(err)
		}
		if want := "outcomes demo --out " + out; line != want {
			t.Errorf("command_line %q, want %q", line, want)
		}
	})

	t.Run("rates equal the generator's realised counts and cover the true rate", func(t *testing.T) {
		for _, want := range truth.Rates {
			var n, events int
			var suppressed bool
			var exact sql.NullInt64
			err := db.DB().QueryRow(`SELECT n, events, suppressed FROM outcome_rate
				WHERE programme = ? AND outcome = ? AND window_months = ? AND cohort IS NULL AND breakdown IS NULL`,
				want.Programme, want.Outcome, want.WindowMonths).Scan(&n, &exact, &suppressed)
			if err != nil {
				t.Fatalf("%s %s %d: %v", want.Programme, want.Outcome, want.WindowMonths, err)
			}
			if !exact.Valid {
				// A suppressed cell's events are withheld from the result
				// table; it must be one the generator made small.
				small := want.Events < 10 || want.Eligible-want.Events < 10
				if !suppressed || !small || n != want.Eligible {
					t.Errorf("%s %s %dm: events withheld (suppressed=%v, n=%d), generator says n=%d events=%d",
						want.Programme, want.Outcome, want.WindowMonths, suppressed, n, want.Eligible, want.Events)
				}
				continue
			}
			events = int(exact.Int64)
			if n != want.Eligible || events != want.Events {
				t.Errorf("%s %s %dm: n=%d events=%d, generator says n=%d events=%d",
					want.Programme, want.Outcome, want.WindowMonths, n, events, want.Eligible, want.Events)
			}
			// The true rate lies within the 99.9% Wilson interval (a fixed
			// seed, so this is deterministic; 99.9% keeps it robust to
			// generator changes).
			ci := stats.Wilson(events, n, 0.999)
			if want.TrueRate < ci.Lower || want.TrueRate > ci.Upper {
				t.Errorf("%s %s %dm: true rate %.3f outside the 99.9%% interval [%.3f, %.3f]",
					want.Programme, want.Outcome, want.WindowMonths, want.TrueRate, ci.Lower, ci.Upper)
			}
		}
	})

	t.Run("recidivism definitions equal an independent count of the exports", func(t *testing.T) {
		// reference.csv is computed from the demo's CSV files alone by
		// ingest/synth/testdata/recidivism/make_reference.py (cases by
		// parketnummer, decisions and offence classes through the study
		// file's code tables).
		f, err := os.Open("../../ingest/synth/testdata/recidivism/reference.csv")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) < 17 {
			t.Fatalf("reference.csv has %d rows, want 16 and a header", len(recs))
		}
		for _, r := range recs[1:] {
			w, _ := strconv.Atoi(r[2])
			wantN, _ := strconv.Atoi(r[3])
			wantEvents, _ := strconv.Atoi(r[4])
			wantCases, _ := strconv.Atoi(r[5])
			var n, events, cases sql.NullInt64
			var suppressed bool
			err := db.DB().QueryRow(`SELECT n, events, cases, suppressed FROM recidivism_definition
				WHERE programme = ? AND definition = ? AND window_months = ? AND cohort IS NULL`, r[0], r[1], w).
				Scan(&n, &events, &cases, &suppressed)
			if err != nil {
				t.Fatalf("%s %s %d: %v", r[0], r[1], w, err)
			}
			if !events.Valid {
				// Withheld: it must be small in the reference.
				if !suppressed || (wantEvents >= 10 && wantN-wantEvents >= 10) {
					t.Errorf("%s %s %dm: events withheld (suppressed=%v), reference %d of %d", r[0], r[1], w, suppressed, wantEvents, wantN)
				}
				continue
			}
			if n.Int64 != int64(wantN) || events.Int64 != int64(wantEvents) || cases.Int64 != int64(wantCases) {
				t.Errorf("%s %s %dm: n=%d events=%d cases=%d, reference n=%d events=%d cases=%d",
					r[0], r[1], w, n.Int64, events.Int64, cases.Int64, wantN, wantEvents, wantCases)
			}
		}
	})

	t.Run("every row is loaded or quarantined, as the generator planned", func(t *testing.T) {
		quarantined := map[string]int{}
		for _, q := range truth.Quarantine {
			quarantined[q.File] += q.Count
			got := queryInt(t, db, `SELECT count(*) FROM quarantine JOIN source_file USING (file_id) WHERE file = ? AND rule = ?`, q.File, q.Rule)
			if got != q.Count {
				t.Errorf("%s: %d rows quarantined under %s, want %d", q.File, got, q.Rule, q.Count)
			}
		}
		for _, f := range truth.Files {
			var read, loaded, quar int
			if err := db.DB().QueryRow(`SELECT rows_read, rows_loaded, rows_quarantined FROM source_file WHERE file = ?`, f.File).
				Scan(&read, &loaded, &quar); err != nil {
				t.Fatalf("%s: %v", f.File, err)
			}
			if read != f.Rows || quar != quarantined[f.File] || read != loaded+quar {
				t.Errorf("%s: read %d loaded %d quarantined %d; want read %d quarantined %d", f.File, read, loaded, quar, f.Rows, quarantined[f.File])
			}
			rows := queryInt(t, db, `SELECT (SELECT count(*) FROM trajectory t WHERE t.file_id = s.file_id) +
				(SELECT count(*) FROM event e WHERE e.file_id = s.file_id) +
				(SELECT count(*) FROM assessment a WHERE a.file_id = s.file_id) +
				(SELECT count(*) FROM household_link h WHERE h.file_id = s.file_id) FROM source_file s WHERE file = ?`, f.File)
			if rows != loaded {
				t.Errorf("%s: %d rows in the canonical tables, source_file says %d loaded", f.File, rows, loaded)
			}
		}
		if got := queryInt(t, db, `SELECT count(*) FROM person`); got != truth.Persons {
			t.Errorf("person table has %d rows, the generator made %d persons", got, truth.Persons)
		}
	})

	t.Run("life-domain change equals the generator's realised changes", func(t *testing.T) {
		if len(truth.LifeDomains) == 0 {
			t.Fatal("truth.json has no life_domains")
		}
		for _, want := range truth.LifeDomains {
			var n, improved, unchanged, worse sql.NullInt64
			var mean, lower, upper sql.NullFloat64
			var suppressed, countsSuppressed bool
			err := db.DB().QueryRow(`SELECT n, mean_change, ci_lower, ci_upper, improved, unchanged, worse, suppressed, counts_suppressed
				FROM life_domain_change WHERE programme = ? AND domain = ?`, want.Programme, want.Domain).
				Scan(&n, &mean, &lower, &upper, &improved, &unchanged, &worse, &suppressed, &countsSuppressed)
			if err != nil {
				t.Fatalf("%s %s: %v", want.Programme, want.Domain, err)
			}
			if suppressed || int(n.Int64) != want.N || math.Abs(mean.Float64-want.MeanChange) > 1e-9 {
				t.Errorf("%s %s: n=%v mean change=%v suppressed=%v, generator says n=%d mean change=%.6f",
					want.Programme, want.Domain, n, mean, suppressed, want.N, want.MeanChange)
			}
			small := func(k int) bool { return k > 0 && k < 10 }
			if wantHidden := small(want.Improved) || small(want.Unchanged) || small(want.Worse); countsSuppressed != wantHidden {
				t.Errorf("%s %s: counts suppressed %v, want %v", want.Programme, want.Domain, countsSuppressed, wantHidden)
			}
			if !countsSuppressed && (int(improved.Int64) != want.Improved || int(unchanged.Int64) != want.Unchanged || int(worse.Int64) != want.Worse) {
				t.Errorf("%s %s: improved/unchanged/worse %v/%v/%v, generator says %d/%d/%d", want.Programme, want.Domain,
					improved, unchanged, worse, want.Improved, want.Unchanged, want.Worse)
			}
			// For the large programmes (n >= 100) the true mean change lies
			// within about a 99.9% interval: the 95% half-width times
			// 3.29/1.96 (44 cells, so plain 95% would miss about two).
			half := (upper.Float64 - lower.Float64) / 2 * 3.29 / 1.96
			if want.N >= 100 && math.Abs(want.TrueMeanChange-mean.Float64) > half {
				t.Errorf("%s %s: true mean change %.2f further than %.3f from %.3f", want.Programme, want.Domain, want.TrueMeanChange, half, mean.Float64)
			}
		}
	})

	t.Run("detainee recidivism by household participation equals the generator's", func(t *testing.T) {
		if len(truth.Families) == 0 {
			t.Fatal("truth.json has no families")
		}
		for _, want := range truth.Families {
			var n, events int
			var suppressed bool
			err := db.DB().QueryRow(`SELECT n, events, suppressed FROM family_outcome
				WHERE family_programme = ? AND window_months = ? AND household_in_programme = ?`,
				want.Programme, want.WindowMonths, want.HouseholdInProgramme).Scan(&n, &events, &suppressed)
			if err != nil {
				t.Fatalf("%s %dm in=%v: %v", want.Programme, want.WindowMonths, want.HouseholdInProgramme, err)
			}
			if n != want.Eligible || events != want.Events || suppressed {
				t.Errorf("%s %dm in=%v: n=%d events=%d suppressed=%v, generator says n=%d events=%d",
					want.Programme, want.WindowMonths, want.HouseholdInProgramme, n, events, suppressed, want.Eligible, want.Events)
			}
		}
	})

	t.Run("summary on stdout adds up", func(t *testing.T) {
		if !strings.Contains(stdout, "total") || !strings.Contains(stdout, "report.html") {
			t.Errorf("summary missing totals or output paths:\n%s", stdout)
		}
	})

	t.Run("no national ID from the exports in any output file", func(t *testing.T) {
		assertNoIdentifiers(t, out, demoBSNs(t))
	})

	t.Run("report is self-contained", func(t *testing.T) {
		html, err := os.ReadFile(filepath.Join(out, reportFile))
		if err != nil {
			t.Fatal(err)
		}
		external := regexp.MustCompile(`(?i)<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?(https?:)?//`)
		if m := external.Find(html); m != nil {
			t.Errorf("report loads an external resource: %s", m)
		}
		if !bytes.Contains(html, []byte("synthetische gegevens")) {
			t.Error("demo report does not say it is synthetic data")
		}
	})

	t.Run("report renders offline in a real browser", func(t *testing.T) {
		res := browsertest.Check(t, filepath.Join(out, reportFile), filepath.Join(t.TempDir(), "report.png"), browsertest.DefaultChartSelector)
		// One chart per outcome and window with at least one publishable rate.
		want := queryInt(t, db, `SELECT count(DISTINCT (outcome, window_months)) FROM outcome_rate
			WHERE cohort IS NULL AND breakdown IS NULL AND NOT suppressed AND n > 0`)
		rateChart := regexp.MustCompile(`^chart_(recidivism|shelter_return|shelter_inflow)_\d+$`)
		rateCharts := 0
		for _, c := range res.Charts {
			if rateChart.MatchString(c.ID) {
				rateCharts++
			}
		}
		if rateCharts != want || want < 5 {
			t.Errorf("%d rate charts rendered, want %d (one per outcome window with a publishable rate)", rateCharts, want)
		}
		if len(res.Charts) <= rateCharts {
			t.Errorf("only the rate charts rendered (%d); the summary chart is missing", len(res.Charts))
		}
	})

	t.Run("report tables are written beside the report", func(t *testing.T) {
		for _, name := range []string{"tables.xlsx", "tables/headline.csv", "tables/data_quality.csv"} {
			if _, err := os.Stat(filepath.Join(out, name)); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	})

	t.Run("report renders in English too", func(t *testing.T) {
		en := t.TempDir()
		if code, _, stderr := runCLI(t, nil, "demo", "--out", en, "--lang", "en"); code != exitOK {
			t.Fatalf("demo --lang en exited %d: %s", code, stderr)
		}
		html, err := os.ReadFile(filepath.Join(en, reportFile))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(html, []byte(`<html lang="en">`)) || !bytes.Contains(html, []byte("synthetic data")) {
			t.Error("report made with --lang en is not in English")
		}
		res := browsertest.Check(t, filepath.Join(en, reportFile), filepath.Join(t.TempDir(), "report_en.png"), browsertest.DefaultChartSelector)
		if len(res.Charts) < 5 {
			t.Errorf("%d charts rendered in the English report, want at least 5", len(res.Charts))
		}
	})
}

// demoBSNs collects every 9-digit number in the demo exports.
func demoBSNs(t *testing.T) map[string]bool {
	t.Helper()
	nine := regexp.MustCompile(`\b\d{9}\b`)
	found := map[string]bool{}
	err := fs.WalkDir(outcomes.DemoStudy(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == "truth.json" || path == "study.yaml" {
			return err
		}
		data, err := fs.ReadFile(outcomes.DemoStudy(), path)
		for _, m := range nine.FindAll(data, -1) {
			found[string(m)] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 1000 {
		t.Fatalf("found only %d national IDs in the demo exports; the scan is broken", len(found))
	}
	return found
}

// assertNoIdentifiers fails if any output file under dir contains any of ids.
func assertNoIdentifiers(t *testing.T, dir string, ids map[string]bool) {
	t.Helper()
	nine := regexp.MustCompile(`\d{9}`)
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range nine.FindAll(data, -1) {
			if ids[string(m)] {
				t.Errorf("%s contains a national ID from the exports", path)
				return nil
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatal("no output files to scan")
	}
}
