//go:build linux || darwin

package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// TestProgressOnlyOnATerminal runs `outcomes run` with stderr on a real
// pseudo-terminal (creack/pty) and then on a file: on the terminal the
// exports' progress bars (drawn with escape sequences), the rows read per
// export and every later stage with its time are shown; in the file none
// of that is, and no escape sequence or carriage return either, while the
// warnings and the accounting still arrive (stdout). TestStagesOnATerminal
// covers the same with a writer that only says it is a terminal.
func TestProgressOnlyOnATerminal(t *testing.T) {
	key := newKeyFile(t)
	studyFile := writeLinkStudy(t, t.TempDir(), linkStudyHead+linkStudyJustitie, linkExports())
	runWith := func(t *testing.T, stderr *os.File) (string, int) {
		t.Helper()
		var stdout bytes.Buffer
		out := filepath.Join(t.TempDir(), "out")
		code := run(context.Background(), []string{"run", "--study", studyFile, "--out", out, "--key-file", key},
			env{stdin: strings.NewReader(""), stdout: &stdout, stderr: stderr, getenv: func(string) string { return "" }})
		if !strings.Contains(stdout.String(), "quarantined") {
			t.Errorf("no accounting on stdout:\n%s", stdout.String())
		}
		return stdout.String(), code
	}
	drawn := []string{"\x1b[", "read Justitie / ", "linking persons across the exports", "computing the outcomes", " s done"}

	t.Run("terminal", func(t *testing.T) {
		master, tty, err := pty.Open()
		if err != nil {
			t.Skipf("no pseudo-terminal here: %v", err)
		}
		defer master.Close()
		if err := pty.Setsize(tty, &pty.Winsize{Rows: 40, Cols: 120}); err != nil {
			t.Fatal(err)
		}
		var screen bytes.Buffer
		done := make(chan struct{})
		go func() { // drain the terminal, or a full buffer blocks the run
			io.Copy(&screen, master)
			close(done)
		}()
		_, code := runWith(t, tty)
		tty.Close() // the reader then ends (EIO on Linux)
		<-done
		if code != exitOK {
			t.Fatalf("run exited %d:\n%s", code, screen.String())
		}
		for _, want := range drawn {
			if !strings.Contains(screen.String(), want) {
				t.Errorf("the terminal does not show %q:\n%q", want, screen.String())
			}
		}
	})
	t.Run("file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "stderr.txt")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		_, code := runWith(t, f)
		f.Close()
		if code != exitOK {
			t.Fatalf("run exited %d", code)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, unwanted := range append(drawn, "\r") {
			if strings.Contains(string(data), unwanted) {
				t.Errorf("stderr in a file holds %q:\n%q", unwanted, data)
			}
		}
	})
}
