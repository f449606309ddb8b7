package policy

// DocumentKind is what is being signed.
type DocumentKind string

// The kinds of document the rules tell apart.
const (
	// DocAdministrative is an administrative document (văn bản hành chính), the
	// main document.
	DocAdministrative DocumentKind = "administrative"
	// DocAppendixSameFile is an appendix or attachment in the same file as the main
	// document (phụ lục, văn bản kèm theo cùng tệp tin): it is not signed separately.
	DocAppendixSameFile DocumentKind = "appendix-same-file"
	// DocAttachmentSeparateFile is an appendix or attachment in a separate file
	// (không cùng tệp tin): each file gets the organisation's signature, top right of
	// page 1, without image.
	DocAttachmentSeparateFile DocumentKind = "attachment-separate-file"
	// DocCopy is an electronic copy (bản sao định dạng điện tử): SAO Y, SAO LỤC or
	// TRÍCH SAO, signed by the copying organisation at ô 14.
	DocCopy DocumentKind = "copy"
	// DocProcedureResult is the result of an administrative procedure (kết quả giải
	// quyết thủ tục hành chính) issued at a public administrative service centre.
	DocProcedureResult DocumentKind = "procedure-result"
	// DocOwnRequest is a subscriber's own request, application or transaction
	// (văn bản đề nghị, hồ sơ, giao dịch điện tử của chính thuê bao), signed with their
	// individual certificate whatever their title (Quảng Ninh Điều 5 k1 a).
	DocOwnRequest DocumentKind = "own-request"
)

var docKindAliases = map[string][]string{
	string(DocAdministrative):         {"văn bản hành chính", "administrative document", "document"},
	string(DocAppendixSameFile):       {"phụ lục cùng tệp tin", "appendix"},
	string(DocAttachmentSeparateFile): {"văn bản kèm theo không cùng tệp tin", "attachment"},
	string(DocCopy):                   {"bản sao", "electronic copy"},
	string(DocProcedureResult):        {"kết quả giải quyết thủ tục hành chính", "administrative procedure result"},
	string(DocOwnRequest):             {"đề nghị của thuê bao", "giao dịch của thuê bao", "own request", "own transaction"},
}

// Valid reports whether k is one of the defined kinds.
func (k DocumentKind) Valid() bool { _, ok := docKindAliases[string(k)]; return ok }

// Vietnamese returns the kind's Vietnamese name.
func (k DocumentKind) Vietnamese() string {
	switch k {
	case DocAdministrative:
		return "văn bản hành chính"
	case DocAppendixSameFile:
		return "phụ lục, văn bản kèm theo cùng tệp tin với văn bản chính"
	case DocAttachmentSeparateFile:
		return "phụ lục, văn bản kèm theo không cùng tệp tin với văn bản chính"
	case DocCopy:
		return "bản sao định dạng điện tử"
	case DocProcedureResult:
		return "kết quả giải quyết thủ tục hành chính"
	case DocOwnRequest:
		return "văn bản đề nghị, giao dịch của chính thuê bao"
	}
	return string(k)
}

// UnmarshalText accepts the identifier ("copy") or a Vietnamese name ("bản sao").
func (k *DocumentKind) UnmarshalText(b []byte) error {
	id, ok := parseEnum(string(b), docKindAliases)
	if !ok {
		return &RequestError{Field: "document.kind", Value: string(b), Reason: "unknown document kind; use one of " + enumValues(docKindAliases)}
	}
	*k = DocumentKind(id)
	return nil
}

// Classification is a document's secrecy level (độ mật).
type Classification string

// Classifications. The zero value is an ordinary document.
const (
	// Unclassified is an ordinary document (thường).
	Unclassified Classification = ""
	// Confidential is "mật".
	Confidential Classification = "mat"
	// Secret is "tối mật".
	Secret Classification = "toi-mat"
	// TopSecret is "tuyệt mật".
	TopSecret Classification = "tuyet-mat"
)

var classificationAliases = map[string][]string{
	string(Unclassified): {"thường", "thuong", "normal", "unclassified"},
	string(Confidential): {"mật", "confidential"},
	string(Secret):       {"tối mật", "secret"},
	string(TopSecret):    {"tuyệt mật", "top secret", "top-secret"},
}

// Valid reports whether c is one of the defined classifications.
func (c Classification) Valid() bool { _, ok := classificationAliases[string(c)]; return ok }

// Classified reports whether c is mật, tối mật or tuyệt mật.
func (c Classification) Classified() bool { return c != Unclassified }

// Vietnamese returns the Vietnamese name of the level.
func (c Classification) Vietnamese() string {
	switch c {
	case Unclassified:
		return "thường"
	case Confidential:
		return "mật"
	case Secret:
		return "tối mật"
	case TopSecret:
		return "tuyệt mật"
	}
	return string(c)
}

// UnmarshalText accepts the identifier ("toi-mat") or the Vietnamese name ("tối mật").
func (c *Classification) UnmarshalText(b []byte) error {
	id, ok := parseEnum(string(b), classificationAliases)
	if !ok {
		return &RequestError{Field: "document.classification", Value: string(b), Reason: "unknown classification; use thuong, mat, toi-mat or tuyet-mat"}
	}
	*c = Classification(id)
	return nil
}

// CopyForm is the form of an electronic copy (hình thức sao).
type CopyForm string

// The copy forms of Nghị định 30/2020 Phụ lục I Phần II.
const (
	CopyTrue    CopyForm = "SAO Y"
	CopyRecopy  CopyForm = "SAO LỤC"
	CopyExtract CopyForm = "TRÍCH SAO"
)

var copyFormAliases = map[string][]string{
	"":                  nil,
	string(CopyTrue):    {"sao-y", "true copy"},
	string(CopyRecopy):  {"sao-luc", "SAO LUC"},
	string(CopyExtract): {"trich-sao", "TRICH SAO", "extract"},
}

// Valid reports whether f is one of the three forms (or empty).
func (f CopyForm) Valid() bool { _, ok := copyFormAliases[string(f)]; return ok }

// UnmarshalText accepts "SAO Y", "sao-y", "SAO LỤC", "TRÍCH SAO" and the like.
func (f *CopyForm) UnmarshalText(b []byte) error {
	id, ok := parseEnum(string(b), copyFormAliases)
	if !ok {
		return &RequestError{Field: "document.copy_form", Value: string(b), Reason: `unknown copy form; use "SAO Y", "SAO LỤC" or "TRÍCH SAO"`}
	}
	*f = CopyForm(id)
	return nil
}

// Document holds the facts about the document being signed.
type Document struct {
	// Kind is what is signed: the main document, an appendix, a copy, ….
	Kind DocumentKind `json:"kind"`
	// Classification is the document's secrecy level; any but Unclassified refuses.
	Classification Classification `json:"classification,omitempty"`
	// CopyForm is the form of an electronic copy; Decide requires it when Kind is
	// DocCopy. CheckSequence does not use it: the form is text on the page.
	CopyForm CopyForm `json:"copy_form,omitempty"`
	// CopyMadeByOrganisation says the copy was made by the signing organisation itself
	// (bản sao do cơ quan, tổ chức trực tiếp thực hiện); only then may it sign it.
	CopyMadeByOrganisation bool `json:"copy_made_by_organisation,omitempty"`
	// MainDocumentSigned says, for an attachment in a separate file, that the main
	// document it belongs to already carries a valid signature of the person with
	// authority. Decide uses it; CheckSequence does not, since the attachment's file
	// does not show the main document's signatures (check the main file instead).
	MainDocumentSigned bool `json:"main_document_signed,omitempty"`
}
