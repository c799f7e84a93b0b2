package synth

import (
	"bytes"
	"encoding/csv"
	"flag"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/outcomes-research/outcomes/internal/bsn"
)

var update = flag.Bool("update", false, "rewrite the committed demo data in testdata/demo")

// demoDir is the committed demo data, at the repository root.
const demoDir = "../../testdata/demo"

// readTree returns every regular file under dir by slash path.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func write(t testing.TB, cfg Config) (string, Truth) {
	t.Helper()
	dir := t.TempDir()
	truth, err := Write(dir, cfg)
	if err != nil {
		t.Fatalf("Write(%+v): %v", cfg, err)
	}
	return dir, truth
}

func TestDemoDataUpToDate(t *testing.T) {
	if *update {
		if _, err := Write(demoDir, DemoConfig()); err != nil {
			t.Fatal(err)
		}
	}
	dir, _ := write(t, DemoConfig())
	got, want := readTree(t, dir), readTree(t, demoDir)
	for _, name := range slices.Sorted(mapKeys(got)) {
		w, ok := want[name]
		switch {
		case !ok:
			t.Errorf("%s is not in %s; run go test ./ingest/synth -update", name, demoDir)
		case !bytes.Equal(got[name], w):
			t.Errorf("%s differs from the generator's output; run go test ./ingest/synth -update and review the diff", name)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s/%s is not written by the generator; remove it", demoDir, name)
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"demo", DemoConfig()},
		{"seed 7 scale 0.3", Config{Seed: 7, Scale: 0.3}},
		{"absolute sizes", Config{Seed: 2, Persons: 800, Events: 4000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, _ := write(t, tc.cfg)
			b, _ := write(t, tc.cfg)
			ta, tb := readTree(t, a), readTree(t, b)
			if len(ta) != len(tb) {
				t.Fatalf("%d files, then %d", len(ta), len(tb))
			}
			for name, data := range ta {
				if !bytes.Equal(data, tb[name]) {
					t.Errorf("%s differs between two runs", name)
				}
			}
		})
	}
	a, _ := write(t, Config{Seed: 1, Scale: 0.2})
	b, _ := write(t, Config{Seed: 2, Scale: 0.2})
	if bytes.Equal(readTree(t, a)["justitie/registraties.csv"], readTree(t, b)["justitie/registraties.csv"]) {
		t.Error("seeds 1 and 2 give the same justice export")
	}
}

// readExport reads an export as the study file describes it.
func readExport(t testing.TB, dir string, file int) (header []string, rows [][]string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filePaths[file]))
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader = bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))
	if file == fileNazorg {
		r = charmap.Windows1252.NewDecoder().Reader(r)
	}
	cr := csv.NewReader(r)
	cr.Comma = map[int]rune{fileNazorg: ';', fileStad: ',', fileRegio: '\t', fileJustitie: '|', fileRG: ',',
		fileZRM: ',', fileHouseholds: ',', fileFAMTraj: ',', fileRegister: ','}[file]
	all, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("reading %s: %v", filePaths[file], err)
	}
	return all[0], all[1:]
}

func TestBSNsPassElfproef(t *testing.T) {
	dir, truth := write(t, DemoConfig())
	bsnColumn := map[int]string{fileNazorg: "BSN", fileStad: "bsn", fileRegio: "BSN nummer", fileJustitie: "bsn"}
	wantInvalid := 0
	for _, q := range truth.Quarantine {
		if q.Rule == ruleNoIdentifier {
			wantInvalid += q.Count
		}
	}
	invalid, valid := 0, 0
	for file, col := range bsnColumn {
		header, rows := readExport(t, dir, file)
		c := slices.Index(header, col)
		for _, row := range rows {
			if row[c] == "" {
				continue
			}
			var d [9]byte
			if len(row[c]) != 9 || copy(d[:], row[c]) != 9 || !bsn.Valid(d) {
				invalid++
				continue
			}
			valid++
		}
	}
	if invalid != wantInvalid {
		t.Errorf("%d BSNs fail the elfproef, want %d (the no_identifier rows)", invalid, wantInvalid)
	}
	if valid < 5000 {
		t.Errorf("only %d valid BSNs", valid)
	}
}

// binomialTail returns P(X <= k) and P(X >= k) for X ~ Binomial(n, p).
func binomialTail(n, k int, p float64) (le, ge float64) {
	pmf := func(i int) float64 {
		lg := func(x int) float64 { v, _ := math.Lgamma(float64(x) + 1); return v }
		return math.Exp(lg(n) - lg(i) - lg(n-i) + float64(i)*math.Log(p) + float64(n-i)*math.Log1p(-p))
	}
	for i := 0; i <= n; i++ {
		if i <= k {
			le += pmf(i)
		}
		if i >= k {
			ge += pmf(i)
		}
	}
	return le, ge
}

