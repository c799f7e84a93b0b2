package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/study"
)

// Output files of `outcomes pseudonymise` besides the exports.
const (
	fragmentFile          = "study-fragment.yaml"
	supplierQuarantineCSV = "quarantine.csv"
)

// pseudonymiseOptions are the flags of `outcomes pseudonymise`.
type pseudonymiseOptions struct {
	StudyFile string
	Partner   string
	OutDir    string
	KeyFile   string
	BatchSize int
}

func (o *pseudonymiseOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.StudyFile, "study", "", "study definition file (YAML) that describes the partner's exports")
	fs.StringVar(&o.Partner, "partner", "", "partner whose exports to pseudonymise (its name in the study file)")
	fs.StringVar(&o.OutDir, "out", "", "output folder for the pseudonymised exports (created if missing)")
	fs.StringVar(&o.KeyFile, "key-file", "", "study key file (mode 0600); default: the key in $"+pseudonymise.KeyEnvVar)
	fs.IntVar(&o.BatchSize, "batch-size", ingest.DefaultBatchSize, "rows per Arrow batch between stages")
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
	case o.BatchSize < 1:
		return errors.New("--batch-size must be at least 1")
	}
	return nil
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
	partner, err := findPartner(st, o.Partner)
	if err != nil {
		return badUsage(err)
	}
	for _, f := range partner.Files {
		if _, err := pseudonymise.NewExportWriter(discard{}, f); err != nil {
			return fmt.Errorf("partner %s: %w", partner.Name, err)
		}
	}
	key, err := pseudonymise.LoadKey(o.KeyFile, e.getenv)
	if err != nil {
		return err
	}
	return pseudonymisePartner(ctx, st, partner, key, o, e)
}

func findPartner(st *study.Study, name string) (study.Partner, error) {
	var names []string
	for _, p := range st.Partners {
		if p.Name == name {
			return p, nil
		}
		names = append(names, strconv.Quote(p.Name))
	}
	return study.Partner{}, fmt.Errorf("--partner %q is not in the study file; its partners are %s", name, strings.Join(names, ", "))
}

// discard is an io.Writer that drops everything (a dry run of the header).
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// supplierFile is the outcome of pseudonymising one export.
type supplierFile struct {
	out string
	res flow.Result
}

