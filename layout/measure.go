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

// Measurement is what Measure read off a PDF: its pages' lines, images and rules, the
// candidate signer blocks, and its signatures. Coordinates are in points, in each
// page's upright space — the page as displayed, /Rotate applied, origin at the lower
// left of its CropBox, y up (internal/pdf's UprightMatrix) — with rectangles as
// [llx lly urx ury]. On a page without /Rotate and with the usual CropBox at the
// origin, that is the default user space.
type Measurement struct {
	// Version is the PDF version of the file (the header's, or the catalog's
	// /Version when later).
	Version string `json:"version"`
	// Pages are the document's pages in order.
	Pages []MeasuredPage `json:"pages"`
	// CandidateBlocks are the candidate signer blocks found on the pages: a title (ô 7a)
	// above a gap and a name (ô 7b) below it.
	CandidateBlocks []CandidateBlock `json:"candidate_blocks,omitempty"`
	// Signatures are the document's signature fields.
	Signatures []MeasuredSignature `json:"signatures,omitempty"`
}

// MeasuredPage is one page.
type MeasuredPage struct {
	Number   int        `json:"number"`    // 1-based
	MediaBox [4]float64 `json:"media_box"` // in default user space
	CropBox  [4]float64 `json:"crop_box"`  // in default user space (the MediaBox when absent)
	// Width and Height are the size of the page as displayed (the CropBox, turned by
	// /Rotate), in points.
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	Rotate int     `json:"rotate"` // /Rotate: 0, 90, 180 or 270, clockwise
	// Lines are the page's visible horizontal text lines, top to bottom.
	Lines []MeasuredLine `json:"lines"`
	// Other holds visible text runs that are not horizontal (rotated notes).
	Other []MeasuredLine `json:"other,omitempty"`
	// Images are the images painted on the page (not in annotations).
	Images []MeasuredImage `json:"images,omitempty"`
	// Rules are thin horizontal painted lines (height under 2 pt, width over 20 pt);
	// Frames are stroked rectangles (both sides over 10 pt).
	Rules  [][4]float64 `json:"rules,omitempty"`
	Frames [][4]float64 `json:"frames,omitempty"`
	// HiddenText counts runs drawn invisibly (rendering mode 3: an OCR layer).
	HiddenText int `json:"hidden_text,omitempty"`
}

// MeasuredLine is a line of text: runs on one baseline close to one another.
type MeasuredLine struct {
	Text string     `json:"text"` // NFC
	BBox [4]float64 `json:"bbox"`
	// Baseline is the y of the line's baseline (of its leftmost run).
	Baseline float64 `json:"baseline"`
	// Size is the largest effective font size on the line.
	Size float64 `json:"size"`
	// Fonts are the fonts used (base names without subset prefix); Embedded is false
	// when any of them is not embedded.
	Fonts    []string `json:"fonts"`
	Embedded bool     `json:"embedded"`
	// Bold and Italic hold when every run of the line is bold or italic.
	Bold   bool `json:"bold,omitempty"`
	Italic bool `json:"italic,omitempty"`
	// Color is the fill colour of the line's first run (RGB in [0, 1]); Black is false
	// when any run is not black.
	Color [3]float64 `json:"color"`
	Black bool       `json:"black"`
	// Artifact is set when the whole line is marked as an artifact (tagged PDF).
	Artifact     bool   `json:"artifact,omitempty"`
	ArtifactType string `json:"artifact_type,omitempty"`
	// Chars counts the line's non-space characters.
	Chars int `json:"chars"`
}

// MeasuredImage is an image placed on a page or in an appearance.
type MeasuredImage struct {
	BBox       [4]float64 `json:"bbox"`        // the placed image (the unit square's box)
	Width      int        `json:"width"`       // in samples
	Height     int        `json:"height"`      // in samples
	ColorSpace string     `json:"color_space"` // e.g. DeviceRGB, ICCBased, Indexed
	Components int        `json:"components"`  // colour components per sample
	// DPI is the resolution along x and y (samples per inch of the placed size).
	DPI [2]float64 `json:"dpi"`
	// Transparent reports a soft mask, colour-key or stencil mask.
	Transparent bool `json:"transparent"`
	// Ink is measured only for images in signature appearances (see InkSummary).
	Ink *InkSummary `json:"ink,omitempty"`
}

