package main

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/outcomes-research/outcomes/internal/attack"
)

// TestAttack plays the intruder of issue 12 against what a run publishes:
// internal/attack reads only tables/*.csv and report.html and bounds every
// hidden count by subtraction and linear programming over the tables that
// share a population. It fails when a hidden count is pinned down or left
// fewer values than the rule allows, on the demo in both languages and on
// synthetic studies of several sizes.
func TestAttack(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline several times")
	}
	// check attacks a run's outputs. openFindings is the number of
	// findings known and not yet closed (issue 12 is open on these): the
	// demo has none; the small synthetic studies still have some (mostly
	// breakdowns and trends whose every group is "<10", which the
	// propagation bounds narrow below the criterion). A run fails when it
	// has more than that, and logs each finding either way.
	check := func(t *testing.T, out string, openFindings int) {
		t.Helper()
		p, err := attack.ReadReport(out, 10, false)
		if err != nil {
			t.Fatal(err)
		}
		res := p.Attack()
		t.Logf("%d cells, %d relations, %d hidden cells, %d hidden counts (%d bounded by propagation only); %d recovered by subtraction, %d findings, narrowest interval %v",
			len(p.Cells), len(p.Relations), res.Hidden, res.Counts, res.Relaxed, res.Subtracted, len(res.Findings), res.Narrowest)
		if res.Hidden == 0 {
			t.Error("nothing hidden: the attack proves nothing")
		}
		for _, f := range res.Findings {
			if openFindings > 0 {
				t.Log("open:", f)
			} else {
				t.Error(f)
			}
		}
		if openFindings > 0 && len(res.Findings) > openFindings {
			t.Errorf("%d findings, more than the %d known to be open", len(res.Findings), openFindings)
		}
		for _, e := range res.Errors {
			t.Error(e)
		}
		for _, id := range p.Unregistered {
			t.Errorf("table %s is published but not registered with the attacker (internal/attack/read.go, readers)", id)
		}
	}
	for _, lang := range []string{"nl", "en"} {
		t.Run("demo "+lang, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if code, _, stderr := runCLI(t, nil, "demo", "--out", out, "--lang", lang); code != exitOK {
				t.Fatalf("demo: exit %d: %s", code, stderr)
			}
			check(t, out, 0)
		})
	}
	key := newKeyFile(t)
	// Open findings measured on 2026-12-02: 103, 53 and 14 (issue 12's
	// closing note), then 15, 8 and 1 once breakdowns and cohort years of a
	// hidden total, or with every group hidden, are withdrawn, and 14, 7 and
	// 0 once a programme's subjects are published or hidden alike in every
	// table (subjectsPublished). The rest: a rate's "×" n bounded above by
	// the programme's published subjects (n ≤ 14 leaves [10, 14]), the
	// definitions sharing that n, and a contrast's stacked persons. Each
	// ceiling has a margin of a quarter (at least one), as the random key
	// changes which person lands in which cell of the pseudonym order.
	for _, size := range []struct{ persons, events, open int }{{60, 200, 18}, {300, 1200, 9}, {1500, 6000, 1}} {
		t.Run(fmt.Sprintf("synthetic %d persons", size.persons), func(t *testing.T) {
			dir := t.TempDir()
			if code, _, stderr := runCLI(t, nil, "synth", "--out", dir, "--persons", fmt.Sprint(size.persons), "--events", fmt.Sprint(size.events), "--seed", fmt.Sprint(size.persons)); code != exitOK {
				t.Fatalf("synth: exit %d: %s", code, stderr)
			}
			out := filepath.Join(t.TempDir(), "out")
			if code, _, stderr := runCLI(t, nil, "run", "--study", filepath.Join(dir, "study.yaml"), "--out", out, "--key-file", key); code != exitOK {
				t.Fatalf("run: exit %d: %s", code, stderr)
			}
			check(t, out, size.open)
		})
	}
}
