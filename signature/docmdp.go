package signature

import (
	"github.com/kyso-go/kyso/internal/pdf"
)

// existingDocMDP returns the P value of the document's certification signature
// (catalog /Perms /DocMDP → /Reference → /TransformMethod /DocMDP), or 0 when the
// document is not certified. A certification without /P means P=2.
func (ed *docEdit) existingDocMDP() DocMDPPermission {
	perms, _ := ed.dict(ed.catalog.Get("Perms"))
	sig, _ := ed.dict(perms.Get("DocMDP"))
	if sig == nil {
		return 0
	}
	refs, _ := ed.doc.Resolve(sig.Get("Reference"))
	arr, _ := refs.(pdf.Array)
	for _, e := range arr {
		ref, _ := ed.dict(e)
		if ref == nil || ref.Get("TransformMethod") != pdf.Name("DocMDP") {
			continue
		}
		params, _ := ed.dict(ref.Get("TransformParams"))
		p := DocMDPPermission(2)
		if v, ok := ed.resolve(params.Get("P")).(pdf.Integer); ok && v >= 1 && v <= 3 {
			p = DocMDPPermission(v)
		}
		return p
	}
	// /Perms /DocMDP without a DocMDP reference: treat as the default P=2.
	return 2
}

// checkDocMDP refuses a signature the document's certification forbids, and a
// certification of a document that is already signed.
func (ed *docEdit) checkDocMDP(certify DocMDPPermission) error {
	if p := ed.existingDocMDP(); p == DocMDPNoChanges {
		return signErr(ErrCertifiedNoChanges, nil, "văn bản đã được chứng thực không cho phép thay đổi / the certifying signature allows no further signature")
	}
	if certify != 0 && ed.signedCount > 0 {
		return signErr(ErrCertifyNotFirst, nil, "the document already holds %d signature(s)", ed.signedCount)
	}
	return nil
}

// setPerms points the catalog's /Perms /DocMDP at the certification signature.
func (ed *docEdit) setPerms(sigRef pdf.Ref) {
	perms, _ := ed.dict(ed.catalog.Get("Perms"))
	np := perms.Clone()
	if np == nil {
		np = pdf.Dict{}
	}
	np["DocMDP"] = sigRef
	ed.catalog["Perms"] = np
	ed.catalogChanged = true
}