// CandidateBlock is a candidate signer block: the title lines (ô 7a) and the name line
// (ô 7b) below them, with the gap between where the signature image goes (ô 7c).
type CandidateBlock struct {
	Page  int            `json:"page"`  // 1-based
	Title []MeasuredLine `json:"title"` // ô 7a, top to bottom
	Name  MeasuredLine   `json:"name"`  // ô 7b
}

// Gap returns the box between the title's last line and the name (the ô 7c area):
// from the title's bottom to the name's top, across the union of their widths.
func (b CandidateBlock) Gap() [4]float64 {
	t := b.Title[len(b.Title)-1].BBox
	return [4]float64{math.Min(t[0], b.Name.BBox[0]), b.Name.BBox[3], math.Max(t[2], b.Name.BBox[2]), t[1]}
}

// Measure reads a PDF's pages, lines, images, rules, candidate signer blocks and
// signatures without judging them (Check judges). Options as for Check; errors wrap
// ErrUnreadable.
func Measure(ctx context.Context, r io.ReaderAt, size int64, opts *CheckOptions) (*Measurement, error) {
	o := opts.withDefaults()
	return msMeasureDoc(ctx, r, size, &o)
}

// msMeasureDoc reads the document for Measure and Check.
func msMeasureDoc(ctx context.Context, r io.ReaderAt, size int64, o *CheckOptions) (*Measurement, error) {
	d, err := pdf.Open(r, size, &pdf.Options{Password: o.Password, MaxObjects: o.MaxObjects, MaxStreamSize: o.MaxStreamSize})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	pages, err := d.Pages()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if len(pages) > o.MaxPages {
		return nil, fmt.Errorf("%w: %d pages, more than the limit of %d", ErrUnreadable, len(pages), o.MaxPages)
	}
	m := &Measurement{Version: msVersion(d, r, size)}
	for i, p := range pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		mp := MeasuredPage{Number: i + 1, MediaBox: p.MediaBox, CropBox: p.CropBox, Rotate: p.Rotate,
			Width: p.CropBox[2] - p.CropBox[0], Height: p.CropBox[3] - p.CropBox[1]}
		if p.Rotate == 90 || p.Rotate == 270 {
			mp.Width, mp.Height = mp.Height, mp.Width
		}
		objs, err := d.PageObjectsUpright(p)
		if err != nil {
			// A page whose content cannot be read is measured empty; the rest of the
			// document is still checked.
			objs = &pdf.PageObjects{}
		}
		visible := objs.Text[:0] // filtered in place: objs is this loop's own
		for _, s := range objs.Text {
			if s.Invisible {
				mp.HiddenText++
				continue
			}
			if strings.TrimSpace(s.Text) == "" {
				continue
			}
			visible = append(visible, s)
		}
		mp.Lines, mp.Other = msLines(visible)
		for _, im := range objs.Images {
			mp.Images = append(mp.Images, msImage(im))
		}
		for _, pb := range objs.Paths {
			w, h := pb.BBox[2]-pb.BBox[0], pb.BBox[3]-pb.BBox[1]
			switch {
			case w > 20 && h < 2 && (pb.Fill || pb.Stroke):
				mp.Rules = append(mp.Rules, pb.BBox)
			case w > 10 && h > 10 && pb.Stroke:
				mp.Frames = append(mp.Frames, pb.BBox)
			}
			if len(mp.Rules) > 10000 || len(mp.Frames) > 10000 {
				break
			}
		}
		m.Pages = append(m.Pages, mp)
		m.CandidateBlocks = append(m.CandidateBlocks, msFindBlocks(&mp)...)
	}
	sigs, err := msSignatures(ctx, d, pages, o)
	if err != nil {
		return nil, err
	}
	m.Signatures = sigs
	return m, nil
}

// msVersion reads the header's version, or the catalog's /Version when later.
func msVersion(d *pdf.Document, r io.ReaderAt, size int64) string {
	head := make([]byte, min(1024, size))
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	v := ""
	if i := strings.Index(string(head), "%PDF-"); i >= 0 && i+8 <= len(head) {
		v = string(head[i+5 : i+8])
	}
	if cat, err := d.Catalog(); err == nil {
		if cv, ok := cat.Get("Version").(pdf.Name); ok && string(cv) > v && len(cv) <= 4 {
			v = string(cv)
		}
	}
	return v
}

