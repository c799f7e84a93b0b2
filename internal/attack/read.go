package attack

import (
	"encoding/csv"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// The column headers of persons and events in the report's rate tables, in
// each language of the report.
var (
	personsHeaders = []string{"Aantal personen", "People"}
	eventsHeaders  = []string{"Met uitkomst", "With outcome"}
)

// table is one published CSV file.
type table struct {
	id     string
	header []string
	rows   [][]string
}

func (t table) col(names []string) int {
	return slices.IndexFunc(t.header, func(h string) bool { return slices.Contains(names, h) })
}

// ReadReport reads a report's output folder (tables/*.csv and report.html)
// into a Problem: every rate cell of the all-cohorts totals (rates_*), the
// headline (the same cells again), the cohort years of each programme
// (trend_*, matched to their programme by the table's caption in
// report.html), the breakdowns (breakdown_*) and the families table, with
// the relations a reader can see: each programme and window's total is the
// sum of its cohorts and of the groups of each breakdown.
func ReadReport(dir string, minCell int, zerosDisclosive bool) (*Problem, error) {
	files, err := filepath.Glob(filepath.Join(dir, "tables", "*.csv"))
	if err != nil {
		return nil, err
	}
	var tables []table
	for _, f := range files {
		t, err := readCSV(f)
		if err != nil {
			return nil, err
		}
		tables = append(tables, t)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		return nil, err
	}
	p := &Problem{MinCell: minCell}
	cell := func(t table, row []string, name string) (Cell, bool) {
		pi, ei := t.col(personsHeaders), t.col(eventsHeaders)
		if pi < 0 || ei < 0 {
			return Cell{}, false
		}
		n, okN := Label(row[pi], minCell, zerosDisclosive)
		e, okE := Label(row[ei], minCell, zerosDisclosive)
		if !okN {
			return Cell{}, false
		}
		if !okE {
			if n.Exact() && n.Lo == 0 {
				e = Interval{0, 0} // nobody, so nobody with the event
			} else {
				return Cell{}, false
			}
		}
		return Cell{Name: name, N: n, E: e}, true
	}
	totals := map[string]int{}      // programme|window → cell
	windowOf := map[string]string{} // programme → headline window
	var headline []int
	for _, t := range tables {
		if !strings.HasPrefix(t.id, "rates_") {
			continue
		}
		for _, row := range t.rows {
			key := row[0] + "|" + row[1]
			if c, ok := cell(t, row, t.id+": "+row[0]+", "+row[1]); ok {
				totals[key] = len(p.Cells)
				p.Cells = append(p.Cells, c)
			}
		}
	}
	for _, t := range tables {
		switch {
		case t.id == "headline":
			for _, row := range t.rows {
				windowOf[row[0]] = row[2]
				if c, ok := cell(t, row, t.id+": "+row[0]); ok {
					headline = append(headline, len(p.Cells))
					p.Cells = append(p.Cells, c)
					if tot, ok := totals[row[0]+"|"+row[2]]; ok {
						p.Same = append(p.Same, [2]int{tot, len(p.Cells) - 1})
					}
				}
			}
		}
	}
	caption := captions(string(page))
	for _, t := range tables {
		switch {
		case strings.HasPrefix(t.id, "trend_"):
			desc := caption[t.id]
			programme := ""
			for name := range windowOf {
				if strings.Contains(desc, name) && len(name) > len(programme) {
					programme = name
				}
			}
			tot, ok := totals[programme+"|"+windowOf[programme]]
			if !ok {
				return nil, fmt.Errorf("%s: no total found for its programme (caption %q)", t.id, desc)
			}
			rel := []int{tot}
			for _, row := range t.rows {
				if c, ok := cell(t, row, t.id+": "+row[0]); ok {
					rel = append(rel, len(p.Cells))
					p.Cells = append(p.Cells, c)
				}
			}
			p.Relations = append(p.Relations, rel)
		case strings.HasPrefix(t.id, "breakdown_"):
			rels := map[string][]int{}
			var order []string
			for _, row := range t.rows {
				tot, ok := totals[row[0]+"|"+row[1]]
				if !ok {
					return nil, fmt.Errorf("%s: no total for %s, %s", t.id, row[0], row[1])
				}
				key := row[0] + "|" + row[1] + "|" + row[2]
				if _, seen := rels[key]; !seen {
					rels[key] = []int{tot}
					order = append(order, key)
				}
				if c, ok := cell(t, row, t.id+": "+strings.Join(row[:4], ", ")); ok {
					rels[key] = append(rels[key], len(p.Cells))
					p.Cells = append(p.Cells, c)
				}
			}
			for _, k := range order {
				p.Relations = append(p.Relations, rels[k])
			}
		case t.id == "families":
			for _, row := range t.rows {
				if c, ok := cell(t, row, t.id+": "+strings.Join(row[:3], ", ")); ok {
					p.Cells = append(p.Cells, c)
				}
			}
		}
	}
	return p, nil
}

func readCSV(path string) (table, error) {
	f, err := os.Open(path)
	if err != nil {
		return table{}, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return table{}, fmt.Errorf("reading %s: %w", path, err)
	}
	t := table{id: strings.TrimSuffix(filepath.Base(path), ".csv")}
	if len(recs) > 0 {
		t.header, t.rows = recs[0], recs[1:]
	}
	return t, nil
}

var tableCaption = regexp.MustCompile(`<table data-table="(\w+)">\s*<caption>([^<]*)</caption>`)

// captions returns the caption of every table in the report, by table ID.
func captions(page string) map[string]string {
	out := map[string]string{}
	for _, m := range tableCaption.FindAllStringSubmatch(page, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}
