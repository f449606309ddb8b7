package layout

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/internal/pdf"
)

// Line is a line of text found on a page: the text of the spans that share a baseline
// and follow one another with less than an em between them (two signer blocks side by
// side on one baseline are two lines). Coordinates are those of the page as displayed:
// the default user space of the CropBox, turned by the page's /Rotate, with the
// origin at its lower-left corner (the same as user space on an unrotated page whose
// boxes start at 0, 0).
type Line struct {
	Page int        // 1-based
	Text string     // as extracted
	Rect [4]float64 // llx, lly, urx, ury in default user space: descent to ascent
	Size float64    // the largest font size on the line, in points
	// Baseline is the y of the line's baseline.
	Baseline float64
}

// SignerBlock is the signer block (ô 7a, 7b) of one signer found on a page: the lines
// of the title (7a, with the authority line such as "TM. ỦY BAN NHÂN DÂN" or "KT. CHỦ
// TỊCH" when printed) and the name (7b). The signature image (7c) goes in Gap.
type SignerBlock struct {
	Page  int    // 1-based
	Title []Line // top to bottom; empty when only the name was searched
	Name  Line   // the name line (ô 7b)
	// Gap is the room between the bottom of the title and the top of the name, as wide
	// as the block's widest line, in the coordinates of the page as displayed (see
	// Line).
	Gap [4]float64
}

// Text returns the block's title lines and name, one per line.
func (b *SignerBlock) Text() string {
	var s []string
	for _, l := range b.Title {
		s = append(s, l.Text)
	}
	return strings.Join(append(s, b.Name.Text), "\n")
}

// Line geometry as fractions of the font size (Times New Roman and its clones: hhea
// ascent 0.891, descent 0.216).
const (
	lineAscent  = 0.891
	lineDescent = 0.216
)

// Limits of the anchor search.
const (
	// maxTitleLines bounds how many printed lines one title may take.
	maxTitleLines = 6
	// maxBlockHeight is how far below its title, in points, a name may be.
	maxBlockHeight = 300.0
)

// openDoc opens a PDF for layout.
func openDoc(r io.ReaderAt, size int64) (*pdf.Document, []pdf.Page, error) {
	return openDocPassword(r, size, nil)
}

// openDocPassword opens a PDF that may be encrypted with a user password.
func openDocPassword(r io.ReaderAt, size int64, password []byte) (*pdf.Document, []pdf.Page, error) {
	var opts *pdf.Options
	if password != nil {
		opts = &pdf.Options{Password: password}
	}
	doc, err := pdf.Open(r, size, opts)
	if err != nil {
		return nil, nil, &DocumentError{Err: err}
	}
	pages, err := doc.Pages()
	if err != nil {
		return nil, nil, &DocumentError{Err: err}
	}
	if len(pages) == 0 {
		return nil, nil, &DocumentError{Err: fmt.Errorf("the document has no page")}
	}
	return doc, pages, nil
}

// PageLines returns the lines of text of a page (1-based), top to bottom.
func PageLines(ctx context.Context, r io.ReaderAt, size int64, page int) ([]Line, error) {
	doc, pages, err := openDoc(r, size)
	if err != nil {
		return nil, err
	}
	if page < 1 || page > len(pages) {
		return nil, &SpecError{Field: "Page", Msg: fmt.Sprintf("không có trang %d trong văn bản %d trang / page not found: page %d of a %d-page document", page, len(pages), page, len(pages))}
	}
	return pageLines(doc, pages[page-1], page)
}

// pageLines assembles the spans of a page into lines, in the page as displayed (text
// upright on a page with /Rotate runs along the displayed x axis).
func pageLines(doc *pdf.Document, p pdf.Page, pageNo int) ([]Line, error) {
	spans, err := doc.PageText(p)
	if err != nil {
		return nil, &DocumentError{Page: pageNo, Err: err}
	}
	if v := pageView(p); v.rot != 0 || v.box[0] != 0 || v.box[1] != 0 {
		for i := range spans {
			spans[i].X, spans[i].Y = v.to(spans[i].X, spans[i].Y)
		}
	}
	return assembleLines(spans, pageNo), nil
}

