package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/study"
)

// corpusWant is a corpus case's want.json: what reading its one export must
// give. Absent fields are not checked, except the row counts and the
// quarantine counts, which always are.
type corpusWant struct {
	Note string `json:"note"`
	// Error, when set, lists substrings of the error ReadFile must return;
	// Missing is true when it must be a *ColumnError.
	Error   []string `json:"error"`
	Missing bool     `json:"missing_columns"`

	Read       int            `json:"read"`
	Loaded     int            `json:"loaded"`
	Quarantine map[string]int `json:"quarantine"`
	// Positions lists the quarantined rows as "line:column:rule", in order.
	Positions []string `json:"positions"`

	Encoding            *string           `json:"encoding"`
	Delimiter           *string           `json:"delimiter"`
	BOM                 *bool             `json:"bom"`
	Sheet               *string           `json:"sheet"`
	DetectedDateFormats map[string]string `json:"detected_date_formats"`
	Extra               []string          `json:"extra"`
	Identifiers         []string          `json:"identifiers"`
	Mapped              map[string]string `json:"mapped"`

	UnknownCodes map[string]map[string]int `json:"unknown_codes"`
	// Values lists, per canonical field, the values of the loaded rows in
	// order (dates as yyyy-mm-dd, nulls as ""); only the first len(list)
	// rows are compared.
	Values map[string][]string `json:"values"`
}

// TestCorpus reads every case under testdata/ingest: a folder holding a
// study.yaml with one partner and one export, the export, and want.json.
// Every variant of export the pipeline must read (encodings, delimiters,
// quoting, headers, date forms, spreadsheets, Parquet, every validation
// rule) is a named case there; see testdata/ingest/README.md.
func TestCorpus(t *testing.T) {
	dirs, err := filepath.Glob("../testdata/ingest/*/want.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 20 {
		t.Fatalf("found %d corpus cases, want at least 20", len(dirs))
	}
	for _, wantPath := range dirs {
		dir := filepath.Dir(wantPath)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(wantPath)
			if err != nil {
				t.Fatal(err)
			}
			var want corpusWant
			dec := json.NewDecoder(strings.NewReader(string(data)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&want); err != nil {
				t.Fatalf("%s: %v", wantPath, err)
			}
			runCorpusCase(t, dir, want)
		})
	}
}

