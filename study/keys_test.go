package study

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// demoStudy is the demo study file; ingest/synth writes it and its test
// keeps testdata/demo/study.yaml equal to ingest/synth/study.yaml.
const demoStudy = "../testdata/demo/study.yaml"

// TestEveryKeyIsDocumented holds study.md and the demo study file to the
// loader: every key the loader accepts (KeyPaths, read from rawStudy's yaml
// tags) has a row in study.md, and a comment in the demo file: on its line
// or directly above its first use, or, for a key the demo does not use, a
// commented-out "key:" line.
func TestEveryKeyIsDocumented(t *testing.T) {
	md, err := os.ReadFile("study.md")
	if err != nil {
		t.Fatal(err)
	}
	demo, err := os.ReadFile(demoStudy)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(demo), "\n")
	used := demoKeyLines(t, demo)
	keys := KeyPaths()
	if len(keys) < 50 {
		t.Fatalf("KeyPaths found only %d keys", len(keys))
	}
	for _, k := range keys {
		if !strings.Contains(string(md), "`"+k+"`") {
			t.Errorf("study.md does not document %s: add a row with `%s`", k, k)
		}
		leaf := k[strings.LastIndexAny(k, ".]")+1:]
		if line, ok := used[k]; ok {
			if !commented(lines, line) {
				t.Errorf("%s:%d: %s has no comment (on its line or directly above)", demoStudy, line, k)
			}
			continue
		}
		example := regexp.MustCompile(`^\s*#.*\b` + regexp.QuoteMeta(leaf) + `:`)
		found := false
		for _, l := range lines {
			if example.MatchString(l) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: %s is not used and not shown in a comment (add a line '# %s: …' explaining it)", demoStudy, k, leaf)
		}
	}
}

// commented says whether the key at line (1-based) has a comment on its
// line or a comment line directly above it.
func commented(lines []string, line int) bool {
	l := lines[line-1]
	if i := strings.Index(l, " #"); i >= 0 && strings.Count(l[:i], `"`)%2 == 0 {
		return true
	}
	return line >= 2 && strings.HasPrefix(strings.TrimSpace(lines[line-2]), "#")
}

// demoKeyLines maps each key path (as KeyPaths writes it) to the line of
// its first use in the demo file.
func demoKeyLines(t *testing.T, data []byte) map[string]int {
	f, err := parser.ParseBytes(data, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	var walk func(n ast.Node, path string)
	walk = func(n ast.Node, path string) {
		switch v := n.(type) {
		case *ast.MappingNode:
			for _, mv := range v.Values {
				walk(mv, path)
			}
		case *ast.MappingValueNode:
			name := v.Key.GetToken().Value
			p := join(path, name)
			if _, ok := out[p]; !ok {
				out[p] = v.Key.GetToken().Position.Line
			}
			walk(v.Value, p)
		case *ast.SequenceNode:
			for _, e := range v.Values {
				walk(e, path+"[]")
			}
		case *ast.AnchorNode:
			walk(v.Value, path)
		}
	}
	for _, d := range f.Docs {
		walk(d.Body, "")
	}
	return out
}
