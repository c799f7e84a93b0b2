package reports

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// table is a published table: shown in the report, and written as
// tables/<ID>.csv and as a sheet of tables.xlsx with the same cells, the
// numbers typed (spreadsheet.go; suppressed cells carry the same marks
// everywhere).
type table struct {
	// ID names the CSV file: lower case ASCII, digits and underscores, at
	// most 31 characters, unique within a report. It does not depend on the
	// language (the workbook's sheet names do: sheetName).
	ID      string     `json:"id"`
	Caption string     `json:"caption"`
	Header  []string   `json:"header"`
	Num     []bool     `json:"-"` // right-aligned (numeric) columns
	Code    []bool     `json:"-"` // columns of identifiers (database names), shown as code
	Names   []bool     `json:"-"` // columns of text naming files, whose file names are shown as code
	Rows    [][]string `json:"rows"`
}

// newTable returns a table with the given ID, caption and columns; a column
// header starting with '#' is numeric, one starting with '`' holds
// identifiers a researcher looks up (database table and column names,
// hashes), shown as code, one starting with '~' is text that names files
// ("Nazorg Noord: nazorg_noord/trajecten.csv"), whose file names are shown
// as code (the '#', '`' or '~' is dropped).
func newTable(id, caption string, cols ...string) *table {
	t := &table{ID: id, Caption: caption}
	for _, c := range cols {
		num := len(c) > 0 && c[0] == '#'
		code := len(c) > 0 && c[0] == '`'
		names := len(c) > 0 && c[0] == '~'
		if num || code || names {
			c = c[1:]
		}
		t.Header = append(t.Header, c)
		t.Num = append(t.Num, num)
		t.Code = append(t.Code, code)
		t.Names = append(t.Names, names)
	}
	return t
}

func (t *table) add(cells ...string) { t.Rows = append(t.Rows, cells) }

// IsNum reports whether column i is numeric; the template uses it.
func (t *table) IsNum(i int) bool { return i < len(t.Num) && t.Num[i] }

// IsCode reports whether column i holds identifiers shown as code.
func (t *table) IsCode(i int) bool { return i < len(t.Code) && t.Code[i] }

// Width is the class of a table with so many columns that the report sets
// it in a smaller type to keep it within the page without breaking a word:
// "wide" from 9 columns, "wider" from 12, "" below.
func (t *table) Width() string {
	switch n := len(t.Header); {
	case n >= 12:
		return "wider"
	case n >= 9:
		return "wide"
	}
	return ""
}

// Cell is the HTML of cell c of column i: an identifier as code; in a
// numeric column every number kept on one line with its sign and unit
// ("47,3%", "≤ 18,1%", "< 0,001"), so that a line breaks only between
// numbers, at a space (TestReportLayout).
func (t *table) Cell(i int, c string) template.HTML {
	esc := template.HTMLEscapeString(c)
	switch {
	case t.IsCode(i) && c != "–":
		return template.HTML("<code>" + esc + "</code>")
	case t.IsNum(i):
		return template.HTML(numberRun.ReplaceAllString(esc, `<span class="nb">$0</span>`))
	case i < len(t.Names) && t.Names[i]:
		return template.HTML(fileName.ReplaceAllString(esc, `<code>$0</code>`))
	}
	return template.HTML(esc)
}

// fileName is a file name or path in a cell: a run without spaces, commas
// or colons that holds a slash or ends in an extension.
var fileName = regexp.MustCompile(`[^\s,:;]*(?:/[^\s,:;]+|\.[A-Za-z0-9]{1,5}\b)`)

// numberRun is a number in an escaped cell with its sign or comparison
// and its unit.
var numberRun = regexp.MustCompile(`(?:(?:&lt;|&gt;|≤|≥) ?)?[-−]?\d[\d.,]*(?: ?%)?`)

// csvFormat is how the CSV files of a report language are written: the
// Dutch ones open as they are in a Dutch Excel (semicolon, decimal comma,
// UTF-8 with a byte-order mark, which Excel needs to read UTF-8), the
// English ones are RFC 4180 (comma, decimal point, CRLF, UTF-8 without a
// byte-order mark). Both have the header in the first line and raw
// numbers: no thousands separator, no unit in a value (percentages are
// numbers in percent, the header says "(%)").
type csvFormat struct {
	comma   rune
	decimal string
	bom     bool
}

