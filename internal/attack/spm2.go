package attack

import (
	"slices"
	"strings"
)

// spm2ExitOrigins are the report's words, per language, for an SPM2 row
// counted from exits of the programme itself (rows that may partition the
// system-wide row).
var spm2ExitOrigins = []string{"vertrek uit dit programma naar een woning", "exit from this programme to a home"}

// readSPM2: spm2_returns, per programme and a last system-wide row:
// programme, origin, persons who left for a home, returns in three periods,
// the total (persons with a return: the cell's events) and its share. The
// periods add up to the total; when the exit rows' persons add up to the
// system row's, a reader takes them for a partition and every count adds
// up across them.
func readSPM2(rd *reading, t table) error {
	type row struct {
		cell int
		bins []Ref
		n    Interval
	}
	var rows []row
	var exits []int
	for k, r := range t.rows {
		if len(r) < 7 {
			continue
		}
		name := t.id + ": " + r[0]
		n, _, okN := rd.count(r[2])
		e, _, okE := rd.count(r[6])
		if !okN || !okE {
			continue
		}
		c := rd.p.AddCell(Cell{Name: name, N: n, E: e})
		var bins []Ref
		for j := 3; j < 6; j++ {
			if b, ok := rd.addCount(name+", "+t.header[j], r[j]); ok {
				bins = append(bins, b)
			}
		}
		if len(bins) == 3 {
			rd.p.Sum(CellRef(c, Events), bins, t.id+": the periods add up to the total")
		}
		rows = append(rows, row{c, bins, n})
		if k < len(t.rows)-1 && slices.Contains(spm2ExitOrigins, strings.TrimSpace(r[1])) {
			exits = append(exits, len(rows)-1)
		}
	}
	if len(rows) < 2 || len(exits) == 0 {
		return nil
	}
	sys := rows[len(rows)-1]
	sum := 0.0
	for _, i := range exits {
		if !rows[i].n.Exact() {
			return nil
		}
		sum += rows[i].n.Lo
	}
	if !sys.n.Exact() || sum != sys.n.Lo {
		return nil
	}
	why := t.id + ": the exit programmes partition the system row"
	for _, k := range []Kind{Persons, Events} {
		var parts []Ref
		for _, i := range exits {
			parts = append(parts, CellRef(rows[i].cell, k))
		}
		rd.p.Sum(CellRef(sys.cell, k), parts, why)
	}
	for b := range 3 {
		if len(sys.bins) != 3 {
			break
		}
		var parts []Ref
		for _, i := range exits {
			if len(rows[i].bins) != 3 {
				parts = nil
				break
			}
			parts = append(parts, rows[i].bins[b])
		}
		if parts != nil {
			rd.p.Sum(sys.bins[b], parts, why)
		}
	}
	return nil
}

// readFamilyCoverage: family_coverage, per family programme the steps from
// the households in the export to the detainees followed per window:
// programme, step, households, with a member in the programme ever, and in
// time (a dash before the return is known). Each step is within the one
// before it (the followed steps within the last other step), in time within
// ever within households; a followed step's households are the two groups
// of the families table for its window, in time its "yes" group.
func readFamilyCoverage(rd *reading, t table) error {
	var prev [3]*Ref
	var prevProgramme string
	for _, r := range t.rows {
		if len(r) < 5 {
			continue
		}
		if r[0] != prevProgramme {
			prev, prevProgramme = [3]*Ref{}, r[0]
		}
		name := t.id + ": " + r[0] + ", " + r[1]
		var cur [3]*Ref
		for k := range 3 {
			if strings.TrimSpace(r[2+k]) == "–" && k == 2 {
				continue
			}
			if c, ok := rd.addCount(name+", "+t.header[2+k], r[2+k]); ok {
				cur[k] = &c
			}
		}
		for k := 1; k < 3; k++ {
			if cur[k] != nil && cur[k-1] != nil {
				rd.p.AtMost(*cur[k], *cur[k-1], t.id+": within the column before")
			}
		}
		for k := range 3 {
			if cur[k] != nil && prev[k] != nil {
				rd.p.AtMost(*cur[k], *prev[k], t.id+": within the step before")
			}
		}
		window := followedWindow(r[1])
		if window == "" {
			prev = cur
			continue
		}
		var yes, no *int
		for key, c := range rd.groups {
			if !strings.HasPrefix(key, "families|"+r[0]+"|") || !strings.HasSuffix(key, "|"+window) {
				continue
			}
			c := c
			if g := strings.Split(key, "|")[2]; g == "Ja" || g == "Yes" {
				yes = &c
			} else {
				no = &c
			}
		}
		if yes != nil && no != nil && cur[0] != nil {
			rd.p.Sum(*cur[0], []Ref{CellRef(*yes, Persons), CellRef(*no, Persons)}, t.id+": the families table's two groups")
		}
		if yes != nil && cur[2] != nil {
			rd.p.Equal(*cur[2], CellRef(*yes, Persons), t.id+": the families table's group in the programme")
		}
	}
	return nil
}

// followedWindow is the window in months of a followed step's label
// ("12 maanden gevolgd", "followed for 12 months"), "" for other steps.
func followedWindow(step string) string {
	if !strings.Contains(step, "gevolgd") && !strings.Contains(step, "followed") {
		return ""
	}
	for _, f := range strings.Fields(step) {
		if strings.Trim(f, "0123456789") == "" {
			return f
		}
	}
	return ""
}
