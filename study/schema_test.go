package study

import (
	"errors"
	"strings"
	"testing"
)

// shapeBase is a valid study file in block style, so that keys sit at
// known lines: partners[0].files[0] starts on line 9, its kind on line 10.
const shapeBase = `study: t
cutoff: 2025-12-31
outcomes:
  transfer_days: 14
programmes:
  - code: P
    outcome: recidivism
partners:
  - name: N
    files:
      - path: t.csv
        kind: trajectories
        columns:
          bsn: bsn
          programme: p
          start: s
`

// parserJargon is text of the YAML library and of Go that a researcher
// must never see.
var parserJargon = []string{"unmarshal", "Go struct", "rawStudy", "raw", "!!str", "interface {}", "map[string]",
	"uint64", "int64", "float64", "[]string", "token", "mapping value", "non-map", "sequence", "already defined",
	"context", "struct field", "\n>", "^"}

func TestStudyFileErrors(t *testing.T) {
	replace := func(old, new string) string {
		if !strings.Contains(shapeBase, old) {
			t.Fatalf("bug in test: %q not in the base file", old)
		}
		return strings.Replace(shapeBase, old, new, 1)
	}
	tests := []struct {
		name string
		yaml string
		// want are the parts the message must hold, the first its
		// position and key ("study.yaml:4:18: outcomes.transfer_days: ").
		want []string
		// secret must not appear in the message.
		secret string
	}{
		// Syntax.
		{"unclosed list", replace("cutoff: 2025-12-31", "cutoff: [2025-12-31"), []string{"study.yaml:3:1: ", "list in brackets is not closed"}, ""},
		{"unclosed quote", replace("study: t", `study: "t`), []string{"study.yaml:1:8: ", "quoted value is not closed"}, ""},
		{"bad indentation", replace("study: t\ncutoff", "study: t\n  cutoff"), []string{"study.yaml:1:8: ", "indentation"}, ""},
		{"tab indentation", replace("  transfer_days: 14", "\ttransfer_days: 14"), []string{"study.yaml:4:1: ", "indented with a tab", "spaces only"}, ""},
		{"tab after spaces", replace("        kind: trajectories", "      \t  kind: trajectories"), []string{"study.yaml:12:7: ", "tab"}, ""},
		{"second document", shapeBase + "---\nstudy: u\n", []string{"study.yaml:18:1: ", "one YAML document"}, ""},
		{"a list instead of keys", "- a\n- b\n", []string{"study.yaml:1:1: ", "a study file is a set of keys with values", "found a list"}, ""},
		// Wrong type, at several depths; the value is never repeated.
		{"text for a number", replace("transfer_days: 14", "transfer_days: Jansen"),
			[]string{"study.yaml:4:18: outcomes.transfer_days: ", "expected a whole number, found text"}, "Jansen"},
		{"list for a number", replace("transfer_days: 14", "transfer_days: [14]"),
			[]string{"study.yaml:4:18: outcomes.transfer_days: ", "expected a whole number, found a list"}, ""},
		{"number for true or false", "demo: 123456782\n" + shapeBase,
			[]string{"study.yaml:1:7: demo: ", "expected true or false, found a whole number"}, "123456782"},
		{"yes for true or false", replace("study: t", "study: t\ndemo: yes"),
			[]string{"study.yaml:2:7: demo: ", "expected true or false, found text"}, ""},
		{"fraction for a whole number", "min_cell: 9.9\n" + shapeBase,
			[]string{"study.yaml:1:11: min_cell: ", "expected a whole number, found a number with a decimal point"}, "9.9"},
		{"text in a list of numbers", replace("  transfer_days: 14", "  transfer_days: 14\n  inflow_windows: [12, 1989-03-04]"),
			[]string{"study.yaml:5:24: outcomes.inflow_windows[1]: ", "expected a whole number, found text"}, "1989"},
		{"text for a list", replace("        kind: trajectories", "        kind: trajectories\n        identifiers: Voornaam"),
			[]string{"study.yaml:13:22: partners[0].files[0].identifiers: ", "expected a list of texts"}, "Voornaam"},
		{"list for text, deep", replace("      - path: t.csv", "      - path: [t.csv]"),
			[]string{"study.yaml:11:15: partners[0].files[0].path: ", "expected text, found a list"}, "t.csv"},
		{"list in a map of texts", replace("          bsn: bsn", "          bsn: [Burgerservicenummer]"),
			[]string{"study.yaml:14:16: partners[0].files[0].columns.bsn: ", "expected text, found a list"}, "Burgerservicenummer"},
		{"text for keys", replace("outcomes:\n  transfer_days: 14", "outcomes: none"),
			[]string{"study.yaml:3:11: outcomes: ", "expected keys with values (recidivism_windows,"}, ""},
		{"text for a list of entries", replace("programmes:\n  - code: P\n    outcome: recidivism", "programmes: P"),
			[]string{"study.yaml:5:13: programmes: ", "expected a list of entries with the keys code, name, outcome"}, ""},
		// Unknown keys, at several depths, with the nearest key and the
		// keys allowed there.
		{"unknown key at the top", replace("cutoff:", "cutof:"),
			[]string{"study.yaml:2:1: cutof: ", "unknown key; did you mean cutoff?", "The keys at the top of the study file are: study, demo, cutoff,"}, ""},
		{"unknown key in outcomes", replace("transfer_days", "transfer_day"),
			[]string{"study.yaml:4:3: outcomes.transfer_day: ", "did you mean transfer_days?", "The keys under outcomes are: "}, ""},
		{"unknown key in a file", replace("        kind: trajectories", "        kind: trajectories\n        delimter: \";\""),
			[]string{"study.yaml:13:9: partners[0].files[0].delimter: ", "did you mean delimiter?", "The keys under partners[0].files[0] are: path, kind,"}, ""},
		{"unknown key without a near one", replace("    outcome: recidivism", "    outcome: recidivism\n    colour: blue"),
			[]string{"study.yaml:8:5: programmes[0].colour: ", "unknown key. The keys under programmes[0] are: code, name,"}, ""},
		{"a value where a key goes", replace("  - name: N", "  - name: N\n    123456782: x"),
			[]string{"study.yaml:10:5: partners[0]: ", "unknown key (not repeated here"}, "123456782"},
		// Duplicate keys.
		{"duplicate at the top", replace("cutoff: 2025-12-31", "cutoff: 2025-12-31\ncutoff: 2024-12-31"),
			[]string{"study.yaml:3:1: cutoff: ", "given twice (first at line 2, column 1); keep one"}, ""},
		{"duplicate in a programme", replace("    outcome: recidivism", "    outcome: recidivism\n    outcome: family"),
			[]string{"study.yaml:8:5: programmes[0].outcome: ", "given twice (first at line 7, column 5)"}, ""},
		{"duplicate column", replace("          start: s", "          start: s\n          bsn: nummer"),
			[]string{"study.yaml:17:11: partners[0].files[0].columns.bsn: ", "given twice (first at line 14, column 11)"}, ""},
		{"duplicate through a merge key", strings.Replace(shapeBase, "        columns:\n", "        columns: &c\n", 1) +
			"      - path: u.csv\n        kind: trajectories\n        columns:\n          <<: *c\n          bsn: nummer\n",
			[]string{"study.yaml:21:11: partners[0].files[1].columns.bsn: ", "given twice (first at line 14, column 11)"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("study.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error does not match ErrInvalid: %v", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.want[0]) {
				t.Errorf("message %q\ndoes not start with %q", msg, tc.want[0])
			}
			for _, w := range tc.want[1:] {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q\ndoes not hold %q", msg, w)
				}
			}
			for _, j := range parserJargon {
				if strings.Contains(msg, j) {
					t.Errorf("message %q\nholds parser jargon %q", msg, j)
				}
			}
			if tc.secret != "" && strings.Contains(msg, tc.secret) {
				t.Errorf("message %q\nrepeats the value %q", msg, tc.secret)
			}
		})
	}
	if _, err := Parse("study.yaml", []byte(shapeBase)); err != nil {
		t.Fatalf("the base file is refused: %v", err)
	}
}

