// Package layout will hold the Nghị định 30/2020 Phụ lục I rules as geometry: page
// boxes and margins, where each kind of visible digital signature goes (the signer's
// image between title and name, the organisation seal over the left third of it, the
// text-only stamps for attachments and electronic copies at the top right of page 1),
// finding the signer's title and name on a page, and drawing appearance streams
// (PNG with alpha, Vietnamese text in an embedded subset font) that signature can use
// through the Appearance interface it declares. It also checks a signed PDF's visible
// signatures against those rules.
//
// Nothing is exported yet; the package exists so the module has its final shape.
package layout
