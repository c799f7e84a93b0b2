package main

import (
	"io"
	"os"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// fileProgress draws the reading progress of one export on stderr: bytes
// read of the file's size. A nil *fileProgress draws nothing, so callers
// need not check; newProgress returns nil unless stderr is a terminal.
type fileProgress struct {
	p     *mpb.Progress
	bar   *mpb.Bar
	total int64
}

// newProgress starts a progress bar for the file at path, labelled label,
// when stderr is a terminal; otherwise it returns nil (silent).
func newProgress(e env, label, path string) *fileProgress {
	if !e.stderrIsTerminal() {
		return nil
	}
	st, err := os.Stat(path)
	if err != nil || st.Size() == 0 {
		return nil
	}
	return newProgressTo(e.stderr, label, st.Size())
}

// newProgressTo draws on w whatever w is (tests use a buffer).
func newProgressTo(w io.Writer, label string, size int64) *fileProgress {
	p := mpb.New(mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithAutoRefresh())
	bar := p.AddBar(size,
		mpb.PrependDecorators(decor.Name(label, decor.WCSyncSpaceR)),
		mpb.AppendDecorators(
			decor.OnAbort(decor.CountersKibiByte("% .1f / % .1f", decor.WCSyncSpace), "stopped"),
			decor.OnCompleteOrOnAbort(decor.Percentage(decor.WCSyncSpace), ""),
		),
	)
	return &fileProgress{p: p, bar: bar, total: size}
}

// set reports the bytes read so far; ingest.Options.Progress calls it.
func (f *fileProgress) set(n int64) {
	if f == nil {
		return
	}
	f.bar.SetCurrent(min(n, f.total))
}

// done completes the bar (ok) or marks it stopped, and waits until it is
// drawn for the last time.
func (f *fileProgress) done(ok bool) {
	if f == nil {
		return
	}
	if ok {
		f.bar.SetCurrent(f.total)
	} else {
		f.bar.Abort(false)
	}
	f.p.Wait()
}
