package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// ttyBuffer is a buffer that says it is a terminal (progress.IsTerminal).
type ttyBuffer struct{ bytes.Buffer }

func (*ttyBuffer) IsTerminal() bool { return true }

// TestStagesOnATerminal: a run shows every stage after the exports' bars
// (opening the database, linking, computing the outcomes, writing the
// report, saving the database) with its time when stderr is a terminal,
// and none of it when stderr is not one.
func TestStagesOnATerminal(t *testing.T) {
	key := newKeyFile(t)
	studyFile := writeLinkStudy(t, t.TempDir(), linkStudyHead+linkStudyJustitie, linkExports())
	stages := []string{"opening the database", "linking persons across the exports", "computing the outcomes",
		"writing the report and the tables", "saving the database"}
	for _, tty := range []bool{true, false} {
		var stdout bytes.Buffer
		var stderr interface {
			Write([]byte) (int, error)
			String() string
		} = &bytes.Buffer{}
		if tty {
			stderr = &ttyBuffer{}
		}
		out := filepath.Join(t.TempDir(), "out")
		code := run(context.Background(), []string{"run", "--study", studyFile, "--out", out, "--key-file", key},
			env{stdin: strings.NewReader(""), stdout: &stdout, stderr: stderr, getenv: func(string) string { return "" }})
		if code != exitOK {
			t.Fatalf("run (terminal %v) exited %d: %s", tty, code, stderr.String())
		}
		for _, s := range stages {
			if got := strings.Contains(stderr.String(), s+" "); got != tty {
				t.Errorf("terminal %v: stage %q shown: %v\n%s", tty, s, got, stderr.String())
			}
		}
		if tty && strings.Count(stderr.String(), " s done") < len(stages) {
			t.Errorf("fewer than %d stages drawn done with their time:\n%s", len(stages), stderr.String())
		}
		if strings.Contains(stdout.String(), "computing the outcomes") {
			t.Error("stage lines on stdout")
		}
	}
}
