package study

// YAML syntax errors in plain sentences. The YAML library's messages speak
// of tokens, contexts and Go types, and some quote the text they stopped
// at; a researcher gets instead the position and what to change, never the
// text of the file.

import (
	"bytes"
	"errors"
	"strings"

	"github.com/goccy/go-yaml"
)

// syntaxRules map words of the YAML library's syntax messages to what the
// researcher should change, first match wins.
var syntaxRules = []struct {
	any []string
	msg string
}{
	{[]string{"tab character", "'\t'"},
		"a tab is used here; YAML indents with spaces only (two per level)"},
	{[]string{"double-quoted", "single-quoted"},
		"a quoted value is not closed; add the closing quote on the same line (or remove the opening one)"},
	{[]string{"escape", "UTF-16", "UTF-32", "surrogate"},
		`a backslash sequence in a "double-quoted" value is not valid; write the character itself, or use 'single quotes'`},
	{[]string{"anchor", "alias"},
		"an anchor (&name) or alias (*name) is not used correctly here; write the values out"},
	{[]string{"tag"},
		"YAML tags (a value starting with '!') are not used in a study file; remove the '!' or put the value in quotes"},
	{[]string{"document separator", "directive", "YAML version", "end content"},
		"a '---', '...' or '%' line is out of place; a study file is one YAML document"},
	{[]string{"multi-line content"},
		"a block value (| or >) has no indented text below it"},
	{[]string{"reserved character"},
		"a value starts with a character YAML reserves (@ or `); put the value in quotes"},
	{[]string{"']'", "'['", "sequence end", "sequence element", "',' or ']'"},
		"a list in brackets is not closed or has a stray ','; write [a, b, c] on one line, or one '- item' per line"},
	{[]string{"'}'", "'{'", "flow map", "',' or '}'"},
		"braces are not closed or a ',' is missing; write {key: value, key: value} on one line"},
	{[]string{"sequence entries", "sequence context"},
		"a '- ' list item is out of place; list items go on their own lines, under their key and indented alike"},
	{[]string{"mapping value", "map key", "non-map value", "value is not allowed", "mapping key", "map value",
		"key-value", "key name", "implicit line break", "invalid key", "could not find map", "scalar value"},
		"this line does not fit the lines around it: check its indentation (nested keys two spaces further in, keys of one level aligned), the ':' after each key, and put a value holding ': ' or ' #' in quotes"},
}

// syntaxError turns a YAML parse error into an *Error with its position
// and a sentence from syntaxRules.
func syntaxError(path string, err error) error {
	e := &Error{File: path, Msg: "this is not valid YAML: check the indentation (spaces only), the ':' after each key, and that quotes and brackets are closed"}
	var ye yaml.Error
	if !errors.As(err, &ye) {
		return e
	}
	if tk := ye.GetToken(); tk != nil && tk.Position != nil {
		e.Line, e.Column = tk.Position.Line, tk.Position.Column
	}
	m := ye.GetMessage()
	for _, r := range syntaxRules {
		for _, w := range r.any {
			if strings.Contains(m, w) {
				e.Msg = r.msg
				return e
			}
		}
	}
	return e
}

// tabIndent finds the first line indented with a tab: YAML refuses it, and
// the library's own message points at odd places.
func tabIndent(path string, data []byte) error {
	for i, line := range bytes.Split(data, []byte("\n")) {
		indent := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]
		rest := bytes.TrimSpace(line)
		if len(rest) == 0 || rest[0] == '#' {
			continue
		}
		if j := bytes.IndexByte(indent, '\t'); j >= 0 {
			return &Error{File: path, Line: i + 1, Column: j + 1,
				Msg: "this line is indented with a tab; YAML indents with spaces only (two per level)"}
		}
	}
	return nil
}
