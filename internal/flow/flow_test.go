package flow_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/study"
)

const testStudy = `study: t
cutoff: 2025-12-31
programmes: [{code: AMB, outcome: recidivism}]
partners:
  - name: A
    files:
      - path: a.csv
        kind: trajectories
        columns: {bsn: bsn, surname: naam, birth_date: geb, sex: sexe, programme: prog, start: start, release: vrij}
`

// trajectories is an export of 9 rows: lines 2, 3, 5, 6, 8 and 10 load
// (2 by BSN, 4 by fallback key), line 4 has no identifier, line 7 an impossible
// date, line 9 an unknown programme code.
const trajectories = "bsn;naam;geb;sexe;prog;start;vrij\n" +
	"111222333;de Vries;1980-02-01;M;AMB;2020-01-01;2020-03-01\n" +
	";de Vries;1980-02-01;M;AMB;2021-01-01;2021-03-01\n" +
	";;1980-02-01;M;AMB;2021-01-01;\n" +
	"123456782;Jansen;1990-05-06;V;AMB;2020-01-01;\n" +
	"123456789;Jansen;1990-05-06;V;AMB;2022-01-01;\n" +
	"123456782;Jansen;1990-05-06;V;AMB;2022-02-31;\n" +
	";Bakker;1970-01-01;M;AMB;2020-01-01;\n" +
	"123456782;Jansen;1990-05-06;V;XYZ;2020-01-01;\n" +
	";Smit;1975-01-01;V;AMB;2020-01-01;\n"

