package progress

import (
	"bytes"
	"strings"
	"testing"
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
