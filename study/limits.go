package study

// Limits on the study file, checked on its syntax tree before it is
// decoded: a study file is small and written by hand, so anything far
// outside that is refused with its position instead of being read.

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

const (
	// MaxStudyBytes bounds the size of a study file (1 MiB: a study with
	// hundreds of partners and code tables is a few dozen KiB).
	MaxStudyBytes = 1 << 20
	// MaxAliases bounds the YAML aliases (*name) in a study file. An alias
	// may not appear inside an anchored value (&name), so an alias never
	// expands into more aliases: a "billion laughs" file, where each level
	// repeats the previous one, cannot be written.
	MaxAliases = 100
)

// checkLimits applies the limits above to one document of a study file.
// (A fraction where a whole number is due, min_cell: 9.9, is refused by
// checkShape from the key's type.)
func checkLimits(path string, body ast.Node) error {
	at := func(n ast.Node, msg string) error {
		e := &Error{File: path, Msg: msg}
		if tk := n.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Column = tk.Position.Line, tk.Position.Column
		}
		return e
	}
	aliases := ast.Filter(ast.AliasType, body)
	if len(aliases) > MaxAliases {
		return at(aliases[MaxAliases], fmt.Sprintf("more than %d YAML aliases (*name); write the values out", MaxAliases))
	}
	for _, a := range ast.Filter(ast.AnchorType, body) {
		anchor, ok := a.(*ast.AnchorNode)
		if !ok || anchor.Value == nil {
			continue
		}
		if inner := ast.Filter(ast.AliasType, anchor.Value); len(inner) > 0 {
			return at(inner[0], "a YAML alias (*name) inside an anchored value (&name) is not allowed in a study file: it can make the file expand without bound")
		}
	}
	return nil
}
