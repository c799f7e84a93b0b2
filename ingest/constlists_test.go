package ingest_test

// The typed constants with one list each (ingest.Rules): a
// constant added without being listed fails these tests instead of going
// missing from a report's legend or an error message. The constants are
// found by parsing the packages' source.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/ingest"
)

// TestRulesListsEveryRule checks that Rules holds every Rule constant
// declared in the package exactly once, that the names are unique stable
// snake_case words, and that each has a one-line description.
func TestRulesListsEveryRule(t *testing.T) {
	declared := declaredConsts(t, ".", "Rule")
	listed := map[ingest.Rule]int{}
	for _, r := range ingest.Rules() {
		listed[r]++
	}
	byValue := map[string]string{}
	for _, c := range declared {
		if other, dup := byValue[c.Value]; dup {
			t.Errorf("%s and %s are both %q", other, c.Name, c.Value)
		}
		byValue[c.Value] = c.Name
		if n := listed[ingest.Rule(c.Value)]; n != 1 {
			t.Errorf("%s (%q) is listed %d times in Rules, want once", c.Name, c.Value, n)
		}
	}
	if len(ingest.Rules()) != len(declared) {
		t.Errorf("Rules lists %d rules, %d are declared: %v", len(ingest.Rules()), len(declared), ingest.Rules())
	}
	name := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	for _, r := range ingest.Rules() {
		if !name.MatchString(string(r)) {
			t.Errorf("rule name %q is not snake_case", r)
		}
		if d := r.Description(); d == "" || strings.ContainsAny(d, "\n\r") || strings.HasSuffix(d, ".") {
			t.Errorf("rule %s: description %q is not one line without a final full stop", r, d)
		}
	}
	if d := ingest.Rule("no_such_rule").Description(); d != "" {
		t.Errorf("an unknown rule has the description %q", d)
	}
}

// typedConst is one constant declaration: its name and its string value.
type typedConst struct {
	Name, Value string
}

// declaredConsts returns the constants of type typeName declared in the non-test
// Go files of dir (a test's working directory is its package's folder, so
// "." is ingest and "source" is ingest/source), in source order. Each must be declared
// with the type and a string literal (Name Type = "value") or as a
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
