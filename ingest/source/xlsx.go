package source

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

// ISO layouts of spreadsheet date cells, as excelize number format codes.
const (
	isoDateCode     = "yyyy-mm-dd"
	isoDateTimeCode = "yyyy-mm-dd hh:mm:ss"
)

type xlsxReader struct {
	name   string
	f      *excelize.File
	rows   *excelize.Rows
	info   Info
	header []string
	rowNum int // spreadsheet row number of the last row read
	err    error
}

// MaxSharedStringsBytes bounds the uncompressed size of a workbook's shared
// strings (xl/sharedStrings.xml), which excelize holds in memory whole: a
// small workbook can unpack to gigabytes (a "zip bomb"). A workbook over
// the bound is refused with ErrTooLarge before it is opened. 128 MiB holds
// millions of distinct names and codes.
const MaxSharedStringsBytes = 128 << 20

// maxUnzipBytes bounds what excelize may unpack of a workbook in all.
const maxUnzipBytes = 4 << 30

// ErrTooLarge: a part of a workbook unpacks to more than its bound.
var ErrTooLarge = errors.New("workbook part too large when unpacked")

// checkSharedStrings refuses a workbook whose shared strings unpack past
// MaxSharedStringsBytes, from the zip directory alone.
func checkSharedStrings(path string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil // excelize reports a broken workbook
	}
	defer z.Close()
	for _, f := range z.File {
		if strings.EqualFold(f.Name, "xl/sharedStrings.xml") && f.UncompressedSize64 > MaxSharedStringsBytes {
			return &Error{File: path, Err: ErrTooLarge,
				Detail: fmt.Sprintf("shared strings unpack to %d MiB, limit %d MiB", f.UncompressedSize64>>20, MaxSharedStringsBytes>>20)}
		}
	}
	return nil
}

// openXLSX reads one worksheet of an .xlsx workbook with excelize's
// streaming row iterator; the package documentation gives the cell text
// conventions.
func openXLSX(path string, opts Options) (Reader, error) {
	if err := checkSharedStrings(path); err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: maxUnzipBytes})
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("not a readable xlsx workbook: %w", err)}
	}
	x := &xlsxReader{name: path, f: f}
	if err := x.open(opts.Sheet); err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

func (x *xlsxReader) open(sheet string) error {
	sheets := x.f.GetSheetList()
	if len(sheets) == 0 {
		return &Error{File: x.name, Err: ErrEmpty, Detail: "workbook has no sheets"}
	}
	if sheet == "" {
		// Without a sheet name, the first visible sheet: a hidden sheet
		// (a lookup table, an old version) is read only when named.
		sheet = ""
		for _, name := range sheets {
			if visible, err := x.f.GetSheetVisible(name); err == nil && visible {
				sheet = name
				break
			}
		}
		if sheet == "" {
			return &Error{File: x.name, Err: ErrSheetNotFound, Detail: fmt.Sprintf("all %d sheets are hidden; name the sheet to read in the study file (sheet:)", len(sheets))}
		}
	} else if !contains(sheets, sheet) {
		// Sheet names are the partner's and may be anything (a client's
		// name): only the count, and a name that differs from the
		// requested one only in case, spaces or accents, are shown.
		detail := fmt.Sprintf("sheet %s; the workbook has %d sheet(s)", strconv.Quote(sheet), len(sheets))
		for _, name := range sheets {
			if foldName(name) == foldName(sheet) {
				detail += "; did you mean " + strconv.Quote(name) + "?"
				break
			}
		}
		return &Error{File: x.name, Err: ErrSheetNotFound, Detail: detail}
	}
	if err := isoDates(x.f); err != nil {
		return &Error{File: x.name, Err: fmt.Errorf("reading styles: %w", err)}
	}
	rows, err := x.f.Rows(sheet)
	if err != nil {
		return &Error{File: x.name, Err: fmt.Errorf("reading sheet: %w", err)}
	}
	x.rows = rows
	x.info = Info{Format: string(FormatXLSX), Sheet: sheet}
	row, err := x.Next()
	if err == io.EOF {
		return &Error{File: x.name, Line: 1, Err: ErrEmpty, Detail: "sheet " + strconv.Quote(sheet) + " is empty"}
	}
	if err != nil {
		return err
	}
	x.header = row.Fields
	return nil
}

func (x *xlsxReader) Header() []string { return x.header }
func (x *xlsxReader) Info() Info       { return x.info }

