package typeset

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// ErrImage is returned (wrapped) by DecodeImage for data that is not a usable PNG or
// JPEG image.
var ErrImage = errors.New("typeset: unusable image")

// Limits on images.
const (
	MaxImageBytes  = 16 << 20 // encoded size
	MaxImagePixels = 16 << 20 // width × height (a seal of 40 mm at 2400 dpi is 14 million)
)

// Format is an image's file format.
type Format int

// The image formats DecodeImage reads.
const (
	PNG Format = iota + 1
	JPEG
)

// String returns the format's name.
func (f Format) String() string {
	switch f {
	case PNG:
		return "PNG"
	case JPEG:
		return "JPEG"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Image is a decoded image ready to be drawn into a PDF: PNG samples (8 or 16 bits per
// component, grey or RGB; palettes expanded) with the alpha channel as a separate soft
// mask, or a JPEG kept as it is (DCTDecode). It is immutable once decoded and may be
// drawn by several documents.
type Image struct {
	Format        Format
	Width, Height int // pixels
	// DPI is the resolution the file declares (PNG pHYs in pixels per metre, JPEG JFIF
	// density in dots per inch), 0 when it declares none.
	DPIX, DPIY float64
	// Transparent reports whether some pixel is not fully opaque.
	Transparent bool

	colorSpace string // DeviceRGB, DeviceGray or DeviceCMYK
	bits       int
	samples    []byte // uncompressed colour samples (PNG)
	alpha      []byte // uncompressed soft mask samples, nil when opaque
	jpeg       []byte // the JPEG file
}

// SizePt returns the image's physical size in points from its declared resolution,
// or, when it declares none, at fallbackDPI.
func (im *Image) SizePt(fallbackDPI float64) (w, h float64) {
	dx, dy := im.DPIX, im.DPIY
	if dx <= 0 || dy <= 0 {
		dx, dy = fallbackDPI, fallbackDPI
	}
	return float64(im.Width) / dx * 72, float64(im.Height) / dy * 72
}

// DecodeImage reads a PNG (any bit depth and colour type, with or without alpha or a
// tRNS chunk) or a JPEG (grey, RGB or CMYK).
func DecodeImage(data []byte) (*Image, error) {
	if len(data) > MaxImageBytes {
		return nil, fmt.Errorf("%w: %d bytes (limit %d)", ErrImage, len(data), MaxImageBytes)
	}
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return decodePNG(data)
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8}):
		return decodeJPEG(data)
	}
	return nil, fmt.Errorf("%w: neither PNG nor JPEG", ErrImage)
}

func checkSize(w, h int) error {
	if w <= 0 || h <= 0 || float64(w)*float64(h) > MaxImagePixels {
		return fmt.Errorf("%w: %d × %d pixels (limit %d pixels)", ErrImage, w, h, MaxImagePixels)
	}
	return nil
}

