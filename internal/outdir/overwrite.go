package outdir

import (
	"fmt"
	"io"
)

// CheckOverwrite refuses, unless force is set, an output folder that holds
// the outputs of an earlier run (files its manifest lists): nothing a
// command wrote before is replaced without --force. The error is an *Error
// (exit 6) naming the folder, the flag that chose it and --force; a folder
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
	files := fmt.Sprintf("%d files", len(owned))
	if len(owned) == 1 {
		files = "1 file"
	}
	return Fail(fmt.Errorf("%s %s already holds the outputs of an earlier run (%s, listed in %s); pass --force to replace them, or choose another %s",
		flag, outDir, files, ManifestFile, flag))
}

// BeginReplacing is Begin after CheckOverwrite: for a command whose
// earlier outputs are replaced only when the user says so.
func BeginReplacing(flag, outDir string, warn io.Writer, force bool) (*Staging, error) {
	if err := CheckOverwrite(flag, outDir, force); err != nil {
		return nil, err
	}
	return Begin(outDir, warn)
}
