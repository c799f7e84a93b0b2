package bench

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/outcomes-research/outcomes/ingest/synth"
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/study"
)

// Config is one benchmark: what [Run] measures and where. The command
// checks its flags before it builds a Config; Run refuses a Config that
// breaks the rules below as a bug.
type Config struct {
	// Binary is the outcomes binary the children run. Empty: this
	// process's own executable.
	Binary string
	// Dir is the work folder: the synthetic studies are generated in it
	// once and reused, and the children's databases and timings are
	// written under Dir/work. Required.
	Dir string
	// Sizes are the study sizes, measured and reported in this order. At
	// least one.
	Sizes []Size
	// Runs is the number of runs per size (at least 1); medians over them
	// are reported.
	Runs int
	// BatchSize is the rows per Arrow batch passed to `outcomes run` (at
	// least 1).
	BatchSize int
	// Seed is the seed of the synthetic studies; a study is reused only
	// for the same size and seed.
	Seed int64
}

// Size is one study size: Events offence registrations in the justice
// extract and Events / 10 persons.
type Size struct {
	// Label is the size as the user wrote it (e.g. "0.1M"), used in the
	// progress lines and the tables.
	Label  string
	Events int
}

// MinEvents is the smallest study size the benchmark generates.
const MinEvents = 1000

