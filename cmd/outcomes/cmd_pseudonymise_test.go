package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/store"
)

// Three partners see the same synthetic people:
//
//   - X (BSN bsnX, "van der Berg", 14-03-1985, man) at all three: with a
//     formatted BSN at Nazorg, without BSN at Opvang (fallback key only),
//     and with BSN at Justitie, which pseudonymises its export itself;
//   - Y at Nazorg with BSN, and at Justitie with a BSN that fails the
//     elfproef, so Justitie's own pseudonymisation links Y by fallback key;
//   - Z at Opvang only, by fallback key.
//
// Line numbers (header = line 1) identify the rows in the database.
var (
	bsnX = pseudonymise.SyntheticBSN(101)
	bsnY = pseudonymise.SyntheticBSN(202)
)

const linkStudyHead = `study: linkage across partners
cutoff: 2025-12-31
min_cell: 1
programmes:
  - {code: AMB, outcome: recidivism}
  - {code: OPV, outcome: shelter_return, shelter: true}
partners:
  - name: Nazorg
    files:
      - path: nazorg.csv
        kind: trajectories
        delimiter: ";"
        date_format: dd-mm-yyyy
        identifiers: [Voornaam]
        columns: {bsn: BSN, surname: Achternaam, birth_date: Geboortedatum, sex: Geslacht, programme: Programma, start: Start, release: Vrij}
  - name: Opvang
    files:
      - path: opvang.csv
        kind: trajectories
        delimiter: ","
        date_format: yyyy-mm-dd
        columns: {surname: naam, birth_date: geb, sex: sekse, programme: prog, start: in, exit_reason: reden}
        free_text: [exit_reason]
`

const linkStudyJustitie = `  - name: Justitie
    files:
      - path: justitie.csv
        kind: events
        delimiter: "|"
        date_format: yyyy-mm-dd
        identifiers: [adres]
        columns: {bsn: bsn, surname: achternaam, birth_date: geboortedatum, sex: geslacht, date: datum, category: delict, postcode: postcode}
        constants: {event_type: offence}
`

func linkExports() map[string]string {
	return map[string]string{
		"nazorg.csv": "BSN;Achternaam;Voornaam;Geboortedatum;Geslacht;Programma;Start;Vrij\n" +
			bsnX[:3] + "." + bsnX[3:6] + "." + bsnX[6:] + ";Van der Berg;Pieter;14-03-1985;M;AMB;01-02-2020;01-03-2020\n" +
			bsnY + ";Jansen;Anna;01-07-1990;V;AMB;01-02-2021;\n",
		"opvang.csv": "naam,geb,sekse,prog,in,reden\n" +
			"VAN DER BERG,1985-03-14,man,OPV,2022-05-01,verhuisd\n" +
			"Bakker,1970-01-01,v,OPV,2022-06-01,\n",
		"justitie.csv": "bsn|achternaam|geboortedatum|geslacht|adres|datum|delict|postcode\n" +
			bsnX + "|van der Berg|1985-03-14|M|Dorpsstraat 1|2021-06-01|diefstal|1234 AB\n" +
			"123456789|Jansen|1990-07-01|V|Kerkpad 2|2022-01-01|geweld|5678CD\n",
	}
}

