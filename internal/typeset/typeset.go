package typeset

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/internal/fonts"
)

// A4 in points, and one millimetre.
const (
	A4Width  = 595.276
	A4Height = 841.890
	MM       = 72 / 25.4
)

// Style selects one of the four faces of a Doc.
type Style = fonts.Style

// The four faces.
const (
	Regular    = fonts.Regular
	Bold       = fonts.Bold
	Italic     = fonts.Italic
	BoldItalic = fonts.BoldItalic
)

// vietnam is Vietnam time (UTC+7, no daylight saving), without a tzdata dependency.
var vietnam = time.FixedZone("ICT", 7*3600)

// ErrFont is returned (wrapped) by New when a supplied font cannot be used.
var ErrFont = errors.New("typeset: unusable font")

var (
	serifOnce  sync.Once
	serifFaces [4]*fonts.Font
	serifErr   error
)

// liberationSerif returns the four embedded faces, parsed once per process (a
// *fonts.Font is immutable and safe for concurrent use).
func liberationSerif() ([4]*fonts.Font, error) {
	serifOnce.Do(func() {
		for s := fonts.Regular; s <= fonts.BoldItalic; s++ {
			f, err := fonts.LiberationSerif(s)
			if err != nil {
				serifErr = err
				return
			}
			serifFaces[s] = f
		}
	})
	return serifFaces, serifErr
}

// Options parameterise New.
type Options struct {
	// Faces are TrueType fonts (.ttf) to use instead of the embedded Liberation Serif,
	// by style (an agency's licensed Times New Roman, say). A nil entry keeps
	// Liberation Serif for that style. The font must cover the text drawn with it
	// (see Doc.Missing).
	Faces [4][]byte
	// Compression is the zlib level of the streams written (default
	// zlib.DefaultCompression); zlib.BestSpeed makes appearances several times faster
	// to write for a slightly larger file.
	Compression int
}

// Doc is a PDF document being set. It is not safe for concurrent use.
type Doc struct {
	level  int // zlib level
	faces  [4]*fonts.Font
	usage  [4]*fonts.Usage
	pages  []*Page
	images []*Image
	// missing records the first character drawn that its font lacks, and where.
	missing     rune
	missingText string
}

// Page is one page of a Doc.
type Page struct {
	content bytes.Buffer
	used    [4]bool
	images  []int // indices into Doc.images, in first-use order
	w, h    float64
}

// New starts an empty document.
func New(opts *Options) (*Doc, error) {
	faces, err := liberationSerif()
	if err != nil {
		return nil, err
	}
	d := &Doc{faces: faces, level: zlib.DefaultCompression}
	if opts != nil && opts.Compression != 0 {
		if opts.Compression < zlib.HuffmanOnly || opts.Compression > zlib.BestCompression {
			return nil, fmt.Errorf("typeset: zlib level %d", opts.Compression)
		}
		d.level = opts.Compression
	}
	if opts != nil {
		for s, data := range opts.Faces {
			if data == nil {
				continue
			}
			f, err := fonts.Parse(data)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrFont, err)
			}
			d.faces[s] = f
		}
	}
	for s := range d.faces {
		d.usage[s] = fonts.NewUsage(d.faces[s])
	}
	return d, nil
}

// Face returns the font of a style.
func (d *Doc) Face(st Style) *fonts.Font { return d.faces[st] }

// NewPage appends a page of w × h points.
func (d *Doc) NewPage(w, h float64) *Page {
	p := &Page{w: w, h: h}
	d.pages = append(d.pages, p)
	return p
}

// Pages returns the pages in order.
func (d *Doc) Pages() []*Page { return d.pages }

// Size returns the page's width and height in points.
func (p *Page) Size() (w, h float64) { return p.w, p.h }

// Missing returns the first character drawn that its font lacks (0 when none) and the
// text it was in.
func (d *Doc) Missing() (rune, string) { return d.missing, d.missingText }

// Num writes a PDF real number with at most two decimals; NaN and infinities, which
// PDF has no syntax for, become 0 so that a layout bug can never make the file
// unreadable.
func Num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

// Text draws s (normalised to NFC) with its baseline starting at (x, y), in the
// current fill colour.
func (d *Doc) Text(p *Page, st Style, size, x, y float64, s string) {
	if s == "" {
		return
	}
	s = norm.NFC.String(s)
	if miss := d.faces[st].HasGlyphs(s); len(miss) > 0 && d.missing == 0 {
		d.missing, d.missingText = miss[0], s
	}
	p.used[st] = true
	fmt.Fprintf(&p.content, "BT /F%d %s Tf %s %s Td <%X> Tj ET\n", int(st), Num(size), Num(x), Num(y),
		d.usage[st].Encode(s))
}

