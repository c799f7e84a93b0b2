package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/store/storetest"
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
	fragment, err := os.ReadFile(filepath.Join(supplied, pseudonymise.SupplierFragment))
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

	useSupplierFragment(t, studyPath, supplied, "Nazorg Noord")
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

// useSupplierFragment replaces partner's entry in the study file at
// studyPath with the entries of the study-file fragment `outcomes
// pseudonymise` wrote to supplied, and copies the pseudonymised exports next
// to the study file, as the researcher would.
func useSupplierFragment(t *testing.T, studyPath, supplied, partner string) {
	t.Helper()
	text, err := os.ReadFile(studyPath)
	if err != nil {
		t.Fatal(err)
	}
	fragment, err := os.ReadFile(filepath.Join(supplied, pseudonymise.SupplierFragment))
	if err != nil {
		t.Fatal(err)
	}
	_, entry, ok := strings.Cut(string(fragment), "partners:\n")
	if !ok {
		t.Fatalf("fragment has no partners list:\n%s", fragment)
	}
	// The entry's first line, with or without a trailing comment (the
	// demo study file comments every key).
	loc := regexp.MustCompile(`(?m)^  - name: ` + regexp.QuoteMeta(partner) + `[ \t]*(#.*)?$`).FindStringIndex(string(text))
	start := -1
	if loc != nil {
		start = loc[0]
	}
	if start < 0 {
		t.Fatalf("the study file does not list partner %s", partner)
	}
	end := len(text)
	if next := strings.Index(string(text[start+1:]), "\n  - name: "); next >= 0 {
		end = start + 1 + next + 1
	}
	withSupplier := string(text[:start]) + entry + string(text[end:])
	if err := os.WriteFile(studyPath, []byte(withSupplier), 0o644); err != nil {
		t.Fatal(err)
	}
	exports, err := filepath.Glob(filepath.Join(supplied, "*.pseudonymised.csv"))
	if err != nil || len(exports) == 0 {
		t.Fatalf("no pseudonymised exports in %s (%v)", supplied, err)
	}
	for _, path := range exports {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(filepath.Dir(studyPath), filepath.Base(path)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// queryStrings returns the rows of q, each row's columns as text joined by
// "|" (NULL as "NULL").
func queryStrings(t *testing.T, db *store.Store, q string) []string {
	t.Helper()
	_, out := storetest.Rows(t, db.DB(), func(v any) string {
		if v == nil {
			return "NULL"
		}
		return fmt.Sprint(v)
	}, q)
	return out
}

// rawIdentifiers collects the clear identifiers of the CSV exports under
// dir: every value of the columns named in headers (national IDs,
// surnames, birth dates of members and detainees), keyed by value with its
// column as kind.
func rawIdentifiers(t *testing.T, dir string, headers ...string) map[string]string {
	t.Helper()
	ids := map[string]string{}
	paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no exports in %s (%v)", dir, err)
	}
	for _, path := range paths {
		rows := readCSV(t, path)
		for c, h := range rows[0] {
			if !slices.Contains(headers, h) {
				continue
			}
			for _, row := range rows[1:] {
				if v := strings.TrimSpace(row[c]); v != "" {
					ids[v] = h
				}
			}
		}
	}
	return ids
}

// bareNineDigits matches a run of nine digits that is not part of a longer
// run of hex digits (a pseudonym may contain nine digits in a row).
var bareNineDigits = regexp.MustCompile(`(^|[^0-9a-f])[0-9]{9}([^0-9a-f]|$)`)

// TestPseudonymiseDemoHouseholds: on the demo study, the families partner
// Gezinnen (a households export linking members to detainees by BSN or by
// surname + birth date + sex, and a trajectories export) pseudonymises its
// exports itself. The pseudonymised exports hold no identifier of member
// or detainee, and a run on them gives the same household links and family
// outcomes, with the same key, as a run on the raw exports.
func TestPseudonymiseDemoHouseholds(t *testing.T) {
	key := newKeyFile(t)
	rawDir := unpackDemo(t)
	rawOut := filepath.Join(t.TempDir(), "raw")
	if code, _, stderr := runCLI(t, nil, "run", "--study", filepath.Join(rawDir, "study.yaml"), "--out", rawOut, "--key-file", key); code != exitOK {
		t.Fatalf("run on the raw exports exited %d: %s", code, stderr)
	}

	dir := unpackDemo(t)
	studyPath := filepath.Join(dir, "study.yaml")
	supplied := filepath.Join(t.TempDir(), "supplied")
	code, stdout, stderr := runCLI(t, nil, "pseudonymise", "--study", studyPath, "--partner", "Gezinnen", "--out", supplied, "--key-file", key)
	if code != exitOK {
		t.Fatalf("pseudonymise --partner Gezinnen exited %d: %s", code, stderr)
	}
	households := readCSV(t, filepath.Join(supplied, "huishoudens.pseudonymised.csv"))
	raw := readCSV(t, filepath.Join(dir, "gezinnen", "huishoudens.csv"))

	t.Run("households export layout", func(t *testing.T) {
		want := []string{"pseudonym", "linkage", "fallback_id", "birth_year", "age",
			"detainee_pseudonym", "detainee_linkage", "detainee_fallback_id", "relatie"}
		if !slices.Equal(households[0], want) {
			t.Fatalf("header %q, want %q", households[0], want)
		}
		if len(households) != len(raw) {
			t.Fatalf("%d rows written, the raw export has %d", len(households)-1, len(raw)-1)
		}
		links := map[string]int{}
		for i, row := range households[1:] {
			if !isHexPseudonym(row[0]) || !isHexPseudonym(row[5]) || (row[7] != "" && !isHexPseudonym(row[7])) {
				t.Errorf("row %d: pseudonym columns %q, %q, %q are not pseudonyms", i+1, row[0], row[5], row[7])
			}
			links[row[6]]++
			if row[6] == "fallback" && row[5] != row[7] {
				t.Errorf("row %d: a fallback-linked detainee's pseudonym is not its fallback pseudonym", i+1)
			}
		}
		if links["bsn"] == 0 || links["fallback"] == 0 || links["bsn"]+links["fallback"] != len(households)-1 {
			t.Errorf("detainee linkage per value %v: want both bsn and fallback, nothing else", links)
		}
	})

	t.Run("no clear identifier in any output", func(t *testing.T) {
		ids := rawIdentifiers(t, filepath.Join(dir, "gezinnen"), "bsn", "achternaam", "geboortedatum",
			"bsn_gedetineerde", "achternaam_gedetineerde", "geboortedatum_gedetineerde")
		if len(ids) < 3*(len(raw)-1) {
			t.Fatalf("only %d identifiers collected from the raw exports", len(ids))
		}
		entries, err := os.ReadDir(supplied)
		if err != nil {
			t.Fatal(err)
		}
		outputs := map[string]string{"stdout": stdout, "stderr": stderr}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(supplied, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			outputs[e.Name()] = string(data)
		}
		// Paths under the test's temporary folder carry a random number
		// (e.g. /tmp/TestPseudonymiseDemoHouseholds649619908/…) that is no
		// identifier: mask it before looking for bare nine-digit numbers.
		tempRoot := filepath.Dir(filepath.Dir(supplied))
		for name, text := range outputs {
			AssertNoSecrets(t, name, text, ids)
			if m := bareNineDigits.FindString(strings.ReplaceAll(text, tempRoot, "<tmp>")); m != "" {
				t.Errorf("%s contains a nine-digit number", name)
			}
		}
	})

	t.Run("the fragment maps the detainee columns", func(t *testing.T) {
		fragment, err := os.ReadFile(filepath.Join(supplied, pseudonymise.SupplierFragment))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range []string{`detainee_pseudonym: "detainee_pseudonym"`, `detainee_linkage: "detainee_linkage"`,
			`detainee_fallback_id: "detainee_fallback_id"`, `relation: "relatie"`} {
			if !strings.Contains(string(fragment), line) {
				t.Errorf("fragment lacks %q:\n%s", line, fragment)
			}
		}
	})

	useSupplierFragment(t, studyPath, supplied, "Gezinnen")
	// The dry run must agree with the run: every row would load, linked by
	// the supplier's pseudonyms.
	code, stdout, stderr = runCLI(t, nil, "check", "--study", studyPath)
	if code != exitOK {
		t.Fatalf("check on the pseudonymised Gezinnen exports exited %d: %s", code, stderr)
	}
	wantRows := fmt.Sprintf("%d read, %d would load, 0 quarantined", len(raw)-1, len(raw)-1)
	at := strings.Index(stdout, "huishoudens.pseudonymised.csv")
	if at < 0 {
		t.Fatalf("check does not report the pseudonymised households export:\n%s", stdout)
	}
	if block, _, _ := strings.Cut(stdout[at:], "\n\n"); !strings.Contains(block, wantRows) {
		t.Errorf("check on the pseudonymised households export does not say %q:\n%s", wantRows, block)
	}
	out := filepath.Join(t.TempDir(), "supplied-run")
	if code, _, stderr := runCLI(t, nil, "run", "--study", studyPath, "--out", out, "--key-file", key); code != exitOK {
		t.Fatalf("run on the pseudonymised Gezinnen exports exited %d: %s", code, stderr)
	}
	db, rawDB := openDB(t, out), openDB(t, rawOut)
	if n := queryInt(t, db, "SELECT count(*) FROM source_file WHERE file = 'huishoudens.pseudonymised.csv' AND linked_supplier = ? AND linked_none = 0", len(raw)-1); n != 1 {
		t.Errorf("the pseudonymised households export did not load all %d rows as supplier-pseudonymised", len(raw)-1)
	}

	for _, tc := range []struct{ name, query string }{
		{"household links", `SELECT person_id, detainee_id, relation, detainee_linkage, detainee_fallback_id, linkage, birth_year
			FROM household_link ORDER BY ALL`},
		{"fallback-linked detainees resolved to BSN persons", `SELECT h.detainee_linkage, p.linkage, count(*) FROM household_link h
			LEFT JOIN person p ON p.person_id = h.detainee_id GROUP BY ALL ORDER BY ALL`},
		{"family outcomes", `SELECT family_programme, household_in_programme, window_months, n, events, rate, ci_lower, ci_upper,
			suppressed, researcher_only FROM family_outcome ORDER BY ALL`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, want := queryStrings(t, db, tc.query), queryStrings(t, rawDB, tc.query)
			if len(want) == 0 {
				t.Fatal("the raw run has no rows to compare")
			}
			if !slices.Equal(got, want) {
				t.Errorf("supplier-pseudonymised run:\n%s\nraw run:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// isHexPseudonym reports whether s has the form of a pseudonym.
func isHexPseudonym(s string) bool {
	return len(s) == pseudonymise.PseudonymLen && strings.Trim(s, "0123456789abcdef") == ""
}
