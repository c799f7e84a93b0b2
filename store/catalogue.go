package store

import (
	"context"
	"fmt"

	"github.com/outcomes-research/outcomes/internal/sqldoc"
	"github.com/outcomes-research/outcomes/study"
)

// document gives every table and column of the store's schema (schema.sql,
// linkage.sql; Finish calls it) its comment (COMMENT ON) from the schema's own comments
// (internal/sqldoc). A column left without one is a bug in the schema's
// comments: TestEveryTableAndColumnIsDocumented fails on it.
func (s *Store) document(ctx context.Context) error {
	tables := append(sqldoc.Parse(schemaSQL), sqldoc.Parse(linkageSQL)...)
	if _, err := sqldoc.Apply(ctx, s.conn, tables); err != nil {
		return fmt.Errorf("documenting the schema: %w", err)
	}
	return nil
}

// recordProgrammes writes the study's programmes into table programme
// (Finish calls it).
func (s *Store) recordProgrammes(ctx context.Context, st *study.Study) error {
	for _, p := range st.Programmes {
		name := p.Name
		if name == "" {
			name = p.Code
		}
		_, err := s.conn.ExecContext(ctx, `INSERT INTO programme (code, name, outcome, shelter, reference_date) VALUES (?, ?, ?, ?, NULLIF(?, ''))`,
			p.Code, name, string(p.Outcome), p.Shelter, string(p.Reference))
		if err != nil {
			return fmt.Errorf("recording programme %s: %w", p.Code, err)
		}
	}
	return nil
}
