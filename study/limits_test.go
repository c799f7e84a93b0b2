package study

import (
	"errors"
	"strings"
	"testing"
)

const limitsBase = `study: t
cutoff: 2025-12-31
programmes: [{code: P, outcome: recidivism}]
partners:
  - name: N
    files:
      - {path: t.csv, kind: trajectories, columns: {bsn: bsn, programme: p, start: s}}
`

func TestLimits(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" + limitsBase
	tests := []struct {
		name, yaml, want string
	}{
		{"fractional min_cell", "min_cell: 9.9\n" + limitsBase, "min_cell: expected a whole number, found a number with a decimal point"},
		{"fractional window", "outcomes:\n  recidivism_windows: [12, 1.5]\n" + limitsBase, "outcomes.recidivism_windows[1]: expected a whole number"},
		{"whole float", "min_cell: 10.0\n" + limitsBase, "min_cell: expected a whole number"},
		{"alias bomb", bomb, "alias (*name) inside an anchored value"},
		{"too many aliases", "x: &x 1\nl: [" + strings.Repeat("*x, ", MaxAliases) + "*x]\n" + limitsBase, "more than 100 YAML aliases"},
		{"too large", limitsBase + "# " + strings.Repeat("x", MaxStudyBytes) + "\n", "larger than 1024 KiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("study.yaml", []byte(tc.yaml))
			if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want ErrInvalid with %q", err, tc.want)
			}
		})
	}
	// Whole numbers still read.
	s := mustParse(t, "min_cell: 11\noutcomes:\n  recidivism_windows: [6, 18]\n"+limitsBase)
	if s.MinCell != 11 || len(s.Outcomes.RecidivismWindows) != 2 {
		t.Errorf("min_cell %d windows %v", s.MinCell, s.Outcomes.RecidivismWindows)
	}
}