// ParseCount reads a number of events written as 100000, 100K, 0.1M or
// 10M (suffixes in either case, spaces around ignored). It refuses zero,
// negative numbers and more than a billion.
func ParseCount(s string) (int, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := 1.0
	switch {
	case strings.HasSuffix(t, "M"):
		mult, t = 1e6, strings.TrimSuffix(t, "M")
	case strings.HasSuffix(t, "K"):
		mult, t = 1e3, strings.TrimSuffix(t, "K")
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f <= 0 || f*mult > 1e9 {
		return 0, fmt.Errorf("%q is not a size like 100000, 100K or 0.1M", s)
	}
	return int(f*mult + 0.5), nil
}

// check returns the first rule of Config that c breaks, or nil.
func (c Config) check() error {
	switch {
	case c.Dir == "":
		return errors.New("no work folder")
	case c.Runs < 1:
		return fmt.Errorf("%d runs", c.Runs)
	case c.BatchSize < 1:
		return fmt.Errorf("batch size %d", c.BatchSize)
	case len(c.Sizes) == 0:
		return errors.New("no sizes")
	}
	for _, s := range c.Sizes {
		if s.Events < MinEvents {
			return fmt.Errorf("size %q of %d events", s.Label, s.Events)
		}
	}
	return nil
}

// Run generates or reuses the study of each size in c.Dir, measures the
// pipeline and the baseline c.Runs times per size, interleaved, as child
// processes, and writes the medians to stdout as Markdown. Progress goes
// to stderr. A work folder or study that cannot be written is an
// [*outdir.Error]; a generated study that cannot be read is the error of
// study.Load or a [*flow.InputError]; a child that fails is returned with
// its stderr; an interruption is the context's error.
func Run(ctx context.Context, c Config, stdout, stderr io.Writer) error {
	if err := c.check(); err != nil {
		return fmt.Errorf("bug: invalid benchmark configuration: %w", err)
	}
	self := c.Binary
	if self == "" {
		var err error
		if self, err = os.Executable(); err != nil {
			return fmt.Errorf("finding the outcomes binary: %w", err)
		}
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return outdir.Fail(fmt.Errorf("creating %s: %w", c.Dir, err))
	}
	// A fresh random key for the children; it is passed in their
	// environment only and never written.
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	b := &benchmark{cfg: c, self: self, key: hex.EncodeToString(secret), log: stderr, generator: synth.Version}
	for _, s := range c.Sizes {
		st, err := b.prepare(s)
		if err != nil {
			return err
		}
		b.studies = append(b.studies, st)
	}
	for r := 0; r < c.Runs; r++ {
		for _, st := range b.studies {
			for _, p := range order(r) {
				if err := b.measure(ctx, st, p, r); err != nil {
					return err
				}
			}
		}
	}
	b.print(stdout, thisMachine())
	return nil
}

// benchmark holds the state of one benchmark invocation.
type benchmark struct {
	cfg     Config
	self    string
	key     string
	log     io.Writer
	studies []*benchStudy
	// generator is the synth.Version the studies were generated with.
	generator int
}

// benchStudy is one generated study and its measurements.
type benchStudy struct {
	size       Size
	dir        string
	inputBytes int64
	inputRows  int64
	// exports are the study's exports as the baseline reads them;
	// justice indexes the justice extract among them.
	exports []store.CSVFile
	justice int
	// runs holds the measurements of each program, in run order.
	runs [numPrograms][]measurement
}

// Stamp is what the benchmark writes next to a study it generated
// (generator.json): the generator's version and the configuration. A
// study is reused only when its stamp equals the one wanted.
type Stamp struct {
	Generator int   `json:"generator_version"`
	Seed      int64 `json:"seed"`
	Persons   int   `json:"persons"`
	Events    int   `json:"events"`
}

// stampFile is the name of the stamp in a study folder.
const stampFile = "generator.json"

// stampFor is the stamp of the study of size s with seed seed, generated
// by this binary's generator.
func stampFor(s Size, seed int64) Stamp {
	return Stamp{Generator: synth.Version, Seed: seed, Persons: s.Events / 10, Events: s.Events}
}

// staleness says why the study in dir must be generated (again), or ""
// when it can be reused: it was generated completely (truth.json and the
// stamp are there; the stamp is written last) by the same generator
// version with the same configuration.
func staleness(dir string, want Stamp) string {
	if _, err := os.Stat(filepath.Join(dir, "truth.json")); err != nil {
		return "no study yet"
	}
	data, err := os.ReadFile(filepath.Join(dir, stampFile))
	if errors.Is(err, os.ErrNotExist) {
		return "generated before the generator's version was recorded"
	}
	var got Stamp
	if err != nil || json.Unmarshal(data, &got) != nil {
		return "its " + stampFile + " cannot be read"
	}
	switch {
	case got.Generator != want.Generator:
		return fmt.Sprintf("generated by generator version %d, this one is %d", got.Generator, want.Generator)
	case got != want:
		return fmt.Sprintf("generated with %+v, want %+v", got, want)
	}
	return ""
}

// prepare generates the study of a size, or reuses one generated before
// by the same generator version (staleness).
func (b *benchmark) prepare(s Size) (*benchStudy, error) {
	dir := filepath.Join(b.cfg.Dir, fmt.Sprintf("study-%d-seed%d", s.Events, b.cfg.Seed))
	want := stampFor(s, b.cfg.Seed)
	if why := staleness(dir, want); why != "" {
		fmt.Fprintf(b.log, "bench: generating %s events (%d persons) in %s (%s)\n", s.Label, want.Persons, dir, why)
		t := time.Now()
		// The folder is the benchmark's own (study-N-seedS in its work
		// folder); an older study's files must not survive next to the new.
		if err := os.RemoveAll(dir); err != nil {
			return nil, outdir.Fail(err)
		}
		if _, err := synth.Write(dir, synth.Config{Seed: want.Seed, Persons: want.Persons, Events: want.Events}); err != nil {
			return nil, outdir.Fail(err)
		}
		data, err := json.Marshal(want)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, stampFile), append(data, '\n'), 0o644); err != nil {
			return nil, outdir.Fail(err)
		}
		fmt.Fprintf(b.log, "bench: generated in %.1f s\n", time.Since(t).Seconds())
	} else {
		fmt.Fprintf(b.log, "bench: reusing %s (generator version %d)\n", dir, want.Generator)
	}
	st, err := study.Load(filepath.Join(dir, "study.yaml"))
	if err != nil {
		return nil, err
	}
	bs := &benchStudy{size: s, dir: dir, justice: -1}
	for _, p := range st.Partners {
		for _, f := range p.Files {
			fi, err := os.Stat(f.Path)
			if err != nil {
				return nil, &flow.InputError{Err: err}
			}
			bs.inputBytes += fi.Size()
			n, err := countLines(f.Path)
			if err != nil {
				return nil, &flow.InputError{Err: err}
			}
			bs.inputRows += n - 1
			if f.Kind == study.KindEvents && bs.justice < 0 {
				bs.justice = len(bs.exports)
			}
			bs.exports = append(bs.exports, baselineFile(f, len(bs.exports)+1))
		}
	}
	if bs.justice < 0 {
		return nil, fmt.Errorf("bug: the synthetic study in %s has no event file", dir)
	}
	return bs, nil
}

// baselineFile is how a researcher would read export f with read_csv:
// its delimiter, and latin-1 (DuckDB's built-in single-byte encoding) for
// Windows-1252; the i-th export goes into table export_i_<kind>.
func baselineFile(f study.File, i int) store.CSVFile {
	c := store.CSVFile{Path: f.Path, Table: fmt.Sprintf("export_%d_%s", i, f.Kind), Delim: f.Delimiter}
	if strings.EqualFold(f.Encoding, "windows-1252") {
		c.Encoding = "latin-1"
	}
	return c
}

// countLines counts the lines of a file (the synthetic exports have no
// newlines inside fields).
func countLines(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var n int64
	r := bufio.NewReaderSize(f, 1<<20)
	buf := make([]byte, 1<<20)
	for {
		k, err := r.Read(buf)
		n += int64(bytes.Count(buf[:k], []byte{'\n'}))
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
