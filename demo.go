// Package outcomes holds the bundled demo study. The pipeline itself lives in
// the stage packages (ingest, pseudonymise, store, analyses, reports) and is
// wired in cmd/outcomes.
package outcomes

import (
	"embed"
	"io/fs"
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
