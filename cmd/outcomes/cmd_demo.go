package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/outcomes-research/outcomes"
	"github.com/outcomes-research/outcomes/internal/version"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/study"
)

// demoKey pseudonymises the synthetic demo data only. It is public, so it
// must never be used for a real study: `outcomes run` does not accept it.
const demoKey = "64656d6f2d6b65792d6e6f742d7365637265742d6e6576657220757365206d65"

type demoOptions struct {
	OutDir, Lang string
	Force        bool
}

func (o *demoOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.OutDir, "out", "", "output folder for the database and report (created if missing)")
	fs.StringVar(&o.Lang, "lang", "nl", "report language: nl or en")
	fs.BoolVar(&o.Force, "force", false, forceUsage)
}

func cmdDemo(ctx context.Context, args []string, e env) error {
	var o demoOptions
	fs := newFlagSet("demo", "demo --out DIR [--lang nl|en] [--force]", e)
	o.AddFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if o.OutDir == "" {
		return badUsage(errors.New("--out is required: the folder for the demo database and report"))
	}
	if err := validateRunArgs(runOptions{StudyFile: "demo", OutDir: o.OutDir, Lang: o.Lang, BatchSize: 1}); err != nil {
		return badUsage(err)
	}
	studyFile, remove, err := outcomes.UnpackDemoStudy()
	if err != nil {
		return err
	}
	defer remove()
	st, err := study.Load(studyFile)
	if err != nil {
		return fmt.Errorf("bug: the bundled demo study is invalid: %v", err)
	}
	key, err := pseudonymise.KeyFromText(demoKey)
	if err != nil {
		return fmt.Errorf("bug: demo key: %v", err)
	}
	return runPipeline(ctx, pipelineConfig{Study: st, Key: key, OutDir: o.OutDir, Lang: o.Lang, BatchSize: 65536,
		CommandLine: version.CommandLine("demo", args), Force: o.Force}, e)
}
