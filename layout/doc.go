// Package layout holds the Nghị định 30/2020 Phụ lục I rules as geometry: where each
// kind of visible digital signature goes on a real document (a Word or LibreOffice
// export, a forms letter), and how it is drawn.
//
//   - Signer (ô 7c): the person's handwritten signature image, blue, transparent PNG,
//     centred between the title (ô 7a: "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH") and the name
//     (ô 7b), scaled down — never up — to fit between them.
//   - Seal (ô 8): the organisation's seal image, red, transparent PNG, at the seal's
//     real size (from the PNG's pHYs, or given in millimetres), over about the left
//     third of the signer's image, on the same page.
//   - Attachment (k8 b) and Copy (ô 14): no image, one line at the top right of page 1
//     in 10 pt regular black type: "Số: 41/2022/QĐ-UBND; 2026-12-07T07:03:45+07:00"
//     or "SAO Y; <organisation>; <time>", the time always in Vietnam time.
//
// Place finds the signer block on the page (FindSigner: the title and name as
// printed, whatever the case, Unicode normalisation and line breaks; the last page
// that holds them; in a joint document each signer's own block) and returns a
// *Placement: the page, the widget rectangle and the appearance. A *Placement
// implements kyso's signature.Appearance without importing it:
//
//	p, err := layout.Place(ctx, r, size, layout.Spec{Kind: layout.Signer, Image: png,
//		SignerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"})
//	…
//	signature.Sign(ctx, w, r, size, key, chain, &signature.SignOptions{
//		Widget: &signature.Widget{Page: p.Page, Rect: p.Rect, Appearance: p}})
//
// Appearances hold only what is seen: the image, or the stamp's line set in the
// embedded Liberation Serif (Times New Roman metrics) or an agency-supplied Times New
// Roman, with a /ToUnicode map so that text extractors read exactly what is printed.
// Nothing is hidden or clipped that a text search would find.
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