// TestShapeAcceptsYAMLForms: the shape check does not refuse what the
// decoder reads: flow and block style, anchors and merge keys, empty
// values, numbers and booleans where text is due.
func TestShapeAcceptsYAMLForms(t *testing.T) {
	for name, y := range map[string]string{
		"flow style": "study: t\ncutoff: 2025-12-31\nprogrammes: [{code: P, outcome: recidivism}]\n" +
			"partners: [{name: N, files: [{path: t.csv, kind: trajectories, columns: {bsn: bsn, programme: p, start: s}}]}]\n",
		"number as text": strings.Replace(shapeBase, "code: P", "code: 123", 1),
		"empty values":   strings.Replace(shapeBase, "  transfer_days: 14", "  transfer_days:\n  recidivism_windows:", 1),
		"anchor, alias and merge": strings.Replace(shapeBase, "        columns:\n", "        columns: &c\n", 1) +
			"      - path: u.csv\n        kind: trajectories\n        columns:\n          <<: *c\n          end: e\n" +
			"      - {path: v.csv, kind: trajectories, columns: *c}\n",
		"numeric code keys": strings.Replace(shapeBase, "          start: s", "          start: s\n        codes:\n          programme: {1: P, 2: P}", 1),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse("study.yaml", []byte(y)); err != nil {
				t.Fatalf("refused: %v", err)
			}
		})
	}
}

// TestValueHints: a misspelt value gets the nearest allowed one; a value
// that does not look like a setting is not repeated.
func TestValueHints(t *testing.T) {
	for _, tc := range []struct{ name, old, new, want, secret string }{
		{"kind", "kind: trajectories", "kind: trajectries", "partners[0].files[0].kind: kind must be one of trajectories, events, assessments, households; did you mean trajectories?", ""},
		{"outcome", "outcome: recidivism", "outcome: recidivsm", "programmes[0].outcome: outcome must be recidivism, shelter_return, shelter_inflow or family; did you mean recidivism?", ""},
		{"field", "          start: s", "          strat: s", `partners[0].files[0].columns.strat: "strat" is not a field of trajectories exports; use one of`, ""},
		{"field that looks like a value", "          start: s", "          j.jansen@example.nl: s", "is not a field of trajectories exports", "jansen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("study.yaml", []byte(strings.Replace(shapeBase, tc.old, tc.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v\nwant %q", err, tc.want)
			}
			if tc.secret != "" && strings.Contains(err.Error(), tc.secret) {
				t.Errorf("message %q repeats the value", err)
			}
		})
	}
}
