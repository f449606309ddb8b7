// Package typeset is the PDF typesetter that forms and layout share: pages of
// Vietnamese text set in an embedded, subset TrueType font (Liberation Serif, the
// metric clone of Times New Roman, or a font the caller supplies such as an agency's
// licensed Times New Roman), normalised to NFC and written with a /ToUnicode CMap so
// that text extractors (pdftotext, kyso's own) return exactly what was drawn; lines
// and rectangles; and images (PNG with its alpha channel as a soft mask, JPEG as is).
//
// A Doc is written as a complete PDF 1.7 file with a classic cross-reference table.
// The appearance of a visible signature is such a file of one page, which the
// signature package imports as a form XObject.
//
// The package is internal: users never import it.
package typeset
