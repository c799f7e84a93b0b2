package study

// The shape of a study file, checked on its syntax tree before it is
// decoded: every key is one the loader knows, every value has the kind
// the key takes (text, whole number, list, keys with values …), and no key
// is given twice. The keys and their types are read from rawStudy by
// reflection, so a key added there is checked (and, by
// TestEveryKeyIsDocumented, documented) without a list to keep in step.
//
// The messages are plain sentences: where (file, line, column), which key
// (its path, e.g. partners[0].files[1].kind), what the key takes and what
// kind of value was found, never the value itself (a misplaced value may
// be a name or a national ID). An unknown key is named only when it looks
// like a key, with the nearest known key (internal/suggest) and the keys
// allowed there.

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"

	"github.com/goccy/go-yaml/ast"

	"github.com/outcomes-research/outcomes/internal/suggest"
)

const maxInt = int(^uint(0) >> 1)

// rawType is the type a study file decodes into.
var rawType = reflect.TypeFor[rawStudy]()

// shape walks a syntax tree against rawType and collects its errors.
type shape struct {
	path    string
	anchors map[string]ast.Node
	errs    []error
}

// checkShape checks the body of a study file's document against rawStudy.
func checkShape(path string, body ast.Node) []error {
	s := &shape{path: path, anchors: map[string]ast.Node{}}
	for _, n := range ast.Filter(ast.AnchorType, body) {
		if a, ok := n.(*ast.AnchorNode); ok && a.Name != nil && a.Value != nil {
			s.anchors[a.Name.String()] = a.Value
		}
	}
	s.walk(body, rawType, "")
	return s.errs
}

func (s *shape) fail(n ast.Node, key, format string, args ...any) {
	e := &Error{File: s.path, Key: key, Msg: fmt.Sprintf(format, args...)}
	e.Line, e.Column = nodePosition(n)
	s.errs = append(s.errs, e)
}

// nodePosition is the line and column where n starts (0, 0 if unknown).
func nodePosition(n ast.Node) (line, column int) {
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 && m.Values[0].Key != nil {
		n = m.Values[0].Key
	}
	if n == nil {
		return 0, 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line, tk.Position.Column
	}
	return 0, 0
}

// resolve follows anchors (&name value) and aliases (*name) to the value
// they stand for. checkLimits has refused aliases inside anchored values,
// so this ends.
func (s *shape) resolve(n ast.Node) ast.Node {
	for range 2 {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.AliasNode:
			if v.Value != nil {
				if target, ok := s.anchors[v.Value.String()]; ok {
					n = target
				}
			}
		}
	}
	return n
}

// walk checks n (at key, "" for the document) against t.
func (s *shape) walk(n ast.Node, t reflect.Type, key string) {
	n = s.resolve(n)
	if n == nil || n.Type() == ast.NullType {
		return // an empty value leaves the setting at its default
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := s.mapping(n, t, key)
		if ok {
			s.structKeys(m, t, key)
		}
	case reflect.Map:
		m, ok := s.mapping(n, t, key)
		if ok {
			s.mapKeys(m, t, key)
		}
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			s.fail(n, key, "expected %s, found %s", describeType(t), describeNode(n))
			return
		}
		for i, v := range seq.Values {
			s.walk(v, t.Elem(), fmt.Sprintf("%s[%d]", key, i))
		}
	default:
		s.scalar(n, t, key)
	}
}

// mapping returns n's key-value pairs when n is a mapping; otherwise it
// records that t was expected.
func (s *shape) mapping(n ast.Node, t reflect.Type, key string) ([]*ast.MappingValueNode, bool) {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}, true
	}
	if key == "" {
		s.fail(n, key, "a study file is a set of keys with values (study:, cutoff:, programmes:, partners: …), one per line; found %s", describeNode(n))
	} else {
		s.fail(n, key, "expected %s, found %s", describeType(t), describeNode(n))
	}
	return nil, false
}

// merged returns the key-value pairs of a mapping with those of merge keys
// (<<: *defaults) put in their place: the decoder reads a key given both
// there and in the mapping as given twice, and so does the shape check.
func (s *shape) merged(values []*ast.MappingValueNode, depth int) []*ast.MappingValueNode {
	var out []*ast.MappingValueNode
	for _, mv := range values {
		if mv == nil || mv.Key == nil {
			continue
		}
		if !mv.Key.IsMergeKey() || depth > 2 {
			out = append(out, mv)
			continue
		}
		targets := []ast.Node{s.resolve(mv.Value)}
		if seq, ok := targets[0].(*ast.SequenceNode); ok {
			targets = seq.Values
		}
		for _, t := range targets {
			switch m := s.resolve(t).(type) {
			case *ast.MappingNode:
				out = append(out, s.merged(m.Values, depth+1)...)
			case *ast.MappingValueNode:
				out = append(out, s.merged([]*ast.MappingValueNode{m}, depth+1)...)
			default:
				out = append(out, mv) // refused below: not a plain key
			}
		}
	}
	return out
}