func decodePNG(data []byte) (*Image, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrImage, err)
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrImage, err)
	}
	im := &Image{Format: PNG, Width: cfg.Width, Height: cfg.Height}
	im.DPIX, im.DPIY = pngDPI(data)
	b := src.Bounds()
	n := b.Dx() * b.Dy()
	deep := false
	grey := false
	switch src.(type) {
	case *image.Gray16, *image.NRGBA64, *image.RGBA64:
		deep = true
	}
	switch s := src.(type) {
	case *image.Gray, *image.Gray16:
		grey = true
	case *image.Paletted:
		grey = true
		for _, c := range s.Palette {
			r, g, bb, _ := c.RGBA()
			if r != g || g != bb {
				grey = false
				break
			}
		}
	}
	if deep {
		im.bits = 16
	} else {
		im.bits = 8
	}
	comps := 3
	im.colorSpace = "DeviceRGB"
	if grey {
		comps = 1
		im.colorSpace = "DeviceGray"
	}
	bpc := im.bits / 8
	// The samples and the soft mask are written in place (no per-pixel allocation):
	// with the decoded picture, which is dropped on return, they bound the memory of
	// an image at (4 + 4) × 2 bytes a pixel, 256 MiB at MaxImagePixels for 16 bits.
	im.samples = make([]byte, n*comps*bpc)
	alpha := make([]byte, n*bpc)
	opaque := true
	i := 0
	set := func(r, g, bl, a uint16) { // 16-bit, not premultiplied
		if a != 0xFFFF {
			opaque = false
		}
		if deep {
			if grey {
				im.samples[2*i], im.samples[2*i+1] = byte(r>>8), byte(r)
			} else {
				o := 6 * i
				im.samples[o], im.samples[o+1] = byte(r>>8), byte(r)
				im.samples[o+2], im.samples[o+3] = byte(g>>8), byte(g)
				im.samples[o+4], im.samples[o+5] = byte(bl>>8), byte(bl)
			}
			alpha[2*i], alpha[2*i+1] = byte(a>>8), byte(a)
		} else {
			if grey {
				im.samples[i] = byte(r >> 8)
			} else {
				o := 3 * i
				im.samples[o], im.samples[o+1], im.samples[o+2] = byte(r>>8), byte(g>>8), byte(bl>>8)
			}
			alpha[i] = byte(a >> 8)
		}
		i++
	}
	w8 := func(v uint8) uint16 { return uint16(v) * 0x101 }
	switch s := src.(type) {
	case *image.NRGBA:
		// The common case (8-bit RGBA), copied row by row.
		for y := b.Min.Y; y < b.Max.Y; y++ {
			row := s.Pix[s.PixOffset(b.Min.X, y):s.PixOffset(b.Max.X, y)]
			smp, al := im.samples[3*i:], alpha[i:]
			for k, o := 0, 0; k+3 < len(row); k, o = k+4, o+1 {
				smp[3*o], smp[3*o+1], smp[3*o+2] = row[k], row[k+1], row[k+2]
				al[o] = row[k+3]
				if row[k+3] != 0xFF {
					opaque = false
				}
			}
			i += len(row) / 4
		}
	case *image.NRGBA64:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c := s.NRGBA64At(x, y)
				set(c.R, c.G, c.B, c.A)
			}
		}
	case *image.Gray:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				v := w8(s.GrayAt(x, y).Y)
				set(v, v, v, 0xFFFF)
			}
		}
	case *image.Gray16:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				v := s.Gray16At(x, y).Y
				set(v, v, v, 0xFFFF)
			}
		}
	case *image.Paletted:
		pal := make([]color.NRGBA64, len(s.Palette))
		for k, c := range s.Palette {
			pal[k] = color.NRGBA64Model.Convert(c).(color.NRGBA64)
		}
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				var c color.NRGBA64 // an index outside the palette: transparent black
				if k := int(s.ColorIndexAt(x, y)); k < len(pal) {
					c = pal[k]
				}
				set(c.R, c.G, c.B, c.A)
			}
		}
	default: // RGBA, RGBA64 (PNGs without alpha decode to these): any other model
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c := color.NRGBA64Model.Convert(src.At(x, y)).(color.NRGBA64)
				set(c.R, c.G, c.B, c.A)
			}
		}
	}
	if !opaque {
		im.Transparent = true
		im.alpha = alpha
	}
	return im, nil
}

// pngDPI reads the pHYs chunk (pixels per metre when its unit is 1).
func pngDPI(data []byte) (float64, float64) {
	p := 8
	for p+8 <= len(data) {
		n := int(binary.BigEndian.Uint32(data[p:]))
		typ := string(data[p+4 : p+8])
		if n < 0 || p+12+n > len(data) {
			return 0, 0
		}
		if typ == "pHYs" && n == 9 {
			c := data[p+8 : p+8+9]
			x, y := binary.BigEndian.Uint32(c), binary.BigEndian.Uint32(c[4:])
			if c[8] != 1 || x == 0 || y == 0 {
				return 0, 0
			}
			return float64(x) * 0.0254, float64(y) * 0.0254
		}
		if typ == "IDAT" || typ == "IEND" {
			return 0, 0 // pHYs must precede the image data
		}
		p += 12 + n
	}
	return 0, 0
}

