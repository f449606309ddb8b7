package layout_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/layout"
)

// glyphChart is a one-page document in the manner of pdfcpu's Unifont charts: words
// words of four glyphs of a large composite font (Identity-H, a /W array of 20,000
// CIDs, a /ToUnicode CMap of 8,000 single mappings and a range), every glyph of half
// the rows shown by its own Tj in its own q/BT/ET with a cm (so that runs join glyph by
// glyph into rows), the other rows one TJ per word with kerning.
func glyphChart(words int) []byte {
	const perRow = 50
	rows := (words + perRow - 1) / perRow
	height := float64(rows*20 + 60)
	var c strings.Builder
	for i := 0; i < words; i++ {
		row, col := i/perRow, i%perRow
		x, y := 20+float64(col)*36, height-40-float64(row*20)
		cid := 0x4E00 + (i*4)%0x5000
		if row%2 == 0 {
			for g := range 4 {
				// 14 pt glyphs 500/1000 wide: 7 pt apart, words 8 pt apart (so a
				// row's runs join into one chain of 200).
				fmt.Fprintf(&c, "q BT /F0 14 Tf ET 1 0 0 1 %.2f %.2f cm BT 0 Tw 0 0 0 rg 0 0 Td <%04X> Tj ET Q\n",
					x+float64(g)*7, y, cid+g)
			}
			continue
		}
		fmt.Fprintf(&c, "BT /F0 14 Tf %.2f %.2f Td [<%04X%04X> -20 <%04X%04X>] TJ ET\n", x, y, cid, cid+1, cid+2, cid+3)
	}
	var w strings.Builder
	w.WriteString("[1 [")
	for i := range 20000 {
		if i > 0 {
			w.WriteByte(' ')
		}
		w.WriteString("500")
	}
	w.WriteString("] 20001 40959 500 40960 [")
	for range 500 {
		w.WriteString(" 500")
	}
	w.WriteString("]]")
	var cm strings.Builder
	cm.WriteString("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /Adobe-Identity-UCS def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n")
	for blk := range 80 {
		cm.WriteString("100 beginbfchar\n")
		for k := range 100 {
			code := 0x0100 + blk*100 + k
			fmt.Fprintf(&cm, "<%04X> <%04X>\n", code, 0x0100+(code%0x2000))
		}
		cm.WriteString("endbfchar\n")
	}
	cm.WriteString("1 beginbfrange <4E00> <9DFF> <4E00> endbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end")
	return pdftest.Hand(
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 1860 %.0f] >>", height),
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F0 5 0 R >> >> >>",
		"stream:"+c.String(),
		"<< /Type /Font /Subtype /Type0 /BaseFont /Unichart /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 8 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Unichart /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 /W "+w.String()+" >>",
		"<< /Type /FontDescriptor /FontName /Unichart /Flags 4 /FontBBox [0 -250 1000 750] /ItalicAngle 0 /Ascent 750 /Descent -250 /CapHeight 700 /StemV 80 >>",
		"stream:"+cm.String(),
	)
}

// BenchmarkGlyphChart measures text extraction on one page of many glyphs of a large
// composite font, at 10,000 and 20,000 words (the cost per word must not grow with the
// page: allocs/word and B/word stay flat, time about doubles).
func BenchmarkGlyphChart(b *testing.B) {
	for _, words := range []int{10000, 20000} {
		doc := glyphChart(words)
		for _, call := range []struct {
			name string
			run  func() error
		}{
			{"Check", func() error {
				_, err := layout.Check(context.Background(), bytes.NewReader(doc), int64(len(doc)), nil)
				return err
			}},
			{"FindSigner", func() error {
				_, err := layout.FindSigner(context.Background(), bytes.NewReader(doc), int64(len(doc)), "KT. GIÁM ĐỐC", "Nguyễn Văn A", nil)
				if err == nil {
					return fmt.Errorf("found a signer in a glyph chart")
				}
				return nil
			}},
		} {
			b.Run(fmt.Sprintf("%s/words=%d", call.name, words), func(b *testing.B) {
				b.ReportAllocs()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				start := processCPU()
				for b.Loop() {
					if err := call.run(); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, start)
				runtime.ReadMemStats(&after)
				n := float64(b.N) * float64(words)
				b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/word")
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n, "B/word")
			})
		}
	}
}

// TestGlyphChartWords checks that the benchmark's document reads as it is written:
// every word found, with its four glyphs.
func TestGlyphChartWords(t *testing.T) {
	doc := glyphChart(200)
	lines, err := layout.PageLines(context.Background(), bytes.NewReader(doc), int64(len(doc)), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4: %+v", len(lines), lines)
	}
	for _, l := range lines {
		if n := len(strings.Fields(l.Text)); n != 50 {
			t.Errorf("line %q: %d words, want 50", l.Text, n)
		}
	}
}

// oneBaseline is a page of n one-letter runs on one baseline, 30 pt apart at 10 pt:
// n separate lines for Measure, on one baseline.
func oneBaseline(n int) []byte {
	var c strings.Builder
	c.WriteString("BT /F1 10 Tf 10 400 Td\n")
	for range n {
		c.WriteString("(a) Tj 30 0 Td\n")
	}
	c.WriteString("ET")
	return pdftest.Hand(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"stream:"+c.String(),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	)
}

// BenchmarkOneBaseline measures Check on a page of 20,000 and 40,000 separate words on
// one baseline (each run used to scan every run after it: 5.4 s at 40,000).
func BenchmarkOneBaseline(b *testing.B) {
	for _, n := range []int{20000, 40000} {
		doc := oneBaseline(n)
		b.Run(fmt.Sprintf("words=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			start := processCPU()
			for b.Loop() {
				if _, err := layout.Check(context.Background(), bytes.NewReader(doc), int64(len(doc)), nil); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
		})
	}
}

// TestOneBaselineLines checks that words far apart on one baseline stay separate
// lines (the cluster skip of msLines drops none).
func TestOneBaselineLines(t *testing.T) {
	doc := oneBaseline(300)
	m, err := layout.Measure(context.Background(), bytes.NewReader(doc), int64(len(doc)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(m.Pages[0].Lines); got != 300 {
		t.Fatalf("%d lines, want 300", got)
	}
}