// writeLinkStudy writes the study file and exports into dir.
func writeLinkStudy(t *testing.T, dir, study string, exports map[string]string) string {
	t.Helper()
	for name, content := range exports {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "study.yaml")
	if err := os.WriteFile(path, []byte(study), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// newKeyFile makes a study key file in a fresh folder.
func newKeyFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "study.key")
	if err := pseudonymise.GenerateKeyFile(path, nil); err != nil {
		t.Fatal(err)
	}
	return path
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func openDB(t *testing.T, dir string) *store.Store {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(dir, databaseFile), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// personOf returns the person_id of the row of partner at line.
func personOf(t *testing.T, db *store.Store, partner string, line int) string {
	t.Helper()
	var id string
	err := db.DB().QueryRow(`SELECT person_id FROM trajectory WHERE partner = ? AND line = ?
		UNION ALL SELECT person_id FROM event WHERE partner = ? AND line = ?`, partner, line, partner, line).Scan(&id)
	if err != nil {
		t.Fatalf("%s line %d: %v", partner, line, err)
	}
	return id
}

func TestSupplierPseudonymisedLinksAcrossPartners(t *testing.T) {
	key := newKeyFile(t)

	// The partner pseudonymises its export in its own folder.
	partnerDir := t.TempDir()
	partnerStudy := writeLinkStudy(t, partnerDir, linkStudyHead+linkStudyJustitie, linkExports())
	supplied := filepath.Join(t.TempDir(), "to-researcher")
	code, stdout, stderr := runCLI(t, nil, "pseudonymise", "--study", partnerStudy, "--partner", "Justitie", "--out", supplied, "--key-file", key)
	if code != exitOK {
		t.Fatalf("pseudonymise exited %d: %s", code, stderr)
	}
	rows := readCSV(t, filepath.Join(supplied, "justitie.pseudonymised.csv"))

	t.Run("export layout: identifiers replaced, quasi-identifiers coarsened, free text dropped", func(t *testing.T) {
		want := []string{"pseudonym", "linkage", "fallback_id", "birth_year", "age", "geslacht", "postcode", "datum"}
		if !slices.Equal(rows[0], want) {
			t.Fatalf("header %q, want %q", rows[0], want)
		}
		if len(rows) != 3 {
			t.Fatalf("%d data rows, want 2", len(rows)-1)
		}
		wantRows := [][]string{
			{"bsn", "", "1985", "36", "m", "1234", "2021-06-01"},
			{"fallback", "", "1990", "31", "v", "5678", "2022-01-01"},
		}
		for i, w := range wantRows {
			got := rows[i+1]
			if len(got[0]) != pseudonymise.PseudonymLen || len(got[2]) != pseudonymise.PseudonymLen {
				t.Errorf("row %d: pseudonym %q / fallback_id %q are not pseudonyms", i+1, got[0], got[2])
			}
			if got[1] != w[0] || got[3] != w[2] || got[4] != w[3] || got[5] != w[4] || got[6] != w[5] || got[7] != w[6] {
				t.Errorf("row %d = %q, want linkage/birth year/age/sex/area/date %q", i+1, got, w)
			}
		}
		if rows[2][0] != rows[2][2] {
			t.Error("a fallback-linked row's pseudonym is not its fallback_id")
		}
	})

	t.Run("summary counts the BSN that failed the elfproef", func(t *testing.T) {
		if !strings.Contains(stdout, "justitie.csv") || !strings.Contains(stdout, "fails_elfproef 1") || !strings.Contains(stdout, "fingerprint") {
			t.Errorf("summary:\n%s", stdout)
		}
	})

	// The researcher gets the pseudonymised file and the fragment, and uses
	// the fragment as it is written.
	researchDir := t.TempDir()
	fragment, err := os.ReadFile(filepath.Join(supplied, fragmentFile))
	if err != nil {
		t.Fatal(err)
	}
	_, entries, ok := strings.Cut(string(fragment), "partners:\n")
	if !ok {
		t.Fatalf("fragment has no partners list:\n%s", fragment)
	}
	exports := linkExports()
	delete(exports, "justitie.csv")
	data, err := os.ReadFile(filepath.Join(supplied, "justitie.pseudonymised.csv"))
	if err != nil {
		t.Fatal(err)
	}
	exports["justitie.pseudonymised.csv"] = string(data)
	researchStudy := writeLinkStudy(t, researchDir, linkStudyHead+entries, exports)
	out := filepath.Join(t.TempDir(), "results")
	code, stdout, stderr = runCLI(t, nil, "run", "--study", researchStudy, "--out", out, "--key-file", key)
	if code != exitOK {
		t.Fatalf("run with the supplied export exited %d: %s\nstudy:\n%s", code, stderr, linkStudyHead+entries)
	}
	db := openDB(t, out)

	t.Run("one synthetic person at three partners has one pseudonym", func(t *testing.T) {
		x := []string{personOf(t, db, "Nazorg", 2), personOf(t, db, "Opvang", 2), personOf(t, db, "Justitie", 2)}
		if x[0] != x[1] || x[0] != x[2] {
			t.Errorf("X has pseudonyms %q", x)
		}
		y := []string{personOf(t, db, "Nazorg", 3), personOf(t, db, "Justitie", 3)}
		if y[0] != y[1] {
			t.Errorf("Y (fallback at the supplier) has pseudonyms %q", y)
		}
		if z := personOf(t, db, "Opvang", 3); z == x[0] || z == y[0] {
			t.Error("Z shares a pseudonym with another person")
		}
		if n := queryInt(t, db, "SELECT count(*) FROM person"); n != 3 {
			t.Errorf("%d persons, want 3", n)
		}
		if n := queryInt(t, db, "SELECT count(*) FROM person WHERE person_id = ? AND linkage = 'bsn'", x[0]); n != 1 {
			t.Error("X is not a BSN-linked person")
		}
	})

	t.Run("linkage counts per file", func(t *testing.T) {
		for _, tc := range []struct {
			file                          string
			bsn, fallback, supplier, none int
		}{
			{"nazorg.csv", 2, 0, 0, 0},
			{"opvang.csv", 0, 2, 0, 0},
			{"justitie.pseudonymised.csv", 0, 0, 2, 0},
		} {
			n := queryInt(t, db, `SELECT count(*) FROM source_file WHERE file = ? AND linked_bsn = ? AND linked_fallback = ?
				AND linked_supplier = ? AND linked_none = ?`, tc.file, tc.bsn, tc.fallback, tc.supplier, tc.none)
			if n != 1 {
				t.Errorf("%s: linkage counts differ from %+v", tc.file, tc)
			}
		}
		if !strings.Contains(stdout, "linkage") {
			t.Errorf("run summary has no linkage table:\n%s", stdout)
		}
	})

	t.Run("free text kept only where allowed", func(t *testing.T) {
		if n := queryInt(t, db, "SELECT count(*) FROM trajectory WHERE exit_reason = 'verhuisd'"); n != 1 {
			t.Errorf("allowed exit_reason not loaded (%d rows)", n)
		}
		if n := queryInt(t, db, "SELECT count(*) FROM event WHERE category IS NOT NULL"); n != 0 {
			t.Errorf("%d events carry a category the study file does not allow", n)
		}
	})

	t.Run("same pseudonyms as when the researcher pseudonymises the raw export", func(t *testing.T) {
		rawDir := t.TempDir()
		rawStudy := writeLinkStudy(t, rawDir, linkStudyHead+linkStudyJustitie, linkExports())
		rawOut := filepath.Join(t.TempDir(), "raw")
		if code, _, stderr := runCLI(t, nil, "run", "--study", rawStudy, "--out", rawOut, "--key-file", key); code != exitOK {
			t.Fatalf("raw run exited %d: %s", code, stderr)
		}
		rawDB := openDB(t, rawOut)
		for _, line := range []int{2, 3} {
			if a, b := personOf(t, db, "Justitie", line), personOf(t, rawDB, "Justitie", line); a != b {
				t.Errorf("Justitie line %d: %s supplier-side, %s researcher-side", line, a, b)
			}
		}
		var a, b []string
		for _, d := range []*store.Store{db, rawDB} {
			r, err := d.DB().Query("SELECT person_id || birth_year || sex || linkage FROM person ORDER BY 1")
			if err != nil {
				t.Fatal(err)
			}
			for r.Next() {
				var s string
				r.Scan(&s)
				if d == db {
					a = append(a, s)
				} else {
					b = append(b, s)
				}
			}
			r.Close()
		}
		if !slices.Equal(a, b) {
			t.Errorf("person tables differ:\nsupplier %q\nraw      %q", a, b)
		}
	})
}

func TestPseudonymiseArguments(t *testing.T) {
	dir := t.TempDir()
	studyPath := writeLinkStudy(t, dir, linkStudyHead+linkStudyJustitie, linkExports())
	key := newKeyFile(t)
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"no partner", []string{"--study", studyPath, "--out", "X", "--key-file", key}, exitUsage},
		{"unknown partner", []string{"--study", studyPath, "--partner", "Nobody", "--out", "X", "--key-file", key}, exitUsage},
		{"missing study", []string{"--study", filepath.Join(dir, "none.yaml"), "--partner", "Justitie", "--out", "X", "--key-file", key}, exitStudy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{"pseudonymise"}, tc.args...)
			for i, a := range args {
				if a == "X" {
					args[i] = out
				}
			}
			code, _, stderr := runCLI(t, nil, args...)
			if code != tc.want {
				t.Errorf("exit %d, want %d: %s", code, tc.want, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("output folder created by a refused command")
			}
		})
	}
}

