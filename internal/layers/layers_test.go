package layers

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// left, in a may list, stands for every package in a column to the left.
const left = "<any package to its left>"

// A place is a module package's column in the stage order and the module
// packages it may import. Every rule holds for the package's non-test .go
// files; tests may import what they need (but no cycle, which the compiler
// refuses anyway).
type place struct {
	// pkg is the import path relative to the module; "." is the root
	// package.
	pkg string
	// col is the package's column, left to right. A package imports only
	// packages in columns to its left: never one in its own column, never
	// one to its right.
	col int
	// may lists the module packages the package may import, besides the
	// shared packages of column 0; []string{left} allows every package to
	// its left. Empty: only the shared packages.
	may []string
	// isolated: not even the shared packages; standard library and the
	// dependency table's modules only.
	isolated bool
	// testOnly: a test helper. No non-test file imports it.
	testOnly bool
	why      string
}

// places is the picture of the README's "Layout", left to right. Packages
// listed here that do not exist yet are checked once they appear; a module
// package that is not listed fails the test until it is placed.
var places = []place{
	{pkg: "internal/bsn", col: 0, isolated: true,
		why: "shared: BSN arithmetic (elfproef, synthetic numbers), for pseudonymise and ingest/synth"},
	{pkg: "internal/names", col: 0, isolated: true,
		why: "shared: surname normalisation for fallback keys, for pseudonymise and ingest/synth"},
	{pkg: "internal/outdir", col: 0, isolated: true,
		why: "shared: the output-folder transaction (staging, lock, commit) and its error type, for every stage that writes files; standard library and x/sys only"},
	{pkg: "internal/progress", col: 0, isolated: true,
		why: "shared: progress bars on a terminal (mpb), for the command"},
	{pkg: "internal/sqldoc", col: 0, isolated: true,
		why: "shared: the DDL comments as COMMENT ON statements, for store and analyses; standard library only"},
	{pkg: "internal/suggest", col: 0, isolated: true,
		why: "shared: the nearest known name for did-you-mean hints"},
	{pkg: "internal/version", col: 0, isolated: true,
		why: "shared: tool version, build commit and command line for the provenance"},
	{pkg: "study", col: 1,
		why: "the study definition, read by every stage; it reads no stage"},
	{pkg: "ingest/synth", col: 2, may: []string{"study"},
		why: "writes the exports that ingest reads, so it sits left of ingest and imports no stage"},
	{pkg: "ingest/parse", col: 3, may: []string{"study"},
		why: "value-free parsing of Dutch dates and numbers"},
	{pkg: "ingest/source", col: 4, may: []string{"study", "ingest/parse"},
		why: "reads export files (CSV, XLSX, Parquet) into records"},
	{pkg: "ingest", col: 5, may: []string{"study", "ingest/parse", "ingest/source"},
		why: "maps and validates rows into raw batches, which still hold identifiers"},
	{pkg: "pseudonymise", col: 6, may: []string{"study", "ingest"},
		why: "turns ingest's raw batches into batches without identifiers"},
	{pkg: "link", col: 7, isolated: true,
		why: "the Fellegi–Sunter model on the keyed encodings the store hands it, as plain values; standard library only"},
	{pkg: "internal/flow", col: 7, may: []string{"study", "ingest", "pseudonymise"},
		why: "streams one export: read, pseudonymise, hand to a sink"},
	{pkg: "store", col: 8, may: []string{"study", "ingest", "pseudonymise", "internal/flow", "link"},
		why: "the load stage: the DuckDB database"},
	{pkg: "store/storetest", col: 9, testOnly: true, may: []string{"study", "ingest", "pseudonymise", "internal/flow", "store"},
		why: "test helpers that open an in-memory store"},
	{pkg: "analyses/stats/rref", col: 10, testOnly: true, isolated: true,
		why: "reads the R reference fixtures of the statistics tests"},
	{pkg: "analyses/stats", col: 11,
		why: "the statistics, on plain Go values; standard library and gonum"},
	{pkg: "analyses", col: 12, may: []string{"study", "analyses/stats"},
		why: "outcome SQL and result tables; it reads the database through the *sql.DB it is given, not through store"},
	{pkg: "reports/third_party/echarts", col: 13, isolated: true,
		why: "the vendored ECharts script, embedded"},
	{pkg: "reports", col: 14, may: []string{"study", "analyses", "reports/third_party/echarts"},
		why: "the report from analyses' results; never the database or an earlier stage"},
	{pkg: "reports/browsertest", col: 15, testOnly: true,
		why: "drives Chromium to check reports in tests"},
	{pkg: "internal/attack", col: 15, testOnly: true, isolated: true,
		why: "the attacker of the disclosure tests: reads a report's published tables only, standard library and gonum's LP solver"},
	{pkg: ".", col: 16, isolated: true,
		why: "the root package: the embedded demo study, for the command"},
	{pkg: "internal/observe", col: 17, may: []string{"internal/flow"},
		why: "the run observer contract, with the kill test's pause hook"},
	{pkg: "internal/summary", col: 17, may: []string{"study", "ingest", "internal/flow", "analyses"},
		why: "the plain-text accounts the commands print, from flow results"},
	{pkg: "internal/bench", col: 18, may: []string{left},
		why: "the benchmark harness drives whole runs"},
	{pkg: "cmd/outcomes", col: 19, may: []string{left},
		why: "the command wires every stage; nothing imports it"},
	{pkg: "internal/layers", col: 20, isolated: true,
		why: "holds only this test"},
}

