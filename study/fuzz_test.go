package study

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary bytes to the study-file parser. It must never
// panic or hang, and every error must be made of *Error values (joined when there
// are several) with a non-negative line and column, naming the file.
func FuzzParse(f *testing.F) {
	if demo, err := os.ReadFile("../testdata/demo/study.yaml"); err == nil {
		f.Add(demo)
	}
	for _, s := range []string{
		"",
		"study: x\ncutoff: 2025-12-31\n",
		"study: x\ncutof: 2025-12-31\n",
		"study: [\n",
		"study: x\ncutoff: 2025-02-31\nprogrammes:\n  - code: A\n    outcome: recidivism\npartners:\n  - name: P\n    files:\n      - path: a.csv\n        kind: events\n        columns: {bsn: b, date: d}\n        constants: {event_type: offence}\n",
		"partners:\n  - name: P\n    files:\n      - path: a.csv\n        kind: trajectories\n        delimiter: \"\\t\"\n        codes: {programme: {X: Y}}\n",
		"min_cell: -1\noutcomes: {recidivism_windows: [0, 999]}\n",
		"&a [*a]",
		"study: !!binary aGVsbG8=\n",
		"\t- tab",
		"? complex\n: key\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		type result struct {
			s   *Study
			err error
		}
		done := make(chan result, 1)
		go func() {
			s, err := Parse("fuzz.yaml", data)
			done <- result{s, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("Parse did not return within 5 s on %q", data)
		}
		s, err := r.s, r.err
		if err == nil {
			if s == nil {
				t.Fatal("no study and no error")
			}
			if s.Cutoff.IsZero() || len(s.Partners) == 0 || len(s.Programmes) == 0 {
				t.Fatalf("a study without cut-off, partners or programmes was accepted")
			}
			return
		}
		if s != nil {
			t.Fatal("a study and an error")
		}
		var errs []error
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs = j.Unwrap()
		} else {
			errs = []error{err}
		}
		for _, e := range errs {
			var se *Error
			if !errors.As(e, &se) {
				t.Fatalf("error %T is not a *study.Error: %v", e, e)
			}
			if se.Line < 0 || se.Column < 0 {
				t.Fatalf("negative position %d:%d", se.Line, se.Column)
			}
			if se.File != "fuzz.yaml" || !strings.HasPrefix(se.Error(), "fuzz.yaml") {
				t.Fatalf("error does not start with the file name: %v", se)
			}
		}
	})
}
