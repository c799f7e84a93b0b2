package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/study"
)

// The bad-input corpus: every folder testdata/cases/<name>/ is one
// end-to-end case (STYLE.md 14):
//
//	args       the command line, one line of space-separated words (lines
//	           starting with # are comments). Placeholders:
//	             {in}       the case's input/ folder, copied to a temp folder
//	             {out}      a fresh output folder (not yet created)
//	             {key}      a valid study key file, mode 0600
//	             {blocker}  an existing regular file (an output folder that
//	                        cannot be created)
//	             {readonly} an existing folder with mode 0555
//	input/     study.yaml and the exports
//	want.json  see caseWant
//
// The runner runs each case in-process and checks the exit code, the
// messages, that nothing panicked, that no national ID, surname or birth
// date from the inputs appears in any message, and for successful runs the
// quarantine counts in the database and the row accounting of every file.
const casesDir = "../../testdata/cases"

// caseWant is the expected outcome of a case (want.json).
type caseWant struct {
	// Exit is the expected exit code (required).
	Exit *int `json:"exit"`
	// Stderr and Stdout list substrings the output must contain.
	Stderr []string `json:"stderr"`
	Stdout []string `json:"stdout"`
	// Quarantine is file → rule → rows quarantined, for successful runs.
	// It is exact: a file or rule not listed must have no quarantined rows.
	Quarantine map[string]map[string]int `json:"quarantine"`
	// Loaded is file → rows loaded, for successful runs.
	Loaded map[string]int `json:"loaded"`
	// Env sets environment variables for the run; {keytext} is a valid key
	// as hex text.
	Env map[string]string `json:"env"`
	// Modes sets the permission bits (octal text) of input files, relative
	// to input/; git does not keep them. Files named *.key default to 0600.
	Modes map[string]string `json:"modes"`
	// Generate names an in-test generator (caseGenerators) that writes large
	// inputs into the input folder copy, so they are not committed.
	Generate string `json:"generate"`
	// Checks are queries on the database of a successful run, each
	// returning one integer.
	Checks []struct {
		SQL  string `json:"sql"`
		Want int    `json:"want"`
	} `json:"checks"`
	// Absent lists paths (with placeholders) that must not exist after
	// the run.
	Absent []string `json:"absent"`
	// SkipAsRoot skips the case when the tests run as root, whom file
	// permissions do not stop.
	SkipAsRoot bool `json:"skip_as_root"`
	// Note says what the case is about, for the reader.
	Note string `json:"note"`
	// NotStdout and NotStderr list substrings (input values that are no
	// national ID, surname or birth date: a postcode, a phone number) that
	// the output must not contain. NotInReport lists substrings that
	// report.html must not contain (raw markup of a hostile name).
	NotStdout   []string `json:"not_stdout"`
	NotStderr   []string `json:"not_stderr"`
	NotInReport []string `json:"not_in_report"`
	// Present lists paths (with placeholders) that must still exist after
	// the run: files of the researcher's own in the output folder.
	Present []string `json:"present"`
}

// A valid 32-byte study key for the cases, as hex text.
const caseKeyText = "3f1c9a7e52b04d88e6a1f0c7d2b3945a6e7f8091a2b3c4d5e6f708192a3b4c5d"

func TestCases(t *testing.T) {
	entries, err := os.ReadDir(casesDir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) { runCase(t, filepath.Join(casesDir, e.Name())) })
	}
	if n < 50 {
		t.Errorf("the corpus has %d cases, want at least 50", n)
	}
}

