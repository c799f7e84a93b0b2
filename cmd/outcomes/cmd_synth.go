package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/outcomes-research/outcomes/ingest/synth"
	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/internal/progress"
)

type synthOptions struct {
	OutDir  string
	Demo    bool
	Seed    int64
	Scale   float64
	Persons int
	Events  int
	Force   bool
	Errors  bool
}

func (o *synthOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.OutDir, "out", "", "folder to write study.yaml, the exports and truth.json into")
	fs.BoolVar(&o.Demo, "demo", false, "write exactly the bundled demo study")
	fs.Int64Var(&o.Seed, "seed", 1, "random seed")
	fs.Float64Var(&o.Scale, "scale", 1, "size relative to the demo study")
	fs.IntVar(&o.Persons, "persons", 0, "number of persons (overrides --scale)")
	fs.IntVar(&o.Events, "events", 0, "number of offence registrations (overrides --scale)")
	fs.BoolVar(&o.Force, "force", false, "overwrite a study already in --out")
	fs.BoolVar(&o.Errors, "linkage-errors", false, "inject registration errors into names and birth dates, link probabilistically, and write which row is whose to DIR.linkage-truth.csv")
}

func cmdSynth(_ context.Context, args []string, e env) error {
	var o synthOptions
	fs := newFlagSet("synth", "synth --out DIR [--demo | --seed N --scale X | --persons N --events M] [--linkage-errors]", e)
	o.AddFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if o.OutDir == "" {
		return badUsage(errors.New("--out is required: the folder to write the synthetic study into"))
	}
	if err := synth.CheckSizes(o.Scale, o.Persons, o.Events); err != nil {
		return badUsage(err)
	}
	if _, err := os.Stat(filepath.Join(o.OutDir, "study.yaml")); err == nil && !o.Force {
		return outdir.Fail(fmt.Errorf("%s already holds a study (study.yaml); choose another --out or pass --force to overwrite it", o.OutDir))
	}
	cfg := synth.Config{Seed: o.Seed, Scale: o.Scale, Persons: o.Persons, Events: o.Events}
	if o.Demo {
		cfg = synth.DemoConfig()
	}
	cfg.LinkageErrors = o.Errors
	truth, err := progress.During(e.stderr, "writing the synthetic study", func() (synth.Truth, error) { return synth.Write(o.OutDir, cfg) })
	if err != nil {
		return outdir.Fail(err)
	}
	fmt.Fprintf(e.stdout, "wrote a synthetic study of %d persons to %s (study.yaml, exports, truth.json)\n", truth.Persons, o.OutDir)
	if o.Errors {
		fmt.Fprintf(e.stdout, "registration errors injected; which row is whose: %s (outside the study folder)\n", synth.LinkageTruthPath(o.OutDir))
	}
	return nil
}
