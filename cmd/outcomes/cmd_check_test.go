package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes"
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/study"
)

// unpackDemo copies the bundled demo study to a temp dir, as cmdDemo does.
func unpackDemo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, outcomes.DemoStudy()); err != nil {
		t.Fatal(err)
	}
	return dir
}

// summaryRow matches a row of check's summary table (columns are
// separated by at least two spaces).
var summaryRow = regexp.MustCompile(`^(\S.*?)\s{2,}(\S+)\s{2,}(\d+)\s{2,}(\d+)\s{2,}(\d+)$`)

func TestCheckDemo(t *testing.T) {
	dir := unpackDemo(t)
	code, stdout, stderr := runCLI(t, nil, "check", "--study", filepath.Join(dir, "study.yaml"))
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr is not a terminal, yet check wrote to it:\n%s", stderr)
	}
	if entries, err := os.ReadDir(dir); err != nil {
		t.Fatal(err)
	} else {
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".duckdb") {
				t.Errorf("check wrote %s", e.Name())
			}
		}
	}
	truth := demoTruth(t)

	// The summary table: one row per file, read = would load + quarantined,
	// read equal to the generator's row count, quarantined equal to its bad
	// rows; totals add up.
	wantQuarantined := map[string]int{}
	for _, q := range truth.Quarantine {
		wantQuarantined[q.File] += q.Count
	}
	rows := map[string][3]int{}
	var total [3]int
	for _, line := range strings.Split(stdout, "\n") {
		m := summaryRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var n [3]int
		for i := range n {
			n[i], _ = strconv.Atoi(m[3+i])
		}
		if strings.TrimSpace(m[1]) == "total" {
			continue
		}
		if n[0] != n[1]+n[2] {
			t.Errorf("%s: read %d != would load %d + quarantined %d", m[2], n[0], n[1], n[2])
		}
		rows[m[2]] = n
		for i := range n {
			total[i] += n[i]
		}
	}
	if len(rows) != len(truth.Files) {
		t.Fatalf("summary has %d files, truth %d:\n%s", len(rows), len(truth.Files), stdout)
	}
	for _, f := range truth.Files {
		got, ok := rows[f.File]
		if !ok {
			t.Errorf("%s missing from the summary", f.File)
			continue
		}
		if got[0] != f.Rows || got[2] != wantQuarantined[f.File] {
			t.Errorf("%s: read %d quarantined %d, want %d and %d", f.File, got[0], got[2], f.Rows, wantQuarantined[f.File])
		}
	}
	totalLine := regexp.MustCompile(`(?m)^total\s+(\d+)\s{2,}(\d+)\s{2,}(\d+)$`).FindStringSubmatch(stdout)
	if totalLine == nil {
		t.Fatalf("no total line:\n%s", stdout)
	}
	for i := range total {
		if n, _ := strconv.Atoi(totalLine[1+i]); n != total[i] {
			t.Errorf("total column %d = %d, sum of files %d", i+1, n, total[i])
		}
	}

	// Per rule, per file, as the generator made them.
	st, err := study.Load(filepath.Join(dir, "study.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	checks, err := flow.DryRun(context.Background(), st, flow.Options{BatchSize: 1000, ProgressTo: &errOut})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range checks {
		if c.Err != nil {
			t.Errorf("%s: %v", c.Result.File.File, c.Err)
		}
		want := map[string]int{}
		for _, q := range truth.Quarantine {
			if q.File == c.Result.File.File {
				want[q.Rule] = q.Count
			}
		}
		got := c.Result.ByRule()
		if len(got) != len(want) {
			t.Errorf("%s: quarantine per rule %v, want %v", c.Result.File.File, got, want)
		}
		for rule, n := range want {
			if got[rule] != n {
				t.Errorf("%s: %s = %d, want %d", c.Result.File.File, rule, got[rule], n)
			}
			if !strings.Contains(stdout, rule+" "+strconv.Itoa(n)) {
				t.Errorf("output lacks %q", rule+" "+strconv.Itoa(n))
			}
		}
		for _, f := range truth.Files {
			if f.File == c.Result.File.File && f.FallbackRows > 0 && c.Result.Links.ByFallback != f.FallbackRows {
				t.Errorf("%s: %d rows by surname + birth date, want %d", f.File, c.Result.Links.ByFallback, f.FallbackRows)
			}
		}
	}
	for _, want := range []string{
		"encoding windows-1252 (declared)", `delimiter ";" (declared)`, "date format dd-mm-yyyy (declared)",
		`skipped     "Voornaam", "Telefoon"`, "unknown programme codes:",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestCheckUnreadableFile(t *testing.T) {
	dir := unpackDemo(t)
	// Cut the Justitie export inside a quoted field and remove another.
	path := filepath.Join(dir, "justitie", "registraties.csv")
	if err := os.WriteFile(path, []byte("parketnummer|bsn|geboortedatum|pleegdatum|datum_registratie|feit|afdoening\n10/700001-24|111222333|1980-01-01|2024-01-01|2024-02-01|310 Sr|\"schuldigverklaring\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "resourcegroep", "deelnemers.csv")); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, nil, "check", "--study", filepath.Join(dir, "study.yaml"))
	if code != exitInput {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitInput, stderr)
	}
	if !strings.Contains(stderr, " exports cannot be read") {
		t.Errorf("stderr %q does not say how many exports failed", stderr)
	}
	if !strings.Contains(stderr, "2 of ") {
		t.Errorf("stderr %q does not count 2 failed exports", stderr)
	}
	for _, want := range []string{"registraties.csv: line 2", "never closed", "cannot be read", "trajecten.csv"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "111222333") || strings.Contains(stderr, "111222333") {
		t.Errorf("output echoes a BSN")
	}
}

func TestCheckUsage(t *testing.T) {
	if code, _, _ := runCLI(t, nil, "check"); code != exitUsage {
		t.Errorf("check without --study: exit %d, want %d", code, exitUsage)
	}
	if code, _, _ := runCLI(t, nil, "check", "--study", filepath.Join(t.TempDir(), "missing.yaml")); code != exitStudy {
		t.Errorf("check with a missing study file: exit %d, want %d", code, exitStudy)
	}
}
