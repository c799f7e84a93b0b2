package main

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/outcomes-research/outcomes/internal/bench"
)

func TestValidateBenchArgs(t *testing.T) {
	good := benchOptions{Dir: "/tmp/x", Runs: 3, BatchSize: 1000, Sizes: []string{"0.1M", "1M"}}
	tests := []struct {
		name    string
		edit    func(*benchOptions)
		wantErr string
	}{
		{"ok", func(*benchOptions) {}, ""},
		{"no dir", func(o *benchOptions) { o.Dir = "" }, "--dir"},
		{"no runs", func(o *benchOptions) { o.Runs = 0 }, "--runs"},
		{"bad batch", func(o *benchOptions) { o.BatchSize = 0 }, "--batch-size"},
		{"no sizes", func(o *benchOptions) { o.Sizes = nil }, "--sizes"},
		{"bad size", func(o *benchOptions) { o.Sizes = []string{"lots"} }, "--sizes"},
		{"tiny size", func(o *benchOptions) { o.Sizes = []string{"10"} }, "too small"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := good
			tc.edit(&o)
			sizes, err := validateBenchArgs(o)
			if tc.wantErr == "" {
				if err != nil || len(sizes) != 2 || sizes[0].Events != 100000 || sizes[1].Events != 1000000 {
					t.Fatalf("got %v, %v", sizes, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one mentioning %q", err, tc.wantErr)
			}
		})
	}
}

// TestBenchChildCommandLines holds the contract between internal/bench,
// which writes the children's command lines, and the flags of this
// command, which read them: the baseline child's hidden flags give back
// the same job, and the pipeline child's line is a valid `outcomes run`.
func TestBenchChildCommandLines(t *testing.T) {
	t.Run("baseline", func(t *testing.T) {
		for _, job := range []string{"/w/work/baseline-job.json", "/w/a b/job.json", "job.json"} {
			args := bench.BaselineArgs(job)
			if args[0] != "bench" {
				t.Fatalf("baseline child runs %q, want bench", args[0])
			}
			var o benchOptions
			fs := pflag.NewFlagSet("bench", pflag.ContinueOnError)
			o.AddFlags(fs)
			if err := parseFlags(fs, args[1:]); err != nil {
				t.Fatalf("parsing %q: %v", args, err)
			}
			if o.Baseline != job {
				t.Errorf("%q reads back as job %q, want %q", args, o.Baseline, job)
			}
		}
	})
	t.Run("pipeline", func(t *testing.T) {
		args := bench.PipelineArgs("/w/study/study.yaml", "/w/work/out", 4096, "/w/work/pipeline.json")
		if args[0] != "run" {
			t.Fatalf("pipeline child runs %q, want run", args[0])
		}
		var o runOptions
		fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
		o.AddFlags(fs)
		if err := parseFlags(fs, args[1:]); err != nil {
			t.Fatalf("parsing %q: %v", args, err)
		}
		if err := validateRunArgs(o); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if o.StudyFile != "/w/study/study.yaml" || o.OutDir != "/w/work/out" || o.BatchSize != 4096 || o.Timings != "/w/work/pipeline.json" {
			t.Errorf("%q reads back as %+v", args, o)
		}
	})
}