func assembleLines(spans []pdf.TextSpan, pageNo int) []Line {
	// spans is the caller's own: filtered and sorted in place, and every row is a
	// range of it, so that the cost is linear in the spans (no copies, no strings
	// rebuilt per span).
	ss := spans[:0]
	for _, s := range spans {
		if strings.TrimSpace(s.Text) == "" || !(s.Size > 0) || math.IsNaN(s.X) || math.IsNaN(s.Y) {
			continue
		}
		ss = append(ss, s)
	}
	// Rows: spans whose baselines lie within a third of their size.
	sort.SliceStable(ss, func(i, j int) bool { return ss[i].Y > ss[j].Y })
	var rows [][2]int // [start, end) in ss
	for i, s := range ss {
		if n := len(rows); n > 0 {
			ref := ss[rows[n-1][0]]
			if math.Abs(ref.Y-s.Y) < 0.3*math.Max(ref.Size, s.Size) {
				rows[n-1][1] = i + 1
				continue
			}
		}
		rows = append(rows, [2]int{i, i + 1})
	}
	var lines []Line
	var text strings.Builder
	for _, rg := range rows {
		row := ss[rg[0]:rg[1]]
		sort.SliceStable(row, func(i, j int) bool { return row[i].X < row[j].X })
		var cur *Line
		var end float64
		endsSpace := false
		flush := func() {
			if cur != nil {
				cur.Text = strings.TrimSpace(text.String())
				lines = append(lines, *cur)
				cur = nil
			}
		}
		for _, s := range row {
			if cur != nil && s.X-end > 1.0*math.Max(cur.Size, s.Size) {
				flush()
			}
			if cur == nil {
				cur = &Line{Page: pageNo, Baseline: s.Y, Size: s.Size, Rect: [4]float64{s.X, s.Y, s.X, s.Y}}
				end = s.X
				text.Reset()
				endsSpace = false
			} else if s.X-end > 0.15*s.Size && !endsSpace && !strings.HasPrefix(s.Text, " ") {
				text.WriteByte(' ')
				endsSpace = true
			}
			text.WriteString(s.Text)
			if s.Text != "" {
				endsSpace = strings.HasSuffix(s.Text, " ")
			}
			cur.Size = math.Max(cur.Size, s.Size)
			cur.Rect[0] = math.Min(cur.Rect[0], s.X)
			cur.Rect[2] = math.Max(cur.Rect[2], s.X+s.Width)
			cur.Rect[1] = math.Min(cur.Rect[1], s.Y-lineDescent*s.Size)
			cur.Rect[3] = math.Max(cur.Rect[3], s.Y+lineAscent*s.Size)
			end = math.Max(end, s.X+s.Width)
		}
		flush()
	}
	return lines
}