// msImage describes an image placement.
func msImage(im pdf.ImagePlacement) MeasuredImage {
	mi := MeasuredImage{BBox: im.BBox, Width: im.Width, Height: im.Height, ColorSpace: string(im.ColorSpace),
		Components: im.Components, Transparent: im.SMask}
	// The placed size along the image's own axes.
	w := math.Hypot(im.CTM[0], im.CTM[1])
	h := math.Hypot(im.CTM[2], im.CTM[3])
	if w > 0 && h > 0 {
		mi.DPI = [2]float64{float64(im.Width) / (w / 72), float64(im.Height) / (h / 72)}
	}
	return mi
}

// maxLineScan bounds the runs msLines examines when building one line.
const maxLineScan = 4096

// msLines groups runs into lines: horizontal runs on one baseline (within a
// third of the size) with gaps under one em, read left to right; lines sorted top to
// bottom. Runs that are not horizontal are returned apart, one line each.
func msLines(spans []pdf.TextSpan) (lines, other []MeasuredLine) {
	spans = pdf.JoinRuns(spans)
	var horiz []pdf.TextSpan
	for _, s := range spans {
		if math.Abs(s.Angle) < 1 {
			horiz = append(horiz, s)
		} else {
			other = append(other, msLineOf([]pdf.TextSpan{s}))
		}
	}
	sort.SliceStable(horiz, func(i, j int) bool {
		if math.Abs(horiz[i].Y-horiz[j].Y) > 0.5 {
			return horiz[i].Y > horiz[j].Y
		}
		return horiz[i].X < horiz[j].X
	})
	// clusterEnd[j] is the end of j's cluster: the runs after it on the same baseline
	// (within 0.5) whose boxes start left to right. Once a run of a cluster is too far
	// right of the line being built, so are the rest of its cluster, which are skipped:
	// otherwise every run of a long baseline of separate words would scan all the
	// runs after it (quadratic in the runs of a line).
	clusterEnd := make([]int, len(horiz))
	for j := len(horiz) - 1; j >= 0; j-- {
		clusterEnd[j] = j + 1
		if j+1 < len(horiz) && math.Abs(horiz[j+1].Y-horiz[j].Y) <= 0.5 && horiz[j+1].BBox[0] >= horiz[j].BBox[0] {
			clusterEnd[j] = clusterEnd[j+1]
		}
	}
	used := make([]bool, len(horiz))
	for i := range horiz {
		if used[i] {
			continue
		}
		used[i] = true
		group := []pdf.TextSpan{horiz[i]}
		right := horiz[i].BBox[2]
		// A hard bound on the runs examined for one line, whatever the page holds
		// (runs piled on one another are not ordered by the clusters).
		budget := maxLineScan
		for j := i + 1; j < len(horiz) && budget > 0; j++ {
			budget--
			s := horiz[j]
			size := math.Max(horiz[i].Size, s.Size)
			if horiz[i].Y-s.Y > size {
				break // sorted by baseline: nothing further on this line
			}
			if used[j] || math.Abs(s.Y-horiz[i].Y) > size/3 {
				continue
			}
			if s.BBox[0]-right > size {
				j = clusterEnd[j] - 1
				continue
			}
			if s.BBox[0] < right-size {
				continue
			}
			used[j] = true
			group = append(group, s)
			right = math.Max(right, s.BBox[2])
		}
		lines = append(lines, msLineOf(group))
	}
	sort.SliceStable(lines, func(i, j int) bool {
		if math.Abs(lines[i].BBox[3]-lines[j].BBox[3]) > 1 {
			return lines[i].BBox[3] > lines[j].BBox[3]
		}
		return lines[i].BBox[0] < lines[j].BBox[0]
	})
	return lines, other
}

