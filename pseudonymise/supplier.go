package pseudonymise

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/study"
)

// Files of a supplier folder besides the pseudonymised exports.
const (
	// SupplierFragment is the study-file entry for the pseudonymised
	// exports, for the researcher's study file.
	SupplierFragment = "study-fragment.yaml"
	// SupplierQuarantine lists the rows left out: file, line, column and
	// rule, never a value.
	SupplierQuarantine = "quarantine.csv"
)

// SupplierFolder writes what a partner sends instead of its raw exports
// (`outcomes pseudonymise`): per export its pseudonymised CSV
// (ExportWriter), one SupplierQuarantine for all of them and the
// SupplierFragment that reads them back.
type SupplierFolder struct {
	dir, fingerprint string
	quarantineFile   *os.File
	quarantine       *csv.Writer
	used             map[string]bool
	fragment         strings.Builder
	exports          []string
}

// NewSupplierFolder starts a supplier folder in dir (which exists) for
// partner's exports, pseudonymised with key. Errors writing the folder are
// *outdir.Error, here and in the methods.
func NewSupplierFolder(dir, partner string, key Key) (*SupplierFolder, error) {
	qf, err := os.Create(filepath.Join(dir, SupplierQuarantine))
	if err != nil {
		return nil, outdir.Fail(err)
	}
	s := &SupplierFolder{dir: dir, fingerprint: key.Fingerprint(), quarantineFile: qf, quarantine: csv.NewWriter(qf),
		used: map[string]bool{SupplierFragment: true, SupplierQuarantine: true}}
	s.quarantine.Write([]string{"file", "line", "column", "column_name", "field", "rule"})
	fmt.Fprintf(&s.fragment, "# Study-file entries for the pseudonymised exports of partner %s,\n", strconv.Quote(partner))
	fmt.Fprintf(&s.fragment, "# written by `outcomes pseudonymise` with the study key of fingerprint %s.\n", s.fingerprint)
	s.fragment.WriteString("# Put the .csv files next to the study file (or change the paths) and use\n# this partner entry instead of the one with the raw exports.\n")
	fmt.Fprintf(&s.fragment, "partners:\n  - name: %s\n    files:\n", strconv.Quote(partner))
	return s, nil
}

// CheckSupplierExports says whether every export in files can be written
// in pseudonymised form (NewExportWriter), before anything is read or
// written.
func CheckSupplierExports(files []study.File) error {
	for _, f := range files {
		if _, err := NewExportWriter(io.Discard, f); err != nil {
			return err
		}
	}
	return nil
}

// SupplierExport is the pseudonymised form of one export being written: a
// sink for the flow (internal/flow.Sink) that writes batches to the
// export's CSV and quarantine records to the folder's SupplierQuarantine.
type SupplierExport struct {
	folder *SupplierFolder
	file   *os.File
	writer *ExportWriter
	// Name is the file name of the pseudonymised export in the folder.
	Name string
}

// Export starts the pseudonymised form of export f, named after it
// (exportName).
func (s *SupplierFolder) Export(f study.File) (*SupplierExport, error) {
	name := exportName(f.Name, s.used)
	fh, err := os.Create(filepath.Join(s.dir, name))
	if err != nil {
		return nil, outdir.Fail(err)
	}
	x, err := NewExportWriter(fh, f)
	if err != nil {
		fh.Close()
		return nil, err
	}
	return &SupplierExport{folder: s, file: fh, writer: x, Name: name}, nil
}

// Quarantine records a row left out, by position and rule.
func (e *SupplierExport) Quarantine(q ingest.Quarantine) error {
	col := ""
	if q.Column > 0 {
		col = strconv.Itoa(q.Column)
	}
	return e.folder.quarantine.Write([]string{q.File, strconv.Itoa(q.Line), col, q.ColumnName, q.Field, string(q.Rule)})
}

// Write appends b's rows to the export's CSV and releases b.
func (e *SupplierExport) Write(_ context.Context, b Batch) error {
	defer b.Release()
	if err := e.writer.Write(b); err != nil {
		return outdir.Fail(fmt.Errorf("writing the pseudonymised form of %s: %w", b.File, err))
	}
	return nil
}

// Close finishes the export's CSV and adds its entry to the fragment.
func (e *SupplierExport) Close() error {
	defer e.file.Close()
	if err := e.writer.Flush(); err != nil {
		return outdir.Fail(fmt.Errorf("writing the pseudonymised form of %s: %w", e.writer.file.Name, err))
	}
	if err := e.file.Close(); err != nil {
		return outdir.Fail(fmt.Errorf("writing the pseudonymised form of %s: %w", e.writer.file.Name, err))
	}
	e.folder.fragment.WriteString(e.writer.StudyEntry(e.Name, e.folder.fingerprint))
	e.folder.exports = append(e.folder.exports, e.Name)
	return nil
}

// Close writes the quarantine list and the fragment, and returns the names
// of every file of the folder.
func (s *SupplierFolder) Close() ([]string, error) {
	defer s.quarantineFile.Close()
	s.quarantine.Flush()
	if err := s.quarantine.Error(); err != nil {
		return nil, outdir.Fail(fmt.Errorf("writing %s: %w", SupplierQuarantine, err))
	}
	if err := s.quarantineFile.Close(); err != nil {
		return nil, outdir.Fail(fmt.Errorf("writing %s: %w", SupplierQuarantine, err))
	}
	if err := os.WriteFile(filepath.Join(s.dir, SupplierFragment), []byte(s.fragment.String()), 0o644); err != nil {
		return nil, outdir.Fail(fmt.Errorf("writing %s: %w", SupplierFragment, err))
	}
	return append([]string{SupplierFragment, SupplierQuarantine}, s.exports...), nil
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
