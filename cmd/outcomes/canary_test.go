package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/store"
)

// The canary test seeds exports with known direct identifiers and checks
// that none of them, in any form it could take, is in anything the pipeline
// writes: the database file and the values of every column of every table,
// the report and its tables (CSV, XLSX unpacked), any other file in the
// output folder, the pseudonymised supplier export, and stdout and stderr.

// canaryPerson holds the identifiers of one synthetic person.
type canaryPerson struct {
	bsn, bsnAsWritten                        string
	surname, firstName, address, phone, mail string
	birth                                    time.Time
	sex, postcode                            string
}

func canaryPeople() []canaryPerson {
	// A BSN with a leading zero, written as 8 digits by the export.
	var zeroBSN string
	for n := uint32(1); zeroBSN == ""; n++ {
		if s := pseudonymise.SyntheticBSN(n); s[0] == '0' {
			zeroBSN = s
		}
	}
	b1 := pseudonymise.SyntheticBSN(4242)
	return []canaryPerson{
		{bsn: b1, bsnAsWritten: b1[:3] + "." + b1[3:6] + "." + b1[6:], surname: "Zwartkop-Verhoeven", firstName: "Theodorus",
			address: "Lindenlaan 27", phone: "06-12345678", mail: "t.zwartkop@example.nl",
			birth: time.Date(1983, 4, 17, 0, 0, 0, 0, time.UTC), sex: "M", postcode: "9876 XY"},
		{bsn: zeroBSN, bsnAsWritten: zeroBSN[1:], surname: "Çelik-Müller", firstName: "Zeynep",
			address: "Brinkweg 3a", phone: "+31 20 555 0199", mail: "zeynep.celik@example.org",
			birth: time.Date(1988, 2, 29, 0, 0, 0, 0, time.UTC), sex: "V", postcode: "1011 AB"},
		// Quarantined: a birth date that does not exist.
		{bsn: pseudonymise.SyntheticBSN(777), surname: "Quarantainius", firstName: "Hieronymus",
			address: "Slotgracht 101", phone: "0501234567", mail: "h.quarantainius@example.com",
			birth: time.Date(1979, 3, 3, 0, 0, 0, 0, time.UTC), sex: "M", postcode: "9712 GH"},
		// A BSN failing the elfproef, no surname: no identifier, quarantined.
		{bsn: "123456789", firstName: "Bartholomeus", address: "Zeedijk 55", phone: "0612987654",
			mail: "bart.q@example.com", birth: time.Date(1991, 11, 23, 0, 0, 0, 0, time.UTC), sex: "M", postcode: "1012 AV"},
		// A BSN failing the elfproef with surname and birth date: linked
		// by fallback key.
		{bsn: "987654321", surname: "Wolkenkrabber", firstName: "Gerritdina", address: "Molenpad 8", phone: "0598765432",
			mail: "g.wolkenkrabber@example.net", birth: time.Date(1975, 12, 31, 0, 0, 0, 0, time.UTC), sex: "V", postcode: "8011 CD"},
	}
}

// canaryForms lists every form in which an identifier of p could leak:
// as written and normalised, with case variants added by scanForCanaries.
func canaryForms(p canaryPerson) map[string]string {
	forms := map[string]string{}
	add := func(what string, vals ...string) {
		for _, v := range vals {
			if v != "" {
				forms[v] = what
			}
		}
	}
	add("BSN", p.bsn, p.bsnAsWritten, p.bsn[:3]+" "+p.bsn[3:6]+" "+p.bsn[6:], p.bsn[:3]+"."+p.bsn[3:6]+"."+p.bsn[6:])
	if p.surname != "" {
		add("surname", p.surname, pseudonymise.NormaliseSurname(p.surname))
		if k := pseudonymise.FallbackKey(nil, p.surname, p.birth, p.sex); k != nil {
			add("fallback key", string(k))
		}
	}
	add("first name", p.firstName)
	add("address", p.address)
	add("phone", p.phone, strings.NewReplacer("-", "", " ", "").Replace(p.phone))
	add("e-mail", p.mail)
	add("postcode", p.postcode, strings.ReplaceAll(p.postcode, " ", ""))
	b := p.birth
	add("birth date", b.Format("2006-01-02"), b.Format("02-01-2006"), b.Format("02012006"), b.Format("20060102"),
		b.Format("2-1-2006"), b.Format("02/01/2006"), b.Format("2006/01/02"), b.Format("02.01.2006"))
	return forms
}