func (x *xlsxReader) Next() (Row, error) {
	if x.err != nil {
		return Row{}, x.err
	}
	for x.rows.Next() {
		x.rowNum++
		cells, err := x.rows.Columns()
		if err != nil {
			// excelize's message may quote cell content: keep only the position.
			x.err = &Error{File: x.name, Line: x.rowNum, Err: ErrCell}
			return Row{}, x.err
		}
		if allEmpty(cells) {
			continue
		}
		if len(x.header) > 0 && len(cells) > len(x.header) {
			// Cells right of the header's columns (a note, a sum) belong
			// to no column: ignored and counted (Info.StrayCells).
			for _, c := range cells[len(x.header):] {
				if c != "" {
					x.info.StrayCells++
				}
			}
			cells = cells[:len(x.header)]
			if allEmpty(cells) {
				continue
			}
		}
		for len(cells) < len(x.header) {
			cells = append(cells, "")
		}
		return Row{Line: x.rowNum, Fields: cells}, nil
	}
	if err := x.rows.Error(); err != nil {
		x.err = &Error{File: x.name, Line: x.rowNum + 1, Err: ErrCell, Detail: "row structure"}
		return Row{}, x.err
	}
	x.err = io.EOF
	return Row{}, io.EOF
}

func (x *xlsxReader) Close() error {
	if x.err == nil {
		x.err = &Error{File: x.name, Err: errors.New("reader closed")}
	}
	var errs []error
	if x.rows != nil {
		// Rows.Close returns the iterator's error too; Next reported it.
		if err := x.rows.Close(); err != nil && x.rows.Error() == nil {
			errs = append(errs, err)
		}
		x.rows = nil
	}
	if x.f != nil {
		errs = append(errs, x.f.Close())
		x.f = nil
	}
	return errors.Join(errs...)
}

// isoDates rewrites, in memory only, every cell style whose number format
// shows a date so that it shows an ISO date instead. The workbook is never
// saved.
func isoDates(f *excelize.File) error {
	dateCode, dateTimeCode := isoDateCode, isoDateTimeCode
	ds, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateCode})
	if err != nil {
		return err
	}
	dts, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateTimeCode})
	if err != nil {
		return err
	}
	if f.Styles == nil || f.Styles.CellXfs == nil {
		return nil
	}
	xfs := f.Styles.CellXfs.Xf
	if ds >= len(xfs) || dts >= len(xfs) || xfs[ds].NumFmtID == nil || xfs[dts].NumFmtID == nil {
		return errors.New("unexpected style table")
	}
	dateID, dateTimeID := *xfs[ds].NumFmtID, *xfs[dts].NumFmtID
	custom := map[int]string{}
	if f.Styles.NumFmts != nil {
		for _, nf := range f.Styles.NumFmts.NumFmt {
			code := nf.FormatCode
			if nf.FormatCode16 != "" {
				code = nf.FormatCode16
			}
			custom[nf.NumFmtID] = code
		}
	}
	for i := range xfs {
		if i == ds || i == dts || xfs[i].NumFmtID == nil {
			continue
		}
		id := *xfs[i].NumFmtID
		var date, clock bool
		if code, ok := custom[id]; ok && id >= 164 {
			date, clock = classifyNumFmt(code)
		} else {
			date, clock = builtinDate(id)
		}
		switch {
		case date && clock:
			xfs[i].NumFmtID = &dateTimeID
		case date:
			xfs[i].NumFmtID = &dateID
		}
	}
	return nil
}

// builtinDate classifies the built-in number formats of ECMA-376 (and the
// locale-dependent ranges excelize knows) that show a date.
func builtinDate(id int) (date, clock bool) {
	switch {
	case id >= 14 && id <= 17, id >= 27 && id <= 31, id == 36, id >= 50 && id <= 58:
		return true, false
	case id == 22:
		return true, true
	}
	return false, false
}

// classifyNumFmt reports whether a custom format code shows a date (a day or
// year token) and whether it also shows a time of day. Quoted literals,
// escaped characters and bracketed sections ([Red], [$-413], [h]) are
// ignored; only the first section (positive numbers) counts.
func classifyNumFmt(code string) (date, clock bool) {
	inQuote, inBracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case inQuote:
			inQuote = c != '"'
		case inBracket:
			inBracket = c != ']'
		case c == '"':
			inQuote = true
		case c == '[':
			inBracket = true
		case c == '\\' || c == '_' || c == '*':
			i++ // the next character is literal (or a fill/space width)
		case c == ';':
			return date, clock
		default:
			switch c | 0x20 { // ASCII lower case
			case 'd', 'y', 'j': // j: Dutch-locale year token
				date = true
			case 'h', 's':
				clock = true
			}
		}
	}
	return date, clock
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// foldName is a sheet name without case, spaces and accents, to suggest
// the sheet a study file meant.
func foldName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) || unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