// structKeys checks the keys of a mapping that decodes into struct t.
func (s *shape) structKeys(values []*ast.MappingValueNode, t reflect.Type, key string) {
	fields := yamlFields(t)
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	ordered := fieldOrder(t)
	seen := map[string]ast.Node{}
	for _, mv := range s.merged(values, 0) {
		name, ok := keyText(mv.Key)
		if !ok {
			s.fail(mv.Key, key, "a key here must be a plain name; use one of %s", strings.Join(ordered, ", "))
			continue
		}
		path := join(key, name)
		f, known := fields[name]
		if !known {
			msg := "unknown key"
			if !looksLikeKey(name) {
				path, msg = key, "unknown key (not repeated here: it looks like a value rather than a key)"
			}
			if best, ok := suggest.Closest(name, names); ok {
				msg += "; did you mean " + best + "?"
			} else {
				msg += "."
			}
			where := "at the top of the study file"
			if key != "" {
				where = "under " + key
			}
			s.fail(mv.Key, path, "%s The keys %s are: %s (see study/study.md)", msg, where, strings.Join(ordered, ", "))
			continue
		}
		if first, dup := seen[name]; dup {
			l, c := nodePosition(first)
			s.fail(mv.Key, path, "this key is given twice (first at line %d, column %d); keep one", l, c)
			continue
		}
		seen[name] = mv.Key
		s.walk(mv.Value, f.Type, path)
	}
}

// mapKeys checks a mapping that decodes into map t: its keys are names the
// researcher chooses (fields, codes, definitions), checked later by the
// loader; here only their kind and uniqueness.
func (s *shape) mapKeys(values []*ast.MappingValueNode, t reflect.Type, key string) {
	seen := map[string]ast.Node{}
	for i, mv := range s.merged(values, 0) {
		name, ok := keyText(mv.Key)
		if !ok {
			s.fail(mv.Key, key, "a key here must be a plain name or code, not a list or a set of keys")
			continue
		}
		path := join(key, name)
		if !looksLikeKey(name) {
			path = fmt.Sprintf("%s(entry %d)", key+".", i+1)
		}
		if first, dup := seen[name]; dup {
			l, c := nodePosition(first)
			s.fail(mv.Key, path, "this key is given twice (first at line %d, column %d); keep one", l, c)
			continue
		}
		seen[name] = mv.Key
		s.walk(mv.Value, t.Elem(), path)
	}
}

// scalar checks a value that decodes into a string, number or boolean.
func (s *shape) scalar(n ast.Node, t reflect.Type, key string) {
	kind := n.Type()
	switch t.Kind() {
	case reflect.String:
		switch kind {
		case ast.StringType, ast.LiteralType, ast.IntegerType, ast.FloatType, ast.BoolType, ast.InfinityType, ast.NanType:
			return
		}
	case reflect.Int, reflect.Int64:
		switch kind {
		case ast.IntegerType:
			if in, ok := n.(*ast.IntegerNode); ok {
				switch v := in.Value.(type) {
				case int64:
					if int64(int(v)) == v {
						return
					}
				case uint64:
					if v <= uint64(maxInt) {
						return
					}
				}
			}
			s.fail(n, key, "expected a whole number, found a whole number too large to use")
			return
		case ast.FloatType:
			s.fail(n, key, "expected a whole number, found a number with a decimal point; write it as a whole number")
			return
		}
	case reflect.Float64:
		switch kind {
		case ast.IntegerType, ast.FloatType, ast.InfinityType, ast.NanType:
			return
		}
	case reflect.Bool:
		if kind == ast.BoolType {
			return
		}
		if kind == ast.StringType {
			s.fail(n, key, "expected true or false, found text (yes, no, on and off are text in a study file)")
			return
		}
	}
	s.fail(n, key, "expected %s, found %s", describeType(t), describeNode(n))
}

// yamlFields maps the yaml names of struct t to its fields.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		if name := yamlName(f); name != "" {
			out[name] = f
		}
	}
	return out
}

// fieldOrder lists the yaml names of struct t in declaration order.
func fieldOrder(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		if name := yamlName(t.Field(i)); name != "" {
			out = append(out, name)
		}
	}
	return out
}

func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// keyText is the text of a scalar key.
func keyText(k ast.MapKeyNode) (string, bool) {
	switch k.Type() {
	case ast.StringType, ast.IntegerType, ast.FloatType, ast.BoolType, ast.NullType, ast.InfinityType, ast.NanType:
		if tk := k.GetToken(); tk != nil {
			return tk.Value, true
		}
	}
	return "", false
}

