package progress

import (
	"fmt"
	"io"
	"os"
	"time"

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

// IsTerminal says whether w is a terminal, where progress may be drawn: a
// character device, or a writer that says so itself (IsTerminal() bool; a
// test's stand-in for a terminal).
func IsTerminal(w io.Writer) bool {
	if t, ok := w.(interface{ IsTerminal() bool }); ok {
		return t.IsTerminal()
	}
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

// Stages shows which stage of a run is under way after the last export's
// bar (linking, the analyses, the report): a spinner with the stage's name
// and the time it has taken, on a terminal; nothing when w is not one. One
// stage is shown at a time: Start ends the previous stage as done.
type Stages struct {
	w   io.Writer
	on  bool
	cur *stage
}

type stage struct {
	p   *mpb.Progress
	bar *mpb.Bar
}

// NewStages returns the stage display for w, silent unless w is a
// terminal (IsTerminal).
func NewStages(w io.Writer) *Stages {
	return &Stages{w: w, on: IsTerminal(w)}
}

// Start ends the current stage as done and shows the next one, label.
func (s *Stages) Start(label string) {
	s.Stop(true)
	if !s.on {
		return
	}
	start := time.Now()
	p := mpb.New(mpb.WithOutput(s.w), mpb.WithWidth(80), mpb.WithAutoRefresh())
	bar := p.New(1, mpb.SpinnerStyle().PositionLeft(), mpb.BarWidth(1),
		mpb.BarFillerOnComplete("✓"),
		mpb.AppendDecorators(
			decor.Name(" "+label+" "),
			decor.Any(func(decor.Statistics) string { return fmt.Sprintf("%.1f s", time.Since(start).Seconds()) }),
			decor.OnAbort(decor.OnComplete(decor.Name(""), " done"), " stopped"),
		),
	)
	s.cur = &stage{p: p, bar: bar}
}

// Stop ends the current stage, as done (ok) or stopped, and waits until it
// is drawn for the last time; without a current stage it does nothing, so
// a deferred Stop(false) marks only a stage that an error left open.
func (s *Stages) Stop(ok bool) {
	if s == nil || s.cur == nil {
		return
	}
	if ok {
		s.cur.bar.SetCurrent(1)
	} else {
		s.cur.bar.Abort(false)
	}
	s.cur.p.Wait()
	s.cur = nil
}

// During runs do as one stage called label on w (Stages), marked done when
// it returns no error and stopped otherwise, and returns what it returns.
func During[T any](w io.Writer, label string, do func() (T, error)) (T, error) {
	s := NewStages(w)
	s.Start(label)
	v, err := do()
	s.Stop(err == nil)
	return v, err
}
