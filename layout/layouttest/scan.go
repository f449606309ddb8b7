package layouttest

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
)

// ScannedLetterPNG draws, in colour, what a scanner returns for an A4 paper letter at
// dpi: off-white paper, dark bars for the lines of text (issuing body, Quốc hiệu,
// title, body, signer block), a blue signature under a red seal sealMM across. The
// PNG declares dpi (pHYs), so kyso.ScannedPDF makes it a page at 100 % scale. It
// stands in for a real scan in demos and tests (TESTING ONLY).
func ScannedLetterPNG(dpi, sealMM float64) []byte {
	mm := func(v float64) int { return int(v * dpi / 25.4) }
	img := image.NewRGBA(image.Rect(0, 0, mm(210), mm(297)))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{246, 244, 236, 255}}, image.Point{}, draw.Src)
	ink := &image.Uniform{color.RGBA{38, 38, 46, 255}}
	bar := func(x0, y0, x1 float64) {
		draw.Draw(img, image.Rect(mm(x0), mm(y0), mm(x1), mm(y0)+mm(2.2)), ink, image.Point{}, draw.Src)
	}
	// Header: issuing body left, Quốc hiệu right; the title; the body; the signer block.
	bar(30, 22, 90)
	bar(35, 28, 85)
	bar(105, 22, 195)
	bar(118, 28, 182)
	bar(85, 50, 125)
	bar(50, 56, 160)
	for i := range 22 {
		x1 := 195.0
		if i%6 == 5 {
			x1 = 140
		}
		bar(30, 70+float64(i)*7, x1)
	}
	bar(125, 232, 175)
	bar(132, 276, 168)
	for _, p := range []struct {
		png  []byte
		x, y float64
	}{{SignaturePNG(dpi), 130, 245}, {SealPNG(sealMM, dpi), 112, 238}} {
		im, err := png.Decode(bytes.NewReader(p.png))
		if err != nil {
			panic(err) // drawn and encoded above: cannot fail
		}
		draw.Draw(img, im.Bounds().Add(image.Pt(mm(p.x), mm(p.y))), im, im.Bounds().Min, draw.Over)
	}
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img); err != nil {
		panic(err) // encoding an in-memory RGBA cannot fail
	}
	return WithDPI(b.Bytes(), dpi)
}
