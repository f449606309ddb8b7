package forms

// Definition describes one form: its legal identity, the official-letter layout it is
// rendered with, its sections, fields and list tables, the signature block, defaults for
// the letter header, where the field list comes from (Provenance) and realistic sample
// data. Definitions are data: the built-in ones are embedded JSON files (see
// definitions/README.md for the schema) and agencies add or amend them through a
// Registry without changing code.
//
// A Definition obtained from a Registry must be treated as read-only.
type Definition struct {
	// ID is the stable identifier, e.g. "tt185/mau-01", "nd68/mau-05", "report/usage".
	ID string `json:"id"`
	// Title is the official Vietnamese title, e.g. "Văn bản đề nghị cấp chứng thư số cá
	// nhân" (TT 185/2019 Mẫu 01).
	Title string `json:"title"`
	// TitleEn is the English title.
	TitleEn string `json:"titleEn,omitempty"`
	// Kind names the procedure family (request-individual, request-organisation,
	// request-device, renewal, revocation, recovery, effective-time, handover,
	// lost-device, usage-report, …) that the typed views in this package use.
	Kind string `json:"kind,omitempty"`
	// Layout selects how the letter is laid out.
	Layout Layout `json:"layout"`
	// DocumentType is the document-type heading for layouts with one, e.g. "VĂN BẢN ĐỀ NGHỊ",
	// "BIÊN BẢN", "BÁO CÁO".
	DocumentType string `json:"documentType,omitempty"`
	// Summary is the trích yếu: for a công văn the "V/v …" line, for other layouts the line
	// under the document type.
	Summary string `json:"summary,omitempty"`
	// LegalBasis lists the instruments and articles the form comes from.
	LegalBasis []string `json:"legalBasis,omitempty"`
	// Procedure says who sends the form to whom, under which article.
	Procedure Procedure `json:"procedure"`
	// Defaults fill the letter header where the data leaves it empty.
	Defaults Defaults `json:"defaults"`
	// Intro is the paragraph after "Kính gửi"; {placeholders} name header values or
	// fields, e.g. "{issuingBody}".
	Intro string `json:"intro,omitempty"`
	// Sections are numbered in the rendered letter.
	Sections []Section `json:"sections"`
	// Closing paragraphs follow the sections (commitments, "Trân trọng đề nghị …").
	Closing []string `json:"closing,omitempty"`
	// Signature is the signature block.
	Signature SignatureBlock `json:"signature"`
	// Provenance records where the field list comes from and how sure it is.
	Provenance Provenance `json:"provenance"`
	// Superseded, when set, is the date (YYYY-MM-DD) from which the form's regime no
	// longer applies: the TT 185/2019 forms from 15/8/2024, when NĐ 68/2024 brought its
	// own. A form dated on or after it renders with a warning (Rendered.Warnings).
	Superseded string `json:"superseded,omitempty"`
	// ReplacedBy is the ID of the form that replaces this one from Superseded (e.g.
	// "nd68/mau-01"); empty when none is known. ReplacedByNote qualifies it, e.g.
	// "unverified".
	ReplacedBy     string `json:"replacedBy,omitempty"`
	ReplacedByNote string `json:"replacedByNote,omitempty"`
	// Sample is realistic sample data that renders and validates.
	Sample *Data `json:"sample,omitempty"`
}

// Layout is the arrangement of the rendered letter (Nghị định 30/2020 Phụ lục I).
type Layout string

// The layouts.
const (
	// LayoutLetter is a công văn: issuing body top left with số/ký hiệu and the "V/v"
	// summary under it, Quốc hiệu top right, "Kính gửi", body, signature, "Nơi nhận".
	LayoutLetter Layout = "letter"
	// LayoutApplication is an application (đơn) by a person or unit: Quốc hiệu centred,
	// the document type and summary centred, "Kính gửi", body, the applicant's signature.
	LayoutApplication Layout = "application"
	// LayoutMinutes is a record (biên bản): issuing body and Quốc hiệu, the document type
	// centred, body, the parties' signatures side by side.
	LayoutMinutes Layout = "minutes"
	// LayoutReport is a báo cáo: like a letter, with the document type and summary
	// centred.
	LayoutReport Layout = "report"
)

// Procedure says who sends the form to whom.
type Procedure struct {
	From    string `json:"from,omitempty"`
	To      string `json:"to,omitempty"`
	Article string `json:"article,omitempty"`
}

// Defaults are header values used when the data leaves them empty. An agency overrides
// them (e.g. the province's managing body) through the Registry.
type Defaults struct {
	ParentBody      string   `json:"parentBody,omitempty"`
	IssuingBody     string   `json:"issuingBody,omitempty"`
	NumberSuffix    string   `json:"numberSuffix,omitempty"`
	Place           string   `json:"place,omitempty"`
	Recipients      []string `json:"recipients,omitempty"`
	Distribution    []string `json:"distribution,omitempty"`
	SignerAuthority string   `json:"signerAuthority,omitempty"`
	SignerTitle     string   `json:"signerTitle,omitempty"`
}

// Section is a numbered part of the letter: fields, then an optional list table.
type Section struct {
	ID      string  `json:"id"`
	Title   string  `json:"title"`
	TitleEn string  `json:"titleEn,omitempty"`
	Intro   string  `json:"intro,omitempty"`
	Fields  []Field `json:"fields,omitempty"`
	Table   *Table  `json:"table,omitempty"`
}