// anchorKey folds text for comparison: NFC, lower case, without white space (so line
// breaks and spacing do not matter), without full stops (so "KT." and "KT" match), with
// the look-alike Ð (U+00D0) read as Đ.
func anchorKey(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '.', r == '\u00AD', r == '\u200B':
			continue
		case r == '\u00D0':
			r = 'đ'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// authorityPrefixes are the authority markers that open ô 7a (NĐ 30/2020 Điều 13):
// thay mặt, ký thay, thừa lệnh, thừa ủy quyền, quyền.
var authorityPrefixes = []string{"tm", "kt", "tl", "tuq", "q"}

// isAuthorityLine reports whether a line opens with an authority marker ("TM. …").
func isAuthorityLine(s string) bool {
	f := strings.Fields(strings.ToLower(norm.NFC.String(s)))
	if len(f) == 0 {
		return false
	}
	w := f[0]
	for _, p := range authorityPrefixes {
		if w == p+"." || w == p {
			return true
		}
	}
	return false
}

// overlapX reports whether two boxes share some horizontal extent.
func overlapX(a, b [4]float64) bool { return a[0] < b[2] && b[0] < a[2] }

// FindOptions parameterise FindSigner.
type FindOptions struct {
	// Page restricts the search to one page (1-based); 0 searches every page and
	// keeps the last page that holds the block.
	Page int
}

// FindSigner finds the signer block of the person whose title (ô 7a, lines separated
// by "\n", e.g. "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"; may be empty) and name (ô 7b) are given,
// ignoring case, Unicode normalisation (NFC/NFD), spacing and where the lines break.
// A title given without its authority line matches the printed title below that line.
// Without opts.Page it returns the block on the last page that holds one. No block
// is an *AnchorError wrapping ErrAnchorNotFound, several on that page one wrapping
// ErrAnchorAmbiguous; both list the candidates with their pages.
func FindSigner(ctx context.Context, r io.ReaderAt, size int64, title, name string, opts *FindOptions) (*SignerBlock, error) {
	doc, pages, err := openDoc(r, size)
	if err != nil {
		return nil, err
	}
	var o FindOptions
	if opts != nil {
		o = *opts
	}
	return findSigner(ctx, doc, pages, title, name, o.Page)
}

func findSigner(ctx context.Context, doc *pdf.Document, pages []pdf.Page, title, name string, only int) (*SignerBlock, error) {
	if strings.TrimSpace(name) == "" {
		return nil, &SpecError{Field: "SignerName", Msg: "cần họ tên người ký (ô 7b) để tìm khối chữ ký / the signer's name (ô 7b) is needed to find the signer block"}
	}
	if only < 0 || only > len(pages) {
		return nil, &SpecError{Field: "Page", Msg: fmt.Sprintf("không có trang %d trong văn bản %d trang / page not found: page %d of a %d-page document", only, len(pages), only, len(pages))}
	}
	nameKey, titleKey := anchorKey(name), anchorKey(title)
	var near []Candidate
	var found []*SignerBlock
	for i := len(pages) - 1; i >= 0; i-- {
		if only != 0 && i != only-1 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lines, err := pageLines(doc, pages[i], i+1)
		if err != nil {
			return nil, err
		}
		blocks, cands := blocksOnPage(lines, titleKey, nameKey)
		near = append(near, cands...)
		if len(blocks) > 0 {
			found = blocks
			break
		}
	}
	who := strings.TrimSpace(name)
	if t := strings.TrimSpace(strings.ReplaceAll(title, "\n", " / ")); t != "" {
		who = t + " — " + who
	}
	switch len(found) {
	case 0:
		return nil, &AnchorError{Err: ErrAnchorNotFound, Signer: who, Candidates: near}
	case 1:
		return found[0], nil
	}
	var c []Candidate
	for _, b := range found {
		c = append(c, Candidate{Page: b.Page, Text: b.Text(), Rect: b.Gap})
	}
	return nil, &AnchorError{Err: ErrAnchorAmbiguous, Signer: who, Candidates: c}
}

// blocksOnPage returns the signer blocks whose title and name match, and the lines
// that match one of them (candidates for an error message).
func blocksOnPage(lines []Line, titleKey, nameKey string) ([]*SignerBlock, []Candidate) {
	var blocks []*SignerBlock
	var cands []Candidate
	keys := make([]string, len(lines))
	for i, l := range lines {
		keys[i] = anchorKey(l.Text)
	}
	for ni, nl := range lines {
		if keys[ni] != nameKey {
			if nameKey != "" && strings.Contains(keys[ni], nameKey) || titleKey != "" && strings.Contains(titleKey, keys[ni]) && len(keys[ni]) > 3 {
				cands = append(cands, Candidate{Page: nl.Page, Text: nl.Text, Rect: nl.Rect})
			}
			continue
		}
		cands = append(cands, Candidate{Page: nl.Page, Text: nl.Text, Rect: nl.Rect})
		title := titleAbove(lines, keys, ni, titleKey)
		if title == nil {
			continue
		}
		blocks = append(blocks, newBlock(title, nl))
	}
	return blocks, cands
}

// titleAbove finds, above the name line ni and in its column, the lines of the title
// whose key is titleKey (or, when titleKey is empty, the nearest line above), with the
// authority line above it when the title given omitted it.
func titleAbove(lines []Line, keys []string, ni int, titleKey string) []Line {
	name := lines[ni]
	// Lines above the name, in its column, nearest first.
	var col []int
	for i := ni - 1; i >= 0; i-- {
		l := lines[i]
		if l.Baseline <= name.Baseline || l.Baseline-name.Baseline > maxBlockHeight {
			continue
		}
		if !overlapX(l.Rect, name.Rect) {
			continue
		}
		col = append(col, i)
	}
	if titleKey == "" {
		if len(col) == 0 {
			return nil
		}
		return []Line{lines[col[0]]}
	}
	// The title's last line is the nearest line above the name ending the title; the
	// lines above it complete it.
	for s, last := range col {
		if keys[last] == "" || !strings.HasSuffix(titleKey, keys[last]) {
			continue
		}
		acc := keys[last]
		got := []Line{lines[last]}
		for k := s + 1; k < len(col) && k <= s+maxTitleLines && acc != titleKey; k++ {
			prev := lines[col[k]]
			if prev.Baseline-got[0].Baseline > 2.2*math.Max(prev.Size, got[0].Size) {
				break // not the next line up
			}
			if keys[col[k]] == "" || !strings.HasSuffix(titleKey, keys[col[k]]+acc) {
				break
			}
			acc = keys[col[k]] + acc
			got = append([]Line{prev}, got...)
		}
		if acc != titleKey {
			continue
		}
		// The authority lines printed above ("TM. ỦY BAN NHÂN DÂN" over "KT. CHỦ
		// TỊCH") belong to 7a too.
		for k := s + len(got); k < len(col) && isAuthorityLine(lines[col[k]].Text) &&
			lines[col[k]].Baseline-got[0].Baseline <= 2.2*math.Max(lines[col[k]].Size, got[0].Size); k++ {
			got = append([]Line{lines[col[k]]}, got...)
		}
		return got
	}
	return nil
}

func newBlock(title []Line, name Line) *SignerBlock {
	b := &SignerBlock{Page: name.Page, Title: title, Name: name}
	bottom := title[len(title)-1].Rect[1]
	left, right := name.Rect[0], name.Rect[2]
	for _, l := range title {
		left, right = math.Min(left, l.Rect[0]), math.Max(right, l.Rect[2])
	}
	b.Gap = [4]float64{left, name.Rect[3], right, bottom}
	return b
}