func runCorpusCase(t *testing.T, dir string, want corpusWant) {
	st, err := study.Load(filepath.Join(dir, "study.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Partners) != 1 || len(st.Partners[0].Files) != 1 {
		t.Fatalf("a corpus case has one partner with one file")
	}
	f := st.Partners[0].Files[0]
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	var quarantined []ingest.Quarantine
	values := map[string][]string{}
	res, err := ingest.ReadFile(context.Background(), st, st.Partners[0].Name, f, ingest.Options{
		BatchSize: 3, // several batches even for small files
		Allocator: mem,
		Quarantine: func(q ingest.Quarantine) {
			quarantined = append(quarantined, q)
		},
		Emit: func(b ingest.RawBatch) error {
			defer b.Record.Release()
			collectValues(b.Record, want.Values, values)
			return nil
		},
	})
	if len(want.Error) > 0 {
		if err == nil {
			t.Fatalf("ReadFile succeeded, want an error containing %q", want.Error)
		}
		for _, s := range want.Error {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q does not contain %q", err, s)
			}
		}
		var ce *ingest.ColumnError
		if want.Missing != errors.As(err, &ce) {
			t.Errorf("error %q: is a ColumnError = %v, want %v", err, !want.Missing, want.Missing)
		}
	} else if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}

	if res.RowsRead != want.Read || res.RowsEmitted != want.Loaded {
		t.Errorf("rows read/loaded = %d/%d, want %d/%d", res.RowsRead, res.RowsEmitted, want.Read, want.Loaded)
	}
	if err == nil && res.RowsRead != res.RowsEmitted+res.RowsQuarantined {
		t.Errorf("accounting: read %d != loaded %d + quarantined %d", res.RowsRead, res.RowsEmitted, res.RowsQuarantined)
	}
	wantByRule := want.Quarantine
	if wantByRule == nil {
		wantByRule = map[string]int{}
	}
	if !maps.Equal(res.ByRule, wantByRule) {
		t.Errorf("quarantine per rule = %v, want %v", res.ByRule, wantByRule)
	}
	gotByRule := map[string]int{}
	var positions []string
	for _, q := range quarantined {
		gotByRule[string(q.Rule)]++
		if q.File != f.Name || q.Line < 1 {
			t.Errorf("quarantine record %+v lacks its file or line", q)
		}
		if q.Rule != ingest.RuleFieldCount && (q.Column < 1 || q.Field == "" || q.ColumnName == "") && f.Constants[q.Field] == "" {
			t.Errorf("quarantine record %+v lacks its column", q)
		}
		positions = append(positions, position(q))
	}
	if !maps.Equal(gotByRule, res.ByRule) {
		t.Errorf("quarantine records per rule = %v, FileResult.ByRule = %v", gotByRule, res.ByRule)
	}
	if want.Positions != nil && !slices.Equal(positions, want.Positions) {
		t.Errorf("quarantined positions = %q, want %q", positions, want.Positions)
	}

	if want.Encoding != nil && res.Info.Encoding != *want.Encoding {
		t.Errorf("encoding = %q, want %q", res.Info.Encoding, *want.Encoding)
	}
	if want.Delimiter != nil && res.Info.Delimiter != *want.Delimiter {
		t.Errorf("delimiter = %q, want %q", res.Info.Delimiter, *want.Delimiter)
	}
	if want.BOM != nil && res.Info.BOM != *want.BOM {
		t.Errorf("BOM = %v, want %v", res.Info.BOM, *want.BOM)
	}
	if want.Sheet != nil && res.Info.Sheet != *want.Sheet {
		t.Errorf("sheet = %q, want %q", res.Info.Sheet, *want.Sheet)
	}
	if want.DetectedDateFormats != nil && !maps.Equal(res.DetectedDateFormats, want.DetectedDateFormats) {
		t.Errorf("detected date formats = %v, want %v", res.DetectedDateFormats, want.DetectedDateFormats)
	}
	if want.Extra != nil && !slices.Equal(res.Extra, want.Extra) {
		t.Errorf("extra columns = %q, want %q", res.Extra, want.Extra)
	}
	if want.Identifiers != nil && !slices.Equal(res.Identifiers, want.Identifiers) {
		t.Errorf("identifier columns = %q, want %q", res.Identifiers, want.Identifiers)
	}
	if want.Mapped != nil && !maps.Equal(res.Mapped, want.Mapped) {
		t.Errorf("mapped = %q, want %q", res.Mapped, want.Mapped)
	}
	if want.UnknownCodes != nil {
		if len(res.UnknownCodes) != len(want.UnknownCodes) {
			t.Errorf("unknown codes = %v, want %v", res.UnknownCodes, want.UnknownCodes)
		}
		for field, codes := range want.UnknownCodes {
			if !maps.Equal(res.UnknownCodes[field], codes) {
				t.Errorf("unknown %s codes = %v, want %v", field, res.UnknownCodes[field], codes)
			}
		}
	}
	for field, wantVals := range want.Values {
		got := values[field]
		if len(got) > len(wantVals) {
			got = got[:len(wantVals)]
		}
		if !slices.Equal(got, wantVals) {
			t.Errorf("%s values = %q, want %q", field, got, wantVals)
		}
	}
}

func position(q ingest.Quarantine) string {
	return strings.Join([]string{itoa(q.Line), itoa(q.Column), string(q.Rule)}, ":")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// collectValues appends, for each field named in want, the batch's values
// as text.
func collectValues(rec arrow.RecordBatch, want map[string][]string, into map[string][]string) {
	for i, fd := range rec.Schema().Fields() {
		if _, ok := want[fd.Name]; !ok {
			continue
		}
		col := rec.Column(i)
		for r := 0; r < col.Len(); r++ {
			v := ""
			if !col.IsNull(r) {
				switch c := col.(type) {
				case *array.String:
					v = c.Value(r)
				case *array.Date32:
					v = c.Value(r).FormattedString()
				default:
					v = c.ValueStr(r)
				}
			}
			into[fd.Name] = append(into[fd.Name], v)
		}
	}
}
