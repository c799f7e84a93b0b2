package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/store"
)

const linkageBlock = "linkage:\n  probabilistic: {upper: 0.9, lower: 0.2, encode_all: true}\n"

// encodingsOf lists a partner's rows of record_encoding as text, by line.
func encodingsOf(t *testing.T, db *store.Store, partner string) []string {
	t.Helper()
	rows, err := db.DB().Query(`SELECT e.line, coalesce(base64(e.surname), ''), coalesce(base64(e.birth), '')
		FROM record_encoding e JOIN source_file f USING (file_id) WHERE f.partner = ? ORDER BY e.line`, partner)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line int
		var s, b string
		if err := rows.Scan(&line, &s, &b); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d %s %s", line, s, b))
	}
	return out
}

// TestSupplierEncodings: with probabilistic linkage on, `outcomes
// pseudonymise` writes the keyed encodings (never a name or a birth date)
// and the fragment maps them, so the researcher's run loads the same
// encodings as a run on the raw export.
func TestSupplierEncodings(t *testing.T) {
	key := newKeyFile(t)
	partnerDir := t.TempDir()
	partnerStudy := writeLinkStudy(t, partnerDir, linkStudyHead+linkStudyJustitie+linkageBlock, linkExports())
	supplied := filepath.Join(t.TempDir(), "to-researcher")
	code, _, stderr := runCLI(t, nil, "pseudonymise", "--study", partnerStudy, "--partner", "Justitie", "--out", supplied, "--key-file", key)
	if code != exitOK {
		t.Fatalf("pseudonymise exited %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(supplied, "justitie.pseudonymised.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(supplied, "justitie.pseudonymised.csv"))
	want := []string{"pseudonym", "linkage", "fallback_id", "birth_year", "age", "enc_surname", "enc_surname_parts", "enc_given_name", "enc_birth_date"}
	if !slices.Equal(rows[0][:len(want)], want) {
		t.Fatalf("header %q, want it to start with %q", rows[0], want)
	}
	for _, clear := range []string{"berg", "jansen", "1985-03-14", "1990-07-01", "14-03-1985"} {
		if bytes.Contains(bytes.ToLower(data), []byte(clear)) {
			t.Errorf("the supplier export holds %q", clear)
		}
	}
	for i, r := range rows[1:] {
		if len(r[5]) == 0 || len(r[8]) == 0 {
			t.Errorf("row %d has no encodings (surname, birth date): %q", i+1, r)
		}
	}

	raw := filepath.Join(t.TempDir(), "raw")
	code, _, stderr = runCLI(t, nil, "run", "--study", partnerStudy, "--out", raw, "--key-file", key)
	if code != exitOK {
		t.Fatalf("run on the raw exports exited %d: %s", code, stderr)
	}
	fragment, err := os.ReadFile(filepath.Join(supplied, pseudonymise.SupplierFragment))
	if err != nil {
		t.Fatal(err)
	}
	_, entries, _ := strings.Cut(string(fragment), "partners:\n")
	exports := linkExports()
	delete(exports, "justitie.csv")
	exports["justitie.pseudonymised.csv"] = string(data)
	researchStudy := writeLinkStudy(t, t.TempDir(), linkStudyHead+entries+linkageBlock, exports)
	out := filepath.Join(t.TempDir(), "results")
	code, _, stderr = runCLI(t, nil, "run", "--study", researchStudy, "--out", out, "--key-file", key)
	if code != exitOK {
		t.Fatalf("run with the supplied export exited %d: %s", code, stderr)
	}
	// The researcher appendix describes the linkage (tables/linkage_*.csv).
	found := 0
	filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err == nil && (d.Name() == "linkage_weights.csv" || d.Name() == "linkage_model.csv") {
			found++
		}
		return nil
	})
	// The weight distribution is a table only when pairs were compared
	// (an empty table becomes a sentence, not a CSV); the model always is.
	tables := 1
	if queryInt(t, openDB(t, out), "SELECT count(*) FROM linkage_weight") > 0 {
		tables = 2
	}
	if found != tables {
		t.Errorf("%d of the appendix's linkage tables written, want %d", found, tables)
	}
	a, b := encodingsOf(t, openDB(t, raw), "Justitie"), encodingsOf(t, openDB(t, out), "Justitie")
	if len(a) != 2 || !slices.Equal(a, b) {
		t.Errorf("encodings from the raw export:\n%s\nfrom the supplier's:\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
}

// TestLinkageQualityFromSynth: `outcomes synth --linkage-errors` writes a
// study whose exports carry registration errors, with the truth beside the
// folder; a run links it probabilistically, and the store's quality query
// (store/linkage_quality.sql) measures the run against the truth: the
// probabilistic linkage finds pairs the exact key misses, at the issue's
// precision.
func TestLinkageQualityFromSynth(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and runs a synthetic study with registration errors")
	}
	dir := filepath.Join(t.TempDir(), "study")
	code, stdout, stderr := runCLI(t, nil, "synth", "--out", dir, "--seed", "5", "--scale", "1", "--linkage-errors")
	if code != exitOK {
		t.Fatalf("synth: exit %d: %s", code, stderr)
	}
	truth := dir + ".linkage-truth.csv"
	if !strings.Contains(stdout, truth) {
		t.Errorf("synth does not say where the truth is: %s", stdout)
	}
	out := t.TempDir()
	code, _, stderr = runCLI(t, nil, "run", "--study", filepath.Join(dir, "study.yaml"), "--out", out, "--key-file", newKeyFile(t))
	if code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	db := openDB(t, out)
	q, err := db.MeasureLinkage(context.Background(), truth)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows, %d true pairs; strict: precision %.4f recall %.4f; probabilistic: precision %.4f recall %.4f",
		q.Rows, q.TruePairs, q.StrictPrecision(), q.StrictRecall(), q.Precision(), q.Recall())
	if q.Rows == 0 || q.TruePairs == 0 {
		t.Fatal("the truth matched no rows")
	}
	if q.Recall() <= q.StrictRecall() {
		t.Errorf("probabilistic recall %.4f is no better than the exact key's %.4f", q.Recall(), q.StrictRecall())
	}
	if q.Precision() < 0.99 || q.Recall() < 0.95 {
		t.Errorf("precision %.4f, recall %.4f: want at least 0.99 and 0.95", q.Precision(), q.Recall())
	}
	// Per-partner review files: every pair half of linkage_review_partner
	// is in its partner's file, and a file names only its partner's files.
	var halves int
	if err := db.DB().QueryRow(`SELECT count(*) FROM linkage_review_partner`).Scan(&halves); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(out, "review", "*.csv"))
	if halves > 0 && len(files) == 0 {
		t.Fatalf("%d review pair halves and no review files", halves)
	}
	rows := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		rows += len(lines) - 1
		owners := map[string]bool{}
		for _, l := range lines[1:] {
			var partner string
			if err := db.DB().QueryRow(`SELECT any_value(partner) FROM source_file WHERE file = ?`, strings.Split(l, ",")[1]).Scan(&partner); err != nil {
				t.Fatal(err)
			}
			owners[partner] = true
		}
		if len(owners) != 1 {
			t.Errorf("%s names the files of %d partners, want 1", filepath.Base(f), len(owners))
		}
	}
	if rows != halves {
		t.Errorf("review files hold %d rows, linkage_review_partner %d", rows, halves)
	}
	t.Logf("%d review files, %d pair halves", len(files), halves)
}
