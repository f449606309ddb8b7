package forms

import (
	"fmt"
	"net/mail"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// vietnam is Vietnam's time zone (UTC+7, no daylight saving).
var vietnam = time.FixedZone("ICT", 7*3600)

// ValidateOptions parameterise Validate.
type ValidateOptions struct {
	// Now is the reference time for "not in the future" checks; zero means time.Now().
	// Dates are compared in Vietnam time (UTC+7).
	Now time.Time
}

// Validate checks data against the definition and returns nil or a *ValidationError
// listing every problem (field, table row and column named, in Vietnamese and English).
// It checks required values, unknown fields, lengths, and each field type's format;
// it does not check that names or numbers exist in any register.
func (d *Definition) Validate(data *Data, opts ValidateOptions) error {
	if data == nil {
		data = &Data{} // no data at all: every required value is missing
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	today := now.In(vietnam)
	var probs []*Problem
	if p := d.checkForm(data); p != nil {
		probs = append(probs, p)
	}
	probs = append(probs, validateHeader(data.Header, today)...)
	known := map[string]Field{}
	for _, f := range d.Fields() {
		known[f.ID] = f
		v := strings.TrimSpace(data.Fields[f.ID])
		if p := checkRequiredIf(f, v, data.Fields); p != nil {
			p.Field = f.ID
			probs = append(probs, p)
		} else if p := checkValue(f, v, today); p != nil {
			p.Field = f.ID
			probs = append(probs, p)
		}
	}
	var unknown []string
	for id := range data.Fields {
		if _, ok := known[id]; !ok {
			unknown = append(unknown, id)
		}
	}
	sort.Strings(unknown)
	for _, id := range unknown {
		probs = append(probs, &Problem{Field: id, Label: id, Value: data.Fields[id], Err: ErrUnknownField,
			Vi: "biểu mẫu không có trường này", En: "the form has no such field"})
	}
	tables := map[string]bool{}
	for _, t := range d.Tables() {
		tables[t.ID] = true
		probs = append(probs, t.validateRows(data.Tables[t.ID], today, 0)...)
	}
	var unknownTables []string
	for id := range data.Tables {
		if !tables[id] {
			unknownTables = append(unknownTables, id)
		}
	}
	sort.Strings(unknownTables)
	for _, id := range unknownTables {
		probs = append(probs, &Problem{Table: id, Label: id, Err: ErrUnknownField,
			Vi: "biểu mẫu không có danh sách này", En: "the form has no such list"})
	}
	if len(probs) == 0 {
		return nil
	}
	return &ValidationError{Form: d.ID, Problems: probs}
}

// checkForm reports data that names another form (data naming none is taken as this
// form's).
func (d *Definition) checkForm(data *Data) *Problem {
	if data.Form == "" || data.Form == d.ID {
		return nil
	}
	return &Problem{Label: "Mã biểu mẫu", Value: data.Form, Err: ErrWrongForm,
		Vi: fmt.Sprintf("dữ liệu là của biểu mẫu %q, không phải %q", data.Form, d.ID),
		En: fmt.Sprintf("the data is for form %q, not %q", data.Form, d.ID)}
}

// Limits on the letter header.
const (
	maxHeaderText  = 300
	maxHeaderItems = 30
)

// validateHeader checks the header's values: plain text of bounded length, and the date.
func validateHeader(h Header, today time.Time) []*Problem {
	var probs []*Problem
	text := func(id, label, v string) {
		f := Field{ID: id, Label: label, Type: TypeText, MaxLength: maxHeaderText}
		if p := checkValue(f, strings.TrimSpace(v), today); p != nil {
			p.Field = "header." + id
			probs = append(probs, p)
		}
	}
	text("parentBody", "Cơ quan chủ quản", h.ParentBody)
	text("issuingBody", "Cơ quan ban hành", h.IssuingBody)
	text("number", "Số, ký hiệu", h.Number)
	text("place", "Địa danh", h.Place)
	text("signerAuthority", "Quyền hạn ký", h.SignerAuthority)
	text("signerTitle", "Chức vụ người ký", h.SignerTitle)
	text("signerName", "Họ tên người ký", h.SignerName)
	if p := checkValue(Field{ID: "date", Label: "Ngày ban hành", Type: TypeDate}, strings.TrimSpace(h.Date), today); p != nil {
		p.Field = "header.date"
		probs = append(probs, p)
	}
	list := func(id, label string, items []string) {
		if len(items) > maxHeaderItems {
			probs = append(probs, &Problem{Field: "header." + id, Label: label, Err: ErrTooLong,
				Vi: fmt.Sprintf("tối đa %d mục, có %d", maxHeaderItems, len(items)),
				En: fmt.Sprintf("at most %d entries, has %d", maxHeaderItems, len(items))})
			return
		}
		for _, it := range items {
			text(id, label, it)
		}
	}
	list("recipients", "Kính gửi", h.Recipients)
	list("distribution", "Nơi nhận", h.Distribution)
	return probs
}

// validateRows checks the rows of t; rowOffset is added to row numbers (for imports
// that report spreadsheet rows).
func (t *Table) validateRows(rows []Row, today time.Time, rowOffset int) []*Problem {
	var probs []*Problem
	maxRows := t.MaxRows
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	if len(rows) < t.MinRows || len(rows) > maxRows {
		probs = append(probs, &Problem{Table: t.ID, Label: t.Title, Err: ErrRowCount,
			Value: fmt.Sprint(len(rows)),
			Vi:    fmt.Sprintf("cần từ %d đến %d dòng, có %d dòng", t.MinRows, maxRows, len(rows)),
			En:    fmt.Sprintf("needs %d to %d rows, has %d", t.MinRows, maxRows, len(rows))})
		if len(rows) > maxRows {
			return probs
		}
	}
	cols := map[string]bool{}
	for _, c := range t.Columns {
		cols[c.ID] = true
	}
	for i, row := range rows {
		for _, c := range t.Columns {
			v := strings.TrimSpace(row[c.ID])
			p := checkRequiredIf(c, v, row)
			if p == nil {
				p = checkValue(c, v, today)
			}
			if p != nil {
				p.Table, p.Row, p.Column = t.ID, i+1+rowOffset, c.ID
				probs = append(probs, p)
			}
		}
		var unknown []string
		for id := range row {
			if !cols[id] {
				unknown = append(unknown, id)
			}
		}
		sort.Strings(unknown)
		for _, id := range unknown {
			probs = append(probs, &Problem{Table: t.ID, Row: i + 1 + rowOffset, Column: id, Label: id,
				Err: ErrUnknownField, Vi: "danh sách không có cột này", En: "the list has no such column"})
		}
	}
	return probs
}

var (
	reDigits   = regexp.MustCompile(`^[0-9]+$`)
	reTaxCode  = regexp.MustCompile(`^[0-9]{10}(-[0-9]{3})?$`)
	rePassport = regexp.MustCompile(`^[A-Z][0-9]{7}$`)
	reDate     = regexp.MustCompile(`^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$`)
	reHex      = regexp.MustCompile(`^[0-9A-Fa-f]{1,64}$`)
	reDomain   = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// checkRequiredIf reports a value missing although its RequiredIf condition holds.
func checkRequiredIf(f Field, v string, values map[string]string) *Problem {
	if v != "" || f.RequiredIf == "" {
		return nil
	}
	other, want, ok := strings.Cut(f.RequiredIf, "=")
	if !ok || strings.TrimSpace(values[other]) != want {
		return nil
	}
	return &Problem{Label: f.Label, Err: ErrRequired,
		Vi: fmt.Sprintf("bắt buộc phải điền khi %s là %q", other, want),
		En: fmt.Sprintf("is required when %s is %q", other, want)}
}

// checkValue validates one value; v is already trimmed. It returns nil when valid.
func checkValue(f Field, v string, today time.Time) *Problem {
	p := func(err error, vi, en string) *Problem {
		return &Problem{Label: f.Label, Value: v, Err: err, Vi: vi, En: en}
	}
	if v == "" {
		if f.Required {
			return p(ErrRequired, "bắt buộc phải điền", "is required")
		}
		return nil
	}
	maxLen := f.MaxLength
	if maxLen <= 0 {
		maxLen = DefaultMaxLength
		if f.Type == TypeParagraph {
			maxLen = 4 * DefaultMaxLength
		}
	}
	if n := utf8.RuneCountInString(v); n > maxLen {
		return p(ErrTooLong, fmt.Sprintf("dài %d ký tự, tối đa %d", n, maxLen),
			fmt.Sprintf("is %d characters long, at most %d allowed", n, maxLen))
	}
	if !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool {
		return unicode.IsControl(r) && !(f.Type == TypeParagraph && (r == '\n' || r == '\t'))
	}) {
		return p(ErrBadCharacters, "chứa ký tự điều khiển hoặc mã không hợp lệ",
			"contains control characters or invalid encoding")
	}
	switch f.Type {
	case TypeDate:
		t, ok := ParseDate(v)
		if !ok {
			return p(ErrInvalidDate, "ngày không hợp lệ, ghi theo dạng dd/mm/yyyy",
				"is not a valid date; write it as dd/mm/yyyy")
		}
		if f.NotFuture && t.After(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)) {
			return p(ErrFutureDate, "không được là ngày trong tương lai", "must not be in the future")
		}
	case TypeEnum:
		for _, o := range f.Options {
			if o.Value == v {
				return nil
			}
		}
		vals := make([]string, len(f.Options))
		for i, o := range f.Options {
			vals[i] = o.Value
		}
		return p(ErrNotAnOption, "phải là một trong: "+strings.Join(vals, ", "),
			"must be one of: "+strings.Join(vals, ", "))
	case TypePhone:
		if _, ok := NormalizePhone(v); !ok {
			return p(ErrInvalidPhone,
				"số di động Việt Nam gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (chấp nhận dạng +84)",
				"a Vietnamese mobile number has 10 digits starting 03, 05, 07, 08 or 09 (+84 form accepted)")
		}
	case TypeEmail:
		if !validEmail(v) {
			return p(ErrInvalidEmail, "địa chỉ thư điện tử không hợp lệ", "is not a valid e-mail address")
		}
		if s := strings.ToLower(f.DomainSuffix); s != "" {
			dom := strings.ToLower(v[strings.LastIndexByte(v, '@')+1:])
			if dom != s && !strings.HasSuffix(dom, "."+s) {
				return p(ErrInvalidEmail, "phải là địa chỉ thư điện tử công vụ có tên miền ."+s,
					"must be an official address under the ."+s+" domain")
			}
		}
	case TypeCCCD:
		if !validCCCD(v) {
			return p(ErrInvalidCCCD, "số CCCD/định danh cá nhân gồm đúng 12 chữ số, 3 số đầu là mã tỉnh (001–096)",
				"a CCCD/personal identification number has exactly 12 digits, the first three a province code (001–096)")
		}
	case TypeIDNumber:
		switch {
		case reDigits.MatchString(v) && len(v) == 12:
			if !validCCCD(v) {
				return p(ErrInvalidIDNumber, "số 12 chữ số phải bắt đầu bằng mã tỉnh 001–096",
					"a 12-digit number must start with a province code 001–096")
			}
		case reDigits.MatchString(v) && len(v) == 9, rePassport.MatchString(v):
		default:
			return p(ErrInvalidIDNumber, "số CMND gồm 9 hoặc 12 chữ số, CCCD 12 chữ số, hộ chiếu 1 chữ cái và 7 chữ số",
				"a CMND has 9 or 12 digits, a CCCD 12 digits, a passport one letter and 7 digits")
		}
	case TypeTaxCode:
		if !reTaxCode.MatchString(v) {
			return p(ErrInvalidTaxCode, "mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số",
				"a tax code has 10 digits, or 10 digits, a hyphen and 3 digits")
		}
	case TypeBudgetCode:
		if !reDigits.MatchString(v) || len(v) != 7 {
			return p(ErrInvalidBudget, "mã quan hệ ngân sách gồm 7 chữ số", "a budget relation code has 7 digits")
		}
	case TypeInteger:
		if !reDigits.MatchString(v) || len(v) > 9 {
			return p(ErrInvalidInteger, "phải là số nguyên không âm", "must be a non-negative whole number")
		}
	case TypeSerial:
		s := strings.NewReplacer(" ", "", ":", "").Replace(v)
		if !reHex.MatchString(s) {
			return p(ErrInvalidSerial, "số hiệu chứng thư số là chuỗi thập lục phân (0–9, A–F)",
				"a certificate serial number is hexadecimal (0–9, A–F)")
		}
	}
	return nil
}

// ParseDate parses a date written dd/mm/yyyy (leading zeros optional, years 1900–2199)
// and returns it at midnight UTC.
func ParseDate(s string) (time.Time, bool) {
	m := reDate.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, false
	}
	d, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	if y < 1900 || y > 2199 || mo < 1 || mo > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// FormatDate writes t as dd/mm/yyyy.
func FormatDate(t time.Time) string { return t.Format("02/01/2006") }

// NormalizePhone returns a Vietnamese mobile number as 10 digits starting with 0,
// accepting spaces, dots and hyphens as separators and the +84 / 84 prefix.
func NormalizePhone(s string) (string, bool) {
	s = strings.NewReplacer(" ", "", ".", "", "-", "").Replace(s)
	switch {
	case strings.HasPrefix(s, "+84"):
		s = "0" + s[3:]
	case strings.HasPrefix(s, "84") && len(s) == 11:
		s = "0" + s[2:]
	}
	if len(s) != 10 || !reDigits.MatchString(s) || s[0] != '0' || !strings.ContainsRune("35789", rune(s[1])) {
		return "", false
	}
	return s, true
}

func validCCCD(s string) bool {
	if len(s) != 12 || !reDigits.MatchString(s) {
		return false
	}
	prov := int(s[0]-'0')*100 + int(s[1]-'0')*10 + int(s[2]-'0')
	return prov >= 1 && prov <= 96
}

func validEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>\"") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	local, dom := s[:at], strings.ToLower(s[at+1:])
	if local == "" || len(local) > 64 || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") ||
		strings.Contains(local, "..") {
		return false
	}
	for _, r := range local {
		if r > 127 {
			return false
		}
	}
	return reDomain.MatchString(dom)
}

