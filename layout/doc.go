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
//
// # Checking a received PDF
//
// Check judges a received PDF against those rules and returns a Report: one Finding per
// rule evaluated, passed or not, each with its Citation (instrument, article, clause),
// a Severity (error or warning), a Vietnamese and an English message, the value
// measured and the accepted interval the law gives. It reads each visible signature's
// certificate kind from the CMS in /Contents, its appearance (/AP /N: text in page
// coordinates, images decoded to measure the ink's colour, size and place) and its
// place, and the pages' measurable thể thức (A4, margins, fonts named and embedded,
// body size, page numbers, the ô 13 line, urgency frames, secrecy marks, scanned
// copies). Measure returns what Check reads (lines, images, rules, candidate signer
// blocks, signatures) without judging it. Neither verifies signatures nor validates
// certificates.
package layout