// TestRealisedRates checks that the realised counts are what the true
// rates make likely: each count lies inside the central 99.9% of its
// binomial distribution (exact tails, 0.0005 each side). Every eligible
// person's event probability is the true rate by construction, so a
// failure means the generator's draws and the outcome definitions disagree.
func TestRealisedRates(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		_, truth := write(t, Config{Seed: seed, Scale: 1})
		for _, r := range truth.Rates {
			t.Run(r.Programme+"/"+r.Outcome+"/"+strconv.Itoa(r.WindowMonths)+"/seed"+strconv.Itoa(int(seed)), func(t *testing.T) {
				if r.Eligible < 30 {
					t.Fatalf("only %d eligible", r.Eligible)
				}
				le, ge := binomialTail(r.Eligible, r.Events, r.TrueRate)
				if le < 0.0005 || ge < 0.0005 {
					t.Errorf("%d events of %d eligible (%.3f) is implausible for a true rate %.2f: P(X<=k)=%.2g, P(X>=k)=%.2g",
						r.Events, r.Eligible, float64(r.Events)/float64(r.Eligible), r.TrueRate, le, ge)
				}
			})
		}
	}
}

func TestNamesAreWindows1252(t *testing.T) {
	enc := charmap.Windows1252.NewEncoder()
	for _, list := range [][]string{surnames, firstNamesM, firstNamesV, streets, cities} {
		for _, s := range list {
			if _, err := enc.String(s); err != nil {
				t.Errorf("%q cannot be written in Windows-1252", s)
			}
		}
	}
}

func TestWindows1252Export(t *testing.T) {
	dir, _ := write(t, DemoConfig())
	raw, err := os.ReadFile(filepath.Join(dir, filePaths[fileNazorg]))
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(raw) {
		t.Error("the Nazorg Noord export is valid UTF-8; it should be Windows-1252 with accented names")
	}
	if !bytes.Contains(raw, []byte("\r\n")) {
		t.Error("the Nazorg Noord export should have Windows (CRLF) line ends")
	}
	header, rows := readExport(t, dir, fileNazorg)
	c := slices.Index(header, "Achternaam")
	names := map[string]bool{}
	for _, row := range rows {
		names[row[c]] = true
	}
	for _, want := range []string{"Müller", "Çelik", "Öztürk", "Eén", "de Vries", "van der Berg"} {
		found := false
		for n := range names {
			if n == want || strings.Contains(n, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("decoded export has no surname %q", want)
		}
	}
}

func TestConfigs(t *testing.T) {
	for _, tc := range []struct {
		name        string
		cfg         Config
		persons     int // 0: do not check
		justiceRows int // valid rows; 0: do not check
	}{
		{"scale 0.1", Config{Seed: 1, Scale: 0.1}, 265, 0}, // 263 + the members of 2 FAM households
		{"absolute", Config{Seed: 5, Persons: 5000, Events: 30000}, 5000, 30000},
		{"tiny", Config{Seed: 5, Persons: 3}, 3, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, truth := write(t, tc.cfg)
			// Config.Persons and Events count rows on or before the
			// cut-off; the row after it is a person of its own.
			if tc.persons != 0 && truth.Persons-truth.AfterCutoff != tc.persons {
				t.Errorf("persons = %d (%d after the cut-off), want %d", truth.Persons, truth.AfterCutoff, tc.persons)
			}
			for i, f := range truth.Files {
				_, rows := readExport(t, dir, i)
				if len(rows) != f.Rows {
					t.Errorf("%s has %d rows, truth says %d", f.File, len(rows), f.Rows)
				}
			}
			bad := 0
			for _, q := range truth.Quarantine {
				if q.File == filePaths[fileJustitie] {
					bad += q.Count
				}
				for _, b := range badPlan {
					if filePaths[b.file] == q.File && b.rule == q.Rule && b.count != q.Count {
						t.Errorf("%s %s: %d bad rows, want %d", q.File, q.Rule, q.Count, b.count)
					}
				}
			}
			bad += truth.AfterCutoff
			if tc.justiceRows != 0 && truth.Files[fileJustitie].Rows-bad != tc.justiceRows {
				t.Errorf("%d valid justice rows on or before the cut-off, want %d", truth.Files[fileJustitie].Rows-bad, tc.justiceRows)
			}
		})
	}
	for _, cfg := range []Config{{}, {Scale: -1}, {Scale: math.NaN()}, {Persons: -1}, {Scale: 1, Events: -5}} {
		if _, err := Write(t.TempDir(), cfg); err == nil {
			t.Errorf("Write(%+v) succeeded; want an error", cfg)
		}
	}
}
