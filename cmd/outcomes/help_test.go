package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestHelpOnStdout: every command's --help, and `outcomes help CMD`, print
// the synopsis, the flags, an example and the exit codes on stdout, exit
// 0 and write nothing on stderr.
func TestHelpOnStdout(t *testing.T) {
	for _, c := range commands() {
		for _, args := range [][]string{{c.name, "--help"}, {"help", c.name}} {
			code, stdout, stderr := runCLI(t, nil, args...)
			if code != exitOK || stderr != "" {
				t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
			}
			for _, want := range []string{"Usage: outcomes " + c.name, "Flags:", "Example:\n  outcomes " + c.name, "Exit codes:"} {
				if !strings.Contains(stdout, want) {
					t.Errorf("%v: help lacks %q:\n%s", args, want, stdout)
				}
			}
			// pflag takes a back-quoted word in a flag's description as
			// its value name: none may be there.
			if strings.Contains(stdout, " outcomes run  ") || strings.Contains(stdout, "--timings outcomes") {
				t.Errorf("%v: a flag's value name is a back-quoted word:\n%s", args, stdout)
			}
		}
	}
}

// TestDidYouMean: a mistyped command or flag gets the nearest name.
func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"chekc", "--study", "x"}, `did you mean "check"?`},
		{[]string{"pseudonymize"}, `did you mean "pseudonymise"?`},
		{[]string{"run", "--keyfile", "k"}, "did you mean --key-file?"},
		{[]string{"check", "--studdy", "s.yaml"}, "did you mean --study?"},
	} {
		code, _, stderr := runCLI(t, nil, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, exitUsage, tc.want)
		}
	}
	if _, _, stderr := runCLI(t, nil, "report"); strings.Contains(stderr, "did you mean") {
		t.Errorf("a guess for a name close to nothing: %q", stderr)
	}
}

// TestSynthRefusesToOverwrite: synth into a folder that holds a study
// refuses (exit 6) unless --force.
func TestSynthRefusesToOverwrite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s")
	args := []string{"synth", "--out", out, "--persons", "50", "--events", "200"}
	if code, _, stderr := runCLI(t, nil, args...); code != exitOK {
		t.Fatalf("first synth: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, nil, args...); code != exitOutput || !strings.Contains(stderr, "--force") {
		t.Errorf("second synth: exit %d, stderr %q; want %d and a hint at --force", code, stderr, exitOutput)
	}
	if code, _, stderr := runCLI(t, nil, append(args, "--force")...); code != exitOK {
		t.Errorf("synth --force: exit %d: %s", code, stderr)
	}
}
