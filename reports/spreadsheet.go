package reports

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The CSV files and the workbook hold the report's tables with numbers as
// numbers: each numeric column of a table (a column the report
// right-aligns) is read back from the text the report shows and split into
// one column per number, so an interval "29,1% – 47,8%" becomes a lower and
// an upper bound, "50 (63%)" a count and a percentage, and "+0,95 (+0,70 –
// +1,20)" an estimate with its bounds. The values are exactly the rounded
// values the report shows, no more digits, so the files publish nothing
// the report does not (the attacker in internal/attack reads the CSVs).
//
// A cell that is not a number of its column's shape stays text: the
// disclosure marks ("<10" a count below the threshold, "×" a count hidden
// to protect another cell, "–" not computed or derived from a hidden cell),
// a bound such as "<0,001", "∞", or a sentence. A mark is repeated in every
// column its cell splits into ("–" in the columns after the first), so a
// hidden cell is hidden in each of them.

// cellKind is the type of a spreadsheet cell.
type cellKind int

const (
	textCell    cellKind = iota
	intCell              // a whole number (a count, a year, months)
	decimalCell          // a number with Dec decimals
	percentCell          // a percentage: Num is the fraction (0.291 for 29,1%)
)

// value is one spreadsheet cell.
type value struct {
	Kind cellKind
	Text string  // the text of a textCell
	Num  float64 // the number of any other kind
	Dec  int     // decimals shown in the report
	// Grouped: the report wrote the number with a thousands separator.
	Grouped bool
}

// sheet is a published table as typed columns, for the CSV files and the
// workbook. ID and Caption are those of the report's table.
type sheet struct {
	ID, Caption string
	Header      []string
	Kinds       []cellKind // per column: the kind of its numbers, textCell for a text column
	// Span gives, per column of the report's table, how many columns of
	// the sheet it became.
	Span []int
	Rows [][]value
}

// numberToken matches a number as the report writes it in each language
// (thousands separator, decimal separator, a sign), or ∞.
var numberToken = map[string]*regexp.Regexp{
	"nl": regexp.MustCompile(`[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?|∞`),
	"en": regexp.MustCompile(`[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|∞`),
}

// relations are the signs a one-sided bound starts with ("≤ 14,6%"); they
// become a text column of their own.
var relations = []string{"≤ ", "≥ "}

// parsedCell is a cell cut into its template (the text with each number
// replaced by '#' and a leading relation by 'R') and its numbers.
type parsedCell struct {
	template string
	rel      string
	tokens   []string
}