// Table is a list (danh sách) whose rows the data supplies.
type Table struct {
	ID      string  `json:"id"`
	Title   string  `json:"title,omitempty"`
	Columns []Field `json:"columns"`
	// MinRows and MaxRows bound the row count (MaxRows 0 means DefaultMaxRows).
	MinRows int `json:"minRows,omitempty"`
	MaxRows int `json:"maxRows,omitempty"`
	// Annex attaches the list after the signature block, headed by its title and a
	// reference to the letter (a phụ biểu or danh sách kèm theo), instead of drawing it
	// in its section; a section holding nothing else is then not numbered.
	Annex bool `json:"annex,omitempty"`
}

// DefaultMaxRows bounds list tables whose definition sets no MaxRows.
const DefaultMaxRows = 5000

// Field is one value of a form or one column of a list table.
type Field struct {
	ID       string    `json:"id"`
	Label    string    `json:"label"`
	LabelEn  string    `json:"labelEn,omitempty"`
	Type     FieldType `json:"type"`
	Required bool      `json:"required,omitempty"`
	Help     string    `json:"help,omitempty"`
	HelpEn   string    `json:"helpEn,omitempty"`
	// Options are the allowed values of an enum field.
	Options []Option `json:"options,omitempty"`
	// NotFuture rejects dates after the validation time (birth dates, issue dates).
	NotFuture bool `json:"notFuture,omitempty"`
	// MaxLength bounds text (in characters; 0 means DefaultMaxLength).
	MaxLength int `json:"maxLength,omitempty"`
	// DomainSuffix, for e-mail fields, is the required domain suffix, e.g. "gov.vn".
	DomainSuffix string `json:"domainSuffix,omitempty"`
	// RequiredIf makes the field required when another field (or, in a table, another
	// column of the same row) has a given value: "deviceType=sim-pki".
	RequiredIf string `json:"requiredIf,omitempty"`
	// Width is the relative width of a table column (default 1).
	Width float64 `json:"width,omitempty"`
}

// DefaultMaxLength bounds text fields whose definition sets no MaxLength.
const DefaultMaxLength = 500

// Option is one allowed value of an enum field.
type Option struct {
	Value   string `json:"value"`
	Label   string `json:"label"`
	LabelEn string `json:"labelEn,omitempty"`
}

// SignatureBlock describes who signs.
type SignatureBlock struct {
	// Signer is "subscriber" (the applicant), "head" (the head of the managing
	// organisation) or "parties" (each party of a record).
	Signer string `json:"signer"`
	// Blocks are drawn left to right; a single block takes the right half and leaves the
	// left half to "Nơi nhận".
	Blocks []SignerBlock `json:"blocks"`
}

// SignerBlock is one signature: authority line, title, room for the signature (and the
// visible digital signature), and the name.
type SignerBlock struct {
	// Role is a short identifier, e.g. "applicant", "head", "handing", "receiving".
	Role string `json:"role"`
	// Authority is the first line, e.g. "NGƯỜI ĐỀ NGHỊ", "TM. ỦY BAN NHÂN DÂN",
	// "ĐẠI DIỆN BÊN GIAO". For the main (last) block, Header.SignerAuthority overrides it.
	Authority string `json:"authority"`
	// Title is the second line, e.g. "GIÁM ĐỐC"; Header.SignerTitle overrides it for the
	// main block.
	Title string `json:"title,omitempty"`
	// Hint is printed in italics under the title, e.g. "(Ký, ghi rõ họ tên)".
	Hint string `json:"hint,omitempty"`
	// NameField names the field holding the signer's name; empty means Header.SignerName.
	NameField string `json:"nameField,omitempty"`
}

// Provenance records where a definition's field list comes from.
type Provenance struct {
	// Confidence is "official" (transcribed from the published instrument), "seed"
	// (taken from a provincial regulation that quotes it) or "reconstructed" (rebuilt
	// from practice; an agency with the official text should correct it).
	Confidence string `json:"confidence"`
	// Sources lists what the field list was built from.
	Sources []string `json:"sources"`
	// Notes explains gaps and assumptions.
	Notes string `json:"notes,omitempty"`
}

// Confidence levels of Provenance.
const (
	ConfidenceOfficial      = "official"
	ConfidenceSeed          = "seed"
	ConfidenceReconstructed = "reconstructed"
)

// Fields returns every non-table field of the definition, in order.
func (d *Definition) Fields() []Field {
	var out []Field
	for _, s := range d.Sections {
		out = append(out, s.Fields...)
	}
	return out
}

// Field returns the field with the given ID and whether it exists.
func (d *Definition) Field(id string) (Field, bool) {
	for _, s := range d.Sections {
		for _, f := range s.Fields {
			if f.ID == id {
				return f, true
			}
		}
	}
	return Field{}, false
}

// Tables returns the list tables of the definition, in order.
func (d *Definition) Tables() []*Table {
	var out []*Table
	for i := range d.Sections {
		if t := d.Sections[i].Table; t != nil {
			out = append(out, t)
		}
	}
	return out
}

// Table returns the list table with the given ID, or nil.
func (d *Definition) Table(id string) *Table {
	for _, t := range d.Tables() {
		if t.ID == id {
			return t
		}
	}
	return nil
}
