package forms

// Data is one filled-in form: the letter header and the values of the fields and list
// tables, all as the strings a person types (dates as dd/mm/yyyy). It is the generic
// model every form shares; the typed views (IndividualRequest, …) convert to and from
// it. Its JSON form is the exchange format (see MarshalData and UnmarshalData).
type Data struct {
	// Form is the definition ID, e.g. "tt185/mau-01".
	Form string `json:"form"`
	// Header holds the letter's header and signature values.
	Header Header `json:"header"`
	// Fields maps field IDs to values.
	Fields map[string]string `json:"fields,omitempty"`
	// Tables maps list-table IDs to rows; a row maps column IDs to values.
	Tables map[string][]Row `json:"tables,omitempty"`
}

// Row is one row of a list table: column ID → value.
type Row map[string]string

// Header holds the parts of an administrative letter that are not fields (Nghị định
// 30/2020 Phụ lục I ô 2–9). Empty values take the definition's Defaults.
type Header struct {
	ParentBody      string   `json:"parentBody,omitempty"`  // cơ quan chủ quản
	IssuingBody     string   `json:"issuingBody,omitempty"` // cơ quan ban hành
	Number          string   `json:"number,omitempty"`      // số, ký hiệu, e.g. "125/STTTT-CĐS"
	Place           string   `json:"place,omitempty"`       // địa danh
	Date            string   `json:"date,omitempty"`        // dd/mm/yyyy
	Recipients      []string `json:"recipients,omitempty"`  // Kính gửi
	Distribution    []string `json:"distribution,omitempty"`
	SignerAuthority string   `json:"signerAuthority,omitempty"` // e.g. "KT. GIÁM ĐỐC"
	SignerTitle     string   `json:"signerTitle,omitempty"`     // e.g. "PHÓ GIÁM ĐỐC"
	SignerName      string   `json:"signerName,omitempty"`
}

// effectiveHeader returns h with the definition's defaults filled in.
func (d *Definition) effectiveHeader(h Header) Header {
	def := d.Defaults
	pick := func(v, dv string) string {
		if v != "" {
			return v
		}
		return dv
	}
	h.ParentBody = pick(h.ParentBody, def.ParentBody)
	h.IssuingBody = pick(h.IssuingBody, def.IssuingBody)
	h.Place = pick(h.Place, def.Place)
	if len(h.Recipients) == 0 {
		h.Recipients = def.Recipients
	}
	if len(h.Distribution) == 0 {
		h.Distribution = def.Distribution
	}
	h.SignerAuthority = pick(h.SignerAuthority, def.SignerAuthority)
	h.SignerTitle = pick(h.SignerTitle, def.SignerTitle)
	return h
}