func parseCell(s, lang string) parsedCell {
	var p parsedCell
	for _, r := range relations {
		if rest, ok := strings.CutPrefix(s, r); ok {
			p.rel, s = strings.TrimSpace(r), rest
			p.template = "R "
			break
		}
	}
	re := numberToken[lang]
	last := 0
	var b strings.Builder
	b.WriteString(p.template)
	for _, m := range re.FindAllStringIndex(s, -1) {
		// A number glued to a letter (kf:9abc, 3a) is not a number.
		if m[0] > 0 && isWordByte(s[m[0]-1]) || m[1] < len(s) && isWordByte(s[m[1]]) {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteByte('#')
		p.tokens = append(p.tokens, s[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(s[last:])
	p.template = b.String()
	return p
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// isMark reports whether s is a disclosure or not-computed mark, or empty.
func isMark(s string) bool {
	if s == "" || s == "–" || s == hiddenMark {
		return true
	}
	if rest, ok := strings.CutPrefix(s, "<"); ok && rest != "" {
		_, err := strconv.Atoi(rest)
		return err == nil
	}
	return false
}

// tokenValue turns a number token into a cell; percent says a '%'
// follows it in the template.
func tokenValue(tok, lang string, percent bool) value {
	if tok == "∞" {
		return value{Kind: textCell, Text: tok}
	}
	thousands, dec := ",", "."
	if lang == "nl" {
		thousands, dec = ".", ","
	}
	v := value{Grouped: strings.Contains(tok, thousands)}
	plain := strings.ReplaceAll(tok, thousands, "")
	plain = strings.Replace(plain, dec, ".", 1)
	if i := strings.IndexByte(plain, '.'); i >= 0 {
		v.Dec = len(plain) - i - 1
	}
	exp := ""
	if percent {
		exp = "e-2" // parsed at once, so 29.1% is the double nearest 0.291
	}
	f, err := strconv.ParseFloat(plain+exp, 64)
	if err != nil {
		return value{Kind: textCell, Text: tok}
	}
	v.Num = f
	switch {
	case percent:
		v.Kind = percentCell
	case v.Dec > 0:
		v.Kind = decimalCell
	default:
		v.Kind = intCell
	}
	return v
}

// typed turns a report table into a sheet: see the comment at the top of
// this file.
func (t table) typed(lang string, tx texts) sheet {
	sh := sheet{ID: t.ID, Caption: t.Caption}
	type column struct {
		template string // "" for a text column
		width    int    // columns it splits into
	}
	cols := make([]column, len(t.Header))
	parsed := make([][]parsedCell, len(t.Rows))
	for r, row := range t.Rows {
		parsed[r] = make([]parsedCell, len(row))
		for c, cell := range row {
			if c < len(t.Header) && t.IsNum(c) && !isMark(cell) {
				parsed[r][c] = parseCell(cell, lang)
			}
		}
	}
	for c, h := range t.Header {
		cols[c].width = 1
		if !t.IsNum(c) {
			sh.Header = append(sh.Header, h)
			sh.Kinds = append(sh.Kinds, textCell)
			continue
		}
		// The column's shape: the most frequent template with a number.
		count := map[string]int{}
		best := ""
		for r := range t.Rows {
			if c >= len(parsed[r]) {
				continue
			}
			tp := parsed[r][c].template
			if !strings.Contains(tp, "#") {
				continue
			}
			count[tp]++
			if count[tp] > count[best] {
				best = tp
			}
		}
		if best == "" {
			sh.Header = append(sh.Header, h)
			sh.Kinds = append(sh.Kinds, textCell)
			continue
		}
		cols[c].template = best
		heads, kinds := columnHeads(h, best, tx)
		cols[c].width = len(heads)
		sh.Header = append(sh.Header, heads...)
		sh.Kinds = append(sh.Kinds, kinds...)
	}
	for _, col := range cols {
		sh.Span = append(sh.Span, col.width)
	}
	for r, row := range t.Rows {
		var out []value
		for c := range t.Header {
			cell := ""
			if c < len(row) {
				cell = row[c]
			}
			col := cols[c]
			if col.template == "" {
				out = append(out, value{Kind: textCell, Text: cell})
				continue
			}
			if vals, ok := splitCell(cell, parsed[r][c], col.template, lang); ok {
				out = append(out, vals...)
				continue
			}
			out = append(out, value{Kind: textCell, Text: cell})
			for range col.width - 1 {
				out = append(out, value{Kind: textCell, Text: markFill(cell)})
			}
		}
		sh.Rows = append(sh.Rows, out)
	}
	return sh
}

// markFill is what the columns after the first of a cell that is not a
// number of its column's shape hold: "–" for a mark (so a hidden cell is
// hidden in each), empty for a text.
func markFill(cell string) string {
	if cell != "" && isMark(cell) {
		return "–"
	}
	return ""
}

// splitCell cuts a cell of a numeric column of shape template into its
// columns. A cell of several groups ("2,10 / 2,46") may have a mark in
// place of a group ("2,10 / –"): the mark fills that group's columns.
func splitCell(cell string, p parsedCell, template, lang string) ([]value, bool) {
	if p.template == template {
		var out []value
		if p.rel != "" {
			out = append(out, value{Kind: textCell, Text: p.rel})
		}
		for i, tok := range p.tokens {
			out = append(out, tokenValue(tok, lang, percentAfter(template, i)))
		}
		return out, true
	}
	groups, parts := strings.Split(template, " / "), strings.Split(cell, " / ")
	if len(groups) == 1 || len(groups) != len(parts) || strings.HasPrefix(template, "R ") {
		return nil, false
	}
	var out []value
	for g, grp := range groups {
		n := strings.Count(grp, "#")
		if isMark(parts[g]) {
			out = append(out, value{Kind: textCell, Text: parts[g]})
			for range n - 1 {
				out = append(out, value{Kind: textCell, Text: markFill(parts[g])})
			}
			continue
		}
		q := parseCell(parts[g], lang)
		if q.template != grp || q.rel != "" {
			return nil, false
		}
		for i, tok := range q.tokens {
			out = append(out, tokenValue(tok, lang, percentAfter(grp, i)))
		}
	}
	return out, true
}

// percentAfter reports whether the i-th number of template is followed by
// a '%'.
func percentAfter(template string, i int) bool {
	n := -1
	for j := 0; j < len(template); j++ {
		if template[j] == '#' {
			n++
			if n == i {
				return j+1 < len(template) && template[j+1] == '%'
			}
		}
	}
	return false
}

// columnHeads names the columns a numeric column of header h and shape
// template splits into, with the unit "(%)" on percentages, and gives the
// kind of each (textCell for the relation sign of a one-sided bound;
// intCell stands for any number).
func columnHeads(h, template string, tx texts) ([]string, []cellKind) {
	var heads []string
	var kinds []cellKind
	if rest, ok := strings.CutPrefix(template, "R "); ok {
		heads = append(heads, h+" (≤/≥)")
		kinds = append(kinds, textCell)
		template = rest
	}
	groups := strings.Split(template, " / ")
	names := strings.Split(h, " / ")
	if len(names) != len(groups) {
		names = nil
	}
	for g, grp := range groups {
		name := h
		switch {
		case names != nil:
			name = strings.TrimSpace(names[g])
		case len(groups) > 1:
			name = h + " (" + strconv.Itoa(g+1) + ")"
		}
		n := strings.Count(grp, "#")
		shape := strings.ReplaceAll(grp, "%", "")
		var parts []string
		switch {
		case n == 1:
			parts = []string{name}
		case n == 2 && strings.Contains(shape, "# – #"):
			parts = []string{name + ": " + tx["xl_lower"], name + ": " + tx["xl_upper"]}
		case n == 3 && strings.Contains(shape, "# (# – #)"):
			parts = []string{name, name + ": " + tx["xl_lower"], name + ": " + tx["xl_upper"]}
		case n == 2 && strings.HasSuffix(shape, "# (#)"):
			parts = []string{name + ": " + tx["xl_count"], name}
		case n == 3 && strings.HasSuffix(shape, "# (#)"):
			parts = []string{name + ": " + tx["xl_count"], name + ": " + tx["xl_of"], name}
		default:
			for i := range n {
				parts = append(parts, name+" ("+strconv.Itoa(i+1)+")")
			}
		}
		for i := range parts {
			if percentAfter(grp, i) {
				parts[i] += " (%)"
			}
			heads = append(heads, parts[i])
			kinds = append(kinds, intCell)
		}
	}
	return heads, kinds
}

// sheetName is the workbook's name for the i-th table (from 1): its
// number and the start of its caption, at most 31 characters, without the
// characters Excel refuses in a sheet name.
func sheetName(i int, caption string) string {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			return ','
		}
		return r
	}, caption)
	clean = strings.Join(strings.Fields(strings.ReplaceAll(clean, ",,", ",")), " ")
	name := strconv.Itoa(i) + " " + clean
	if utf8.RuneCountInString(name) > 31 {
		r := []rune(name)
		name = strings.TrimSpace(string(r[:30])) + "…"
	}
	return strings.Trim(name, "'")
}
