package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/internal/summary"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/study"
)

// pseudonymiseOptions are the flags of `outcomes pseudonymise`.
type pseudonymiseOptions struct {
	StudyFile string
	Partner   string
	OutDir    string
	KeyFile   string
	BatchSize int
	Force     bool
}

func (o *pseudonymiseOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.StudyFile, "study", "", "study definition file (YAML) that describes the partner's exports")
	fs.StringVar(&o.Partner, "partner", "", "partner whose exports to pseudonymise (its name in the study file)")
	fs.StringVar(&o.OutDir, "out", "", "output folder for the pseudonymised exports (created if missing)")
	fs.StringVar(&o.KeyFile, "key-file", "", "study key file (mode 0600); default: the key in $"+pseudonymise.KeyEnvVar)
	fs.IntVar(&o.BatchSize, "batch-size", ingest.DefaultBatchSize, "rows per Arrow batch between stages")
	fs.BoolVar(&o.Force, "force", false, "replace the pseudonymised exports an earlier run wrote to --out")
}

// validatePseudonymiseArgs checks the flags without touching the file system.
func validatePseudonymiseArgs(o pseudonymiseOptions) error {
	switch {
	case o.StudyFile == "":
		return errors.New("--study is required: the study definition file")
	case o.Partner == "":
		return errors.New("--partner is required: the partner whose exports to pseudonymise")
	case o.OutDir == "":
		return errors.New("--out is required: the folder for the pseudonymised exports")
	}
	return ingest.CheckBatchSize(o.BatchSize)
}

// cmdPseudonymise is supplier-side pseudonymisation: a partner turns its raw
// exports into exports without direct identifiers, with the study key, and
// sends those instead. Every check that can fail on the user's input (study
// file, partner, key, export kinds) runs before the output folder is made,
// so a refused run writes nothing.
func cmdPseudonymise(ctx context.Context, args []string, e env) error {
	var o pseudonymiseOptions
	fs := newFlagSet("pseudonymise", "pseudonymise --study FILE --partner NAME --out DIR [--key-file FILE]", e)
	o.AddFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := validatePseudonymiseArgs(o); err != nil {
		return badUsage(err)
	}
	st, err := study.Load(o.StudyFile)
	if err != nil {
		return err
	}
	partner, err := st.Partner(o.Partner)
	if err != nil {
		return badUsage(fmt.Errorf("--partner %w", err))
	}
	if err := pseudonymise.CheckSupplierExports(partner.Files); err != nil {
		return fmt.Errorf("partner %s: %w", partner.Name, err)
	}
	key, err := pseudonymise.LoadKey(o.KeyFile, e.getenv)
	if err != nil {
		return err
	}
	return pseudonymisePartner(ctx, st, partner, key, o, e)
}

// pseudonymisePartner streams every export of partner (flow.Stream) into
// a supplier folder staged in the output folder, then commits it.
func pseudonymisePartner(ctx context.Context, st *study.Study, partner study.Partner, key pseudonymise.Key,
	o pseudonymiseOptions, e env) error {
	stage, err := outdir.BeginReplacing("--out", o.OutDir, e.stderr, o.Force)
	if err != nil {
		return err
	}
	defer stage.Cleanup(e.stderr)
	folder, err := pseudonymise.NewSupplierFolder(stage.Dir(), partner.Name, key)
	if err != nil {
		return err
	}
	p := pseudonymise.NewForStudy(key, st)
	var done []summary.SupplierFile
	for _, f := range partner.Files {
		sink, err := folder.Export(f)
		if err != nil {
			return err
		}
		res, err := flow.Stream(ctx, flow.Export{Study: st, Partner: partner.Name, File: f}, p, sink, flow.Options{BatchSize: o.BatchSize, ProgressTo: e.stderr})
		if err != nil {
			return err
		}
		if err := sink.Close(); err != nil {
			return err
		}
		done = append(done, summary.SupplierFile{Result: res, Out: sink.Name})
	}
	outputs, err := folder.Close()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := stage.Commit(nil, outputs...); err != nil {
		return err
	}
	summary.Supplier(e.stdout, done)
	fmt.Fprintf(e.stdout, "\nwrote the pseudonymised exports, %s (why rows were left out: line, column, rule) and %s to %s\n",
		pseudonymise.SupplierQuarantine, pseudonymise.SupplierFragment, o.OutDir)
	fmt.Fprintf(e.stdout, "study key fingerprint %s: the researcher's run must use the same key\n", key.Fingerprint())
	return nil
}
