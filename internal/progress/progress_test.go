package progress

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestProgressDraws(t *testing.T) {
	var buf bytes.Buffer
	p := To(&buf, "Partner / export.csv", 1000)
	p.Set(500)
	p.Set(2000) // beyond the size: clamped
	p.Done(true)
	if !strings.Contains(buf.String(), "Partner / export.csv") || !strings.Contains(buf.String(), "1000.0 b") {
		t.Errorf("progress output %q lacks the label or the file size", buf.String())
	}
	var nilBar *File
	nilBar.Set(1) // silent when stderr is not a terminal
	nilBar.Done(false)
	if ForFile(&buf, "x", "y") != nil {
		t.Error("a progress bar on a stderr that is not a terminal")
	}
}

// terminal is a buffer that says it is a terminal.
type terminal struct {
	bytes.Buffer
	tty bool
}

func (t *terminal) IsTerminal() bool { return t.tty }

// TestStagesDrawOnATerminalOnly: each stage is drawn with its name and the
// time it took, done or stopped, on a terminal; nothing on another writer.
func TestStagesDrawOnATerminalOnly(t *testing.T) {
	w := &terminal{tty: true}
	s := NewStages(w)
	s.Start("linking persons across the exports")
	time.Sleep(150 * time.Millisecond)
	s.Start("computing the outcomes") // ends the first as done
	s.Stop(false)
	s.Stop(false) // no current stage: nothing
	out := w.String()
	for _, want := range []string{"linking persons across the exports", "computing the outcomes", " s done", " s stopped"} {
		if !strings.Contains(out, want) {
			t.Errorf("stage output %q lacks %q", out, want)
		}
	}
	if !regexp.MustCompile(`✓  linking persons across the exports (0\.[1-9]|[1-9][0-9]*\.[0-9]) s done`).MatchString(out) {
		t.Errorf("the first stage is not drawn done with its time (0.15 s) before the second: %q", out)
	}
	if strings.Index(out, "done") > strings.Index(out, "computing the outcomes") {
		t.Errorf("the first stage is not done before the second starts: %q", out)
	}

	quiet := &terminal{tty: false}
	q := NewStages(quiet)
	q.Start("linking persons across the exports")
	q.Stop(true)
	if quiet.Len() != 0 {
		t.Errorf("stages drawn on a writer that is not a terminal: %q", quiet.String())
	}
	var nilStages *Stages
	nilStages.Stop(true)

	w = &terminal{tty: true}
	_, err := During(w, "writing the synthetic study", func() (int, error) { return 0, errors.New("disk full") })
	if err == nil || err.Error() != "disk full" || !strings.Contains(w.String(), "writing the synthetic study") || !strings.Contains(w.String(), " stopped") {
		t.Errorf("During: error %v, output %q", err, w.String())
	}
}
