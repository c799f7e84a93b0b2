package version

import (
	"runtime/debug"
	"strconv"
	"strings"
)

// Tool is the version of outcomes, recorded in every run's provenance.
const Tool = "0.1.0"

// Commit is the VCS revision the binary was built from, with "-dirty"
// when the work tree had changes; "" when the build does not say.
func Commit() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	rev, dirty := "", ""
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision":
			rev = s.Value
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = "-dirty"
		}
	}
	if rev == "" {
		return ""
	}
	return rev + dirty
}

// CommandLine renders the command line of subcommand name for the
// provenance, quoting arguments that hold spaces or quotes.
func CommandLine(name string, args []string) string {
	parts := []string{"outcomes", name}
	for _, a := range args {
		if strings.ContainsAny(a, " \t\"'") {
			a = strconv.Quote(a)
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}