func csvFormatFor(lang string) csvFormat {
	if lang == "nl" {
		return csvFormat{comma: ';', decimal: ",", bom: true}
	}
	return csvFormat{comma: ',', decimal: "."}
}

// csvText is a cell as the CSV files write it.
func (f csvFormat) csvText(v value) string {
	var s string
	switch v.Kind {
	case textCell:
		return v.Text
	case percentCell:
		s = strconv.FormatFloat(100*v.Num, 'f', v.Dec, 64)
	default:
		s = strconv.FormatFloat(v.Num, 'f', v.Dec, 64)
	}
	if s == "-0" || strings.HasPrefix(s, "-0.") && strings.Trim(s[3:], "0") == "" {
		s = s[1:]
	}
	return strings.Replace(s, ".", f.decimal, 1)
}

// outputMode is the mode of the report, the CSV files and the workbook:
// they are for publication (the database and the Parquet files are not,
// and are private: see package store).
const outputMode = 0o644

// writeCSV writes each sheet as dir/tables/<ID>.csv in the language's
// csvFormat and returns the names relative to dir.
func writeCSV(dir string, sheets []sheet, lang string) ([]string, error) {
	if err := os.MkdirAll(filepath.Join(dir, TablesDir), 0o755); err != nil {
		return nil, fmt.Errorf("creating tables folder: %w", err)
	}
	format := csvFormatFor(lang)
	var names []string
	for _, sh := range sheets {
		name := filepath.ToSlash(filepath.Join(TablesDir, sh.ID+".csv"))
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, outputMode)
		if err != nil {
			return nil, fmt.Errorf("writing table %s: %w", sh.ID, err)
		}
		bw := bufio.NewWriter(f)
		if format.bom {
			bw.WriteString("\uFEFF")
		}
		w := csv.NewWriter(bw)
		w.Comma, w.UseCRLF = format.comma, true
		_ = w.Write(sh.Header)
		for _, row := range sh.Rows {
			rec := make([]string, len(row))
			for i, v := range row {
				rec[i] = format.csvText(v)
			}
			_ = w.Write(rec)
		}
		w.Flush()
		err = w.Error()
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("writing table %s: %w", sh.ID, err)
		}
		names = append(names, name)
	}
	return names, nil
}

// workbookInfo is what the workbook says about itself.
type workbookInfo struct {
	Title, Creator string
	Created        time.Time
	Lang           string
	Texts          texts
	MinCell        int
}

// numFmt is the Excel number format of a cell: whole numbers as the
// report wrote them ("#,##0" where it used a thousands separator),
// decimals and percentages with the report's decimals. Excel shows them
// with the reader's own separators.
func numFmt(v value) string {
	dec := ""
	if v.Dec > 0 {
		dec = "." + strings.Repeat("0", v.Dec)
	}
	switch v.Kind {
	case percentCell:
		return "0" + dec + "%"
	case decimalCell:
		return "0" + dec
	}
	if v.Grouped {
		return "#,##0"
	}
	return "0"
}