// msLineOf merges runs (left to right) into one line.
func msLineOf(group []pdf.TextSpan) MeasuredLine {
	sort.SliceStable(group, func(i, j int) bool { return group[i].X < group[j].X })
	l := MeasuredLine{BBox: [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}, Embedded: true, Bold: true,
		Italic: true, Black: true, Artifact: true, Color: group[0].Fill.RGB, Baseline: group[0].Y}
	var b strings.Builder
	prevEnd := math.Inf(-1)
	fonts := map[string]bool{}
	for _, s := range group {
		if b.Len() > 0 && s.BBox[0]-prevEnd > 0.2*s.Size && !strings.HasSuffix(b.String(), " ") && !strings.HasPrefix(s.Text, " ") {
			b.WriteByte(' ')
		}
		b.WriteString(s.Text)
		prevEnd = s.BBox[2]
		// The box of the words, without leading or trailing spaces.
		if w, ok := s.TrimmedBox(); ok {
			l.BBox = [4]float64{math.Min(l.BBox[0], w[0]), math.Min(l.BBox[1], w[1]), math.Max(l.BBox[2], w[2]), math.Max(l.BBox[3], w[3])}
		}
		l.Size = math.Max(l.Size, s.Size)
		if !fonts[s.FontName] && len(fonts) < 16 {
			fonts[s.FontName] = true
			l.Fonts = append(l.Fonts, s.FontName)
		}
		l.Embedded = l.Embedded && s.Embedded
		l.Bold = l.Bold && s.Bold
		l.Italic = l.Italic && s.Italic
		l.Black = l.Black && s.Fill.IsBlack(0.2)
		l.Artifact = l.Artifact && s.Artifact
		if s.Artifact && l.ArtifactType == "" {
			l.ArtifactType = string(s.ArtifactType)
		}
		for _, r := range s.Text {
			if !unicode.IsSpace(r) {
				l.Chars++
			}
		}
	}
	if !l.Artifact {
		l.ArtifactType = ""
	}
	if math.IsInf(l.BBox[0], 0) {
		l.BBox = group[0].BBox
	}
	l.Text = norm.NFC.String(strings.Join(strings.Fields(b.String()), " "))
	return l
}

// msIsUpper reports whether s has at least two letters and none in lower case.
func msIsUpper(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsLower(r) {
				return false
			}
		}
	}
	return letters >= 2
}

// msIsName reports whether s reads like a person's name: two to six words, each
// starting with an upper-case letter, not all upper case.
func msIsName(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 6 || msIsUpper(s) {
		return false
	}
	for _, w := range words {
		r := []rune(w)
		if !unicode.IsUpper(r[0]) {
			return false
		}
	}
	return true
}

func msCentreX(l MeasuredLine) float64 { return (l.BBox[0] + l.BBox[2]) / 2 }

// msFindBlocks finds candidate signer blocks on a page (several on a joint document,
// văn bản liên tịch): a name line (7b) whose nearest line above in the same column is an upper-case title
// (7a), their baselines at least two and a half lines apart (the room for the
// signature); the title extends upwards over the upper-case lines stacked above it. A
// parenthesised hint under the title ("(Ký, ghi rõ họ tên)", as in forms) is part of
// the title: the signature goes below it.
func msFindBlocks(p *MeasuredPage) []CandidateBlock {
	var out []CandidateBlock
	sameColumn := func(a, b MeasuredLine) bool { return math.Abs(msCentreX(a)-msCentreX(b)) <= 40 }
	for i, l := range p.Lines {
		if !msIsName(l.Text) || l.Artifact {
			continue
		}
		// The nearest line above in the same column.
		above := -1
		for j := i - 1; j >= 0; j-- {
			a := p.Lines[j]
			if a.Baseline < l.Baseline+0.5*l.Size || !sameColumn(a, l) || a.Artifact {
				continue
			}
			above = j
			break
		}
		if above < 0 {
			continue
		}
		a := p.Lines[above]
		// A hint such as "(Ký, ghi rõ họ tên)" under the title belongs to it.
		hint := strings.HasPrefix(a.Text, "(") && strings.HasSuffix(a.Text, ")")
		if !msIsUpper(a.Text) && !hint || a.Baseline-l.Baseline < 2.5*l.Size {
			continue
		}
		title := []MeasuredLine{a}
		for j := above - 1; j >= 0 && len(title) < 5; j-- {
			t := p.Lines[j]
			top := title[0]
			if !sameColumn(t, top) || t.Baseline < top.Baseline+0.5*top.Size {
				continue
			}
			if t.Baseline-top.Baseline > 2*top.Size || !msIsUpper(t.Text) {
				break
			}
			title = append([]MeasuredLine{t}, title...)
		}
		if hint && len(title) == 1 {
			continue // a hint without a title above it
		}
		out = append(out, CandidateBlock{Page: p.Number, Title: title, Name: l})
	}
	return out
}
