package ingest

// Detection: without a declared date format, ReadFile holds back a sample
// of leading rows and detects the format of each date column from it.

import (
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/outcomes-research/outcomes/ingest/parse"
	"github.com/outcomes-research/outcomes/ingest/source"
	"github.com/outcomes-research/outcomes/study"
)

// DateSampleRows is how many leading data rows ReadFile holds back to detect
// the date format of each date column when the study file declares none;
// fewer when they hold more than DateSampleBytes of text.
const (
	DateSampleRows  = 1000
	DateSampleBytes = 4 << 20
)

// detectDates holds back up to DateSampleRows rows, detects the date format
// of each mapped date column from them (recorded in res) and returns a
// function that yields the held-back rows and then the rest of the file.
// Memory is bounded by the sample, whose records are bounded by the source.
func (m *mapper) detectDates(src source.Reader, res *FileResult) func() (source.Row, error) {
	var dates []int // positions in m.columns
	for i, c := range m.columns {
		if c.index >= 0 && study.IsDate(c.field) {
			dates = append(dates, i)
		}
	}
	if len(dates) == 0 {
		return src.Next
	}
	// The sample keeps record errors (rows the reader could not decode) in
	// their place, for ReadFile to quarantine; any other error ends it.
	type sampled struct {
		row source.Row
		err error
	}
	var sample []sampled
	var stop error
	for size := 0; len(sample) < DateSampleRows && size < DateSampleBytes; {
		row, err := src.Next()
		if err != nil && (errors.Is(err, io.EOF) || source.IsFatal(err)) {
			stop = err
			break
		}
		row.Fields = slices.Clone(row.Fields)
		for i, f := range row.Fields {
			row.Fields[i] = strings.Clone(f)
			size += len(f)
		}
		sample = append(sample, sampled{row, err})
	}
	values := make([][]string, len(dates))
	var undecided []int // indexes into dates
	for k, i := range dates {
		c := &m.columns[i]
		for _, sm := range sample {
			if sm.err == nil && len(sm.row.Fields) == m.header {
				values[k] = append(values[k], sm.row.Fields[c.index])
			}
		}
		f, err := parse.DetectDateFormat(values[k])
		switch {
		case err == nil:
			c.format = f
			res.DetectedDateFormats[c.field.Name] = string(f)
		case errors.Is(err, parse.ErrAmbiguousDate):
			undecided = append(undecided, k)
		}
	}
	// A column whose values read both ways (only 03/04/2024-like dates)
	// takes the day-month order of the file's other slash-dated columns,
	// when their values decide it (a birth date 25/03/1980): one system
	// writes its dates one way. Otherwise its values stay undecided.
	for _, k := range undecided {
		pooled := slices.Clone(values[k])
		for j, i := range dates {
			if f := m.columns[i].format; j != k && strings.Contains(string(f), "/") {
				pooled = append(pooled, values[j]...)
			}
		}
		if f, err := parse.DetectDateFormat(pooled); err == nil && strings.Contains(string(f), "/") {
			c := &m.columns[dates[k]]
			c.format = f
			res.DetectedDateFormats[c.field.Name] = string(f)
		}
	}
	clear(values)
	return func() (source.Row, error) {
		if len(sample) > 0 {
			sm := sample[0]
			sample[0] = sampled{}
			sample = sample[1:]
			return sm.row, sm.err
		}
		if stop != nil {
			return source.Row{}, stop
		}
		return src.Next()
	}
}
