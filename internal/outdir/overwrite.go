package outdir

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// CheckOverwrite refuses, unless force is set, an output folder that holds
// the outputs of an earlier run (files its manifest lists): nothing a
// command wrote before is replaced without --force. The error is an *Error
// (exit 6) naming the folder, the flag that chose it, the outputs there
// (the first six by name) and --force; a folder
// without a manifest (new, or holding only files of others, which Commit
// never replaces) passes.
func CheckOverwrite(flag, outDir string, force bool) error {
	if force {
		return nil
	}
	owned, err := readManifest(outDir)
	if err != nil {
		return Fail(err)
	}
	if len(owned) == 0 {
		return nil
	}
	return Fail(fmt.Errorf("%s %s already holds the outputs of an earlier run (%s, listed in %s); pass --force to replace them, or choose another %s",
		flag, outDir, listNames(owned, 6), ManifestFile, flag))
}

// listNames names the top-level entries of the manifest's paths in
// order, a folder as "name/", at most n of them, and counts the rest:
// "a, b/, c and 2 more".
func listNames(set map[string]bool, n int) string {
	top := map[string]bool{}
	for p := range set {
		if first, _, nested := strings.Cut(p, "/"); nested {
			top[first+"/"] = true
		} else {
			top[p] = true
		}
	}
	names := slices.Sorted(maps.Keys(top))
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

// BeginReplacing is Begin after CheckOverwrite: for a command whose
// earlier outputs are replaced only when the user says so.
func BeginReplacing(flag, outDir string, warn io.Writer, force bool) (*Staging, error) {
	if err := CheckOverwrite(flag, outDir, force); err != nil {
		return nil, err
	}
	return Begin(outDir, warn)
}