// writeCanaryStudy writes a study whose exports carry the canary people.
// With broken set, the Nazorg export also has an unterminated quote, which
// stops the run.
func writeCanaryStudy(t *testing.T, dir string, broken bool) {
	t.Helper()
	ps := canaryPeople()
	d := func(p canaryPerson, layout string) string { return p.birth.Format(layout) }
	var nazorg strings.Builder
	nazorg.WriteString("BSN;Achternaam;Voornaam;Geboortedatum;Geslacht;Adres;Postcode;Telefoon;Email;Programma;Start;Einde;Vrij;Reden\n")
	row := func(p canaryPerson, birth string) {
		fmt.Fprintf(&nazorg, "%s;%s;%s;%s;%s;%s;%s;%s;%s;AMB;01-02-2020;01-08-2020;01-03-2020;verhuisd naar %s\n",
			p.bsnAsWritten+map[bool]string{true: p.bsn}[p.bsnAsWritten == ""], p.surname, p.firstName, birth, p.sex,
			p.address, p.postcode, p.phone, p.mail, p.address)
	}
	row(ps[0], d(ps[0], "02-01-2006"))
	row(ps[1], d(ps[1], "02-01-2006"))
	row(ps[2], "31-02-1979") // quarantined: date_invalid
	row(ps[3], d(ps[3], "02-01-2006"))
	row(ps[4], d(ps[4], "02-01-2006"))
	// Wrong number of fields: quarantined (field_count) with its values.
	fmt.Fprintf(&nazorg, "%s;%s;%s;%s\n", ps[0].bsn, ps[0].surname, ps[0].mail, ps[0].phone)
	if broken {
		fmt.Fprintf(&nazorg, "%s;\"%s;%s;%s\n", ps[0].bsn, ps[0].surname, ps[0].address, ps[0].mail)
	}

	var justitie strings.Builder
	justitie.WriteString("bsn|geboortedatum|datum|delict\n")
	fmt.Fprintf(&justitie, "%s|%s|2021-06-01|mishandeling door %s %s\n", ps[0].bsn, d(ps[0], "2006-01-02"), ps[0].firstName, ps[0].surname)
	fmt.Fprintf(&justitie, "%s|%s|2022-01-09|diefstal\n", ps[1].bsn, d(ps[1], "2006-01-02"))
	fmt.Fprintf(&justitie, "%s|%s|2022-13-09|diefstal\n", ps[0].bsn, d(ps[0], "2006-01-02")) // date_invalid
	fmt.Fprintf(&justitie, "%s|%s|2022-02-09|diefstal\n", ps[3].bsn, d(ps[3], "2006-01-02")) // no_identifier

	// Opvang has no BSN; Windows-1252, d-m-yyyy dates.
	opvang := "naam;voornaam;geb;sekse;email;prog;in\n" +
		fmt.Sprintf("%s;%s;%s;%s;%s;OPV;2022-05-01\n", strings.ToUpper(ps[1].surname), ps[1].firstName, d(ps[1], "2-1-2006"), "vrouw", ps[1].mail) +
		fmt.Sprintf("%s;%s;%s;%s;%s;OPV;2022-05-01\n", ps[4].surname, ps[4].firstName, d(ps[4], "2-1-2006"), "v", ps[4].mail)
	opvang1252, err := charmap.Windows1252.NewEncoder().String(opvang)
	if err != nil {
		t.Fatal(err)
	}
	studyText := `study: canary
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
        identifiers: [Voornaam, Adres, Telefoon, Email]
        columns: {bsn: BSN, surname: Achternaam, birth_date: Geboortedatum, sex: Geslacht, postcode: Postcode,
                  programme: Programma, start: Start, end: Einde, release: Vrij, exit_reason: Reden}
  - name: Justitie
    files:
      - path: justitie.csv
        kind: events
        delimiter: "|"
        date_format: yyyy-mm-dd
        columns: {bsn: bsn, birth_date: geboortedatum, date: datum, category: delict}
        constants: {event_type: offence}
  - name: Opvang
    files:
      - path: opvang.csv
        kind: trajectories
        delimiter: ";"
        encoding: windows-1252
        date_format: d-m-yyyy
        identifiers: [voornaam, email]
        columns: {surname: naam, birth_date: geb, sex: sekse, programme: prog, start: in}
`
	studyText = strings.Replace(studyText, "date_format: d-m-yyyy", "", 1) // dates differ per column: detect
	for name, content := range map[string]string{
		"nazorg.csv": nazorg.String(), "justitie.csv": justitie.String(), "opvang.csv": opvang1252, "study.yaml": studyText,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// allCanaryForms collects the forms of every canary person.
func allCanaryForms() map[string]string {
	all := map[string]string{}
	for _, p := range canaryPeople() {
		for f, what := range canaryForms(p) {
			all[f] = what
		}
	}
	return all
}

// needles returns the byte strings to look for: each form, its upper- and
// lower-case variants, in UTF-8 and in Windows-1252.
func needles(forms map[string]string) map[string]string {
	out := map[string]string{}
	for f, what := range forms {
		for _, v := range []string{f, strings.ToUpper(f), strings.ToLower(f)} {
			out[v] = what
			if enc, err := charmap.Windows1252.NewEncoder().String(v); err == nil {
				out[enc] = what
			}
		}
	}
	return out
}

// findCanaries returns the kinds of canary (BSN, surname, ...) found in
// data. Text is also compared case-insensitively.
func findCanaries(data []byte, ns map[string]string) map[string]bool {
	var lower []byte
	if utf8.Valid(data) {
		lower = bytes.ToLower(data)
	}
	found := map[string]bool{}
	for n, what := range ns {
		if bytes.Contains(data, []byte(n)) || (lower != nil && bytes.Contains(lower, []byte(strings.ToLower(n)))) {
			found[what] = true
		}
	}
	return found
}

// scanBytes fails t for every kind of canary found in data, which came
// from where.
func scanBytes(t *testing.T, where string, data []byte, ns map[string]string) {
	t.Helper()
	for what := range findCanaries(data, ns) {
		t.Errorf("%s contains a %s canary", where, what)
	}
}

// scanTree scans every file under dir, unpacking zip containers (XLSX), and
// returns the number of files scanned.
func scanTree(t *testing.T, dir string, ns map[string]string) int {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		scanBytes(t, path, data, ns)
		if bytes.HasPrefix(data, []byte("PAR1")) {
			// Parquet pages may be compressed: read the values back.
			scanBytes(t, path+" (values)", parquetValues(t, path), ns)
		}
		if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Errorf("%s: %v", path, err)
				return nil
			}
			for _, zf := range zr.File {
				rc, err := zf.Open()
				if err != nil {
					t.Errorf("%s/%s: %v", path, zf.Name, err)
					continue
				}
				inner, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					t.Errorf("%s/%s: %v", path, zf.Name, err)
				}
				scanBytes(t, path+"/"+zf.Name, inner, ns)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// parquetValues returns every value of a Parquet file as text, read with
// an in-memory DuckDB.
func parquetValues(t *testing.T, path string) []byte {
	t.Helper()
	mem, err := store.Create(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	rows, err := mem.DB().Query("SELECT * FROM read_parquet(?)", path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			fmt.Fprintf(&out, "%v\n", v)
		}
	}
	return out.Bytes()
}

// scanDatabase reads every column of every table and view of the database
// as text (DuckDB compresses its file, so the byte scan alone cannot see
// inside it) and checks each distinct value for canaries.
func scanDatabase(t *testing.T, db *store.Store, ns map[string]string) (columns int, values []byte) {
	t.Helper()
	rows, err := db.DB().Query(`SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	var cols [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	var everything bytes.Buffer
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	for _, c := range cols {
		q := fmt.Sprintf("SELECT DISTINCT CAST(%s AS VARCHAR) FROM %s", quote(c[1]), quote(c[0]))
		vals, err := db.DB().Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var all bytes.Buffer
		for vals.Next() {
			var v *string
			if err := vals.Scan(&v); err != nil {
				t.Fatal(err)
			}
			if v != nil {
				all.WriteString(*v)
				all.WriteByte('\n')
			}
		}
		vals.Close()
		scanBytes(t, "database column "+c[0]+"."+c[1], all.Bytes(), ns)
		everything.Write(all.Bytes())
	}
	return len(cols), everything.Bytes()
}

func TestCanaries(t *testing.T) {
	ns := needles(allCanaryForms())
	key := newKeyFile(t)

	t.Run("the canaries are in the exports", func(t *testing.T) {
		// The scan must be able to see them where they are.
		dir := t.TempDir()
		writeCanaryStudy(t, dir, false)
		for _, tc := range []struct {
			file string
			want []string
		}{
			{"nazorg.csv", []string{"BSN", "surname", "first name", "address", "phone", "e-mail", "postcode", "birth date"}},
			{"justitie.csv", []string{"BSN", "surname", "first name", "birth date"}},
			{"opvang.csv", []string{"surname", "first name", "e-mail", "birth date"}},
		} {
			data, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			found := findCanaries(data, ns)
			for _, what := range tc.want {
				if !found[what] {
					t.Errorf("the scan does not find the %s canary in %s", what, tc.file)
				}
			}
		}
		// And the Windows-1252 surname as the export spells it.
		data, err := os.ReadFile(filepath.Join(dir, "opvang.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte(must1252(t, strings.ToUpper(canaryPeople()[1].surname)))) {
			t.Error("the Windows-1252 export does not hold the surname with diacritics")
		}
	})

	t.Run("the scan reads compressed Parquet values", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "x.parquet")
		mem, err := store.Create(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		q := fmt.Sprintf("COPY (SELECT '%s' AS s FROM range(100)) TO '%s' (FORMAT parquet, COMPRESSION zstd)", canaryPeople()[0].surname, path)
		if _, err := mem.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
		mem.Close()
		if !findCanaries(parquetValues(t, path), ns)["surname"] {
			t.Error("the surname written to Parquet is not found")
		}
	})

	t.Run("run", func(t *testing.T) {
		dir := t.TempDir()
		writeCanaryStudy(t, dir, false)
		out := filepath.Join(t.TempDir(), "results")
		code, stdout, stderr := runCLI(t, nil, "run", "--study", filepath.Join(dir, "study.yaml"), "--out", out, "--key-file", key)
		if code != exitOK {
			t.Fatalf("run exited %d: %s", code, stderr)
		}
		scanBytes(t, "stdout", []byte(stdout), ns)
		scanBytes(t, "stderr", []byte(stderr), ns)
		if n := scanTree(t, out, ns); n < 2 {
			t.Errorf("only %d output files scanned", n)
		}
		db := openDB(t, out)
		k, err := pseudonymise.KeyFromFile(key)
		if err != nil {
			t.Fatal(err)
		}
		// A positive control: the scan sees the pseudonym of the first
		// person's BSN in the database values.
		control := map[string]string{pseudonymise.NewHasher(k).Pseudonym(pseudonymise.DomainBSN, []byte(canaryPeople()[0].bsn)): "control"}
		if n, text := scanDatabase(t, db, ns); n < 20 {
			t.Errorf("only %d database columns scanned", n)
		} else if !findCanaries(text, control)["control"] {
			t.Error("the database scan does not see the first person's pseudonym")
		}
		// The run must have met the rows the test is about.
		for _, tc := range []struct {
			name, q string
			want    int
		}{
			{"quarantined for a bad date", "SELECT count(*) FROM quarantine WHERE rule = 'date_invalid'", 2},
			{"quarantined for the field count", "SELECT count(*) FROM quarantine WHERE rule = 'field_count'", 1},
			{"quarantined without identifier", "SELECT count(*) FROM quarantine WHERE rule = 'no_identifier'", 2},
			{"BSNs failing the elfproef counted", "SELECT CAST(sum(row_count) AS INTEGER) FROM bsn_rejected WHERE reason = 'fails_elfproef'", 3},
			{"persons", "SELECT count(*) FROM person", 3},
		} {
			if got := queryInt(t, db, tc.q); got != tc.want {
				t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
			}
		}
	})

	t.Run("run with probabilistic linkage", func(t *testing.T) {
		// The keyed encodings (record_encoding) and the linkage tables
		// (linkage_review's references among them) hold no canary either.
		dir := t.TempDir()
		writeCanaryStudy(t, dir, false)
		path := filepath.Join(dir, "study.yaml")
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text = append(text, "linkage:\n  probabilistic: {upper: 0.9, lower: 0.01, encode_all: true}\n"...)
		// The given name is read for its encoding: mapped, it must not
		// reach any output either.
		given := strings.NewReplacer("identifiers: [Voornaam, Adres", "identifiers: [Adres", "columns: {bsn: BSN,", "columns: {given_name: Voornaam, bsn: BSN,")
		if mapped := given.Replace(string(text)); strings.Count(mapped, "given_name: Voornaam") != 1 {
			t.Fatal("the canary study no longer has the Nazorg columns this test maps the given name in")
		} else {
			text = []byte(mapped)
		}
		if err := os.WriteFile(path, text, 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "results")
		code, stdout, stderr := runCLI(t, nil, "run", "--study", path, "--out", out, "--key-file", key)
		if code != exitOK {
			t.Fatalf("run exited %d: %s", code, stderr)
		}
		scanBytes(t, "stdout", []byte(stdout), ns)
		scanBytes(t, "stderr", []byte(stderr), ns)
		scanTree(t, out, ns)
		db := openDB(t, out)
		scanDatabase(t, db, ns)
		if n := queryInt(t, db, "SELECT count(*) FROM record_encoding WHERE surname IS NOT NULL"); n < 4 {
			t.Errorf("%d encoded rows, want every row with a surname", n)
		}
		if n := queryInt(t, db, "SELECT count(*) FROM linkage_run"); n != 1 {
			t.Errorf("%d linkage runs, want 1", n)
		}
		if n := queryInt(t, db, "SELECT count(*) FROM record_encoding WHERE given IS NOT NULL"); n < 3 {
			t.Errorf("%d rows with a given-name encoding, want every Nazorg row", n)
		}
	})

	t.Run("run stopped by a broken export", func(t *testing.T) {
		dir := t.TempDir()
		writeCanaryStudy(t, dir, true)
		out := filepath.Join(t.TempDir(), "results")
		code, stdout, stderr := runCLI(t, nil, "run", "--study", filepath.Join(dir, "study.yaml"), "--out", out, "--key-file", key)
		if code != exitInput {
			t.Fatalf("run exited %d, want %d: %s", code, exitInput, stderr)
		}
		scanBytes(t, "stdout", []byte(stdout), ns)
		scanBytes(t, "stderr", []byte(stderr), ns)
		if _, err := os.Stat(out); err == nil {
			scanTree(t, out, ns)
		}
	})

	t.Run("pseudonymise", func(t *testing.T) {
		dir := t.TempDir()
		writeCanaryStudy(t, dir, false)
		for _, partner := range []string{"Nazorg", "Justitie", "Opvang"} {
			out := filepath.Join(t.TempDir(), partner)
			code, stdout, stderr := runCLI(t, nil, "pseudonymise", "--study", filepath.Join(dir, "study.yaml"),
				"--partner", partner, "--out", out, "--key-file", key)
			if code != exitOK {
				t.Fatalf("pseudonymise %s exited %d: %s", partner, code, stderr)
			}
			scanBytes(t, partner+" stdout", []byte(stdout), ns)
			scanBytes(t, partner+" stderr", []byte(stderr), ns)
			if n := scanTree(t, out, ns); n < 3 {
				t.Errorf("%s: only %d output files scanned", partner, n)
			}
		}
	})
}

func must1252(t *testing.T, s string) string {
	t.Helper()
	enc, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return enc
}
