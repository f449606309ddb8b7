package forms

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

// MaxImportSize bounds a CSV or XLSX file given to ImportCSV or ImportXLSX.
const MaxImportSize = 32 << 20

// ImportOptions parameterise ImportCSV and ImportXLSX.
type ImportOptions struct {
	// Now is the reference time for "not in the future" checks (zero: time.Now()).
	Now time.Time
	// Sheet names the XLSX worksheet; empty means the first one.
	Sheet string
}

// ImportResult is what an import read: the rows (values normalised to NFC, enum labels
// mapped to values) and the problems found in them. In Problems, Row is the row
// number in the file as a spreadsheet shows it (the header is row 1, the first data
// row is 2), so a clerk can go straight to it. Rows holds every non-empty row, valid or
// not, and RowNumbers[i] is the file row of Rows[i].
type ImportResult struct {
	Rows       []Row
	RowNumbers []int
	Problems   []*Problem
}

// ImportCSV reads the list table tableID from CSV (comma or semicolon separated, UTF-8
// with or without BOM). The first row names the columns by ID, Vietnamese label or
// English label (case-insensitive), and may have title rows above it (the header is
// the first of the first ten rows naming at least two columns); an "STT" column is
// ignored; blank rows are skipped. A file that cannot be read as a table at all (unknown or missing required
// columns, broken quoting) yields an *InputError; bad values yield Problems.
func (d *Definition) ImportCSV(tableID string, r io.Reader, opts ImportOptions) (*ImportResult, error) {
	t := d.Table(tableID)
	if t == nil {
		return nil, fmt.Errorf("%w: %s has no list %q", ErrUnknownList, d.ID, tableID)
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxImportSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxImportSize {
		return nil, &InputError{Detail: fmt.Sprintf("CSV file larger than %d bytes", MaxImportSize), Err: ErrInputTooLarge}
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	first, _, _ := bufio.NewReader(bytes.NewReader(b)).ReadLine()
	cr := csv.NewReader(bytes.NewReader(b))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	var records [][]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, &InputError{Row: line, Detail: "CSV: " + err.Error(), Err: ErrMalformedInput}
		}
		records = append(records, rec)
	}
	return d.importRecords(t, records, opts, func(_ Field, v string, _, _ int) string { return csvUnquoteFormula(v) })
}

// csvQuoteFormula protects a value written to CSV from being run as a formula by the
// spreadsheet a clerk opens it with (CSV injection: "=HYPERLINK(…)", "+cmd|…"): a value
// starting with '=', '@', a tab or carriage return, or with '+' or '-' and not a plain
// number (a phone number "+84…" stays as it is), gets a leading apostrophe, which
// spreadsheets hide and csvUnquoteFormula removes on import.
func csvQuoteFormula(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '@', '\t', '\r':
		return "'" + v
	case '+', '-':
		if strings.Trim(v[1:], "0123456789 .") != "" {
			return "'" + v
		}
	}
	return v
}

// csvUnquoteFormula undoes csvQuoteFormula.
func csvUnquoteFormula(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.IndexByte("=@\t\r+-", v[1]) >= 0 {
		return v[1:]
	}
	return v
}