// A dep is a module outside the standard library and the packages that may
// import it. Every module the code imports needs a row.
type dep struct {
	module string
	in     []string
	why    string
}

var deps = []dep{
	{"github.com/apache/arrow-go/v18", []string{"ingest", "ingest/source", "pseudonymise", "internal/flow", "store", "cmd/outcomes"},
		"Arrow batches travel from ingest through pseudonymise into the store (Parquet exports via pqarrow in ingest/source); analyses and reports read the database"},
	{"github.com/duckdb/duckdb-go/v2", []string{"store"},
		"the DuckDB driver in the one package that holds the database"},
	{"github.com/go-echarts/go-echarts/v2", []string{"reports"},
		"chart options for the report"},
	{"github.com/goccy/go-yaml", []string{"study"},
		"the study file, with positions for every error"},
	{"github.com/xuri/excelize/v2", []string{"ingest/source", "reports"},
		"one package per direction: ingest/source reads XLSX exports, reports writes tables.xlsx"},
	{"github.com/vbauerster/mpb/v8", []string{"internal/progress"},
		"progress bars, drawn only when stderr is a terminal, in the one package that draws them"},
	{"github.com/spf13/pflag", []string{"cmd/outcomes"},
		"command-line flags, the command's alone"},
	{"github.com/creack/pty", []string{"cmd/outcomes"},
		"tests only: a real pseudo-terminal as stderr for the progress test"},
	{"gonum.org/v1/gonum", []string{"analyses/stats", "analyses", "internal/attack"},
		"distributions and fits in analyses/stats; analyses builds the design matrices (gonum/mat) it hands to the fits; the disclosure tests' attacker solves its linear programmes (optimize/convex/lp)"},
	{"github.com/chromedp/chromedp", []string{"reports/browsertest"},
		"tests only: drives the system Chromium"},
	{"github.com/chromedp/cdproto", []string{"reports/browsertest"},
		"tests only: chromedp's protocol types"},
	{"golang.org/x/text", []string{"ingest/source", "ingest/synth", "internal/names"},
		"Windows-1252 exports (read in ingest/source, written by ingest/synth) and diacritics removal in surname normalisation"},
	{"golang.org/x/sys", []string{"internal/outdir"},
		"the output-folder lock on Windows (LockFileEx; Unix uses syscall.Flock): internal/outdir/lock_windows.go"},
}

func TestLayering(t *testing.T) {
	root := moduleRoot(t)
	module, direct := readGoMod(t, filepath.Join(root, "go.mod"))
	imports := moduleImports(t, root, module)
	if len(imports) == 0 {
		t.Fatal("found no Go package under " + root)
	}
	for _, v := range check(imports, module) {
		t.Error(v)
	}
	for _, v := range checkGoMod(direct) {
		t.Error(v)
	}
}

// TestTables checks the tables themselves: unique packages, columns in
// order, may lists naming placed packages to the left.
func TestTables(t *testing.T) {
	byPkg := map[string]place{}
	for i, p := range places {
		if _, dup := byPkg[p.pkg]; dup {
			t.Errorf("%s is placed twice", p.pkg)
		}
		byPkg[p.pkg] = p
		if i > 0 && p.col < places[i-1].col {
			t.Errorf("%s (column %d) is listed after %s (column %d)", p.pkg, p.col, places[i-1].pkg, places[i-1].col)
		}
		if p.why == "" {
			t.Errorf("%s has no reason", p.pkg)
		}
		if p.isolated && len(p.may) > 0 {
			t.Errorf("%s is isolated but has a may list", p.pkg)
		}
	}
	for _, p := range places {
		for _, m := range p.may {
			if m == left {
				continue
			}
			q, ok := byPkg[m]
			switch {
			case !ok:
				t.Errorf("%s may import %s, which is not placed", p.pkg, m)
			case q.col >= p.col:
				t.Errorf("%s may import %s, which is not to its left", p.pkg, m)
			case q.col == 0:
				t.Errorf("%s lists %s, a shared package (always allowed)", p.pkg, m)
			}
		}
	}
	seen := map[string]bool{}
	for _, d := range deps {
		if seen[d.module] {
			t.Errorf("module %s has two rows", d.module)
		}
		seen[d.module] = true
		for _, in := range d.in {
			if _, ok := byPkg[in]; !ok {
				t.Errorf("module %s is allowed in %s, which is not placed", d.module, in)
			}
		}
	}
}