func decodeJPEG(data []byte) (*Image, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrImage, err)
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	im := &Image{Format: JPEG, Width: cfg.Width, Height: cfg.Height, bits: 8, jpeg: data}
	switch cfg.ColorModel {
	case color.GrayModel:
		im.colorSpace = "DeviceGray"
	case color.CMYKModel:
		im.colorSpace = "DeviceCMYK"
	default:
		im.colorSpace = "DeviceRGB"
	}
	im.DPIX, im.DPIY = jfifDPI(data)
	return im, nil
}

// jfifDPI reads the density of a JFIF APP0 segment.
func jfifDPI(data []byte) (float64, float64) {
	if len(data) < 20 || data[2] != 0xFF || data[3] != 0xE0 || string(data[6:11]) != "JFIF\x00" {
		return 0, 0
	}
	unit := data[13]
	x, y := float64(binary.BigEndian.Uint16(data[14:])), float64(binary.BigEndian.Uint16(data[16:]))
	switch unit {
	case 1:
		return x, y
	case 2:
		return x * 2.54, y * 2.54
	}
	return 0, 0
}

// InkColor returns the average colour (components 0–255) of the pixels that are
// mostly opaque (alpha ≥ 50 %), and how many there are; for a JPEG, n is 0.
func (im *Image) InkColor() (r, g, b float64, n int) {
	if im.Format != PNG {
		return 0, 0, 0, 0
	}
	bpc := im.bits / 8
	comps := 3
	if im.colorSpace == "DeviceGray" {
		comps = 1
	}
	var sr, sg, sb float64
	for i := 0; i < im.Width*im.Height; i++ {
		if im.alpha != nil && im.alpha[i*bpc] < 128 {
			continue
		}
		px := im.samples[i*comps*bpc:]
		if comps == 1 {
			v := float64(px[0])
			sr, sg, sb = sr+v, sg+v, sb+v
		} else {
			sr, sg, sb = sr+float64(px[0]), sg+float64(px[bpc]), sb+float64(px[2*bpc])
		}
		n++
	}
	if n == 0 {
		return 0, 0, 0, 0
	}
	return sr / float64(n), sg / float64(n), sb / float64(n), n
}

// Crop returns the image cut to the bounding box of its pixels that are not fully
// transparent (a PNG whose transparent margins would otherwise shift what is drawn),
// keeping its resolution. A JPEG or an image without transparent margins is returned
// as is.
func (im *Image) Crop() *Image {
	if im.Format != PNG || !im.Transparent {
		return im
	}
	bpc := im.bits / 8
	comps := 3
	if im.colorSpace == "DeviceGray" {
		comps = 1
	}
	minX, minY, maxX, maxY := im.Width, im.Height, -1, -1
	for y := 0; y < im.Height; y++ {
		for x := 0; x < im.Width; x++ {
			if im.alpha[(y*im.Width+x)*bpc] != 0 {
				minX, minY = min(minX, x), min(minY, y)
				maxX, maxY = max(maxX, x), max(maxY, y)
			}
		}
	}
	if maxX < 0 || (minX == 0 && minY == 0 && maxX == im.Width-1 && maxY == im.Height-1) {
		return im
	}
	w, h := maxX-minX+1, maxY-minY+1
	out := *im
	out.Width, out.Height = w, h
	out.samples = make([]byte, 0, w*h*comps*bpc)
	out.alpha = make([]byte, 0, w*h*bpc)
	for y := minY; y <= maxY; y++ {
		row := (y*im.Width + minX)
		out.samples = append(out.samples, im.samples[row*comps*bpc:(row+w)*comps*bpc]...)
		out.alpha = append(out.alpha, im.alpha[row*bpc:(row+w)*bpc]...)
	}
	return &out
}