// writeXLSX writes one workbook: first a sheet about the tables (each
// sheet's name, the table's full title and its CSV file, then what the
// cells hold and the marks), then a sheet per table with the header in
// row 1 (frozen), numbers as numeric cells with a number format, text and
// marks as text, and columns as wide as their contents. The document
// properties give the title, the creator (outcomes and its version) and
// the run's start as the creation time.
func writeXLSX(path string, sheets []sheet, info workbookInfo) error {
	x := excelize.NewFile()
	defer x.Close()
	head, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("bug: xlsx style: %w", err)
	}
	styles := map[string]int{}
	style := func(code string) int {
		if id, ok := styles[code]; ok {
			return id
		}
		id, err := x.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			panic(fmt.Sprintf("bug: number format %q: %v", code, err))
		}
		styles[code] = id
		return id
	}
	about := info.Texts.f("xl_about_sheet")
	if err := x.SetSheetName("Sheet1", about); err != nil {
		return fmt.Errorf("xlsx sheet %s: %w", about, err)
	}
	names := make([]string, len(sheets))
	aboutRows := [][]string{{info.Texts.f("xl_col_sheet"), info.Texts.f("xl_col_table"), info.Texts.f("xl_col_csv")}}
	for i, sh := range sheets {
		names[i] = sheetName(i+1, sh.Caption)
		aboutRows = append(aboutRows, []string{names[i], sh.Caption, TablesDir + "/" + sh.ID + ".csv"})
	}
	aboutRows = append(aboutRows, nil, []string{info.Texts.f("xl_about")}, []string{info.Texts.f("legend_marks", fmt.Sprintf("<%d", info.MinCell), hiddenMark)})
	for r, row := range aboutRows {
		cells := make([]any, len(row))
		for c := range row {
			cells[c] = row[c]
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := x.SetSheetRow(about, cell, &cells); err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", about, err)
		}
	}
	_ = x.SetCellStyle(about, "A1", "C1", head)
	_ = x.SetColWidth(about, "A", "A", 34)
	_ = x.SetColWidth(about, "B", "B", 80)
	_ = x.SetColWidth(about, "C", "C", 40)
	if err := freezeHeader(x, about); err != nil {
		return err
	}
	for i, sh := range sheets {
		name := names[i]
		if _, err := x.NewSheet(name); err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", name, err)
		}
		width := make([]int, len(sh.Header))
		header := make([]any, len(sh.Header))
		for c, h := range sh.Header {
			header[c] = h
			width[c] = min(utf8.RuneCountInString(h), 30)
		}
		if err := x.SetSheetRow(name, "A1", &header); err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", name, err)
		}
		if len(sh.Header) > 0 {
			last, _ := excelize.CoordinatesToCellName(len(sh.Header), 1)
			_ = x.SetCellStyle(name, "A1", last, head)
		}
		for r, row := range sh.Rows {
			cells := make([]any, len(row))
			for c, v := range row {
				shown := v.Text
				if v.Kind == textCell {
					cells[c] = v.Text
				} else {
					if v.Kind == intCell {
						cells[c] = int64(v.Num)
					} else {
						cells[c] = v.Num
					}
					shown = csvFormatFor(info.Lang).csvText(v) + "  "
				}
				if c < len(width) {
					width[c] = max(width[c], min(utf8.RuneCountInString(shown), 60))
				}
			}
			start, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := x.SetSheetRow(name, start, &cells); err != nil {
				return fmt.Errorf("xlsx sheet %s: %w", name, err)
			}
			for c, v := range row {
				if v.Kind != textCell {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
					_ = x.SetCellStyle(name, cell, cell, style(numFmt(v)))
				}
			}
		}
		for c, w := range width {
			col, _ := excelize.ColumnNumberToName(c + 1)
			_ = x.SetColWidth(name, col, col, float64(max(w, 6)+2))
		}
		if err := freezeHeader(x, name); err != nil {
			return err
		}
	}
	x.SetActiveSheet(0)
	created := info.Created.UTC().Format(time.RFC3339)
	lang := "nl-NL"
	if info.Lang == "en" {
		lang = "en-GB"
	}
	err = x.SetDocProps(&excelize.DocProperties{
		Title: info.Title, Creator: info.Creator, LastModifiedBy: info.Creator,
		Created: created, Modified: created, Language: lang, Description: info.Texts.f("xl_about"),
	})
	if err != nil {
		return fmt.Errorf("xlsx properties: %w", err)
	}
	_ = x.SetAppProps(&excelize.AppProperties{Application: "outcomes"})
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, outputMode)
	if err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(path), err)
	}
	_, err = x.WriteTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(path), err)
	}
	return nil
}

// freezeHeader keeps row 1 in view when the sheet scrolls.
func freezeHeader(x *excelize.File, name string) error {
	err := x.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
	if err != nil {
		return fmt.Errorf("xlsx sheet %s: %w", name, err)
	}
	return nil
}