// looksLikeKey says whether a key the researcher wrote may be repeated in
// a message: short, printable, no '@', fewer than four digits. Anything
// else may be a value typed in the wrong place (a national ID, an e-mail
// address) and is shown by its position only.
func looksLikeKey(k string) bool {
	if k == "" || len([]rune(k)) > 40 || strings.ContainsAny(k, "@\n\r\t") {
		return false
	}
	digits := 0
	for _, r := range k {
		if unicode.IsDigit(r) {
			digits++
		}
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return digits < 4
}

func join(key, name string) string {
	if key == "" {
		return name
	}
	return key + "." + name
}

// describeType says in words what a value of type t looks like in YAML.
func describeType(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if one, _, ok := scalarWords(t.Kind()); ok {
		return one
	}
	switch t.Kind() {
	case reflect.Slice:
		return "a list of " + plural(t.Elem()) + " ([a, b] or one '- ' line each)"
	case reflect.Map:
		return "names with " + plural(t.Elem()) + " (one 'name: value' line each)"
	case reflect.Struct:
		return "keys with values (" + strings.Join(fieldOrder(t), ", ") + ")"
	}
	return t.Kind().String()
}

// plural names the values of type t in a list or map.
func plural(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if _, many, ok := scalarWords(t.Kind()); ok {
		return many
	}
	switch t.Kind() {
	case reflect.Slice:
		return "lists"
	case reflect.Map:
		return "sets of names"
	case reflect.Struct:
		return "entries with the keys " + strings.Join(fieldOrder(t), ", ")
	}
	return t.Kind().String()
}

// scalarWords names a value of a scalar kind in YAML, one and several; ok
// is false for lists, maps and structs.
func scalarWords(k reflect.Kind) (one, many string, ok bool) {
	switch k {
	case reflect.String:
		return "text", "texts", true
	case reflect.Int, reflect.Int64:
		return "a whole number", "whole numbers", true
	case reflect.Float64:
		return "a number", "numbers", true
	case reflect.Bool:
		return "true or false", "true or false", true
	}
	return "", "", false
}

// describeNode says what kind of value n is, never what it holds.
func describeNode(n ast.Node) string {
	switch n.Type() {
	case ast.StringType, ast.LiteralType:
		return "text"
	case ast.IntegerType:
		return "a whole number"
	case ast.FloatType, ast.InfinityType, ast.NanType:
		return "a number with a fraction"
	case ast.BoolType:
		return "true or false"
	case ast.MappingType, ast.MappingValueType:
		return "keys with values"
	case ast.SequenceType:
		return "a list"
	case ast.NullType:
		return "nothing"
	}
	return "a value of another kind"
}

// KeyPaths lists every key a study file takes, as paths through the file
// (partners[].files[].columns; [] marks a list, a map's own keys are the
// researcher's names and not listed), in the order of rawStudy.
func KeyPaths() []string {
	var out []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		for i := range t.NumField() {
			f := t.Field(i)
			name := yamlName(f)
			if name == "" {
				continue
			}
			path := join(prefix, name)
			out = append(out, path)
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			switch {
			case ft.Kind() == reflect.Struct:
				walk(ft, path)
			case ft.Kind() == reflect.Slice && derefKind(ft.Elem()) == reflect.Struct:
				walk(ft.Elem(), path+"[]")
			}
		}
	}
	walk(rawType, "")
	return out
}

func derefKind(t reflect.Type) reflect.Kind {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind()
}

// didYouMean is "; did you mean X?" for the allowed value nearest to got,
// or "" when none is near (internal/suggest).
func didYouMean(got string, allowed []string) string {
	if best, ok := suggest.Closest(got, allowed); ok && got != "" {
		return "; did you mean " + best + "?"
	}
	return ""
}

// quoted is got in quotes when it looks like a setting or code
// (looksLikeKey), else only its length: a value typed in the wrong place
// may be a name or a national ID.
func quoted(got string) string {
	if looksLikeKey(got) {
		return fmt.Sprintf("%q", got)
	}
	return fmt.Sprintf("(a value of %d characters)", len([]rune(got)))
}

// outcomeKindNames lists the outcome kinds' codes, for didYouMean.
func outcomeKindNames() []string {
	var codes []string
	for _, d := range OutcomeKinds() {
		codes = append(codes, string(d.Kind))
	}
	return codes
}

// keyPart is a key the researcher chose (a field, a code) as a part of a
// key path: itself when it looks like a key, else its length only.
func keyPart(k string) string {
	if looksLikeKey(k) {
		return k
	}
	return fmt.Sprintf("(a key of %d characters)", len([]rune(k)))
}
