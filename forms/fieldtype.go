package forms

// FieldType is the kind of value a field holds; it decides validation, the JSON Schema
// and how the value is drawn.
type FieldType string

// The field types.
const (
	TypeText       FieldType = "text"       // one line of text
	TypeParagraph  FieldType = "paragraph"  // free text, may span lines
	TypeDate       FieldType = "date"       // dd/mm/yyyy
	TypeEnum       FieldType = "enum"       // one of Options
	TypePhone      FieldType = "phone"      // Vietnamese mobile number
	TypeEmail      FieldType = "email"      // e-mail address (official: DomainSuffix)
	TypeCCCD       FieldType = "cccd"       // Căn cước công dân: 12 digits
	TypeIDNumber   FieldType = "idnumber"   // CMND (9 or 12 digits), CCCD (12) or passport
	TypeTaxCode    FieldType = "taxcode"    // mã số thuế: 10 digits or 10+"-"+3
	TypeBudgetCode FieldType = "budgetcode" // mã quan hệ ngân sách: 7 digits
	TypeInteger    FieldType = "integer"    // non-negative whole number
	TypeSerial     FieldType = "serial"     // certificate serial number, hexadecimal
)

var knownTypes = map[FieldType]bool{
	TypeText: true, TypeParagraph: true, TypeDate: true, TypeEnum: true, TypePhone: true,
	TypeEmail: true, TypeCCCD: true, TypeIDNumber: true, TypeTaxCode: true,
	TypeBudgetCode: true, TypeInteger: true, TypeSerial: true,
}

// Known reports whether t is one of the field types this package understands.
func (t FieldType) Known() bool { return knownTypes[t] }
