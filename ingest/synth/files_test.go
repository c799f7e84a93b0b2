package synth

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/outcomes-research/outcomes/ingest/parse"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/study"
)

// fileRow is one valid row as an independent reader of the exports sees it.
type fileRow struct {
	bsn, fallback string // identity keys; either may be empty
	prog          string // canonical programme; "" for events
	start, end    time.Time
	release       time.Time
	dest          string
	date          time.Time // events
	// An offence's case number ("" without one: a case of its own) and
	// whether its disposal counts (not in non_counting_disposals).
	caseID string
	counts bool
}

// readStudy reads every export through the study file, with the ingest
// date parser and the pseudonymise normalisers, applying the quarantine
// rules the pipeline applies. It shares no code with the generator.
func readStudy(t *testing.T, dir string) (*study.Study, []fileRow, map[string]int, map[string]int) {
	t.Helper()
	s, err := study.Load(dir + "/study.yaml")
	if err != nil {
		t.Fatalf("the generated study file does not load: %v", err)
	}
	var rows []fileRow
	quarantine := map[string]int{} // file|rule
	rowCount := map[string]int{}
	for _, p := range s.Partners {
		for _, f := range p.Files {
			rel := f.Path[len(dir)+1:]
			data, err := os.ReadFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			var r io.Reader = bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))
			if f.Encoding == "windows-1252" {
				r = charmap.Windows1252.NewDecoder().Reader(r)
			}
			cr := csv.NewReader(r)
			cr.Comma = f.Delimiter
			all, err := cr.ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
			col := map[string]int{}
			for i, h := range all[0] {
				col[h] = i
			}
			for canon, h := range f.Columns {
				if _, ok := col[h]; !ok {
					t.Errorf("%s: the study maps %s to column %q, which the export lacks", rel, canon, h)
				}
			}
			for _, h := range f.Identifiers {
				if _, ok := col[h]; !ok {
					t.Errorf("%s: identifier column %q is missing", rel, h)
				}
			}
			rowCount[rel] = len(all) - 1
			for _, rec := range all[1:] {
				get := func(field string) string {
					if v, ok := f.Constants[field]; ok {
						return v
					}
					if h, ok := f.Columns[field]; ok {
						return rec[col[h]]
					}
					return ""
				}
				row, rule := readRow(s, f, get)
				if rule == afterCutoff {
					// Loaded, never counted: its person has no other row.
					quarantine[rule]++
					continue
				}
				if rule != "" {
					quarantine[rel+"|"+rule]++
					continue
				}
				rows = append(rows, row)
			}
		}
	}
	return s, rows, quarantine, rowCount
}

func readRow(s *study.Study, f study.File, get func(string) string) (fileRow, string) {
	var row fileRow
	for _, fd := range study.Fields(f.Kind) {
		if fd.Required && get(fd.Name) == "" {
			return row, ruleMissingRequired
		}
	}
	dates := map[string]*time.Time{study.FieldStart: &row.start, study.FieldEnd: &row.end,
		study.FieldRelease: &row.release, study.FieldDate: &row.date}
	var birth time.Time
	dates[study.FieldBirthDate] = &birth
	for _, name := range []string{study.FieldBirthDate, study.FieldStart, study.FieldEnd, study.FieldRelease, study.FieldDate} {
		v := get(name)
		if v == "" {
			continue
		}
		d, err := parse.ParseDate(v, parse.DateFormat(f.DateFormat))
		if err != nil {
			return row, ruleDateInvalid
		}
		if name != study.FieldBirthDate && d.After(s.Cutoff) {
			return row, afterCutoff
		}
		*dates[name] = d
	}
	if f.Kind != study.KindEvents {
		row.date = time.Time{} // an assessment date is no event
	}
	if f.Kind == study.KindEvents {
		et := get(study.FieldEventType)
		if table, ok := f.Codes[study.FieldEventType]; ok {
			et = table[et]
		}
		if et != study.EventOffence {
			row.date = time.Time{} // a detention, death or emigration is no offence
		}
		row.caseID = get(study.FieldCaseID)
		disp := get(study.FieldDisposal)
		if table, ok := f.Codes[study.FieldDisposal]; ok && disp != "" {
			var known bool
			if disp, known = table[disp]; !known {
				return row, ruleUnknownCode
			}
		}
		row.counts = !slices.Contains(s.Outcomes.NonCounting, disp)
	}
	if f.Kind == study.KindTrajectories {
		code := get(study.FieldProgramme)
		if table, ok := f.Codes[study.FieldProgramme]; ok {
			if code, ok = table[code]; !ok {
				return row, ruleUnknownCode
			}
		}
		row.prog = code
		if v := get(study.FieldExitDestination); v != "" {
			var ok bool
			if row.dest, ok = f.Codes[study.FieldExitDestination][v]; !ok {
				return row, ruleUnknownCode
			}
		}
		if !row.end.IsZero() && row.end.Before(row.start) {
			return row, ruleEndBeforeStart
		}
	}
	var d [9]byte
	if pseudonymise.NormaliseBSN(get(study.FieldBSN), &d) == pseudonymise.BSNOK {
		row.bsn = string(d[:])
	}
	if fk := pseudonymise.FallbackKey(nil, get(study.FieldSurname), birth, get(study.FieldSex)); fk != nil {
		row.fallback = string(fk)
	}
	if row.bsn == "" && row.fallback == "" {
		return row, ruleNoIdentifier
	}
	return row, ""
}

