package sqldoc

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
)

// Table is the documentation of one table or view.
type Table struct {
	Name    string
	View    bool
	Comment string
	// Columns in the order of the DDL; a column without a comment of its
	// own has "" here (Columns falls back to Vocabulary).
	Columns []Column
}

// Column is one documented column.
type Column struct{ Name, Comment string }

var createRE = regexp.MustCompile(`(?i)^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\s+|TEMPORARY\s+)?(TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)`)

var columnNote = regexp.MustCompile(`^@([A-Za-z_][A-Za-z0-9_]*):\s*(.*)$`)

// constraintWords start a line of a column list that defines no column.
var constraintWords = map[string]bool{"CHECK": true, "PRIMARY": true, "UNIQUE": true, "FOREIGN": true, "CONSTRAINT": true}

// Parse reads the tables and views a DDL script creates, with their
// comments (see the package comment).
func Parse(ddl string) []Table {
	var out []Table
	var pending []string // comment lines before a statement
	var cur *Table
	depth := 0      // parentheses open in the current column list
	last := -1      // index in cur.Columns of the last column defined
	inBody := false // inside a CREATE TABLE (…) column list
	for _, line := range strings.Split(ddl, "\n") {
		code, comment, hasComment := strings.Cut(line, "--")
		rawComment := strings.TrimPrefix(comment, " ")
		code, comment = strings.TrimSpace(code), strings.TrimSpace(comment)
		if !inBody {
			m := createRE.FindStringSubmatch(code)
			if m == nil {
				if hasComment && code == "" {
					pending = append(pending, rawComment)
				} else {
					pending = nil
				}
				continue
			}
			out = append(out, tableOf(m[2], strings.EqualFold(m[1], "VIEW"), pending))
			cur, pending = &out[len(out)-1], nil
			rest := code[len(m[0]):]
			i := strings.Index(rest, "(")
			if i < 0 || cur.View || asRE.MatchString(rest[:i]) {
				continue
			}
			inBody, depth, last = true, 0, -1
			code = rest[i:]
		}
		if code == "" {
			// A comment-only line continues the last column's comment.
			if hasComment && last >= 0 && comment != "" {
				c := &cur.Columns[last]
				c.Comment = strings.TrimSpace(c.Comment + " " + comment)
			}
			continue
		}
		var parts []string
		start := 0
		for i, r := range code {
			switch r {
			case '(':
				depth++
				if depth == 1 {
					start = i + 1
				}
			case ')':
				depth--
				if depth == 0 {
					parts = append(parts, code[start:i])
					inBody, start = false, len(code)
				}
			case ',':
				if depth == 1 {
					parts = append(parts, code[start:i])
					start = i + 1
				}
			}
		}
		if inBody && start < len(code) {
			parts = append(parts, code[start:])
		}
		for _, p := range parts {
			f := strings.Fields(p)
			if len(f) == 0 || constraintWords[strings.ToUpper(f[0])] {
				continue
			}
			// Several columns on one line share its comment.
			cur.Columns = append(cur.Columns, Column{Name: strings.Trim(f[0], `"`), Comment: comment})
			last = len(cur.Columns) - 1
		}
	}
	return out
}

var asRE = regexp.MustCompile(`(?i)^\s*AS\b`)

// tableOf makes a table from its leading comment lines: "@column: text"
// lines (continued by lines indented further) describe columns, the
// others the table.
func tableOf(name string, view bool, lines []string) Table {
	t := Table{Name: name, View: view}
	var text []string
	inNote := false
	for _, l := range lines {
		if n := columnNote.FindStringSubmatch(strings.TrimSpace(l)); n != nil {
			t.Columns = append(t.Columns, Column{Name: n[1], Comment: n[2]})
			inNote = true
			continue
		}
		if inNote && strings.HasPrefix(l, " ") {
			c := &t.Columns[len(t.Columns)-1]
			c.Comment += " " + strings.TrimSpace(l)
			continue
		}
		inNote = false
		if l = strings.TrimSpace(l); l != "" {
			text = append(text, l)
		}
	}
	t.Comment = strings.Join(text, " ")
	return t
}

// Statements returns the COMMENT ON statements for t. columns are the
// table's actual columns (from duckdb_columns()); each gets its DDL
// comment, else the shared vocabulary's entry, else none. It returns the
// columns left without a comment.
func Statements(t Table, columns []string) (stmts []string, undocumented []string) {
	kind := "TABLE"
	if t.View {
		kind = "VIEW"
	}
	if t.Comment != "" {
		stmts = append(stmts, "COMMENT ON "+kind+" "+t.Name+" IS "+Literal(t.Comment))
	}
	own := map[string]string{}
	for _, c := range t.Columns {
		if c.Comment != "" {
			own[c.Name] = c.Comment
		}
	}
	for _, c := range columns {
		text := own[c]
		if text == "" {
			text = sibling(c, own)
		}
		if text == "" {
			text = Vocabulary[c]
		}
		if text == "" {
			undocumented = append(undocumented, c)
			continue
		}
		stmts = append(stmts, "COMMENT ON COLUMN "+t.Name+"."+c+" IS "+Literal(text))
	}
	return stmts, undocumented
}

// sibling describes a column by the documented column it belongs with:
// X_upper by X_lower, X_b by X_a, X_p and X_df by X_chisq.
func sibling(c string, own map[string]string) string {
	for _, r := range []struct{ suffix, other, text string }{
		{"_upper", "_lower", "upper bound of the interval of %s (%s)"},
		{"_b", "_a", "as %s, for the second of the pair (%s)"},
		{"_p", "_chisq", "p-value of %s (%s)"},
		{"_df", "_chisq", "degrees of freedom of %s (%s)"},
	} {
		base, ok := strings.CutSuffix(c, r.suffix)
		if !ok {
			continue
		}
		text := own[base+r.other]
		if text == "" {
			text = Vocabulary[base+r.other]
		}
		if text != "" {
			return fmt.Sprintf(r.text, base+r.other, text)
		}
	}
	return ""
}

// Literal quotes s as an SQL string literal.
func Literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// DB is what Apply needs of a database handle (*sql.DB, *sql.Conn, *sql.Tx).
type DB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Apply comments every table of tables that exists in db's main schema,
// and its columns, and returns what it could not document: "table" for a
// table without a comment, "table.column" for a column without one. A
// table the run did not create is skipped.
func Apply(ctx context.Context, db DB, tables []Table) ([]string, error) {
	var missing []string
	for _, t := range tables {
		rows, err := db.QueryContext(ctx, `SELECT column_name FROM duckdb_columns()
			WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ? ORDER BY column_index`, t.Name)
		if err != nil {
			return nil, fmt.Errorf("reading the columns of %s: %w", t.Name, err)
		}
		var cols []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return nil, err
			}
			cols = append(cols, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(cols) == 0 {
			continue
		}
		stmts, undocumented := Statements(t, cols)
		if t.Comment == "" {
			missing = append(missing, t.Name)
		}
		for _, c := range undocumented {
			missing = append(missing, t.Name+"."+c)
		}
		if len(stmts) == 0 {
			continue
		}
		if _, err := db.ExecContext(ctx, strings.Join(stmts, ";\n")); err != nil {
			return nil, fmt.Errorf("documenting %s: %w", t.Name, err)
		}
	}
	return missing, nil
}
