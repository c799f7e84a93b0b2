package source

// Formats: the export file formats this package reads, and how a file's
// format is chosen (declared, else from its extension).

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Format is an export's file format. Its names are stable: the study file
// declares them (format: csv) and the database stores them
// (source_file.format, from Info.Format). Formats lists every format once.
type Format string

// The formats. A format added here must be added to Formats as well; a test
// checks that every constant of type Format is listed there once.
const (
	// FormatCSV: delimited text (';' ',' tab or '|'), UTF-8 or Windows-1252.
	FormatCSV Format = "csv"
	// FormatXLSX: an Excel workbook, one sheet of it.
	FormatXLSX Format = "xlsx"
	// FormatParquet: an Apache Parquet file.
	FormatParquet Format = "parquet"
)

// formats is every format once, in the order messages name them, each with
// its one-line description and the file extensions that choose it.
var formats = []struct {
	format      Format
	description string
	extensions  []string
}{
	{FormatCSV, "delimited text (; , tab or |) in UTF-8 or Windows-1252", []string{".csv", ".txt", ".tsv"}},
	{FormatXLSX, "an Excel workbook (one sheet)", []string{".xlsx", ".xlsm"}},
	{FormatParquet, "an Apache Parquet file", []string{".parquet", ".pq"}},
}

// Formats returns every export format once, in the order messages name them
// (csv, xlsx, parquet). The slice is new on every call.
func Formats() []Format {
	out := make([]Format, len(formats))
	for i, f := range formats {
		out[i] = f.format
	}
	return out
}

// Description is the one-line description of the format (English, without
// a final full stop); "" for a name that is not a format.
func (f Format) Description() string {
	for _, x := range formats {
		if x.format == f {
			return x.description
		}
	}
	return ""
}

// formatList names the formats for a message: "csv, xlsx or parquet".
func formatList() string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = string(f.format)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// formatOf is the declared format (any case), else the one the file's
// extension (any case) chooses.
func formatOf(path string, declared Format) (Format, error) {
	if declared != "" {
		f := Format(strings.ToLower(string(declared)))
		if slices.Contains(Formats(), f) {
			return f, nil
		}
		return "", fmt.Errorf("opening %s: unknown format %q: use %s", path, declared, formatList())
	}
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range formats {
		for _, e := range f.extensions {
			if ext == e {
				return f.format, nil
			}
		}
	}
	return "", fmt.Errorf("opening %s: cannot tell the format from the extension: set the format (%s)", path, formatList())
}