// TestPseudonymiseDemoPartner: on the demo study, Nazorg Noord (Windows-1252,
// dd-mm-yyyy, first names and phone numbers as identifier columns) sends a
// supplier-pseudonymised export instead of its raw one; the run on it gives
// the generator's persons and the true counts of the partner's programmes.
func TestPseudonymiseDemoPartner(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, outcomes.DemoStudy()); err != nil {
		t.Fatal(err)
	}
	studyPath := filepath.Join(dir, "study.yaml")
	key := newKeyFile(t)
	supplied := filepath.Join(t.TempDir(), "supplied")
	code, _, stderr := runCLI(t, nil, "pseudonymise", "--study", studyPath, "--partner", "Nazorg Noord", "--out", supplied, "--key-file", key)
	if code != exitOK {
		t.Fatalf("pseudonymise exited %d: %s", code, stderr)
	}
	header := readCSV(t, filepath.Join(supplied, "trajecten.pseudonymised.csv"))[0]
	for _, dropped := range []string{"BSN", "Achternaam", "Voornaam", "Geboortedatum", "Telefoon", "Reden einde"} {
		if slices.Contains(header, dropped) {
			t.Errorf("the pseudonymised export still has column %s", dropped)
		}
	}

	// Replace the partner's entry in the study file with the fragment.
	text, err := os.ReadFile(studyPath)
	if err != nil {
		t.Fatal(err)
	}
	fragment, err := os.ReadFile(filepath.Join(supplied, fragmentFile))
	if err != nil {
		t.Fatal(err)
	}
	_, entry, _ := strings.Cut(string(fragment), "partners:\n")
	start := strings.Index(string(text), "  - name: Nazorg Noord\n")
	end := strings.Index(string(text), "  - name: Opvang Stad\n")
	if start < 0 || end < start {
		t.Fatal("the demo study no longer lists Nazorg Noord before Opvang Stad; update the test")
	}
	withSupplier := string(text[:start]) + entry + string(text[end:])
	if err := os.WriteFile(studyPath, []byte(withSupplier), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(supplied, "trajecten.pseudonymised.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "trajecten.pseudonymised.csv"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "results")
	if code, _, stderr := runCLI(t, nil, "run", "--study", studyPath, "--out", out, "--key-file", key); code != exitOK {
		t.Fatalf("run exited %d: %s", code, stderr)
	}
	db := openDB(t, out)
	truth := demoTruth(t)
	if got := queryInt(t, db, "SELECT count(*) FROM person"); got != truth.Persons {
		t.Errorf("%d persons, the generator made %d", got, truth.Persons)
	}
	if got := queryInt(t, db, "SELECT CAST(sum(linked_supplier) AS INTEGER) FROM source_file"); got == 0 {
		t.Error("no record loaded as supplier-pseudonymised")
	}
	checked := 0
	for _, want := range truth.Rates {
		if want.Programme != "AMB" && want.Programme != "RES" {
			continue
		}
		var n, events int
		err := db.DB().QueryRow(`SELECT n, events FROM outcome_rate WHERE programme = ? AND outcome = ? AND window_months = ?
			AND cohort IS NULL AND breakdown IS NULL`, want.Programme, want.Outcome, want.WindowMonths).Scan(&n, &events)
		if err != nil {
			t.Fatalf("%s %s %d: %v", want.Programme, want.Outcome, want.WindowMonths, err)
		}
		if n != want.Eligible || events != want.Events {
			t.Errorf("%s %s %dm: n=%d events=%d, generator says n=%d events=%d", want.Programme, want.Outcome, want.WindowMonths, n, events, want.Eligible, want.Events)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("the demo truth has no rates for AMB or RES")
	}
}

// TestStudyPrivacyKeys: the study-file keys this issue adds are checked,
// with the position of the mistake in the message.
func TestStudyPrivacyKeys(t *testing.T) {
	justitie := func(extra string) string { return linkStudyHead + linkStudyJustitie + extra }
	tests := []struct {
		name, study, want string
	}{
		{"free text that is not free text", justitie("        free_text: [bsn]\n"), "free_text[0]"},
		{"exit reason is not a field of events", justitie("        free_text: [exit_reason]\n"), "free_text[0]"},
		{"fingerprint on a raw export", justitie("        key_fingerprint: 0123456789abcdef\n"), "only an export marked pseudonymised"},
		{"malformed fingerprint", strings.Replace(justitie(""), "kind: events\n", "kind: events\n        pseudonymised: true\n        key_fingerprint: 0123-not-hex\n", 1), "16 lower-case hex digits"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeLinkStudy(t, t.TempDir(), tc.study, linkExports())
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := runCLI(t, nil, "run", "--study", path, "--out", out, "--key-file", newKeyFile(t))
			if code != exitStudy {
				t.Fatalf("exit %d, want %d: %s", code, exitStudy, stderr)
			}
			if !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "study.yaml:") {
				t.Errorf("message %q does not name %q with a position", stderr, tc.want)
			}
		})
	}
}