// Normalize returns a copy of data with every string in NFC, trimmed, and enum values
// given by their label (as spreadsheets often do) replaced by the option value; nil
// gives an empty form. It does not validate.
func (d *Definition) Normalize(data *Data) *Data {
	if data == nil {
		data = &Data{}
	}
	n := func(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }
	ns := func(in []string) []string {
		if in == nil {
			return nil
		}
		out := make([]string, len(in))
		for i, s := range in {
			out[i] = n(s)
		}
		return out
	}
	out := &Data{Form: n(data.Form)}
	if out.Form == "" {
		out.Form = d.ID
	}
	h := data.Header
	out.Header = Header{ParentBody: n(h.ParentBody), IssuingBody: n(h.IssuingBody), Number: n(h.Number),
		Place: n(h.Place), Date: n(h.Date), Recipients: ns(h.Recipients), Distribution: ns(h.Distribution),
		SignerAuthority: n(h.SignerAuthority), SignerTitle: n(h.SignerTitle), SignerName: n(h.SignerName)}
	fieldByID := map[string]Field{}
	for _, f := range d.Fields() {
		fieldByID[f.ID] = f
	}
	if data.Fields != nil {
		out.Fields = make(map[string]string, len(data.Fields))
		for k, v := range data.Fields {
			out.Fields[k] = normValue(fieldByID[k], n(v))
		}
	}
	if data.Tables != nil {
		out.Tables = make(map[string][]Row, len(data.Tables))
		for id, rows := range data.Tables {
			cols := map[string]Field{}
			if t := d.Table(id); t != nil {
				for _, c := range t.Columns {
					cols[c.ID] = c
				}
			}
			nr := make([]Row, len(rows))
			for i, r := range rows {
				nr[i] = make(Row, len(r))
				for k, v := range r {
					nr[i][k] = normValue(cols[k], n(v))
				}
			}
			out.Tables[id] = nr
		}
	}
	return out
}

func normValue(f Field, v string) string {
	if f.Type != TypeEnum {
		return v
	}
	for _, o := range f.Options {
		if o.Value == v {
			return v
		}
	}
	for _, o := range f.Options {
		if strings.EqualFold(o.Label, v) || (o.LabelEn != "" && strings.EqualFold(o.LabelEn, v)) {
			return o.Value
		}
	}
	return v
}
