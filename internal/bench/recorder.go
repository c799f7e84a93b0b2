package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/internal/observe"
)

// Recorder measures one run of the pipeline for `outcomes run --timings`:
// wall time, CPU time and peak RSS per stage of the run, the busy times of
// the flow's overlapping stages summed over the exports, and the rows read.
// It is an observer the pipeline is handed (observe.Observer); it changes
// nothing in the run.
type Recorder struct {
	rows   int64
	busy   flow.Busy
	stages []stage
	// begin and beginCPU are when the current stage began.
	begin, start time.Time
	beginCPU     time.Duration
}

var _ observe.Observer = (*Recorder)(nil)

// stage is one finished stage of the run.
type stage struct {
	name      string
	wall, cpu time.Duration
	// peak is the stage's peak RSS in bytes; hasPeak is false where the
	// kernel cannot tell (stagePeakRSS).
	peak    int64
	hasPeak bool
}

// NewRecorder starts the clock of the first stage. Per-stage peaks reset
// the process's peak RSS, so make a Recorder only when timings are asked
// for.
func NewRecorder() *Recorder {
	now := time.Now()
	stagePeakRSS() // from here on, each stage reads its own peak
	return &Recorder{begin: now, start: now, beginCPU: processCPU()}
}

// At is part of flow.Observer; the recorder needs no points.
func (r *Recorder) At(flow.Point) {}

// FileDone adds an export's rows and busy times.
func (r *Recorder) FileDone(res flow.Result) {
	r.rows += int64(res.File.RowsRead)
	r.busy.Add(res.Busy)
}

// StageDone ends the current stage, named name, and starts the next.
func (r *Recorder) StageDone(name string) {
	now, cpu := time.Now(), processCPU()
	s := stage{name: name, wall: now.Sub(r.begin), cpu: cpu - r.beginCPU}
	s.peak, s.hasPeak = stagePeakRSS()
	r.stages = append(r.stages, s)
	r.begin, r.beginCPU = now, cpu
}

// Write stores the measurement as JSON in path, durations in seconds:
// rows; read, pseudonymise and load (busy times); per stage its wall time
// under its name, cpu_<stage> and rss_<stage> (bytes); total (wall time
// from NewRecorder to the last stage's end).
func (r *Recorder) Write(path string) error {
	fields := map[string]any{
		"rows": r.rows, "read": r.busy.Read.Seconds(), "pseudonymise": r.busy.Pseudonymise.Seconds(),
		"load": r.busy.Write.Seconds(),
	}
	total := time.Duration(0)
	for _, s := range r.stages {
		fields[s.name] = s.wall.Seconds()
		fields["cpu_"+s.name] = s.cpu.Seconds()
		if s.hasPeak {
			fields["rss_"+s.name] = s.peak
		}
		total += s.wall
	}
	fields["total"] = total.Seconds()
	data, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing timings: %w", err)
	}
	return nil
}

// processCPU is the CPU time this process has used so far (user + system,
// every thread, DuckDB's too).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Committing is part of observe.Observer; the recorder needs it not.
func (r *Recorder) Committing() {}