// check returns one line per broken rule, "pkg imports X: rule", sorted.
// imports maps each module package (relative path, "." for the root) to
// its imports (module packages relative, others in full) and the file that
// has each.
func check(imports map[string]map[string]string, module string) []string {
	byPkg := map[string]place{}
	for _, p := range places {
		byPkg[p.pkg] = p
	}
	var out []string
	for pkg, imps := range imports {
		p, placed := byPkg[pkg]
		if !placed {
			out = append(out, fmt.Sprintf("%s: not in the layering table: place it in internal/layers/layers_test.go (column and allowed imports, with the reason)", pkg))
		}
		for imp, file := range imps {
			var rule string
			if rel, ok := moduleRel(imp, module); ok {
				rule = checkModuleImport(p, placed, rel, byPkg)
				imp = rel
			} else if !isStd(imp) {
				rule = checkDep(pkg, imp)
			}
			if rule != "" {
				out = append(out, fmt.Sprintf("%s imports %s: %s (%s)", pkg, imp, rule, file))
			}
		}
	}
	slices.Sort(out)
	return out
}

// checkModuleImport returns the rule that p importing the module package
// rel breaks, or "". placed is false when p is not in the table (reported
// once on its own; its imports are still checked against their places).
func checkModuleImport(p place, placed bool, rel string, byPkg map[string]place) string {
	q, ok := byPkg[rel]
	switch {
	case !ok:
		return rel + " is not in the layering table"
	case q.testOnly && !(placed && p.testOnly):
		return rel + " is a test helper (" + q.why + "); only _test.go files and other test helpers import it"
	case !placed:
		return ""
	case p.isolated:
		return p.pkg + " imports no module package (" + p.why + ")"
	case q.col == p.col:
		return rel + " is in the same column as " + p.pkg + "; a package imports only packages to its left"
	case q.col > p.col:
		return rel + " is to the right of " + p.pkg + " in the stage order; a package imports only packages to its left"
	case q.col == 0, slices.Contains(p.may, left), slices.Contains(p.may, rel):
		return ""
	}
	allowed := "the shared packages"
	if len(p.may) > 0 {
		allowed = strings.Join(p.may, ", ") + " and the shared packages"
	}
	return p.pkg + " may import only " + allowed + " (" + p.why + ")"
}

// checkDep returns the rule that pkg importing the non-standard package imp
// breaks, or "".
func checkDep(pkg, imp string) string {
	var best *dep
	for i, d := range deps {
		if (imp == d.module || strings.HasPrefix(imp, d.module+"/")) && (best == nil || len(d.module) > len(best.module)) {
			best = &deps[i]
		}
	}
	switch {
	case best == nil:
		return "its module is not in the dependency table: add a row to deps in internal/layers/layers_test.go and to the README's Dependencies"
	case slices.Contains(best.in, pkg):
		return ""
	}
	return best.module + " only in " + strings.Join(best.in, ", ") + " (" + best.why + ")"
}

// checkGoMod returns a line for every direct requirement of go.mod without
// a row in deps, and every row that go.mod does not require.
func checkGoMod(direct []string) []string {
	var out []string
	for _, m := range direct {
		if !slices.ContainsFunc(deps, func(d dep) bool { return d.module == m }) {
			out = append(out, "go.mod requires "+m+": not in the dependency table")
		}
	}
	for _, d := range deps {
		if !slices.Contains(direct, d.module) {
			out = append(out, "dependency table lists "+d.module+": not a direct requirement in go.mod")
		}
	}
	return out
}

func isStd(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".")
}

// moduleRel returns imp relative to the module ("." for the root) and
// whether imp is a module package.
func moduleRel(imp, module string) (string, bool) {
	if imp == module {
		return ".", true
	}
	rel, ok := strings.CutPrefix(imp, module+"/")
	return rel, ok
}

// moduleImports parses the imports of every non-test .go file of the module
// at root, whatever its build constraints, as the go tool finds packages:
// it skips testdata, folders starting with "." or "_", vendor, and nested
// modules. It maps each package directory (relative, "." for the root) to
// its imports and the first file (slash-separated, relative) that has each.
func moduleImports(t *testing.T, root, module string) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p == root {
				return nil
			}
			if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") ||
			strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		pkg := path.Dir(rel)
		if out[pkg] == nil {
			out[pkg] = map[string]string{}
		}
		for _, s := range f.Imports {
			imp, err := strconv.Unquote(s.Path.Value)
			if err != nil {
				return fmt.Errorf("%s: import %s: %w", rel, s.Path.Value, err)
			}
			if _, seen := out[pkg][imp]; !seen {
				out[pkg][imp] = rel
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// moduleRoot returns the folder of the go.mod above the test's folder.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = up
	}
}

// readGoMod returns the module path and the direct requirements of go.mod.
func readGoMod(t *testing.T, file string) (module string, direct []string) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	inRequire := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "module "):
			module = strings.Trim(strings.TrimSpace(strings.TrimPrefix(line, "module ")), `"`)
		case line == "require (":
			inRequire = true
		case inRequire && line == ")":
			inRequire = false
		case inRequire || strings.HasPrefix(line, "require "):
			spec := strings.TrimPrefix(line, "require ")
			if fields := strings.Fields(spec); len(fields) >= 2 && !strings.Contains(spec, "// indirect") {
				direct = append(direct, fields[0])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if module == "" {
		t.Fatal(file + " has no module line")
	}
	return module, direct
}