// Width returns the advance width of s (in NFC) at size points.
func (d *Doc) Width(st Style, size float64, s string) float64 {
	return d.faces[st].StringWidth(norm.NFC.String(s), size)
}

// Line strokes a line of width w.
func (p *Page) Line(x1, y1, x2, y2, w float64) {
	fmt.Fprintf(&p.content, "%s w %s %s m %s %s l S\n", Num(w), Num(x1), Num(y1), Num(x2), Num(y2))
}

// Rect strokes a rectangle with line width lw.
func (p *Page) Rect(x, y, w, h, lw float64) {
	fmt.Fprintf(&p.content, "%s w %s %s %s %s re S\n", Num(lw), Num(x), Num(y), Num(w), Num(h))
}

// FillColor sets the colour of text and filled shapes drawn next (components 0–1).
func (p *Page) FillColor(r, g, b float64) {
	fmt.Fprintf(&p.content, "%s %s %s rg\n", Num(r), Num(g), Num(b))
}

// FillRect fills a rectangle in the current fill colour.
func (p *Page) FillRect(x, y, w, h float64) {
	fmt.Fprintf(&p.content, "%s %s %s %s re f\n", Num(x), Num(y), Num(w), Num(h))
}

// StrokeColor sets the colour of lines and rectangles drawn next (components 0–1).
func (p *Page) StrokeColor(r, g, b float64) {
	fmt.Fprintf(&p.content, "%s %s %s RG\n", Num(r), Num(g), Num(b))
}

// Image draws img stretched onto the rectangle with lower-left corner (x, y), w × h
// points.
func (d *Doc) Image(p *Page, img *Image, x, y, w, h float64) {
	idx := -1
	for i, im := range d.images {
		if im == img {
			idx = i
		}
	}
	if idx < 0 {
		idx = len(d.images)
		d.images = append(d.images, img)
	}
	seen := false
	for _, i := range p.images {
		seen = seen || i == idx
	}
	if !seen {
		p.images = append(p.images, idx)
	}
	fmt.Fprintf(&p.content, "q %s 0 0 %s %s %s cm /Im%d Do Q\n", num4(w), num4(h), num4(x), num4(y), idx)
}

