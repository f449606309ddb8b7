// Package fonts ships Liberation Serif 2.x (Regular, Bold, Italic, Bold Italic; SIL Open
// Font License 1.1, see data/LICENSE-OFL.txt), the metric-compatible stand-in for Times
// New Roman that Nghị định 30/2020 prescribes, and what PDF generation needs from it:
// glyph lookup, advance widths, font descriptor metrics, glyph-preserving TrueType
// subsetting (glyf/loca) and the /ToUnicode CMap that lets text extractors return the
// exact Vietnamese text.
//
// The fonts are embedded with go:embed; nothing is read from or written to the file
// system. A *Font is immutable after Parse and safe for concurrent use.
//
// Subsets keep every glyph's original index (unused glyphs become empty), so a PDF can
// use CIDFontType2 with /CIDToGIDMap /Identity and Identity-H encoding: the two bytes
// written for a glyph are its glyph index.
//
// The package is internal: forms and layout use it; users never import it.
package fonts
