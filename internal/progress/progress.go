package progress

import (
	"io"
	"os"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// File draws the reading progress of one export: bytes read of the file's
// size. A nil *File draws nothing, so callers need not check; ForFile
// returns nil unless w is a terminal.
type File struct {
	p     *mpb.Progress
	bar   *mpb.Bar
	total int64
}

// ForFile starts a progress bar on w for the file at path, labelled label,
// when w is a terminal; otherwise it returns nil (silent).
func ForFile(w io.Writer, label, path string) *File {
	if !IsTerminal(w) {
		return nil
	}
	st, err := os.Stat(path)
	if err != nil || st.Size() == 0 {
		return nil
	}
	return To(w, label, st.Size())
}

// IsTerminal says whether w is a terminal, where progress may be drawn.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// To draws on w whatever w is (tests use a buffer).
func To(w io.Writer, label string, size int64) *File {
	p := mpb.New(mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithAutoRefresh())
	bar := p.AddBar(size,
		mpb.PrependDecorators(decor.Name(label, decor.WCSyncSpaceR)),
		mpb.AppendDecorators(
			decor.OnAbort(decor.CountersKibiByte("% .1f / % .1f", decor.WCSyncSpace), "stopped"),
			decor.OnCompleteOrOnAbort(decor.Percentage(decor.WCSyncSpace), ""),
		),
	)
	return &File{p: p, bar: bar, total: size}
}

// Set reports the bytes read so far (flow.Options.Progress).
func (f *File) Set(n int64) {
	if f == nil {
		return
	}
	f.bar.SetCurrent(min(n, f.total))
}

// Done completes the bar (ok) or marks it stopped, and waits until it is
// drawn for the last time.
func (f *File) Done(ok bool) {
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
