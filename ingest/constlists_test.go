package ingest_test

// The typed constants with one list each (ingest.Rules, source.Formats): a
// constant added without being listed fails these tests instead of going
// missing from a report's legend or an error message. The constants are
// found by parsing the packages' source.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/ingest/source"
	"github.com/outcomes-research/outcomes/study"
)

// TestRulesListsEveryRule checks that Rules holds every Rule constant
// declared in the package exactly once, that the names are unique
// snake_case words, and that each has a one-line description.
func TestRulesListsEveryRule(t *testing.T) {
	var names, descriptions []string
	for _, r := range ingest.Rules() {
		names = append(names, string(r))
		descriptions = append(descriptions, r.Description())
	}
	checkList(t, "Rules", declaredConsts(t, ".", "Rule"), names, descriptions)
	name := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	for _, r := range ingest.Rules() {
		if !name.MatchString(string(r)) {
			t.Errorf("rule name %q is not snake_case", r)
		}
	}
	if d := ingest.Rule("no_such_rule").Description(); d != "" {
		t.Errorf("an unknown rule has the description %q", d)
	}
}

// TestFormatsListsEveryFormat does the same for ingest/source's export
// formats, and checks that source.Open and the study file accept each
// listed name and refuse another.
func TestFormatsListsEveryFormat(t *testing.T) {
	var names, descriptions []string
	for _, f := range source.Formats() {
		names = append(names, string(f))
		descriptions = append(descriptions, f.Description())
	}
	checkList(t, "Formats", declaredConsts(t, "source", "Format"), names, descriptions)
	if want := []source.Format{source.FormatCSV, source.FormatXLSX, source.FormatParquet}; !slices.Equal(source.Formats(), want) {
		t.Errorf("Formats() = %v, want %v", source.Formats(), want)
	}
	if d := source.Format("json").Description(); d != "" {
		t.Errorf("an unknown format has the description %q", d)
	}
	missing := filepath.Join(t.TempDir(), "missing.export")
	for _, f := range source.Formats() {
		// A known format gets as far as opening the (missing) file.
		if _, err := source.Open(missing, source.Options{Format: f}); err == nil || strings.Contains(err.Error(), "unknown format") {
			t.Errorf("Open with format %s: %v, want an error about the missing file", f, err)
		}
	}
	if _, err := source.Open(missing, source.Options{Format: "json"}); err == nil || !strings.Contains(err.Error(), `unknown format "json": use csv, xlsx or parquet`) {
		t.Errorf("Open with format json: %v", err)
	}
	// The study file checks format names itself (package study sits left
	// of ingest/source and cannot import it): it accepts exactly these.
	for _, f := range append(source.Formats(), "json") {
		yaml := strings.Replace(fuzzStudy, "kind: trajectories", "kind: trajectories\n        format: "+string(f), 1)
		_, err := study.Parse(filepath.Join(t.TempDir(), "study.yaml"), []byte(yaml))
		if known := f != "json"; known && err != nil || !known && (err == nil || !strings.Contains(err.Error(), "format must be")) {
			t.Errorf("study file with format %s: %v", f, err)
		}
	}
}

// checkList checks a list (its names and their descriptions) against the
// constants declared: each declared once under a name of its own, listed
// exactly once, nothing listed that is not declared, and every description
// one line without a final full stop.
func checkList(t *testing.T, list string, declared []typedConst, names, descriptions []string) {
	t.Helper()
	byValue := map[string]string{}
	for _, c := range declared {
		if other, dup := byValue[c.Value]; dup {
			t.Errorf("%s and %s are both %q", other, c.Name, c.Value)
		}
		byValue[c.Value] = c.Name
		if n := countOf(names, c.Value); n != 1 {
			t.Errorf("%s (%q) is listed %d times in %s, want once", c.Name, c.Value, n, list)
		}
	}
	if len(names) != len(declared) {
		t.Errorf("%s lists %d names, %d constants are declared: %v", list, len(names), len(declared), names)
	}
	for i, d := range descriptions {
		if d == "" || strings.ContainsAny(d, "\n\r") || strings.HasSuffix(d, ".") {
			t.Errorf("%s: %s: description %q is not one line without a final full stop", list, names[i], d)
		}
	}
}

func countOf(names []string, name string) int {
	n := 0
	for _, x := range names {
		if x == name {
			n++
		}
	}
	return n
}

// typedConst is one constant declaration: its name and its string value.
type typedConst struct {
	Name, Value string
}

// declaredConsts returns the constants of type typeName declared in the
// non-test Go files of dir (a test runs in its package's folder, so "." is
// ingest and "source" is ingest/source), in source order. Each must be
// declared with the type and a string literal (Name Type = "value") or as a
// conversion (Name = Type("value")); any other declaration of a constant of
// that type (an implicit repetition in a const group, a computed value)
// fails the test, since its value could not be checked.
func declaredConsts(t testing.TB, dir, typeName string) []typedConst {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []typedConst
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			var groupType ast.Expr // the type an implicit repetition inherits
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if vs.Type != nil || len(vs.Values) > 0 {
					groupType = vs.Type
				}
				if len(vs.Values) == 0 {
					if isIdent(groupType, typeName) {
						t.Errorf("%s: %s repeats the previous %s constant's value implicitly; give it its own string literal", fset.Position(vs.Pos()), vs.Names[0].Name, typeName)
					}
					continue
				}
				for i, name := range vs.Names {
					v, typed := vs.Values[i], isIdent(vs.Type, typeName)
					if call, ok := v.(*ast.CallExpr); ok && vs.Type == nil && isIdent(call.Fun, typeName) && len(call.Args) == 1 {
						typed, v = true, call.Args[0]
					}
					if !typed {
						continue
					}
					lit, ok := v.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Errorf("%s: %s is not declared with a string literal", fset.Position(name.Pos()), name.Name)
						continue
					}
					s, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, typedConst{Name: name.Name, Value: s})
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no constants of type %s found in %s", typeName, dir)
	}
	return out
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
