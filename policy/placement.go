package policy

// Placement is where and how a permitted signature is shown, in the names the layout
// package uses for the kinds of visible signature of Nghị định 30/2020 Phụ lục I.
type Placement string

// The placements.
const (
	// PlacementNone: no signature is to be applied (the decision refused it, or the
	// document is not signed separately).
	PlacementNone Placement = "none"
	// PlacementSigner: the person with authority's signature image, blue, between the
	// title (ô 7a) and the name (ô 7b), at ô 7c.
	PlacementSigner Placement = "signer"
	// PlacementSeal: the organisation's seal image, red, real size, over the left third
	// of the signer's image (ô 8).
	PlacementSeal Placement = "seal"
	// PlacementAttachmentStamp: the organisation's signature on an attachment in a
	// separate file: top right of page 1, no image, number and symbol and signing time
	// in 10 pt text.
	PlacementAttachmentStamp Placement = "attachment-stamp"
	// PlacementCopyStamp: the copying organisation's signature on an electronic copy:
	// ô 14, top right of page 1, no image, copy form, organisation and signing time.
	PlacementCopyStamp Placement = "copy-stamp"
)

// Vietnamese describes the placement for a clerk.
func (p Placement) Vietnamese() string {
	switch p {
	case PlacementSigner:
		return "chữ ký của người có thẩm quyền tại ô số 7c, giữa chức vụ và họ tên người ký (hình ảnh chữ ký màu xanh, nền trong suốt)"
	case PlacementSeal:
		return "dấu, chữ ký số của cơ quan, tổ chức tại ô số 8, trùm lên khoảng 1/3 hình ảnh chữ ký của người có thẩm quyền về bên trái (hình ảnh dấu màu đỏ, kích thước thực)"
	case PlacementAttachmentStamp:
		return "chữ ký số của cơ quan, tổ chức ở góc trên, bên phải, trang đầu của tệp tin kèm theo, không hiển thị hình ảnh"
	case PlacementCopyStamp:
		return "chữ ký số của cơ quan, tổ chức sao văn bản tại ô số 14, góc trên, bên phải, trang đầu, không hiển thị hình ảnh"
	}
	return "không ký"
}

// placementFor returns where a signature made with cert on doc goes.
func placementFor(cert CertificateKind, doc DocumentKind) Placement {
	switch {
	case doc == DocAppendixSameFile || cert == CertDevice:
		return PlacementNone
	case cert == CertIndividual:
		return PlacementSigner
	case doc == DocCopy:
		return PlacementCopyStamp
	case doc == DocAttachmentSeparateFile:
		return PlacementAttachmentStamp
	case cert.isOrganisation():
		return PlacementSeal
	}
	return PlacementNone
}