// num4 writes a real with up to four decimals (image matrices want more precision
// than text positions).
func num4(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	s := strconv.FormatFloat(v, 'f', 4, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

// Info is the document information dictionary.
type Info struct {
	Title, Subject, Creator, Producer string
	// Created is written as /CreationDate in Vietnam time; zero omits it.
	Created time.Time
}

// TextString writes s as a PDF text string in UTF-16BE with a byte order mark.
func TextString(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// Deflate compresses data with zlib (PDF's FlateDecode) at the default level.
func Deflate(data []byte) []byte { return deflateLevel(data, zlib.DefaultCompression) }

// zlibWriters keeps zlib writers (about 1 MB of state each) for reuse, by level.
var zlibWriters [zlib.BestCompression - zlib.HuffmanOnly + 1]sync.Pool

func deflateLevel(data []byte, level int) []byte {
	var b bytes.Buffer
	b.Grow(len(data)/4 + 64)
	pool := &zlibWriters[level-zlib.HuffmanOnly]
	zw, _ := pool.Get().(*zlib.Writer)
	if zw == nil {
		zw, _ = zlib.NewWriterLevel(&b, level)
	} else {
		zw.Reset(&b)
	}
	zw.Write(data)
	zw.Close()
	pool.Put(zw)
	return b.Bytes()
}

// WriteTo serialises the document with a classic cross-reference table in a single
// Write.
func (d *Doc) WriteTo(w io.Writer, info Info) error {
	b, err := d.Bytes(info)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Bytes serialises the document.
func (d *Doc) Bytes(info Info) ([]byte, error) {
	var out bytes.Buffer
	var offsets []int
	next := 1
	alloc := func() int { n := next; next++; offsets = append(offsets, 0); return n }
	obj := func(n int, body string) {
		offsets[n-1] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	streamZ := func(n int, dict string, z []byte) {
		offsets[n-1] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n<< %s /Filter /FlateDecode /Length %d >>\nstream\n", n, dict, len(z))
		out.Write(z)
		out.WriteString("\nendstream\nendobj\n")
	}
	stream := func(n int, dict string, data []byte) { streamZ(n, dict, deflateLevel(data, d.level)) }
	raw := func(n int, dict string, data []byte) {
		offsets[n-1] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n<< %s /Length %d >>\nstream\n", n, dict, len(data))
		out.Write(data)
		out.WriteString("\nendstream\nendobj\n")
	}
	out.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	catalog, pagesObj, infoObj := alloc(), alloc(), alloc()

	// The large streams, images and their masks, are compressed in parallel while the
	// fonts are subset.
	zimg := make([][2][]byte, len(d.images))
	var wg sync.WaitGroup
	for i, img := range d.images {
		if img.jpeg != nil {
			continue
		}
		wg.Add(1)
		go func() { defer wg.Done(); zimg[i][0] = deflateLevel(img.samples, d.level) }()
		if img.alpha != nil {
			wg.Add(1)
			go func() { defer wg.Done(); zimg[i][1] = deflateLevel(img.alpha, d.level) }()
		}
	}

	// Fonts actually used.
	var fontRef [4]int
	var used [4]bool
	for _, p := range d.pages {
		for s, u := range p.used {
			used[s] = used[s] || u
		}
	}
	for s := range 4 {
		if !used[s] {
			continue
		}
		u, f := d.usage[s], d.faces[s]
		prog, err := u.Subset()
		if err != nil {
			wg.Wait()
			return nil, err
		}
		fd := f.Descriptor()
		name := u.Tag() + "+" + f.PostScriptName()
		type0, cid, desc, file, tounicode := alloc(), alloc(), alloc(), alloc(), alloc()
		fontRef[s] = type0
		obj(type0, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
			name, cid, tounicode))
		obj(cid, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW %d /W [%s] >>",
			name, desc, u.DefaultWidth(), u.Widths()))
		obj(desc, fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %s /Ascent %d /Descent %d /CapHeight %d /StemV %d /FontFile2 %d 0 R >>",
			name, fd.Flags, fd.BBox[0], fd.BBox[1], fd.BBox[2], fd.BBox[3],
			Num(fd.ItalicAngle), fd.Ascent, fd.Descent, fd.CapHeight, fd.StemV, file))
		stream(file, fmt.Sprintf("/Length1 %d", len(prog)), prog)
		stream(tounicode, "", u.ToUnicodeCMap())
	}

	// Images, each written once however many pages draw it.
	wg.Wait()
	imageRef := make([]int, len(d.images))
	for i, img := range d.images {
		ref := alloc()
		imageRef[i] = ref
		dict := fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s /BitsPerComponent %d",
			img.Width, img.Height, img.colorSpace, img.bits)
		if img.jpeg != nil {
			raw(ref, dict+" /Filter /DCTDecode", img.jpeg)
			continue
		}
		if img.alpha != nil {
			mask := alloc()
			dict += fmt.Sprintf(" /SMask %d 0 R", mask)
			streamZ(ref, dict, zimg[i][0])
			streamZ(mask, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent %d",
				img.Width, img.Height, img.bits), zimg[i][1])
			continue
		}
		streamZ(ref, dict, zimg[i][0])
	}

	var kids []string
	for _, p := range d.pages {
		pg, content := alloc(), alloc()
		kids = append(kids, fmt.Sprintf("%d 0 R", pg))
		var res strings.Builder
		for s := range 4 {
			if p.used[s] {
				fmt.Fprintf(&res, " /F%d %d 0 R", s, fontRef[s])
			}
		}
		resources := fmt.Sprintf("<< /Font <<%s >> >>", res.String())
		if len(p.images) > 0 {
			var xo strings.Builder
			for _, i := range p.images {
				fmt.Fprintf(&xo, " /Im%d %d 0 R", i, imageRef[i])
			}
			resources = fmt.Sprintf("<< /Font <<%s >> /XObject <<%s >> >>", res.String(), xo.String())
		}
		obj(pg, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources %s /Contents %d 0 R >>",
			pagesObj, Num(p.w), Num(p.h), resources, content))
		stream(content, "", p.content.Bytes())
	}
	obj(pagesObj, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(d.pages)))
	obj(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R /Lang (vi-VN) >>", pagesObj))
	producer := info.Producer
	if producer == "" {
		producer = "kyso"
	}
	infoDict := fmt.Sprintf("<< /Title %s /Subject %s /Creator %s /Producer (%s)",
		TextString(info.Title), TextString(info.Subject), TextString(info.Creator), producer)
	if !info.Created.IsZero() {
		t := info.Created.In(vietnam)
		infoDict += fmt.Sprintf(" /CreationDate (D:%s+07'00')", t.Format("20060102150405"))
	}
	obj(infoObj, infoDict+" >>")

	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", next)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", next, catalog, infoObj, xref)
	return out.Bytes(), nil
}
