package forms

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Errors about definitions, registries and input documents.
var (
	// ErrUnknownForm: no definition has the requested ID.
	ErrUnknownForm = errors.New("forms: unknown form")
	// ErrUnknownList: the form has no list table with the requested ID.
	ErrUnknownList = errors.New("forms: unknown list")
	// ErrInvalidDefinition: a definition or extension file is malformed or inconsistent
	// (see *DefinitionError for the file and line).
	ErrInvalidDefinition = errors.New("forms: invalid form definition")
	// ErrConflict: two definition files claim the same thing (see *DefinitionError).
	ErrConflict = errors.New("forms: conflicting form definitions")
	// ErrMalformedInput: a JSON, CSV or XLSX input cannot be read at all.
	ErrMalformedInput = errors.New("forms: malformed input")
	// ErrInputTooLarge: an input exceeds the size limits.
	ErrInputTooLarge = errors.New("forms: input too large")
	// ErrInvalidData: the data does not satisfy its definition (see *ValidationError).
	ErrInvalidData = errors.New("forms: invalid form data")
)

// Problems found by validation; each *Problem wraps exactly one of these.
var (
	ErrRequired        = errors.New("required value missing")
	ErrUnknownField    = errors.New("unknown field")
	ErrTooLong         = errors.New("value too long")
	ErrBadCharacters   = errors.New("control characters in value")
	ErrInvalidDate     = errors.New("invalid date")
	ErrFutureDate      = errors.New("date in the future")
	ErrNotAnOption     = errors.New("value not among the allowed options")
	ErrInvalidPhone    = errors.New("invalid Vietnamese mobile number")
	ErrInvalidEmail    = errors.New("invalid e-mail address")
	ErrInvalidCCCD     = errors.New("invalid CCCD number")
	ErrInvalidIDNumber = errors.New("invalid CMND/CCCD/passport number")
	ErrInvalidTaxCode  = errors.New("invalid tax code")
	ErrInvalidBudget   = errors.New("invalid budget relation code")
	ErrInvalidInteger  = errors.New("invalid whole number")
	ErrInvalidSerial   = errors.New("invalid certificate serial number")
	ErrRowCount        = errors.New("wrong number of list rows")
	ErrWrongForm       = errors.New("data for another form")
)

// Problem is one thing wrong with a form's data, located precisely and explained in
// Vietnamese and English.
type Problem struct {
	// Field is the field ID for a form field; empty for a table cell.
	Field string
	// Table, Row (1-based) and Column locate a list-table cell; Row is 0 and Column empty
	// for a problem with the table as a whole.
	Table  string
	Row    int
	Column string
	// Label is the Vietnamese label of the field or column.
	Label string
	// Value is the offending value (may be empty).
	Value string
	// Err is the kind of problem, one of the Err… values above (use errors.Is).
	Err error
	// Vi and En explain the problem to a user.
	Vi, En string
}

// Path returns the location as "fields.<id>", "tables.<id>[<row>].<column>",
// "tables.<id>", "header.<key>" or, for data of another form, "form". An identifier that is not a plain word (it came from the data, e.g. an
// unknown key holding a line break) is written as a quoted Go string, so the path stays
// on one line.
func (p *Problem) Path() string {
	switch {
	case errors.Is(p.Err, ErrWrongForm):
		return "form"
	case p.Table != "" && p.Row > 0:
		return fmt.Sprintf("tables.%s[%d].%s", pathID(p.Table), p.Row, pathID(p.Column))
	case p.Table != "":
		return "tables." + pathID(p.Table)
	case strings.HasPrefix(p.Field, "header."):
		return p.Field
	case p.Field != "":
		return "fields." + pathID(p.Field)
	}
	return "header"
}

// pathID returns id as it is when it is a plain identifier, else quoted.
func pathID(id string) string {
	if reFieldID.MatchString(id) {
		return id
	}
	return strconv.Quote(id)
}

// oneLine returns s with control characters (line breaks included) escaped.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// Where returns the location in words, in Vietnamese and English.
func (p *Problem) Where() (vi, en string) {
	switch {
	case errors.Is(p.Err, ErrWrongForm):
		return "mã biểu mẫu", "form identifier"
	case p.Table != "" && p.Row > 0:
		return fmt.Sprintf("danh sách %q, dòng %d, cột «%s»", p.Table, p.Row, oneLine(p.Label)),
			fmt.Sprintf("list %q, row %d, column %q", p.Table, p.Row, p.Column)
	case p.Table != "":
		return fmt.Sprintf("danh sách %q", p.Table), fmt.Sprintf("list %q", p.Table)
	}
	return fmt.Sprintf("trường «%s»", oneLine(p.Label)), fmt.Sprintf("field %q", p.Field)
}

// Error returns one line: path, Vietnamese message, English message.
func (p *Problem) Error() string {
	vi, en := p.Where()
	return fmt.Sprintf("%s: %s: %s / %s: %s", p.Path(), vi, oneLine(p.Vi), en, oneLine(p.En))
}

// Unwrap returns the kind of problem.
func (p *Problem) Unwrap() error { return p.Err }

// ValidationError lists every problem found in one form's data. errors.Is matches
// ErrInvalidData and each problem's kind; errors.As finds *ValidationError and the
// first *Problem.
type ValidationError struct {
	Form     string
	Problems []*Problem
}

// Error summarises the problems, one per line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "forms: %s: %d problem(s) in the data", e.Form, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns ErrInvalidData and every problem.
func (e *ValidationError) Unwrap() []error {
	out := []error{ErrInvalidData}
	for _, p := range e.Problems {
		out = append(out, p)
	}
	return out
}

// DefinitionError reports a problem in a definition or extension file, with its file
// and line (line 0 when unknown).
type DefinitionError struct {
	File string
	Line int
	// Form is the definition ID concerned, when known.
	Form string
	// Err is ErrInvalidDefinition or ErrConflict.
	Err error
	// Detail explains the problem.
	Detail string
}

// Error returns "file:line: form: detail".
func (e *DefinitionError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	kind := "invalid definition"
	if errors.Is(e.Err, ErrConflict) {
		kind = "conflict"
	}
	if e.Form != "" {
		return fmt.Sprintf("%s: %s: %s: %s", loc, e.Form, kind, e.Detail)
	}
	return fmt.Sprintf("%s: %s: %s", loc, kind, e.Detail)
}

// Unwrap returns ErrInvalidDefinition or ErrConflict.
func (e *DefinitionError) Unwrap() error { return e.Err }

// InputError reports a problem reading a CSV, XLSX or JSON input.
type InputError struct {
	// Row is the spreadsheet row (CSV: the record's line) of the problem, 1-based; 0
	// when not applicable.
	Row int
	// Line is the line of a JSON document where the problem is, 1-based; 0 when not
	// applicable.
	Line   int
	Detail string
	Err    error
}

// Error returns the row or line and the detail.
func (e *InputError) Error() string {
	switch {
	case e.Row > 0:
		return fmt.Sprintf("forms: row %d: %s", e.Row, e.Detail)
	case e.Line > 0:
		return fmt.Sprintf("forms: line %d: %s", e.Line, e.Detail)
	}
	return "forms: " + e.Detail
}

// Unwrap returns ErrMalformedInput or ErrInputTooLarge.
func (e *InputError) Unwrap() error { return e.Err }