func pseudonymisePartner(ctx context.Context, st *study.Study, partner study.Partner, key pseudonymise.Key,
	o pseudonymiseOptions, e env) error {
	stage, err := outdir.Begin(o.OutDir, e.stderr)
	if err != nil {
		return err
	}
	defer stage.Cleanup(e.stderr)

	qf, err := os.Create(stage.Path(supplierQuarantineCSV))
	if err != nil {
		return outdir.Fail(err)
	}
	defer qf.Close()
	qw := csv.NewWriter(qf)
	qw.Write([]string{"file", "line", "column", "column_name", "field", "rule"})

	p := pseudonymise.NewForStudy(key, st)
	names := map[string]bool{fragmentFile: true, supplierQuarantineCSV: true}
	var done []supplierFile
	var fragment strings.Builder
	fmt.Fprintf(&fragment, "# Study-file entries for the pseudonymised exports of partner %s,\n", strconv.Quote(partner.Name))
	fmt.Fprintf(&fragment, "# written by `outcomes pseudonymise` with the study key of fingerprint %s.\n", key.Fingerprint())
	fragment.WriteString("# Put the .csv files next to the study file (or change the paths) and use\n# this partner entry instead of the one with the raw exports.\n")
	fmt.Fprintf(&fragment, "partners:\n  - name: %s\n    files:\n", strconv.Quote(partner.Name))
	for _, f := range partner.Files {
		out := exportName(f.Name, names)
		sf, entry, err := pseudonymiseFile(ctx, flow.Export{Study: st, Partner: partner.Name, File: f}, p, key.Fingerprint(), stage.Path(out), o.BatchSize, qw)
		if err != nil {
			return err
		}
		sf.out = out
		done = append(done, sf)
		fragment.WriteString(entry)
	}
	qw.Flush()
	if err := qw.Error(); err != nil {
		return outdir.Fail(fmt.Errorf("writing %s: %w", supplierQuarantineCSV, err))
	}
	if err := qf.Close(); err != nil {
		return outdir.Fail(fmt.Errorf("writing %s: %w", supplierQuarantineCSV, err))
	}
	if err := os.WriteFile(stage.Path(fragmentFile), []byte(fragment.String()), 0o644); err != nil {
		return outdir.Fail(fmt.Errorf("writing %s: %w", fragmentFile, err))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	outputs := []string{fragmentFile, supplierQuarantineCSV}
	for _, sf := range done {
		outputs = append(outputs, sf.out)
	}
	if err := stage.Commit(nil, outputs...); err != nil {
		return err
	}
	printSupplierSummary(e, done, o.OutDir, key)
	return nil
}

// pseudonymiseFile streams one export (flow.Stream) into its
// pseudonymised form at path and its quarantine records into quarantine;
// it returns the row accounting and the study-file entry.
func pseudonymiseFile(ctx context.Context, ex flow.Export, p *pseudonymise.Pseudonymiser,
	fingerprint, path string, batchSize int, quarantine *csv.Writer) (supplierFile, string, error) {
	fh, err := os.Create(path)
	if err != nil {
		return supplierFile{}, "", outdir.Fail(err)
	}
	defer fh.Close()
	x, err := pseudonymise.NewExportWriter(fh, ex.File)
	if err != nil {
		return supplierFile{}, "", fmt.Errorf("bug: partner %s: %w", ex.Partner, err) // checked before the output folder was made
	}
	res, err := flow.Stream(ctx, ex, p, supplierSink{x, quarantine}, flow.Options{BatchSize: batchSize})
	if err != nil {
		return supplierFile{}, "", err
	}
	if err := x.Flush(); err != nil {
		return supplierFile{}, "", outdir.Fail(fmt.Errorf("writing the pseudonymised form of %s: %w", ex.File.Name, err))
	}
	if err := fh.Close(); err != nil {
		return supplierFile{}, "", outdir.Fail(fmt.Errorf("writing the pseudonymised form of %s: %w", ex.File.Name, err))
	}
	return supplierFile{res: res}, x.StudyEntry(filepath.Base(path), fingerprint), nil
}

// supplierSink is the flow.Sink of `outcomes pseudonymise`: batches to the
// export's pseudonymised CSV, quarantine records (line, column, rule;
// never a value) to the partner's quarantine.csv.
type supplierSink struct {
	export     *pseudonymise.ExportWriter
	quarantine *csv.Writer
}

func (s supplierSink) Quarantine(q ingest.Quarantine) error {
	col := ""
	if q.Column > 0 {
		col = strconv.Itoa(q.Column)
	}
	return s.quarantine.Write([]string{q.File, strconv.Itoa(q.Line), col, q.ColumnName, q.Field, string(q.Rule)})
}

func (s supplierSink) Write(_ context.Context, b pseudonymise.Batch) error {
	defer b.Release()
	if err := s.export.Write(b); err != nil {
		return outdir.Fail(fmt.Errorf("writing the pseudonymised form of %s: %w", b.File, err))
	}
	return nil
}

// exportName names the pseudonymised form of export name: its base name
// with extension .pseudonymised.csv, numbered when two exports share one.
func exportName(name string, used map[string]bool) string {
	base := filepath.Base(name)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	out := base + ".pseudonymised.csv"
	for i := 2; used[out]; i++ {
		out = fmt.Sprintf("%s-%d.pseudonymised.csv", base, i)
	}
	used[out] = true
	return out
}

func printSupplierSummary(e env, files []supplierFile, outDir string, key pseudonymise.Key) {
	w := e.stdout
	fmt.Fprintf(w, "%-34s %-40s %9s %9s %12s\n", "export", "pseudonymised as", "read", "written", "quarantined")
	for _, f := range files {
		q := f.res.Quarantined()
		fmt.Fprintf(w, "%-34s %-40s %9d %9d %12d\n", f.res.File.File, f.out, f.res.File.RowsRead, f.res.File.RowsRead-q, q)
	}
	fmt.Fprintf(w, "\nlinkage\n%-34s %9s %9s %9s  %s\n", "export", "bsn", "fallback", "none", "BSN not used, per reason")
	for _, f := range files {
		var rejected []string
		links := f.res.Links
		for _, reason := range slices.Sorted(maps.Keys(links.BSNRejected)) {
			if n := links.BSNRejected[reason]; n > 0 {
				rejected = append(rejected, fmt.Sprintf("%s %d", reason, n))
			}
		}
		fmt.Fprintf(w, "%-34s %9d %9d %9d  %s\n", f.res.File.File, links.ByBSN, links.ByFallback, links.Unlinked, strings.Join(rejected, ", "))
	}
	fmt.Fprintf(w, "\nwrote the pseudonymised exports, %s (why rows were left out: line, column, rule) and %s to %s\n", supplierQuarantineCSV, fragmentFile, outDir)
	fmt.Fprintf(w, "study key fingerprint %s: the researcher's run must use the same key\n", key.Fingerprint())
}