func loadStudy(t *testing.T, csv string) *study.Study {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{"study.yaml": testStudy, "a.csv": csv} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, err := study.Load(filepath.Join(dir, "study.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func pseudonymiser(t *testing.T, st *study.Study) *pseudonymise.Pseudonymiser {
	t.Helper()
	key, err := pseudonymise.KeyFromText(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	return pseudonymise.NewForStudy(key, st)
}

func export(st *study.Study) flow.Export {
	return flow.Export{Study: st, Partner: st.Partners[0].Name, File: st.Partners[0].Files[0]}
}

// recorder is a Sink that notes every line it is given, as "q<line>" for
// a quarantine record and "b<line>" for a row of a batch, in call order.
type recorder struct {
	events []string
	rules  map[string]string // line → rule
	// failAt makes the n-th Write fail (1-based; 0: never).
	failAt, writes int
}

func (r *recorder) Quarantine(q ingest.Quarantine) error {
	r.events = append(r.events, fmt.Sprintf("q%d", q.Line))
	if r.rules == nil {
		r.rules = map[string]string{}
	}
	r.rules[fmt.Sprint(q.Line)] = fmt.Sprint(q.Rule)
	return nil
}

func (r *recorder) Write(_ context.Context, b pseudonymise.Batch) error {
	defer b.Release()
	r.writes++
	if r.writes == r.failAt {
		return errors.New("sink full")
	}
	rec := b.Record()
	lines := rec.Column(0).(*array.Int64)
	for i := 0; i < lines.Len(); i++ {
		r.events = append(r.events, fmt.Sprintf("b%d", lines.Value(i)))
	}
	return nil
}

// TestStreamAccountsForEveryLine: each input line reaches the sink exactly
// once, as a loaded row or a quarantine record with its rule, in input
// order within each batch, and the result's counts add up.
func TestStreamAccountsForEveryLine(t *testing.T) {
	for _, batchSize := range []int{1, 2, 3, 100} {
		t.Run(fmt.Sprint("batch", batchSize), func(t *testing.T) {
			st := loadStudy(t, trajectories)
			var sink recorder
			res, err := flow.Stream(context.Background(), export(st), pseudonymiser(t, st), &sink, flow.Options{BatchSize: batchSize})
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, e := range sink.events {
				n, err := strconv.Atoi(e[1:])
				if err != nil {
					t.Fatal(err)
				}
				lines = append(lines, n)
			}
			want := []int{2, 3, 4, 5, 6, 7, 8, 9, 10}
			slices.Sort(lines)
			if !slices.Equal(lines, want) {
				t.Fatalf("lines given to the sink %v, want each of %v once", sink.events, want)
			}
			wantRules := map[string]string{"4": string(ingest.RuleNoIdentifier), "7": "date_invalid", "9": "unknown_code"}
			for line, rule := range wantRules {
				if sink.rules[line] != rule {
					t.Errorf("line %s quarantined as %q, want %q (all: %v)", line, sink.rules[line], rule, sink.rules)
				}
			}
			if len(sink.rules) != len(wantRules) {
				t.Errorf("quarantined %v, want %v", sink.rules, wantRules)
			}
			if res.File.RowsRead != 9 || res.Written != 6 || res.Quarantined() != 3 {
				t.Errorf("read %d, written %d, quarantined %d; want 9, 6, 3", res.File.RowsRead, res.Written, res.Quarantined())
			}
			if l := res.Links; l.ByBSN != 2 || l.ByFallback != 4 || l.Unlinked != 1 || l.BSNRejected["fails_elfproef"] != 1 {
				t.Errorf("links %+v; want 2 by BSN, 4 by fallback (one after a BSN failing the elfproef), 1 unlinked, 1 BSN failing the elfproef", l)
			}
			byRule := res.ByRule()
			if byRule[string(ingest.RuleNoIdentifier)] != 1 || len(byRule) != 3 {
				t.Errorf("ByRule %v; want no_identifier 1 among three rules", byRule)
			}
		})
	}
}

// TestCounterAgreesWithRecorder: the dry run's sink sees the same rows as
// any other sink.
func TestCounterAgreesWithRecorder(t *testing.T) {
	st := loadStudy(t, trajectories)
	var c flow.Counter
	res, err := flow.Stream(context.Background(), export(st), pseudonymiser(t, st), &c, flow.Options{BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if c.Rows != 6 || c.Quarantined != 3 || res.Written != c.Rows {
		t.Errorf("counter %+v, result written %d; want 6 rows and 3 quarantine records", c, res.Written)
	}
}

// TestStreamErrors: an export that cannot be read is an *InputError that
// names the partner; a sink failure stops the flow and is returned as it
// is; an interruption returns the context's error.
func TestStreamErrors(t *testing.T) {
	t.Run("missing export", func(t *testing.T) {
		st := loadStudy(t, trajectories)
		ex := export(st)
		ex.File.Path = filepath.Join(t.TempDir(), "gone.csv")
		_, err := flow.Stream(context.Background(), ex, pseudonymiser(t, st), &flow.Counter{}, flow.Options{})
		var input *flow.InputError
		if !errors.As(err, &input) || input.Partner != "A" || !strings.Contains(err.Error(), "partner A") {
			t.Fatalf("error %v (%T), want an *InputError naming partner A", err, err)
		}
	})
	t.Run("header mismatch", func(t *testing.T) {
		st := loadStudy(t, "id;naam\n1;x\n")
		_, err := flow.Stream(context.Background(), export(st), pseudonymiser(t, st), &flow.Counter{}, flow.Options{})
		var input *flow.InputError
		if !errors.As(err, &input) {
			t.Fatalf("error %v (%T), want an *InputError", err, err)
		}
	})
	t.Run("sink fails", func(t *testing.T) {
		st := loadStudy(t, trajectories+strings.Repeat("111222333;de Vries;1980-02-01;M;AMB;2020-01-01;2020-03-01\n", 500))
		sink := recorder{failAt: 3}
		_, err := flow.Stream(context.Background(), export(st), pseudonymiser(t, st), &sink, flow.Options{BatchSize: 5})
		var input *flow.InputError
		if err == nil || err.Error() != "sink full" || errors.As(err, &input) {
			t.Fatalf("error %v, want the sink's own error", err)
		}
	})
	t.Run("interrupted", func(t *testing.T) {
		st := loadStudy(t, trajectories+strings.Repeat("111222333;de Vries;1980-02-01;M;AMB;2020-01-01;2020-03-01\n", 5000))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := flow.Stream(ctx, export(st), pseudonymiser(t, st), &flow.Counter{}, flow.Options{BatchSize: 5})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
	})
}

// points records the observer's points.
type points struct{ read, written int }

func (p *points) At(pt flow.Point) {
	switch pt {
	case flow.BatchRead:
		p.read++
	case flow.BatchWritten:
		p.written++
	}
}

// TestObserverPoints: the observer is told of every batch read and
// written.
func TestObserverPoints(t *testing.T) {
	st := loadStudy(t, trajectories)
	var p points
	if _, err := flow.Stream(context.Background(), export(st), pseudonymiser(t, st), &flow.Counter{}, flow.Options{BatchSize: 2, Observer: &p}); err != nil {
		t.Fatal(err)
	}
	// 9 rows, 7 of which pass ingest, in batches of 2: 4 batches.
	if p.read != 4 || p.written != 4 {
		t.Errorf("points %+v, want 4 batches read and written", p)
	}
}
