// Package outcomes holds the bundled demo study. The pipeline itself lives in
// the stage packages (ingest, pseudonymise, store, analyses, reports) and is
// wired in cmd/outcomes.
package outcomes

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed testdata/demo
var demo embed.FS

// DemoStudy returns the bundled synthetic demo study: study.yaml and the
// partner exports it names, written by ingest/synth.
func DemoStudy() fs.FS {
	sub, err := fs.Sub(demo, "testdata/demo")
	if err != nil {
		panic("bug: demo study not embedded: " + err.Error())
	}
	return sub
}

// UnpackDemoStudy writes the demo study into a new temporary folder and
// returns the path of its study file and a function that removes the
// folder.
func UnpackDemoStudy() (studyFile string, remove func(), err error) {
	dir, err := os.MkdirTemp("", "outcomes-demo-study-")
	if err != nil {
		return "", nil, fmt.Errorf("unpacking the demo study: %w", err)
	}
	remove = func() { os.RemoveAll(dir) }
	if err := os.CopyFS(dir, DemoStudy()); err != nil {
		remove()
		return "", nil, fmt.Errorf("unpacking the demo study: %w", err)
	}
	return filepath.Join(dir, "study.yaml"), remove, nil
}