// ImportXLSX reads the list table tableID from an XLSX workbook (opts.Sheet or the
// first sheet), with the same header rules as ImportCSV. Cells typed as dates become
// dd/mm/yyyy; numeric cells that lost a leading zero (a phone number typed as a number,
// a CCCD typed as a number) get it back.
func (d *Definition) ImportXLSX(tableID string, r io.Reader, opts ImportOptions) (*ImportResult, error) {
	t := d.Table(tableID)
	if t == nil {
		return nil, fmt.Errorf("%w: %s has no list %q", ErrUnknownList, d.ID, tableID)
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxImportSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxImportSize {
		return nil, &InputError{Detail: fmt.Sprintf("XLSX file larger than %d bytes", MaxImportSize), Err: ErrInputTooLarge}
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{RawCellValue: true,
		UnzipSizeLimit: 4 * MaxImportSize, UnzipXMLSizeLimit: 4 * MaxImportSize})
	if err != nil {
		return nil, &InputError{Detail: "XLSX: " + err.Error(), Err: ErrMalformedInput}
	}
	defer f.Close()
	sheet := opts.Sheet
	if sheet == "" {
		if sheets := f.GetSheetList(); len(sheets) > 0 {
			sheet = sheets[0]
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, &InputError{Detail: fmt.Sprintf("XLSX: sheet %q: %v", sheet, err), Err: ErrMalformedInput}
	}
	defer rows.Close()
	// Every row is read, blank ones too (kept as nil so that row numbers stay the
	// spreadsheet's), until there are more non-blank rows than the list, its header and
	// title rows can hold: importRecords then reports the list too long. A row after a
	// gap of blank rows is never dropped silently.
	var records [][]string
	nonBlank := 0
	for rows.Next() {
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &InputError{Row: len(records) + 1, Detail: "XLSX: " + err.Error(), Err: ErrMalformedInput}
		}
		if !slices.ContainsFunc(rec, func(v string) bool { return strings.TrimSpace(v) != "" }) {
			rec = nil
		} else {
			nonBlank++
		}
		records = append(records, rec)
		if nonBlank > maxImportRows(t)+12 {
			break
		}
	}
	// Values Excel stores as numbers (no string type) may need repair; text cells are
	// taken as typed.
	numeric := func(row, col int) bool {
		cell, err := excelize.CoordinatesToCellName(col+1, row)
		if err != nil {
			return false
		}
		ct, err := f.GetCellType(sheet, cell)
		return err == nil && (ct == excelize.CellTypeUnset || ct == excelize.CellTypeNumber || ct == excelize.CellTypeDate)
	}
	return d.importRecords(t, records, opts, func(c Field, v string, row, col int) string {
		switch c.Type {
		case TypeDate, TypePhone, TypeCCCD, TypeIDNumber, TypeInteger:
			if v != "" && numeric(row, col) {
				return xlsxFixups(c, v)
			}
		}
		return v
	})
}

func maxImportRows(t *Table) int {
	if t.MaxRows > 0 {
		return t.MaxRows
	}
	return DefaultMaxRows
}

// xlsxFixups repairs a value Excel stored as a number: a date serial becomes
// dd/mm/yyyy, a phone, CCCD or CMND number gets its leading zeros back, 12.0 becomes 12.
func xlsxFixups(c Field, v string) string {
	if v == "" {
		return v
	}
	num, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	switch c.Type {
	case TypeDate:
		if num >= 1 && num < 120000 {
			if t, err := excelize.ExcelDateToTime(num, false); err == nil {
				return FormatDate(t)
			}
		}
	case TypePhone:
		if s := strconv.FormatFloat(num, 'f', 0, 64); len(s) == 9 {
			return "0" + s
		}
	case TypeCCCD, TypeIDNumber:
		// A CCCD always starts with 0 (province codes 001–096): a number of 10 or 11
		// digits lost one or two leading zeros (Hà Nội's 001… loses two). A CMND of 9
		// digits may start with 0 too (Hà Nội's 01…).
		s := strconv.FormatFloat(num, 'f', 0, 64)
		switch {
		case len(s) == 10 || len(s) == 11:
			return strings.Repeat("0", 12-len(s)) + s
		case c.Type == TypeIDNumber && len(s) == 8:
			return "0" + s
		}
	}
	if num == float64(int64(num)) {
		return strconv.FormatInt(int64(num), 10)
	}
	return v
}

func (d *Definition) importRecords(t *Table, records [][]string, opts ImportOptions, fix ...func(c Field, v string, row, col int) string) (*ImportResult, error) {
	if len(records) == 0 {
		return nil, &InputError{Detail: "the file is empty: the first row must name the columns", Err: ErrMalformedInput}
	}
	key := func(s string) string { return strings.ToLower(strings.TrimSpace(norm.NFC.String(s))) }
	byName := map[string]int{}
	for i, c := range t.Columns {
		byName[key(c.ID)] = i
		byName[key(c.Label)] = i
		if c.LabelEn != "" {
			byName[key(c.LabelEn)] = i
		}
	}
	// The header is the first row (of the first ten) where at least two cells name
	// columns: spreadsheets often carry a title above it.
	hdr := 0
	for r := 0; r < len(records) && r < 10; r++ {
		n := 0
		for _, h := range records[r] {
			if _, ok := byName[key(h)]; ok {
				n++
			}
		}
		if n >= min(2, len(t.Columns)) {
			hdr = r
			break
		}
	}
	hdrRow := hdr + 1
	colOf := make([]int, len(records[hdr]))
	seen := map[int]bool{}
	for j, h := range records[hdr] {
		k := key(h)
		if k == "stt" || k == "#" || k == "no." || k == "" {
			colOf[j] = -1
			continue
		}
		i, ok := byName[k]
		if !ok {
			return nil, &InputError{Row: hdrRow, Detail: fmt.Sprintf("column %d header %q is not a column of list %q (use the column id, Vietnamese or English label)", j+1, h, t.ID), Err: ErrMalformedInput}
		}
		if seen[i] {
			return nil, &InputError{Row: hdrRow, Detail: fmt.Sprintf("column %q appears twice", t.Columns[i].Label), Err: ErrMalformedInput}
		}
		seen[i] = true
		colOf[j] = i
	}
	for i, c := range t.Columns {
		if c.Required && !seen[i] {
			return nil, &InputError{Row: hdrRow, Detail: fmt.Sprintf("required column %q (%s) is missing", c.Label, c.ID), Err: ErrMalformedInput}
		}
	}
	maxRows := maxImportRows(t)
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	today := now.In(vietnam)
	res := &ImportResult{}
	for n, rec := range records[hdr+1:] {
		fileRow := hdrRow + n + 1
		row := Row{}
		empty := true
		for j, v := range rec {
			if j >= len(colOf) {
				if strings.TrimSpace(v) != "" {
					return nil, &InputError{Row: fileRow, Detail: fmt.Sprintf("value in column %d, which has no header", j+1), Err: ErrMalformedInput}
				}
				continue
			}
			if colOf[j] < 0 {
				continue
			}
			c := t.Columns[colOf[j]]
			v = strings.TrimSpace(norm.NFC.String(v))
			for _, f := range fix {
				v = f(c, v, fileRow, j)
			}
			if v != "" {
				empty = false
			}
			row[c.ID] = normValue(c, v)
		}
		if empty {
			continue
		}
		if len(res.Rows) >= maxRows {
			return nil, &InputError{Row: fileRow, Detail: fmt.Sprintf("list %q holds at most %d rows", t.ID, maxRows), Err: ErrInputTooLarge}
		}
		res.Rows = append(res.Rows, row)
		res.RowNumbers = append(res.RowNumbers, fileRow)
		for _, p := range t.validateRows([]Row{row}, today, fileRow-1) {
			if errors.Is(p.Err, ErrRowCount) {
				continue
			}
			res.Problems = append(res.Problems, p)
		}
	}
	if len(res.Rows) < t.MinRows {
		res.Problems = append(res.Problems, &Problem{Table: t.ID, Label: t.Title, Err: ErrRowCount,
			Vi: fmt.Sprintf("cần ít nhất %d dòng, có %d dòng", t.MinRows, len(res.Rows)),
			En: fmt.Sprintf("needs at least %d rows, has %d", t.MinRows, len(res.Rows))})
	}
	return res, nil
}

func (d *Definition) exportHeader(tableID string) (*Table, []string, error) {
	t := d.Table(tableID)
	if t == nil {
		return nil, nil, fmt.Errorf("%w: %s has no list %q", ErrUnknownList, d.ID, tableID)
	}
	hdr := []string{"STT"}
	for _, c := range t.Columns {
		hdr = append(hdr, c.Label)
	}
	return t, hdr, nil
}

// ExportCSV writes the rows of list tableID as CSV (UTF-8 with BOM, so that Excel
// shows Vietnamese correctly), with an STT column and the Vietnamese labels as header.
// A value a spreadsheet would take for a formula ("=…", "@…", "+cmd|…") is written
// with a leading apostrophe, which ImportCSV removes.
func (d *Definition) ExportCSV(tableID string, w io.Writer, rows []Row) error {
	t, hdr, err := d.exportHeader(tableID)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString("\xEF\xBB\xBF")
	cw := csv.NewWriter(&b)
	cw.Write(hdr)
	for i, r := range rows {
		rec := []string{strconv.Itoa(i + 1)}
		for _, c := range t.Columns {
			rec = append(rec, csvQuoteFormula(r[c.ID]))
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}

// ExportXLSX writes the rows of list tableID as an XLSX workbook with one sheet, an STT
// column and the Vietnamese labels as a bold header; every value is a text cell, so
// leading zeros of phone and CCCD numbers survive.
func (d *Definition) ExportXLSX(tableID string, w io.Writer, rows []Row) error {
	t, hdr, err := d.exportHeader(tableID)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "DanhSach"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	cells := make([]any, len(hdr))
	for i, h := range hdr {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	for i, r := range rows {
		vals := []any{i + 1}
		for _, c := range t.Columns {
			vals = append(vals, excelize.Cell{Value: r[c.ID]})
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}
