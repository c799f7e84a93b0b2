package sqldoc

import (
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	ddl := `-- Schema header, not a table's.

-- One row per export file
-- read in a run.
CREATE TABLE source_file (
    file_id   INTEGER PRIMARY KEY,          -- the file
    kind      VARCHAR NOT NULL,             -- trajectories or events
    score     INTEGER CHECK (score BETWEEN 1 AND 5), -- a score, 1-5
    dup       INTEGER,                      -- file_id of a copy:
                                            -- not read again
    a VARCHAR NOT NULL, b DECIMAL(10, 2),   -- two on a line
    bare      DOUBLE,
    PRIMARY KEY (file_id, kind),
    CHECK (file_id > 0)
);

-- Each partner's half.
-- @partner: the partner
--   whose half it is
-- @line: its line
CREATE VIEW half AS
    SELECT partner, line FROM x;
CREATE OR REPLACE TABLE subject AS SELECT 1 AS x;
`
	got := Parse(ddl)
	want := []Table{
		{Name: "source_file", Comment: "One row per export file read in a run.", Columns: []Column{
			{"file_id", "the file"}, {"kind", "trajectories or events"}, {"score", "a score, 1-5"},
			{"dup", "file_id of a copy: not read again"}, {"a", "two on a line"}, {"b", "two on a line"}, {"bare", ""}}},
		{Name: "half", View: true, Comment: "Each partner's half.", Columns: []Column{{"partner", "the partner whose half it is"}, {"line", "its line"}}},
		{Name: "subject"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse\n got %+v\nwant %+v", got, want)
	}
	stmts, missing := Statements(got[0], []string{"file_id", "bare", "line", "sex"})
	wantStmts := []string{
		"COMMENT ON TABLE source_file IS 'One row per export file read in a run.'",
		"COMMENT ON COLUMN source_file.file_id IS 'the file'",
		"COMMENT ON COLUMN source_file.line IS '" + Vocabulary["line"] + "'",
		"COMMENT ON COLUMN source_file.sex IS '" + Vocabulary["sex"] + "'",
	}
	if !reflect.DeepEqual(stmts, wantStmts) || !reflect.DeepEqual(missing, []string{"bare"}) {
		t.Errorf("Statements\n got %q, missing %q\nwant %q, missing [bare]", stmts, missing, wantStmts)
	}
	if got := Literal("it's"); got != "'it''s'" {
		t.Errorf("Literal = %s", got)
	}
}