func runCase(t *testing.T, dir string) {
	var want caseWant
	data, err := os.ReadFile(filepath.Join(dir, "want.json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("want.json: %v", err)
	}
	if want.Exit == nil {
		t.Fatal("want.json: exit is required")
	}
	if want.SkipAsRoot && os.Geteuid() == 0 {
		t.Skip("file permissions do not stop root")
	}
	tmp := t.TempDir()
	in := filepath.Join(tmp, "input")
	if _, err := os.Stat(filepath.Join(dir, "input")); err == nil {
		if err := os.CopyFS(in, os.DirFS(filepath.Join(dir, "input"))); err != nil {
			t.Fatal(err)
		}
	} else if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	if want.Generate != "" {
		gen, ok := caseGenerators()[want.Generate]
		if !ok {
			t.Fatalf("want.json: unknown generator %q", want.Generate)
		}
		gen(t, in)
	}
	setModes(t, in, want.Modes)
	out := filepath.Join(tmp, "out")
	keyFile := filepath.Join(tmp, "study.key")
	if err := os.WriteFile(keyFile, []byte(caseKeyText+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	readonly := filepath.Join(tmp, "readonly")
	if err := os.Mkdir(readonly, 0o555); err != nil {
		t.Fatal(err)
	}
	blocker := filepath.Join(tmp, "blocker")
	if err := os.WriteFile(blocker, []byte("not a folder\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	expand := strings.NewReplacer("{in}", in, "{out}", out, "{key}", keyFile, "{blocker}", blocker, "{readonly}", readonly, "{keytext}", caseKeyText).Replace
	args := readArgs(t, filepath.Join(dir, "args"), expand)
	envVars := map[string]string{}
	for k, v := range want.Env {
		envVars[k] = expand(v)
	}

	existed := map[string]bool{}
	for _, name := range []string{databaseFile, reportFile} {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			existed[name] = true // put there by the case's generator
		}
	}
	code, stdout, stderr := runCLI(t, envVars, args...)
	t.Logf("exit %d, stderr:\n%s", code, clip(stderr))
	if code != *want.Exit {
		t.Errorf("exit code %d, want %d\nstderr:\n%s", code, *want.Exit, clip(stderr))
	}
	for _, s := range want.Stderr {
		if !strings.Contains(stderr, expand(s)) {
			t.Errorf("stderr lacks %q:\n%s", s, clip(stderr))
		}
	}
	for _, s := range want.Stdout {
		if !strings.Contains(stdout, expand(s)) {
			t.Errorf("stdout lacks %q:\n%s", s, clip(stdout))
		}
	}
	AssertNoPanic(t, stdout+stderr)
	for _, s := range want.NotStdout {
		if strings.Contains(stdout, s) {
			t.Errorf("stdout holds the input value %q:\n%s", s, clip(stdout))
		}
	}
	for _, s := range want.NotStderr {
		if strings.Contains(stderr, s) {
			t.Errorf("stderr holds the input value %q:\n%s", s, clip(stderr))
		}
	}
	for _, p := range want.Present {
		if _, err := os.Lstat(expand(p)); err != nil {
			t.Errorf("%s is gone after the run: %v", p, err)
		}
	}
	if len(want.NotInReport) > 0 {
		report, err := os.ReadFile(filepath.Join(out, reportFile))
		if err != nil {
			t.Errorf("reading the report: %v", err)
		}
		for _, s := range want.NotInReport {
			if strings.Contains(string(report), s) {
				t.Errorf("report.html holds %q", s)
			}
		}
	}
	for _, p := range want.Absent {
		if _, err := os.Lstat(expand(p)); err == nil {
			t.Errorf("%s exists after the run", p)
		}
	}
	secrets := inputSecrets(t, in)
	AssertNoSecrets(t, "stderr", stderr, secrets)
	AssertNoSecrets(t, "stdout", stdout, secrets)
	assertNoStaging(t, out)

	if code != exitOK {
		for _, name := range []string{databaseFile, reportFile} {
			if _, err := os.Stat(filepath.Join(out, name)); err == nil && !existed[name] {
				t.Errorf("a failed run left %s in the output folder", name)
			}
		}
		if want.Quarantine != nil || want.Loaded != nil {
			t.Error("want.json: quarantine and loaded counts need a successful run")
		}
		return
	}
	if args[0] != "run" && args[0] != "demo" {
		return
	}
	db, err := store.Open(context.Background(), filepath.Join(out, databaseFile), true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	AssertAccounting(t, db)
	if want.Quarantine != nil {
		got := quarantineCounts(t, db)
		if !equalCounts(got, want.Quarantine) {
			t.Errorf("quarantine counts\n got %v\nwant %v", got, want.Quarantine)
		}
	}
	for file, n := range want.Loaded {
		var loaded int
		err := db.DB().QueryRow(`SELECT rows_loaded FROM source_file WHERE file = ? AND run_id = (SELECT max(run_id) FROM run)
			ORDER BY file_id LIMIT 1`, file).Scan(&loaded)
		if err != nil {
			t.Errorf("%s: %v", file, err)
		} else if loaded != n {
			t.Errorf("%s: %d rows loaded, want %d", file, loaded, n)
		}
	}
	for _, c := range want.Checks {
		if got := queryInt(t, db, c.SQL); got != c.Want {
			t.Errorf("%s = %d, want %d", c.SQL, got, c.Want)
		}
	}
	if ids := nineDigitNumbers(t, in); len(ids) > 0 {
		assertNoIdentifiers(t, out, ids)
	}
	AssertNoSecretsInDB(t, db, secrets)
	assertNoSecretsInTextOutputs(t, out, secrets)
}

// AssertNoSecretsInDB fails if any text value in any table of db contains
// one of secrets (national IDs, surnames, birth dates of the inputs).
// Text values are read through SQL, so compression cannot hide them.
func AssertNoSecretsInDB(t testing.TB, db *store.Store, secrets map[string]string) {
	t.Helper()
	cols, err := db.DB().Query(`SELECT table_name, column_name FROM duckdb_columns()
		WHERE NOT internal AND schema_name = 'main' AND data_type = 'VARCHAR' ORDER BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	type col struct{ table, column string }
	var all []col
	for cols.Next() {
		var c col
		if err := cols.Scan(&c.table, &c.column); err != nil {
			t.Fatal(err)
		}
		all = append(all, c)
	}
	cols.Close()
	for _, c := range all {
		rows, err := db.DB().Query(fmt.Sprintf(`SELECT DISTINCT %q FROM %q WHERE %q IS NOT NULL`, c.column, c.table, c.column))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			lower := strings.ToLower(v)
			for s, kind := range secrets {
				if strings.Contains(lower, strings.ToLower(s)) {
					t.Errorf("column %s.%s holds a %s from the inputs", c.table, c.column, kind)
				}
			}
		}
		rows.Close()
	}
}

// assertNoSecretsInTextOutputs scans the report and the CSV tables.
func assertNoSecretsInTextOutputs(t testing.TB, out string, secrets map[string]string) {
	t.Helper()
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".html") || strings.HasSuffix(path, ".csv")) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		AssertNoSecrets(t, path, string(data), secrets)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readArgs reads an args file: the first line that is not blank or a
// comment, split on spaces, each word expanded.
func readArgs(t *testing.T, path string, expand func(string) string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		args := strings.Fields(line)
		for i := range args {
			args[i] = expand(args[i])
		}
		return args
	}
	t.Fatalf("%s: no command line", path)
	return nil
}

func setModes(t *testing.T, in string, modes map[string]string) {
	t.Helper()
	err := filepath.WalkDir(in, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".key") {
			return err
		}
		return os.Chmod(path, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range modes {
		mode, err := strconv.ParseUint(m, 8, 32)
		if err != nil {
			t.Fatalf("want.json: mode of %s: %v", name, err)
		}
		if err := os.Chmod(filepath.Join(in, name), fs.FileMode(mode)); err != nil {
			t.Fatal(err)
		}
	}
}

// caseGenerators write inputs too large to commit into a case's input
// folder copy.
func caseGenerators() map[string]func(t *testing.T, in string) {
	return map[string]func(t *testing.T, in string){
		// A trajectories export whose first row has a 50 MB surname.
		"field_50mb": func(t *testing.T, in string) {
			writeWithField(t, filepath.Join(in, "trajecten.csv"),
				"BSN;Achternaam;Geboortedatum;Geslacht;Programma;Startdatum;Einddatum;Ontslag\n666674401;", 50<<20,
				";12-03-1985;M;AMB-7D;01-02-2023;;01-02-2023\n432106601;de Vries;01-07-1990;V;AMB-7D;15-03-2023;;15-03-2023\n")
		},
		// An events export whose second row has a 900 kB category, under
		// the 1 MiB record limit.
		"long_line_900k": func(t *testing.T, in string) {
			writeWithField(t, filepath.Join(in, "registraties.csv"),
				"bsn,datum,categorie\n666674401,2023-10-01,diefstal\n197538800,2024-01-15,", 900<<10,
				"\n728403109,2024-03-03,vernieling\n259267508,2024-06-30,diefstal\n432106601,2022-01-01,overig\n")
		},
		// The trajectories export is a named pipe that no one writes: a
		// reader that opened it would wait forever.
		"fifo_export": func(t *testing.T, in string) {
			mkfifo(t, filepath.Join(in, "trajecten.csv"))
		},
		// The output folder already holds files of the researcher's own
		// (the generator writes beside the input copy, into {out}).
		"researcher_files_in_out": func(t *testing.T, in string) {
			out := filepath.Join(filepath.Dir(in), "out")
			for name, text := range map[string]string{"tables/mine.csv": "a;b\n1;2\n", "notes.txt": "notes\n"} {
				p := filepath.Join(out, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		},
		// The output folder holds a report.html that outcomes did not write.
		"foreign_report_in_out": func(t *testing.T, in string) {
			out := filepath.Join(filepath.Dir(in), "out")
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, reportFile), []byte("<p>my own report</p>\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		},
		// {out} holds the history of a run with another study key.
		"history_with_other_key": func(t *testing.T, in string) {
			other := filepath.Join(filepath.Dir(in), "other.key")
			if err := os.WriteFile(other, []byte(strings.Repeat("ab", 32)+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(filepath.Dir(in), "out")
			if code, _, stderr := runCLI(t, nil, "run", "--study", filepath.Join(in, "study.yaml"), "--out", out, "--key-file", other); code != exitOK {
				t.Fatalf("the earlier run: exit %d\n%s", code, stderr)
			}
		},
		// The study file grows past 1 MiB (a long comment at its end).
		"large_study": func(t *testing.T, in string) {
			f, err := os.OpenFile(filepath.Join(in, "study.yaml"), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteString("# " + strings.Repeat("x", 1100<<10) + "\n"); err != nil {
				t.Fatal(err)
			}
		},
		// The study file is a named pipe.
		"fifo_study": func(t *testing.T, in string) {
			mkfifo(t, filepath.Join(in, "pipe.yaml"))
		},
		// A workbook of about 130 kB whose shared strings unpack to more
		// than 128 MiB.
		"xlsx_bomb": func(t *testing.T, in string) {
			fh, err := os.Create(filepath.Join(in, "trajecten.xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			z := zip.NewWriter(fh)
			w, err := z.Create("xl/sharedStrings.xml")
			if err != nil {
				t.Fatal(err)
			}
			chunk := strings.Repeat("<si><t>Jansen</t></si>", 4096)
			for n := 0; n <= 130<<20; n += len(chunk) {
				io.WriteString(w, chunk)
			}
			if err := z.Close(); err != nil {
				t.Fatal(err)
			}
		},
		// The key file is a named pipe.
		"fifo_key": func(t *testing.T, in string) {
			mkfifo(t, filepath.Join(in, "fifo.key"))
		},
		// A justice export, plain ASCII for its first 70 KiB, then one row
		// with a truncated UTF-8 sequence and rows of valid UTF-8 after it.
		"late_broken_utf8": func(t *testing.T, in string) {
			var b strings.Builder
			b.WriteString("bsn,datum,categorie\n")
			for b.Len() < 70<<10 {
				b.WriteString("666674401,2023-10-01,diefstal\n")
			}
			b.WriteString("197538800,2024-01-15,gew\xc3ld\n728403109,2024-03-03,vernieling met schade aan café\n259267508,2024-06-30,inbraak in één woning\n")
			if err := os.WriteFile(filepath.Join(in, "registraties.csv"), []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		},
		// The same with a 1.5 MB category, over the record limit.
		"long_line_1500k": func(t *testing.T, in string) {
			writeWithField(t, filepath.Join(in, "registraties.csv"),
				"bsn,datum,categorie\n666674401,2023-10-01,diefstal\n197538800,2024-01-15,", 1500<<10,
				"\n728403109,2024-03-03,vernieling\n")
		},
	}
}

// writeWithField writes prefix, n letters and suffix to path, streaming.
func writeWithField(t *testing.T, path, prefix string, n int, suffix string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	w.WriteString(prefix)
	chunk := bytes.Repeat([]byte("abcdefghij"), 1<<12)
	for left := n; left > 0; left -= len(chunk) {
		w.Write(chunk[:min(left, len(chunk))])
	}
	w.WriteString(suffix)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// clip shortens long output in failure messages.
func clip(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "…"
	}
	return s
}

// AssertNoPanic fails if output shows a panic or a Go stack trace.
func AssertNoPanic(t testing.TB, output string) {
	t.Helper()
	for _, bad := range []string{"panic:", "goroutine ", "runtime error", ".go:"} {
		if strings.Contains(output, bad) {
			t.Errorf("output contains %q (a panic or stack trace):\n%s", bad, clip(output))
		}
	}
}

// AssertNoSecrets fails if text contains any of secrets (national IDs,
// surnames, birth dates from the inputs). It names the secret's kind, not
// the secret.
func AssertNoSecrets(t testing.TB, what, text string, secrets map[string]string) {
	t.Helper()
	lower := strings.ToLower(text)
	for s, kind := range secrets {
		if strings.Contains(lower, strings.ToLower(s)) {
			t.Errorf("%s contains a %s from the inputs:\n%s", what, kind, clip(text))
			return
		}
	}
}

var nineDigits = regexp.MustCompile(`\d{9}`)

// nineDigitNumbers collects every run of nine digits in the exports under
// in (the study file excluded).
func nineDigitNumbers(t testing.TB, in string) map[string]bool {
	t.Helper()
	found := map[string]bool{}
	walkExports(t, in, func(path string, data []byte) {
		for _, m := range nineDigits.FindAll(data, -1) {
			found[string(m)] = true
		}
	})
	return found
}

func walkExports(t testing.TB, in string, f func(path string, data []byte)) {
	t.Helper()
	err := filepath.WalkDir(in, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".key") {
			return err
		}
		if !d.Type().IsRegular() {
			return nil // a named pipe of a case: reading it would block
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f(path, data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// identityHeaders are export column names that hold surnames and birth
// dates in the corpus; the study file's mappings are added when it loads.
var identityHeaders = []string{"achternaam", "naam", "surname", "geboortedatum", "geb. datum", "birth_date"}

// inputSecrets collects what must never appear in a message: every
// nine-digit number in the exports, and every value of a surname or birth
// date column of a text export.
func inputSecrets(t testing.TB, in string) map[string]string {
	t.Helper()
	secrets := map[string]string{}
	for id := range nineDigitNumbers(t, in) {
		secrets[id] = "national ID"
	}
	headers := slices.Clone(identityHeaders)
	if st, err := study.Load(filepath.Join(in, "study.yaml")); err == nil {
		for _, p := range st.Partners {
			for _, f := range p.Files {
				for _, field := range []string{study.FieldSurname, study.FieldBirthDate} {
					if h, ok := f.Columns[field]; ok {
						headers = append(headers, strings.ToLower(h))
					}
				}
			}
		}
	}
	walkExports(t, in, func(path string, data []byte) {
		if !utf8Text(data) || len(data) > 10<<20 {
			return
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 2<<20)
		if !sc.Scan() {
			return
		}
		header := sc.Text()
		delim := detectDelimiter(header)
		r := csv.NewReader(bytes.NewReader(data))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = delim, -1, true
		rows, _ := r.ReadAll()
		if len(rows) == 0 {
			return
		}
		var cols []int
		for i, h := range rows[0] {
			if slices.Contains(headers, strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))) {
				cols = append(cols, i)
			}
		}
		for _, row := range rows[1:] {
			for _, c := range cols {
				if c < len(row) {
					if v := strings.TrimSpace(row[c]); len(v) >= 4 {
						secrets[v] = "surname or birth date"
					}
				}
			}
		}
	})
	return secrets
}

func utf8Text(data []byte) bool {
	return !bytes.ContainsRune(data, 0)
}

func detectDelimiter(header string) rune {
	best, n := ',', 0
	for _, d := range []rune{';', ',', '\t', '|'} {
		if c := strings.Count(header, string(d)); c > n {
			best, n = d, c
		}
	}
	return best
}

// assertNoStaging fails if a staging folder is left in the output folder.
func assertNoStaging(t testing.TB, out string) {
	t.Helper()
	entries, err := os.ReadDir(out)
	if err != nil {
		return // no output folder: nothing was left
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), outdir.StagingPrefix) {
			t.Errorf("the run left its staging folder %s", e.Name())
		}
	}
}

// AssertAccounting checks the row accounting of every export file of the
// newest run in db: rows_read = rows_loaded + rows_quarantined, the
// quarantine table holds rows_quarantined records for the file, and the
// canonical tables hold rows_loaded rows from it. Every end-to-end test
// calls it on the database it produced.
func AssertAccounting(t testing.TB, db *store.Store) {
	t.Helper()
	// Every table of loaded rows has file_id, line and person_id columns.
	var loaded []string
	tables, err := db.DB().Query(`SELECT table_name FROM duckdb_columns() WHERE NOT internal
		GROUP BY table_name HAVING count(*) FILTER (column_name IN ('file_id', 'line', 'person_id')) = 3
		ORDER BY table_name`)
	if err != nil {
		t.Fatalf("listing tables: %v", err)
	}
	for tables.Next() {
		var name string
		if err := tables.Scan(&name); err != nil {
			t.Fatal(err)
		}
		loaded = append(loaded, fmt.Sprintf("(SELECT count(*) FROM %q d WHERE d.file_id = s.file_id)", name))
	}
	if err := tables.Err(); err != nil || len(loaded) == 0 {
		t.Fatalf("no tables of loaded rows found (%v)", err)
	}
	rows, err := db.DB().Query(`
		SELECT s.file, s.rows_read, s.rows_loaded, s.rows_quarantined,
		       (SELECT count(*) FROM quarantine q WHERE q.file_id = s.file_id), ` + strings.Join(loaded, " + ") + `
		FROM source_file s WHERE s.run_id = (SELECT max(run_id) FROM run)
		ORDER BY s.file_id`)
	if err != nil {
		t.Fatalf("reading the row accounting: %v", err)
	}
	defer rows.Close()
	files := 0
	for rows.Next() {
		var file string
		var read, loaded, quarantined, qRecords, dataRows int
		if err := rows.Scan(&file, &read, &loaded, &quarantined, &qRecords, &dataRows); err != nil {
			t.Fatal(err)
		}
		files++
		if read != loaded+quarantined {
			t.Errorf("%s: %d rows read but %d loaded + %d quarantined", file, read, loaded, quarantined)
		}
		if qRecords != quarantined {
			t.Errorf("%s: %d quarantine records, source_file says %d rows quarantined", file, qRecords, quarantined)
		}
		if dataRows != loaded {
			t.Errorf("%s: %d rows in the canonical tables, source_file says %d loaded", file, dataRows, loaded)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Error("the newest run recorded no export files")
	}
}

// quarantineCounts reads file → rule → count of the newest run.
func quarantineCounts(t testing.TB, db *store.Store) map[string]map[string]int {
	t.Helper()
	rows, err := db.DB().Query(`SELECT s.file, q.rule, count(*) FROM quarantine q JOIN source_file s USING (file_id)
		WHERE s.run_id = (SELECT max(run_id) FROM run) GROUP BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]map[string]int{}
	for rows.Next() {
		var file, rule string
		var n int
		if err := rows.Scan(&file, &rule, &n); err != nil {
			t.Fatal(err)
		}
		if got[file] == nil {
			got[file] = map[string]int{}
		}
		got[file][rule] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

// equalCounts compares two file → rule → count maps, ignoring zeros.
func equalCounts(a, b map[string]map[string]int) bool {
	return fmt.Sprint(dropZeros(a)) == fmt.Sprint(dropZeros(b))
}

func dropZeros(m map[string]map[string]int) map[string]map[string]int {
	out := map[string]map[string]int{}
	for f, rules := range m {
		for r, n := range rules {
			if n != 0 {
				if out[f] == nil {
					out[f] = map[string]int{}
				}
				out[f][r] = n
			}
		}
	}
	return out
}

// recordingTB notes failures instead of failing, to test the assertions.
type recordingTB struct {
	testing.TB
	failed bool
}

func (r *recordingTB) Errorf(string, ...any) { r.failed = true }
func (r *recordingTB) Helper()               {}

// TestLeakScanners checks that the corpus's leak checks can fail: the
// secrets of a case are found, and a message holding one is caught.
func TestLeakScanners(t *testing.T) {
	secrets := inputSecrets(t, filepath.Join(casesDir, "valid_baseline", "input"))
	for _, want := range []string{"666674401", "024699706", "Jansen", "de Vries", "12-03-1985"} {
		if _, ok := secrets[want]; !ok {
			t.Errorf("the scanner misses %q", want)
		}
	}
	for _, msg := range []string{"trajecten.csv: line 3: JANSEN is not valid", "bsn 024699706", "born 12-03-1985"} {
		r := &recordingTB{TB: t}
		AssertNoSecrets(r, "stderr", msg, secrets)
		if !r.failed {
			t.Errorf("a leak in %q was not caught", msg)
		}
	}
	r := &recordingTB{TB: t}
	AssertNoSecrets(r, "stderr", "trajecten.csv: line 3, column 6: date_invalid", secrets)
	if r.failed {
		t.Error("a clean message was flagged")
	}
	r = &recordingTB{TB: t}
	AssertNoPanic(r, "panic: runtime error: index out of range\n\ngoroutine 1 [running]:")
	if !r.failed {
		t.Error("a panic was not caught")
	}
}

// mkfifo makes a named pipe at path, skipping the test where there are none.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	os.Remove(path)
	if err := mkfifoPath(path); err != nil {
		t.Skip("no named pipes here:", err)
	}
}
