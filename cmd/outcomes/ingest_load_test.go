package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/store"
)

// loadTestKey is a study key for this test only.
const loadTestKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"

// TestRunLoadsWindows1252AndXLSX runs the whole pipeline on a study with a
// Windows-1252 semicolon CSV with Dutch dates (encoding and delimiter
// detected, CRLF line ends) and an XLSX export (sheet by name, date cells,
// Excel serials), and checks the database: dates as written, accents intact
// in the free text the study allows, quarantine per rule and file.
func TestRunLoadsWindows1252AndXLSX(t *testing.T) {
	in := t.TempDir()
	// "beëindigd", "Müller", "Çelik" in Windows-1252 bytes.
	csv := "BSN;Achternaam;Geboortedatum;Programma;Startdatum;Einddatum;Reden einde\r\n" +
		"111222333;Jansen;01-02-1980;AMB-7D;15-01-2024;30-06-2024;regulier be\xebindigd\r\n" +
		"123456782;M\xfcller;15-12-1975;NZH;1-3-2024;;\r\n" +
		";\xc7elik;03-04-1990;AMB-7D;31-12-2024;;vertrokken naar Curaçao\r\n" +
		"111222333;Jansen;01-02-1980;AMB-7D;31-02-2024;;\r\n"
	csv = strings.Replace(csv, "Curaçao", "Cura\xe7ao", 1)
	if err := os.WriteFile(filepath.Join(in, "nazorg.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	xlsx, err := os.ReadFile("../../testdata/ingest/xlsx_sheet_by_name_dates_accents/trajecten.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "trajecten.xlsx"), xlsx, 0o644); err != nil {
		t.Fatal(err)
	}
	studyFile := `study: accents and dates
cutoff: 2025-12-31
programmes:
  - {code: AMB, outcome: recidivism}
  - {code: RES, outcome: recidivism}
partners:
  - name: Nazorg
    files:
      - path: nazorg.csv
        kind: trajectories
        date_format: dd-mm-jjjj
        free_text: [exit_reason]
        columns: {bsn: BSN, surname: Achternaam, birth_date: Geboortedatum, programme: Programma,
                  start: Startdatum, end: Einddatum, exit_reason: Reden einde}
        codes:
          programme: {AMB-7D: AMB, NZH: RES}
  - name: Huis
    files:
      - path: trajecten.xlsx
        kind: trajectories
        sheet: Trajecten
        columns: {bsn: BSN, surname: Achternaam, birth_date: Geboortedatum, programme: Programma,
                  start: Startdatum, end: Einddatum, release: Datum ontslag PI, exit_destination: Uitstroom naar}
        codes:
          programme: {AMB-7D: AMB, NZH: RES}
          exit_destination: {eigen woning: independent_housing, opvang: shelter}
`
	if err := os.WriteFile(filepath.Join(in, "study.yaml"), []byte(studyFile), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runCLI(t, map[string]string{pseudonymise.KeyEnvVar: loadTestKey},
		"run", "--study", filepath.Join(in, "study.yaml"), "--out", out)
	if code != exitOK {
		t.Fatalf("run exited %d:\n%s", code, stderr)
	}
	for _, want := range []string{"quarantined per rule: date_invalid 1", "quarantined per rule: date_invalid 1, end_before_start 1"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	db, err := store.Open(context.Background(), filepath.Join(out, databaseFile), true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	rows, err := db.DB().Query(`SELECT s.partner, t.line, CAST(t.start_date AS VARCHAR), COALESCE(CAST(t.end_date AS VARCHAR), ''),
		COALESCE(CAST(t.release_date AS VARCHAR), ''), COALESCE(t.exit_reason, ''), t.linkage
		FROM trajectory t JOIN source_file s USING (file_id) ORDER BY s.partner, t.line`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var partner, start, end, release, reason, linkage string
		var line int
		if err := rows.Scan(&partner, &line, &start, &end, &release, &reason, &linkage); err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join([]string{partner, strconv.Itoa(line), start, end, release, reason, linkage}, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		// The workbook's BSNs fail the elfproef: linked by surname + birth date.
		"Huis|2|2024-01-15|2024-06-30|2024-01-10||fallback",
		"Huis|4|2024-03-01||2024-02-28||fallback",
		"Huis|5|2024-05-06|2024-11-04|||fallback",
		"Nazorg|2|2024-01-15|2024-06-30||regulier beëindigd|bsn",
		"Nazorg|3|2024-03-01|||" + "|bsn",
		"Nazorg|4|2024-12-31|||vertrokken naar Curaçao|fallback",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("trajectories:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var encodings string
	if err := db.DB().QueryRow(`SELECT string_agg(partner || ':' || format || ':' || COALESCE(encoding, '') || ':' || COALESCE(delimiter, ''), ',' ORDER BY partner)
		FROM source_file`).Scan(&encodings); err != nil {
		t.Fatal(err)
	}
	if encodings != "Huis:xlsx::,Nazorg:csv:windows-1252:;" {
		t.Errorf("source files read as %q", encodings)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM quarantine WHERE rule = 'date_invalid'`); n != 2 {
		t.Errorf("%d date_invalid quarantine records, want 2", n)
	}
}