// plusMonths adds months clamping to the month's last day, with the time
// package (independently of the generator's day arithmetic).
func plusMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1)
}

// TestTruthMatchesFiles re-reads the exports as the pipeline would (study
// file, date parser, BSN and fallback-key linkage, quarantine rules),
// recomputes every rate by the documented definitions and compares with
// truth.json.
func TestTruthMatchesFiles(t *testing.T) {
	for _, cfg := range []Config{DemoConfig(), {Seed: 4, Scale: 0.5}, {Seed: 9, Scale: 0.5}, {Seed: 11, Persons: 3000, Events: 20000}} {
		t.Run(fmt.Sprintf("%+v", cfg), func(t *testing.T) {
			dir, truth := write(t, cfg)
			s, rows, quarantine, rowCount := readStudy(t, dir)

			for _, f := range truth.Files {
				if rowCount[f.File] != f.Rows {
					t.Errorf("%s: %d rows, truth says %d", f.File, rowCount[f.File], f.Rows)
				}
			}
			want := map[string]int{}
			for _, q := range truth.Quarantine {
				want[q.File+"|"+q.Rule] = q.Count
			}
			if quarantine[afterCutoff] != truth.AfterCutoff {
				t.Errorf("%d rows after the cut-off, truth says %d", quarantine[afterCutoff], truth.AfterCutoff)
			}
			delete(quarantine, afterCutoff)
			for _, k := range slices.Sorted(mapKeys(quarantine)) {
				if quarantine[k] != want[k] {
					t.Errorf("quarantine %s: %d rows, truth says %d", k, quarantine[k], want[k])
				}
			}
			for k, n := range want {
				if quarantine[k] != n {
					t.Errorf("quarantine %s: %d rows, truth says %d", k, quarantine[k], n)
				}
			}

			// Link: a BSN person also owns its fallback key; a row without a
			// valid BSN links through it.
			owner := map[string]string{}
			for _, r := range rows {
				if r.bsn != "" && r.fallback != "" {
					if o, ok := owner[r.fallback]; ok && o != r.bsn {
						t.Fatalf("two BSNs share a fallback key")
					}
					owner[r.fallback] = r.bsn
				}
			}
			byPerson := map[string][]fileRow{}
			for _, r := range rows {
				id := "b" + r.bsn
				if r.bsn == "" {
					id = "f" + r.fallback
					if o, ok := owner[r.fallback]; ok {
						id = "b" + o
					}
				}
				byPerson[id] = append(byPerson[id], r)
			}
			if len(byPerson)+truth.AfterCutoff != truth.Persons {
				t.Errorf("%d persons in the files (and %d after the cut-off), truth says %d", len(byPerson), truth.AfterCutoff, truth.Persons)
			}

			shelter := func(prog string) bool {
				p, _ := s.Programme(prog)
				return p.Shelter
			}
			for _, rate := range truth.Rates {
				eligible, events := 0, 0
				for _, pr := range byPerson {
					var ref time.Time
					for _, r := range pr {
						if r.prog != rate.Programme {
							continue
						}
						var d time.Time
						switch {
						case rate.Outcome == string(study.OutcomeRecidivism):
							d = r.release
						case rate.Outcome == string(study.OutcomeShelterReturn) && shelter(r.prog):
							if r.dest == study.DestIndependentHousing {
								d = r.end
							}
						default:
							d = r.start
						}
						if !d.IsZero() && (ref.IsZero() || d.Before(ref)) {
							ref = d
						}
					}
					if ref.IsZero() {
						continue
					}
					wend := plusMonths(ref, rate.WindowMonths)
					if wend.After(s.Cutoff) {
						continue
					}
					eligible++
					// A shelter stay after the reference date is a return
					// on any day (the demo has no housing programmes). A
					// criminal case is dated by the earliest offence date of
					// its counting rows.
					lo := ref
					var dates []time.Time
					if rate.Outcome == string(study.OutcomeRecidivism) {
						cases := map[string]time.Time{}
						for i, r := range pr {
							if r.date.IsZero() || !r.counts {
								continue
							}
							id := r.caseID
							if id == "" {
								id = "row" + strconv.Itoa(i)
							}
							if d, ok := cases[id]; !ok || r.date.Before(d) {
								cases[id] = r.date
							}
						}
						for _, d := range cases {
							dates = append(dates, d)
						}
					} else {
						for _, r := range pr {
							if shelter(r.prog) {
								dates = append(dates, r.start)
							}
						}
					}
					for _, d := range dates {
						if !d.IsZero() && d.After(lo) && !d.After(wend) {
							events++
							break
						}
					}
				}
				name := rate.Programme + " " + rate.Outcome + " " + strconv.Itoa(rate.WindowMonths)
				if eligible != rate.Eligible || events != rate.Events {
					t.Errorf("%s: files give %d events of %d eligible, truth.json %d of %d", name, events, eligible, rate.Events, rate.Eligible)
				}
			}
		})
	}
}
